#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-made GRE packet, for input no tunnel would produce.

  gre_send.py DST KEY PROTO [badsum]
PROTO is the GRE protocol type (e.g. 0x0800); "badsum" adds a checksum
that is wrong. The payload is a minimal IPv4 header.
"""
import socket
import struct
import sys


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    dst, key, proto = argv[1], int(argv[2], 0), int(argv[3], 0)
    payload = bytes([0x45]) + bytes(19)
    if len(argv) > 4 and argv[4] == "badsum":
        hdr = struct.pack("!HHHHI", 0xa000, proto, 0xdead, 0, key)
    else:
        hdr = struct.pack("!HHI", 0x2000, proto, key)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    s.sendto(hdr + payload, (dst, 0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
