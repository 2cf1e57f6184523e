#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A sequence-numbered UDP stream, to count loss and reordering.

udp_seq.py send ADDR PORT COUNT PPS [--stamp]
    sends COUNT datagrams 0..COUNT-1; with --stamp, prints
    "first T": the wall-clock time the first was sent
udp_seq.py recv PORT COUNT SECONDS [--ttl TTL]
    receives until COUNT distinct ones came or SECONDS of silence;
    prints "received N reordered M duplicates D" and exits 0 only if
    N == COUNT; with --ttl, a second line "ttl TTL first T count C":
    when the first datagram that arrived with IP TTL TTL was received
    (the kernel's wall-clock timestamp; "-" if none did) and how many did
recv writes "ready" on stderr once it listens.
"""
import socket
import struct
import sys
import time

# Python names these only in some versions; the values are Linux's.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
IP_RECVTTL = getattr(socket, "IP_RECVTTL", 12)
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)


def send(addr, port, count, pps, stamp):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gap = 1.0 / pps
    start = time.monotonic()
    first = None
    for seq in range(count):
        delay = start + seq * gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        if first is None:
            first = time.time()
        s.sendto(struct.pack("!I", seq) + bytes(60), (addr, port))
    if stamp:
        print(f"first {first:.6f}")
    return 0


def recv(port, count, silence, ttl):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # Room for seconds of the stream: a receiver starved of CPU (TCG on a
    # loaded machine) must not lose what the network delivered. Past
    # rmem_max only with CAP_NET_ADMIN, as the tests run.
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except PermissionError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    if ttl is not None:
        s.setsockopt(socket.IPPROTO_IP, IP_RECVTTL, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind(("0.0.0.0", port))
    s.settimeout(silence)
    print("ready", file=sys.stderr, flush=True)
    seen, last, reordered, dups = set(), -1, 0, 0
    first, with_ttl = None, 0
    while len(seen) < count:
        try:
            data, anc, _, _ = s.recvmsg(2048, 256)
        except socket.timeout:
            break
        if ttl is not None:
            got, when = None, None
            for level, kind, val in anc:
                if level == socket.IPPROTO_IP and kind == socket.IP_TTL:
                    (got,) = struct.unpack("i", val[:4])
                elif level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", val[:16])
                    when = sec + nsec / 1e9
            if got == ttl:
                with_ttl += 1
                if first is None:
                    first = when if when is not None else time.time()
        (seq,) = struct.unpack("!I", data[:4])
        if seq in seen:
            dups += 1
            continue
        if seq < last:
            reordered += 1
        last = max(last, seq)
        seen.add(seq)
    print(f"received {len(seen)} reordered {reordered} duplicates {dups}")
    if ttl is not None:
        print(f"ttl {ttl} first {'-' if first is None else f'{first:.6f}'}"
              f" count {with_ttl}")
    return 0 if len(seen) == count else 1


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) in (5, 6) and a[0] == "send" and a[5:] in ([], ["--stamp"]):
        sys.exit(send(a[1], int(a[2]), int(a[3]), float(a[4]), len(a) == 6))
    if len(a) in (4, 6) and a[0] == "recv" and (len(a) == 4 or a[4] == "--ttl"):
        sys.exit(recv(int(a[1]), int(a[2]), float(a[3]),
                      int(a[5]) if len(a) == 6 else None))
    sys.exit(__doc__)
