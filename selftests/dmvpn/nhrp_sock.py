#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""NHRP frames through a dmvpn device the way dmvpnd and nhrpd use it:
AF_PACKET SOCK_DGRAM, protocol 0x2001, link-layer address = NBMA address.

  nhrp_sock.py send DEV NBMA PAYLOAD
  nhrp_sock.py recv DEV TIMEOUT     prints "NBMA PAYLOAD" per frame until
                                   TIMEOUT seconds pass without one
  nhrp_sock.py echo DEV COUNT       answers COUNT frames to their sender
recv and echo print "ready" to stderr once the socket is bound.
"""
import socket
import sys

ETH_P_NHRP = 0x2001


def sock(dev):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_NHRP))
    s.bind((dev, ETH_P_NHRP))
    return s


def main(argv):
    cmd, dev = argv[1], argv[2]
    s = sock(dev)
    if cmd == "send":
        nbma = socket.inet_aton(argv[3])
        s.sendto(argv[4].encode(), (dev, ETH_P_NHRP, 0, 0, nbma))
        return 0
    print("ready", file=sys.stderr, flush=True)
    if cmd == "recv":
        s.settimeout(float(argv[3]))
        try:
            while True:
                data, addr = s.recvfrom(65535)
                print(socket.inet_ntoa(addr[4][:4]), data.decode(errors="replace"),
                      flush=True)
        except socket.timeout:
            return 0
    if cmd == "echo":
        s.settimeout(10)
        for _ in range(int(argv[3])):
            data, addr = s.recvfrom(65535)
            s.sendto(b"re:" + data, (dev, ETH_P_NHRP, 0, 0, addr[4][:4]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
