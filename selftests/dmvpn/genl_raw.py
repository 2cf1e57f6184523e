#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-built request to the dmvpn genl family and print the
kernel's answer: "errno=N" and, if any, "msg=EXTACK". Used to check the
policies with input no well-behaved tool would produce.

  genl_raw.py CMD [FLAGS] ATTR...
ATTR is TYPE:KIND:VALUE with KIND u8|u32|str|hex, or TYPE:nest:[ATTR,...]
e.g. genl_raw.py 2 0x600 2:str:dmvpn0 12:nest:[1:hex:c000020b,3:hex:c6336405]
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1


def nla(t, payload):
    hdr = struct.pack("HH", 4 + len(payload), t)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def split_top(s):
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "," and depth == 0:
            out.append(cur)
            cur = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        cur += ch
    if cur:
        out.append(cur)
    return out


def attr(spec):
    t, kind, val = spec.split(":", 2)
    t = int(t)
    if kind == "u8":
        return nla(t, struct.pack("B", int(val, 0)))
    if kind == "u32":
        return nla(t, struct.pack("I", int(val, 0)))
    if kind == "str":
        return nla(t, val.encode() + b"\0")
    if kind == "hex":
        return nla(t, bytes.fromhex(val))
    if kind == "nest":
        return nla(t | 0x8000, b"".join(attr(a) for a in split_top(val[1:-1])))
    raise ValueError(kind)


def request(s, family, cmd, flags, payload, seq):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    msg = struct.pack("IHHII", 16 + len(body), family,
                      NLM_F_REQUEST | NLM_F_ACK | flags, seq, os.getpid())
    s.send(msg + body)
    while True:
        data = s.recv(65536)
        off = 0
        while off < len(data):
            ln, typ, _, rseq, _ = struct.unpack_from("IHHII", data, off)
            if typ == NLMSG_ERROR and rseq == seq:
                return data[off:off + ln]
            off += (ln + 3) & ~3


def resolve(s):
    body = struct.pack("BBH", 3, 1, 0) + nla(2, b"dmvpn\0")
    s.send(struct.pack("IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST,
                       1, os.getpid()) + body)
    data = s.recv(65536)
    ln, typ = struct.unpack_from("IH", data)
    if typ == NLMSG_ERROR:
        raise SystemExit("dmvpn family not found")
    off = 20
    while off < ln:
        alen, atype = struct.unpack_from("HH", data, off)
        if atype == 1:  # CTRL_ATTR_FAMILY_ID
            return struct.unpack_from("H", data, off + 4)[0]
        off += (alen + 3) & ~3
    raise SystemExit("no family id")


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = int(argv[1], 0)
    rest = argv[2:]
    flags = 0
    if rest and rest[0].startswith("0x"):
        flags = int(rest.pop(0), 0)
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    fam = resolve(s)
    ans = request(s, fam, cmd, flags, b"".join(attr(a) for a in rest), 2)
    err = -struct.unpack_from("i", ans, 16)[0]
    msg = ""
    ln = struct.unpack_from("I", ans)[0]
    capped = struct.unpack_from("H", ans, 6)[0] & 0x100  # NLM_F_CAPPED
    # The request is echoed whole unless the ack says it is capped.
    off = 20 + (16 if capped else struct.unpack_from("I", ans, 20)[0])
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("HH", ans, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            msg = ans[off + 4:off + alen].rstrip(b"\0").decode()
        off += (alen + 3) & ~3
    print("errno=%d msg=%s" % (err, msg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
