#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Multicast and broadcast from the hub are replicated to every entry of
# the multicast map, and only to those: seen in each spoke's underlay
# capture (tshark) and in the per-entry counters.
source "$(dirname "$0")/lib.sh"
require jq tcpdump tshark
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }

dm "$HUB" mcast add $S1_NBMA dev dmvpn0
dm "$HUB" mcast add $S2_NBMA dev dmvpn0
check "the multicast map lists both spokes" \
	test "$(dm "$HUB" -j mcast show dev dmvpn0 | jq length)" -eq 2
check_fail "a duplicate multicast entry is refused" \
	dm "$HUB" mcast add $S2_NBMA dev dmvpn0

declare -A pcap cap dsts
for s in "$S1" "$S2"; do
	pcap[$s]=$(mktemp --suffix=.pcap)
	n "$s" tcpdump -U -q -i eth0 -w "${pcap[$s]}" 'ip proto 47' 2>/dev/null &
	cap[$s]=$!
	busywait 3000 test -s "${pcap[$s]}"
done
# OSPF's AllSPFRouters and the limited broadcast.
n "$HUB" ping -q -c 3 -i 0.2 -W 1 -I dmvpn0 224.0.0.5 >/dev/null 2>&1
n "$HUB" ping -q -b -c 2 -i 0.2 -W 1 -I dmvpn0 255.255.255.255 >/dev/null 2>&1
dm "$HUB" mcast del $S2_NBMA dev dmvpn0
n "$HUB" ping -q -c 4 -i 0.2 -W 1 -I dmvpn0 224.0.0.6 >/dev/null 2>&1
sleep 0.3
for s in "$S1" "$S2"; do
	kill "${cap[$s]}"
	wait "${cap[$s]}" 2>/dev/null
done

# One tshark pass per capture (slow in a VM): the GRE key and the inner
# destination of each packet.
for s in "$S1" "$S2"; do
	dsts[$s]=$(tshark -r "${pcap[$s]}" -T fields -E occurrence=l \
		-e gre.key -e ip.dst 2>/dev/null)
done
# count NS DST: packets with key 42 to DST in NS's capture.
count() {
	awk -v d="$2" '$1 == "0x0000002a" && $2 == d { n++ } END { print n + 0 }' \
		<<<"${dsts[$1]}"
}
check "spoke 1 got the 3 copies for 224.0.0.5" \
	test "$(count "$S1" 224.0.0.5)" -eq 3
check "spoke 2 got the 3 copies for 224.0.0.5" \
	test "$(count "$S2" 224.0.0.5)" -eq 3
check "both got the broadcasts" \
	test "$(count "$S1" 255.255.255.255)" -eq 2 -a \
	"$(count "$S2" 255.255.255.255)" -eq 2
check "after removal only spoke 1 gets 224.0.0.6" \
	test "$(count "$S1" 224.0.0.6)" -eq 4 -a \
	"$(count "$S2" 224.0.0.6)" -eq 0
check "spoke 1's multicast entry counted at least 9 packets" \
	test "$(dm "$HUB" -j mcast show dev dmvpn0 |
		jq -r ".[] | select(.nbma == \"$S1_NBMA\") | .packets")" -ge 9
check "the spoke's device received them" \
	test "$(dm_stat "$S1" dmvpn0 rx_packets)" -ge 9
rm -f "${pcap[@]}"
finish
