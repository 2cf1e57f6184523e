#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send one hand-built request to the dmvpn genl family and print the
kernel's answer: "errno=N" and, if any, "msg=EXTACK". Used to check the
policies with input no well-behaved tool would produce.

  genl_raw.py [-p] CMD [FLAGS] ATTR...
  genl_raw.py --monitor
  genl_raw.py --serve
  genl_raw.py --fill
ATTR is TYPE:KIND:VALUE with KIND u8|u32|u64|str|hex|flag, or
TYPE:nest:[ATTR,...]; hex with no digits is an empty attribute.
e.g. genl_raw.py 2 0x600 2:str:dmvpn0 12:nest:[1:hex:c000020b,3:hex:c6336405]
-p also prints every reply message (FLAGS 0x300 asks for a dump) as one
line of JSON before the errno line; --monitor prints each message of the
events group as one line of JSON, and "ready" once subscribed.
--serve reads requests, one shell-quoted argument list per line, and
answers each as above followed by a line "--end--": python takes most of a
second to start in a TCG guest, and a test makes dozens of requests.
--fill sends such lines on one socket until one fails (see fill()).
"""
import ipaddress
import json
import os
import shlex
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLMSGERR_ATTR_MSG = 1
NETLINK_ADD_MEMBERSHIP = 1

# Names and kinds of the attributes in replies (include/uapi/linux/dmvpn.h).
STATS = dict((i + 1, (n, "u64")) for i, n in enumerate(
    "tx_packets tx_bytes rx_packets rx_bytes tx_no_mapping tx_errors "
    "tx_mcast rx_key_mismatch rx_malformed rx_policy rx_nhrp tx_nhrp "
    "miss_events pad tx_via_nhs".split()))
ENTRY = {1: ("proto", "addr"), 2: ("prefixlen", "u8"), 3: ("nbma", "addr"),
         4: ("type", "u8"), 5: ("flags", "u32"), 6: ("holdtime", "u32"),
         7: ("expires", "u32"), 8: ("age", "u32"), 9: ("used", "u32"),
         10: ("packets", "u64"), 11: ("bytes", "u64")}
MCAST = {1: ("nbma", "addr"), 2: ("flags", "u32"), 3: ("packets", "u64")}
CONFIG = {1: ("role", "u8"), 2: ("network_id", "u32"),
          3: ("holdtime", "u32"), 4: ("reg_interval", "u32"),
          5: ("auth", "hex"), 6: ("unique", "u8"),
          7: ("mcast_dynamic", "u8")}
NHS = {1: ("nbma", "addr"), 2: ("fqdn", "str"), 3: ("proto", "addr"),
       4: ("priority", "u8"), 5: ("state", "u8"), 6: ("cur_nbma", "addr"),
       7: ("cur_proto", "addr"), 8: ("requests", "u64"),
       9: ("replies", "u64"), 10: ("failures", "u64"),
       11: ("last_code", "u8"), 12: ("nat", "u8"), 13: ("since", "u32")}
TOP = {1: ("ifindex", "u32"), 2: ("ifname", "str"), 3: ("local", "addr"),
       4: ("key", "u32"), 5: ("link", "u32"), 6: ("ttl", "u8"),
       7: ("tos", "u8"), 8: ("max_entries", "u32"),
       9: ("entry_count", "u32"), 10: ("stats", STATS),
       11: ("entry", ENTRY), 12: ("mcast", MCAST), 13: ("event", "u8"),
       16: ("config", CONFIG), 17: ("nhs", NHS)}


def decode(data, schema):
    out, off = {}, 0
    while off + 4 <= len(data):
        alen, atype = struct.unpack_from("HH", data, off)
        if alen < 4:
            break
        val = data[off + 4:off + alen]
        name, kind = schema.get(atype & 0x3fff, (str(atype & 0x3fff), "hex"))
        if isinstance(kind, dict):
            out[name] = decode(val, kind)
        elif kind == "u8":
            out[name] = val[0]
        elif kind == "u32":
            out[name] = struct.unpack("I", val)[0]
        elif kind == "u64":
            out[name] = struct.unpack("Q", val)[0]
        elif kind == "str":
            out[name] = val.rstrip(b"\0").decode()
        elif kind == "addr" and len(val) in (4, 16):
            out[name] = str(ipaddress.ip_address(val))
        else:
            out[name] = val.hex()
        off += (alen + 3) & ~3
    return out


def message_json(data, off, ln):
    msg = decode(data[off + 20:off + ln], TOP)
    msg["cmd"] = data[off + 16]
    return json.dumps(msg, sort_keys=True)


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
    if kind == "u64":
        return nla(t, struct.pack("Q", int(val, 0)))
    if kind == "flag":
        return nla(t, b"")
    if kind == "str":
        return nla(t, val.encode() + b"\0")
    if kind == "hex":
        return nla(t, bytes.fromhex(val))
    if kind == "nest":
        return nla(t | 0x8000, b"".join(attr(a) for a in split_top(val[1:-1])))
    raise ValueError(kind)


# One receive buffer for the process: recv(1 << 20) maps a fresh megabyte
# and shrinks it with mremap() each time, which needs kernel memory, and
# --fill must need none once its memory cgroup is full.
RXBUF = bytearray(1 << 20)


def recv(s):
    n = s.recv_into(RXBUF)
    return memoryview(RXBUF)[:n].tobytes()


def request(s, family, cmd, flags, payload, seq, show=False):
    body = struct.pack("BBH", cmd, 1, 0) + payload
    msg = struct.pack("IHHII", 16 + len(body), family,
                      NLM_F_REQUEST | NLM_F_ACK | flags, seq, os.getpid())
    s.send(msg + body)
    while True:
        data = recv(s)
        off = 0
        while off < len(data):
            ln, typ, _, rseq, _ = struct.unpack_from("IHHII", data, off)
            if rseq == seq and typ in (NLMSG_ERROR, NLMSG_DONE):
                return data[off:off + ln]
            if rseq == seq and typ == family and show:
                print(message_json(data, off, ln))
            off += (ln + 3) & ~3


def resolve(s):
    body = struct.pack("BBH", 3, 1, 0) + nla(2, b"dmvpn\0")
    s.send(struct.pack("IHHII", 16 + len(body), GENL_ID_CTRL, NLM_F_REQUEST,
                       1, os.getpid()) + body)
    data = recv(s)
    ln, typ = struct.unpack_from("IH", data)
    if typ == NLMSG_ERROR:
        raise SystemExit("dmvpn family not found")
    off, fam, groups = 20, None, {}
    while off < ln:
        alen, atype = struct.unpack_from("HH", data, off)
        if atype == 1:  # CTRL_ATTR_FAMILY_ID
            fam = struct.unpack_from("H", data, off + 4)[0]
        if atype & 0x3fff == 7:  # CTRL_ATTR_MCAST_GROUPS
            goff = off + 4
            while goff < off + alen:
                glen = struct.unpack_from("H", data, goff)[0]
                grp = decode(data[goff + 4:goff + glen],
                             {1: ("name", "str"), 2: ("id", "u32")})
                groups[grp.get("name")] = grp.get("id")
                goff += (glen + 3) & ~3
        off += (alen + 3) & ~3
    if fam is None:
        raise SystemExit("no family id")
    return fam, groups


def monitor(s, groups):
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, groups["events"])
    print("ready", flush=True)
    while True:
        data = recv(s)
        off = 0
        while off + 16 <= len(data):
            ln = struct.unpack_from("I", data, off)[0]
            print(message_json(data, off, ln), flush=True)
            off += (ln + 3) & ~3


def serve():
    for line in sys.stdin:
        try:
            main(["genl_raw.py"] + shlex.split(line))
        except (Exception, SystemExit) as e:  # one bad request, not the end
            print("error=%s" % e)
        print("--end--", flush=True)
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    show = argv[1] == "-p"
    if show:
        argv = argv[1:]
    if argv[1] == "--serve":
        return serve()
    if argv[1] == "--monitor":
        s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        s.bind((0, 0))
        _, groups = resolve(s)
        monitor(s, groups)
        return 0
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    s.bind((0, 0))
    fam, _ = resolve(s)
    if argv[1] == "--fill":
        return fill(s, fam)
    err, msg = one(s, fam, argv[1:], show)
    print("errno=%d msg=%s" % (err, msg))
    return 0


def one(s, fam, args, show=False):
    """One request on socket s; returns (errno, extack message)."""
    cmd = int(args[0], 0)
    rest = args[1:]
    flags = 0
    if rest and rest[0].startswith("0x"):
        flags = int(rest.pop(0), 0)
    ans = request(s, fam, cmd, flags, b"".join(attr(a) for a in rest), 2,
                  show)
    err = -struct.unpack_from("i", ans, 16)[0]
    msg = ""
    ln, typ = struct.unpack_from("IH", ans)
    capped = struct.unpack_from("H", ans, 6)[0] & 0x100  # NLM_F_CAPPED
    # The request is echoed whole unless the ack says it is capped; a
    # dump's DONE carries no request.
    if typ == NLMSG_DONE:
        off = 20
    else:
        off = 20 + (16 if capped else struct.unpack_from("I", ans, 20)[0])
    while off + 4 <= ln:
        alen, atype = struct.unpack_from("HH", ans, off)
        if alen < 4:
            break
        if atype == NLMSGERR_ATTR_MSG:
            msg = ans[off + 4:off + alen].rstrip(b"\0").decode()
        off += (alen + 3) & ~3
    return err, msg


def fill(s, fam):
    """--fill: the requests of stdin on one socket until one fails; prints
    only "done=N" or "done=N errno=E msg=M", so that memory near a memory
    cgroup's limit is not needed for output."""
    done = 0
    for line in sys.stdin:
        err, msg = one(s, fam, shlex.split(line))
        if err:
            print("done=%d errno=%d msg=%s" % (done, err, msg), flush=True)
            return 1
        done += 1
    print("done=%d" % done, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
