#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Receiving like a tunnel: dmvpn takes only the GRE it carries and only
# while it is up (the rest goes on to ip_gre); a gretap on dmvpn's own
# local address and key works beside it, a point-to-point ip_gre tunnel
# there is refused (or dmvpn is); checksummed GRE from an ip_gre
# peer and bulk TCP that the underlay's GRO merged are decapsulated with
# nothing counted as malformed.
source "$(dirname "$0")/lib.sh"
require jq iperf3 ethtool tcpdump
require_dmvpn
modprobe ip_gre 2>/dev/null || skip "ip_gre not available"
setup_cloud || { echo "# setup failed"; exit 1; }
malformed() { dm_stat "$1" dmvpn0 rx_malformed; }
# out_unreach NS: ICMP destination unreachables NS has sent.
out_unreach() { icmp_stat "$1" OutDestUnreachs; }
# tcp_bytes NS SERVER [iperf3 args]: bytes an iperf3 server at SERVER got
# from NS in 2 s; the server in SERVER's namespace must be listening.
tcp_bytes() {
	local ns=$1 server=$2
	shift 2
	iperf_client "$ns" "$server" 2 "$@" | jq -r '.end.sum_received.bytes // 0'
}

# ---- a gretap on the hub's and spoke 1's (local address, key)
ip -n "$HUB" link add tap42 type gretap local $HUB_NBMA remote $S1_NBMA key $KEY
ip -n "$S1" link add tap42 type gretap local $S1_NBMA remote $HUB_NBMA key $KEY
ip -n "$HUB" addr add 198.18.1.1/24 dev tap42
ip -n "$S1" addr add 198.18.1.2/24 dev tap42
ip -n "$HUB" link set tap42 up
ip -n "$S1" link set tap42 up
m0=$(malformed "$HUB")
check "a gretap on dmvpn's local address and key works beside it" \
	busywait 5000 ping_ok "$S1" 198.18.1.1
check "and dmvpn beside the gretap" ping_ok "$S1" $HUB_TUN
check "dmvpn took none of the gretap's frames" test "$(malformed "$HUB")" -eq "$m0"

# ---- the same framing both ways: on dmvpn0, IP packets start at their
# (inner) IP header, received and sent alike; only NHRP keeps the outer one
sniff=$(mktemp)
n "$HUB" python3 - dmvpn0 >"$sniff" 2>&1 <<'EOF' &
import socket
import sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((sys.argv[1], 0))
s.settimeout(10)
print("ready", flush=True)
seen = set()
try:
    while len(seen) < 2:
        data, addr = s.recvfrom(4096)
        if len(data) > 20 and data[0] == 0x45 and data[9] == 1:
            way = "out" if addr[2] == socket.PACKET_OUTGOING else "in"
            seen.add("%s:%d" % (way, data[20]))
except socket.timeout:
    pass
print(" ".join(sorted(seen)), flush=True)
EOF
sniffer=$!
busywait 10000 grep -qx ready "$sniff"
ping_ok "$S1" $HUB_TUN
wait $sniffer
check "an echo request in and its reply out, both from the inner IP header" \
	test "$(tail -n 1 "$sniff")" = "in:8 out:0"
rm -f "$sniff"

# ---- a point-to-point ip_gre tunnel on dmvpn's (local address, key)
# would be more specific than dmvpn for its remote, but dmvpn's hook comes
# first: the two are refused together, in either order.
check_fail "an ip_gre tunnel on the hub's local address and key is refused" \
	ip -n "$HUB" link add g42 type gre local $HUB_NBMA remote $S1_NBMA key $KEY
check_fail "also with any local address and a remote (ip tunnel add)" \
	ip -n "$HUB" tunnel add g42 mode gre remote $S1_NBMA key $KEY
check "a gre tunnel with another key is not" \
	ip -n "$HUB" link add g43 type gre local $HUB_NBMA remote $S1_NBMA key 43
setup_ns X
ip -n "$X" link add ul0 type dummy
ip -n "$X" addr add 198.51.100.77/24 dev ul0
ip -n "$X" link add g42 type gre local 198.51.100.77 remote 198.51.100.78 key $KEY
out=$(ip -n "$X" link add dmvpn0 type dmvpn local 198.51.100.77 key $KEY 2>&1)
check "dmvpn on an ip_gre tunnel's local address and key is refused, saying why" \
	grep -q "an ip_gre tunnel receives GRE for this local address and key" <<<"$out"
