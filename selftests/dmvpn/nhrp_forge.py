#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made NHRP Registration Requests, good and bad, sent through a dmvpn
device the way an NHRP daemon sends (AF_PACKET SOCK_DGRAM, protocol 0x2001,
link-layer address = the NBMA destination).

  nhrp_forge.py DEV NBMA_DST KIND[,KIND...] [option=value...]

KIND (one packet of each unless count= says otherwise):
  good        a well-formed request, like dmvpnd's
  short       12 bytes: less than the fixed header
  cut         the first 40 bytes of a good request (pktsz says more)
  badsum      a wrong checksum
  extoff      the extension offset points past the end of the packet
  unknownext  a compulsory extension of unknown type 0x0123 before End
  afn         address family 2 (IPv6 NBMA) with 16-byte NBMA addresses
  hop0        hop count 0
  longauth    an authentication extension with a 1000-byte password
  purge       a Purge Request (type 5) whose CIE names target=
  regreply    a Registration Reply (type 4) whose CIE carries code=
options: src_nbma= src_proto= dst_proto= auth= holdtime= reqid= (0x... too) count=
         target= code= proto_step=
(count= sends that many, request ids reqid, reqid + 1, ...; with
proto_step=1 the i-th also registers src_proto + i).
"""
import socket
import struct
import sys

ETH_P_NHRP = 0x2001
REG_REQ = 3
TYPES = {"purge": 5, "regreply": 4}


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ext(etype, value=b"", compulsory=True):
    return struct.pack("!HH", etype | (0x8000 if compulsory else 0),
                       len(value)) + value


def request(o, kind, reqid, i=0):
    afn, nbma_len = 1, 4
    src_nbma = socket.inet_aton(o["src_nbma"])
    if kind == "afn":
        afn, nbma_len = 2, 16
        src_nbma = bytes(10) + b"\xff\xff" + src_nbma
    proto = struct.unpack("!I", socket.inet_aton(o["src_proto"]))[0]
    src_proto = struct.pack("!I", proto + i * int(o["proto_step"]))
    dst_proto = socket.inet_aton(o["dst_proto"])
    mand = struct.pack("!BBHI", 4, 4, 0x8002, reqid)
    mand += src_nbma + src_proto + dst_proto
    if kind == "purge":
        # One CIE naming the binding to purge (protocol address only).
        mand += struct.pack("!BBHHHBBBB", 0, 0xFF, 0, 0, 0, 0, 0, 4, 0)
        mand += socket.inet_aton(o["target"])
    else:
        # One CIE, addresses empty: "the same as the source".
        mand += struct.pack("!BBHHHBBBB", int(o["code"]), 0xFF, 0, 1514,
                            int(o["holdtime"]), 0, 0, 0, 0)
    exts = ext(3) + ext(4) + ext(5)
    if kind == "unknownext":
        exts += ext(0x0123, b"\x01\x02\x03\x04")
    password = o.get("auth", "").encode()
    if kind == "longauth":
        password = password + b"x" * (1000 - len(password))
    if password:
        exts += ext(7, struct.pack("!I", 1) + password)
    exts += ext(0)
    extoff = 20 + len(mand)
    size = extoff + len(exts)
    if kind == "extoff":
        extoff = size + 8
    hop = 0 if kind == "hop0" else 255
    hdr = struct.pack("!HH5sBHHHBBBB", afn, 0x0800, bytes(5), hop, size, 0,
                      extoff, 1, TYPES.get(kind, REG_REQ), nbma_len, 0)
    pkt = bytearray(hdr + mand + exts)
    csum = checksum(bytes(pkt))
    if kind == "badsum":
        csum ^= 0x5A5A
    struct.pack_into("!H", pkt, 12, csum)
    if kind == "short":
        return bytes(pkt[:12])
    if kind == "cut":
        return bytes(pkt[:40])
    return bytes(pkt)


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    dev, dst, kinds = argv[1], argv[2], argv[3].split(",")
    o = {"src_nbma": "0.0.0.0", "src_proto": "0.0.0.0", "dst_proto": "0.0.0.0",
         "holdtime": "60", "reqid": "1", "count": "1", "code": "0",
         "proto_step": "0", "target": "0.0.0.0"}
    for a in argv[4:]:
        k, _, v = a.partition("=")
        o[k] = v
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_NHRP))
    s.bind((dev, ETH_P_NHRP))
    to = (dev, ETH_P_NHRP, 0, 0, socket.inet_aton(dst))
    first = int(o["reqid"], 0)
    for kind in kinds:
        for i in range(int(o["count"])):
            s.sendto(request(o, kind, first + i, i), to)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
