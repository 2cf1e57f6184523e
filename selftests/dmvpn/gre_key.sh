#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# GRE keys: a packet with another key is not taken by dmvpn (counted as a
# key mismatch on the device with that local address), and ordinary ip_gre
# tunnels keep working beside dmvpn in the same namespace. Captured
# packets must decode in tshark as GRE with key 42 and the right protocol.
source "$(dirname "$0")/lib.sh"
require jq tcpdump tshark
require_dmvpn
modprobe ip_gre 2>/dev/null || skip "ip_gre not available"
setup_cloud || { echo "# setup failed"; exit 1; }

# A second cloud on spoke 1 with key 43: the hub has no such device.
ip -n "$S1" link add dmvpn43 type dmvpn local $S1_NBMA key 43
ip -n "$S1" addr add 192.0.2.111/32 dev dmvpn43
ip -n "$S1" link set dmvpn43 up
ip -n "$S1" route add 192.0.2.1/32 dev dmvpn43 table 43
ip -n "$S1" rule add from 192.0.2.111 table 43
dm "$S1" map add $HUB_TUN nbma $HUB_NBMA dev dmvpn43
mism=$(dm_stat "$HUB" dmvpn0 rx_key_mismatch)
check_fail "a packet with key 43 gets no answer" \
	ping_ok "$S1" -I 192.0.2.111 $HUB_TUN
check "the hub counted a key mismatch" \
	test "$(dm_stat "$HUB" dmvpn0 rx_key_mismatch)" -gt "$mism"
check "the key-43 device sent it" \
	test "$(dm_stat "$S1" dmvpn43 tx_packets)" -ge 1

# For the hub's (local, key): a bad checksum is counted as malformed and
# dropped; a payload type dmvpn does not carry is not dmvpn's (it goes on
# to ip_gre, see rx_tunnel.sh) and is not counted.
bad=$(dm_stat "$HUB" dmvpn0 rx_malformed)
n "$S1" python3 "$(dirname "$0")/gre_send.py" $HUB_NBMA 42 0x0800 badsum
check "a bad checksum counts as malformed" \
	busywait 3000 stat_gt "$HUB" dmvpn0 rx_malformed "$bad"
n "$S1" python3 "$(dirname "$0")/gre_send.py" $HUB_NBMA 42 0x1234
check "an unknown payload does not" \
	test "$(dm_stat "$HUB" dmvpn0 rx_malformed)" -eq $((bad + 1))

# Same local address, different keys: two devices, both work.
check_fail "a duplicate (local, key) is refused" \
	ip -n "$S1" link add dup0 type dmvpn local $S1_NBMA key 42

# ip_gre beside dmvpn: a point-to-point tunnel between hub and spoke 1.
ip -n "$HUB" tunnel add gre7 mode gre local $HUB_NBMA remote $S1_NBMA key 7
ip -n "$S1" tunnel add gre7 mode gre local $S1_NBMA remote $HUB_NBMA key 7
ip -n "$HUB" addr add 198.18.0.1 peer 198.18.0.2 dev gre7
ip -n "$S1" addr add 198.18.0.2 peer 198.18.0.1 dev gre7
ip -n "$HUB" link set gre7 up
ip -n "$S1" link set gre7 up
check "ip_gre tunnel works beside dmvpn" ping_ok "$S1" 198.18.0.1
check "dmvpn still works beside ip_gre" ping_ok "$S1" $HUB_TUN

# What goes on the wire.
pcap=$(mktemp --suffix=.pcap)
n "$HUB" tcpdump -U -q -i eth0 -w "$pcap" 'ip proto 47' 2>/dev/null &
cap=$!
busywait 3000 test -s "$pcap"
ping_ok "$S1" -c 2 $HUB_TUN
ping_ok "$S1" 198.18.0.1
sleep 0.3
kill $cap; wait $cap 2>/dev/null
# One tshark pass (slow in a VM): GRE key and protocol, whether the packet
# is ICMP, and its malformed and expert marks.
pkts=$(tshark -r "$pcap" -T fields -E separator='|' -e gre.key -e gre.proto \
	-e icmp.type -e _ws.malformed -e _ws.expert.severity 2>/dev/null)
log "captured (key|proto|icmp type): $(cut -d'|' -f1-3 <<<"$pkts" | sort | uniq -c | xargs)"
# count AWK_CONDITION: how many captured packets match (fields $1..$5).
count() { awk -F'|' "$1 { n++ } END { print n + 0 }" <<<"$pkts"; }
check "dmvpn packets decode as GRE key 42 IPv4" \
	test "$(count '$1 == "0x0000002a" && $2 == "0x0800" && $3 != ""')" -ge 2
check "ip_gre packets decode as GRE key 7" \
	test "$(count '$1 == "0x00000007" && $3 != ""')" -ge 2
# Wireshark's PI_ERROR (epan/proto.h) and above.
check "no malformed packets" test "$(awk -F'|' '{
		bad = $4 != ""
		n = split($5, sev, ",")
		for (i = 1; i <= n; i++)
			if (sev[i] + 0 >= 8388608)
				bad = 1
		c += bad
	} END { print c + 0 }' <<<"$pkts")" -eq 0
rm -f "$pcap"

# fwmark (L4): the outer packets carry the device's mark, and the underlay
# route lookup uses it: a rule for the mark that blackholes the hub's NBMA
# address stops the traffic, and without the mark nothing changes.
if command -v nft >/dev/null; then
	n "$S1" nft add table ip mk
	n "$S1" nft add chain ip mk out '{ type filter hook output priority 0; }'
	n "$S1" nft add rule ip mk out meta mark 0x7 ip protocol gre counter
	marked() {
		n "$S1" nft -j list chain ip mk out |
			jq '[.nftables[] | .rule? // empty | .expr[] |
			     .counter? // empty | .packets] | add // 0'
	}
	ip -n "$S1" link set dmvpn0 type dmvpn fwmark 7
	check "fwmark shows in the link details" \
		test "$(ip -n "$S1" -d -j link show dmvpn0 |
			jq -r '.[0].linkinfo.info_data.fwmark')" = 0x7
	check "marked, spoke 1 still reaches the hub" ping_ok "$S1" $HUB_TUN
	check "its GRE carries the mark" test "$(marked)" -ge 1
	ip -n "$S1" route add blackhole $HUB_NBMA table 77
	ip -n "$S1" rule add fwmark 7 table 77
	check_fail "a rule for the mark decides the underlay route" \
		ping_ok "$S1" $HUB_TUN
	ip -n "$S1" link set dmvpn0 type dmvpn fwmark 0
	check "without the mark the rule does not apply" ping_ok "$S1" $HUB_TUN
else
	log "nft not installed: fwmark not checked"
fi
finish
