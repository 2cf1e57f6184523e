#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A sequence-numbered UDP stream, to count loss and reordering.

udp_seq.py send ADDR PORT COUNT PPS   sends COUNT datagrams 0..COUNT-1
udp_seq.py recv PORT COUNT SECONDS    receives until COUNT distinct ones
                                      came or SECONDS of silence; prints
                                      "received N reordered M duplicates D"
                                      and exits 0 only if N == COUNT
recv writes "ready" on stderr once it listens.
"""
import socket
import struct
import sys
import time


def send(addr, port, count, pps):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gap = 1.0 / pps
    start = time.monotonic()
    for seq in range(count):
        delay = start + seq * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        s.sendto(struct.pack("!I", seq) + bytes(60), (addr, port))
    return 0


def recv(port, count, silence):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("0.0.0.0", port))
    s.settimeout(silence)
    print("ready", file=sys.stderr, flush=True)
    seen, last, reordered, dups = set(), -1, 0, 0
    while len(seen) < count:
        try:
            data = s.recv(2048)
        except socket.timeout:
            break
        (seq,) = struct.unpack("!I", data[:4])
        if seq in seen:
            dups += 1
            continue
        if seq < last:
            reordered += 1
        last = max(last, seq)
        seen.add(seq)
    print(f"received {len(seen)} reordered {reordered} duplicates {dups}")
    return 0 if len(seen) == count else 1


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) == 5 and a[0] == "send":
        sys.exit(send(a[1], int(a[2]), int(a[3]), float(a[4])))
    if len(a) == 4 and a[0] == "recv":
        sys.exit(recv(int(a[1]), int(a[2]), float(a[3])))
    sys.exit(__doc__)