check "and was not created" test -z "$(ip -n "$X" link show dmvpn0 2>/dev/null)"
check "dmvpn with another key is fine there" \
	ip -n "$X" link add dmvpn0 type dmvpn local 198.51.100.77 key 43

# ---- a device that is down takes nothing: ip_gre answers for it
rx0=$(dm_stat "$HUB" dmvpn0 rx_packets)
u0=$(out_unreach "$HUB")
ip -n "$HUB" link set dmvpn0 down
check_fail "no answer while the hub's dmvpn0 is down" ping_ok "$S1" $HUB_TUN
check "the hub's dmvpn0 received nothing" \
	test "$(dm_stat "$HUB" dmvpn0 rx_packets)" -eq "$rx0"
check "ip_gre got the packet and, having no tunnel for it, said so" \
	test "$(out_unreach "$HUB")" -gt "$u0"
ip -n "$HUB" link set dmvpn0 up
ip -n "$HUB" route add $S2_LAN via $S2_TUN dev dmvpn0 2>/dev/null
check "it takes its packets again once up" busywait 5000 ping_ok "$S1" $HUB_TUN

# ---- checksummed GRE from an ip_gre peer
# S3 runs no dmvpn: a plain ip_gre tunnel to the hub with dmvpn's key that
# checksums what it sends (ocsum), TCP included (checksum offload: the
# inner checksum is filled in only later, so it must not be summed).
setup_ns S3
link_pair "$S3" eth0 198.51.100.13/30 "$UL" s3 198.51.100.14/30
ip -n "$S3" route add default via 198.51.100.14
ip -n "$S3" link add g42 type gre local 198.51.100.13 remote $HUB_NBMA \
	key $KEY ocsum
ip -n "$S3" addr add 192.0.2.13/32 dev g42
ip -n "$S3" link set g42 up
ip -n "$S3" route add $HUB_TUN/32 dev g42
dm "$HUB" map add 192.0.2.13 nbma 198.51.100.13 dev dmvpn0
m0=$(malformed "$HUB")
check "ip_gre's checksummed GRE reaches dmvpn" busywait 5000 ping_ok "$S3" $HUB_TUN
iperf_server "$HUB" $HUB_TUN
got=$(tcp_bytes "$S3" $HUB_TUN)
log "TCP from the checksumming peer: $got bytes"
check "TCP from the checksumming peer gets through" test "${got%.*}" -gt 100000
check "none of it counted as malformed" test "$(malformed "$HUB")" -eq "$m0"

# ---- bulk TCP spoke 1 -> hub -> spoke 2, merged by GRO on the hub's underlay
n "$HUB" ethtool -K eth0 gro on >/dev/null 2>&1 ||
	log "cannot turn GRO on on the hub's veth"
m_hub=$(malformed "$HUB") m_s2=$(malformed "$S2")
# The headers of spoke 1's GRE as the hub's stack got it, after GRO.
gro=$(mktemp --suffix=.pcap)
# Not through n(): $! must be tcpdump's own pid for the SIGINT below.
ip netns exec "$HUB" tcpdump -U -n -s 96 -i eth0 -w "$gro" \
	"ip proto 47 and src host $S1_NBMA" 2>/dev/null &
dump=$!
busywait 20000 test -s "$gro"
iperf_server "$S2" $S2_TUN
got=$(tcp_bytes "$S1" $S2_TUN -P 4)
kill -INT $dump
wait $dump
log "TCP spoke 1 -> hub -> spoke 2: $got bytes"
check "bulk TCP through the hub gets through" test "${got%.*}" -gt 300000
merged=$(tcpdump -r "$gro" -n 'greater 1600' 2>/dev/null | wc -l)
log "GRE packets from spoke 1 longer than the MTU once received: $merged"
check "the hub's underlay merged spoke 1's GRE (GRO)" test "$merged" -gt 0
rm -f "$gro"
check "nothing malformed at the hub or spoke 2" \
	test "$(malformed "$HUB")/$(malformed "$S2")" = "$m_hub/$m_s2"
finish
