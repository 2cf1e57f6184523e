#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Spokes behind NAT (nftables masquerade in the underlay, and the input
# filter of a home router: nothing unsolicited reaches the NAT itself),
# with dmvpnd on every site. Spoke A sits behind one NAT, spoke B behind
# another, spoke C has a public address. The hub registers each at its
# address after NAT and tells it so (Cisco NAT extension); resolution
# carries that address, so that A and C, and A and B, end up with direct
# tunnels through their NATs: the hub stops carrying their traffic, and
# the captures on both sides of each NAT show the tunnel packets
# rewritten on the way. (Two spokes behind one NAT address cannot both
# reach the hub with plain GRE: without ports, masquerade has one mapping
# per remote address. That case, which keeps their traffic on the hub,
# waits for IPsec's NAT traversal; the unit tests cover it.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
require_dmvpn
require_dmvpnd
require nft tcpdump tshark

HOLD=60
NAT_A=198.51.100.5 # NAT A's public address
NAT_B=198.51.100.9
C_NBMA=198.51.100.13
A_TUN=192.0.2.11 B_TUN=192.0.2.12 C_TUN=192.0.2.13

topology() {
	setup_ns UL HUB NA NB A B C || return 1
	link_pair "$HUB" eth0 $HUB_NBMA/30 "$UL" hub 198.51.100.2/30 &&
	link_pair "$NA" wan $NAT_A/30 "$UL" na 198.51.100.6/30 &&
	link_pair "$NB" wan $NAT_B/30 "$UL" nb 198.51.100.10/30 &&
	link_pair "$C" eth0 $C_NBMA/30 "$UL" c 198.51.100.14/30 &&
	link_pair "$A" eth0 10.1.0.2/30 "$NA" lan-a 10.1.0.1/30 &&
	link_pair "$B" eth0 10.2.0.2/30 "$NB" lan 10.2.0.1/30 || return 1
	ip -n "$HUB" route add default via 198.51.100.2
	ip -n "$NA" route add default via 198.51.100.6
	ip -n "$NB" route add default via 198.51.100.10
	ip -n "$C" route add default via 198.51.100.14
	ip -n "$A" route add default via 10.1.0.1
	ip -n "$B" route add default via 10.2.0.1
	nat_router "$NA" && nat_router "$NB" || return 1
	add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
	add_dmvpn "$A" 10.1.0.2 $A_TUN/32 &&
	add_dmvpn "$B" 10.2.0.2 $B_TUN/32 &&
	add_dmvpn "$C" $C_NBMA $C_TUN/32 || return 1
	config_set "$HUB" hub $HOLD || return 1
	local s
	for s in "$A" "$B" "$C"; do
		# The nexthop is the destination itself, so it can be resolved.
		ip -n "$s" route add 192.0.2.0/24 dev dmvpn0
		config_set "$s" spoke $HOLD && nhs_add "$s" $HUB_NBMA $HUB_TUN ||
			return 1
	done
}
topology || { echo "# setup failed"; exit 1; }

cap_out_a=$(mktemp --suffix=.pcap) cap_in_a=$(mktemp --suffix=.pcap)
cap_out_b=$(mktemp --suffix=.pcap) cap_in_b=$(mktemp --suffix=.pcap)
cap_start "$NA" wan "$cap_out_a" && cap_start "$NA" lan-a "$cap_in_a" &&
cap_start "$NB" wan "$cap_out_b" && cap_start "$NB" lan "$cap_in_b" || exit 1

for s in "$HUB" "$A" "$B" "$C"; do
	start_dmvpnd "$s"
done

check "the hub registers A at NAT A's address, B at NAT B's" \
	busywait 30000 bash -c \
	"entry_has $HUB $A_TUN dynamic $NAT_A nat &&
	 entry_has $HUB $B_TUN dynamic $NAT_B nat &&
	 entry_has $HUB $C_TUN dynamic $C_NBMA registered"
check "C, with a public address, is not marked NAT" \
	bash -c "! entry_has $HUB $C_TUN dynamic $C_NBMA nat"
check "A learns its address after NAT from the hub" \
	busywait 10000 log_has "$A" "our address there is $NAT_A"
check "B learns its own" \
	busywait 10000 log_has "$B" "our address there is $NAT_B"
check "C hears of no NAT" bash -c "! log_has $C 'behind NAT'"

# hub_data: data packets the hub received (all it received but NHRP).
hub_data() {
	echo $(($(dm_stat "$HUB" dmvpn0 rx_packets) - $(dm_stat "$HUB" dmvpn0 rx_nhrp)))
}

# shortcut FROM FROM_TUN TO TO_TUN FROM_SEEN TO_SEEN: FROM pings TO until
# both hold a direct entry for the other at its address after NAT; then
# five pings more cross without the hub.
shortcut() {
	local from=$1 from_tun=$2 to=$3 to_tun=$4 from_seen=$5 to_seen=$6 pid h0
	n "$from" ping -q -i 0.2 -c 150 -W 1 "$to_tun" >/dev/null 2>&1 &
	pid=$!
	busywait 30000 bash -c \
		"entry_has $from $to_tun dynamic $to_seen &&
		 entry_has $to $from_tun dynamic $from_seen" || {
		kill $pid 2>/dev/null
		log "no shortcut between $from_tun and $to_tun:"
		dm "$from" map show dev dmvpn0 | sed 's/^/#   /'
		dm "$to" map show dev dmvpn0 | sed 's/^/#   /'
		return 1
	}
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	# The first packets of each way may have met a NAT that had not yet
	# seen the other side send: now both have.
	busywait 10000 ping_ok "$from" "$to_tun" || return 1
	h0=$(hub_data)
	n "$from" ping -q -c 5 -i 0.2 -W 2 "$to_tun" >/dev/null 2>&1 || {
		log "pings over the shortcut were lost"
		return 1
	}
	[ $(($(hub_data) - h0)) -lt 5 ] || {
		log "the hub still carried $(($(hub_data) - h0)) packets"
		return 1
	}
}

check "A (behind NAT) and C (public) reach each other directly" \
	shortcut "$A" $A_TUN "$C" $C_TUN $NAT_A $C_NBMA
check "A and B (behind two NATs) reach each other directly" \
	shortcut "$A" $A_TUN "$B" $B_TUN $NAT_A $NAT_B

for f in "$cap_out_a" "$cap_in_a" "$cap_out_b" "$cap_in_b"; do
	cap_stop "$f"
done

# gre_pairs FILE: the outer "src>dst" pairs of the GRE data packets (not
# NHRP) in FILE, one per line, sorted and unique.
gre_pairs() {
	tshark -n -r "$1" -Y 'gre.proto != 0x2001' -T fields -e ip.src \
		-e ip.dst -E occurrence=f 2>/dev/null |
		awk '{ print $1 ">" $2 }' | sort -u
}
pairs_out_a=$(gre_pairs "$cap_out_a")
pairs_in_a=$(gre_pairs "$cap_in_a")
pairs_out_b=$(gre_pairs "$cap_out_b")
pairs_in_b=$(gre_pairs "$cap_in_b")
has_pair() { grep -qx "$2" <<<"$1"; }
check "inside NAT A: A tunnels to C from its own address" \
	has_pair "$pairs_in_a" "10.1.0.2>$C_NBMA"
check "outside NAT A: the same tunnel from NAT A's address" \
	has_pair "$pairs_out_a" "$NAT_A>$C_NBMA"
check "outside NAT A: C tunnels back to NAT A's address" \
	has_pair "$pairs_out_a" "$C_NBMA>$NAT_A"
check "inside NAT A: and reaches A" has_pair "$pairs_in_a" "$C_NBMA>10.1.0.2"
check "outside NAT B: A's tunnel arrives from NAT A at NAT B" \
	has_pair "$pairs_out_b" "$NAT_A>$NAT_B"
check "inside NAT B: and reaches B" has_pair "$pairs_in_b" "$NAT_A>10.2.0.2"
check "inside NAT B: B tunnels to NAT A from its own address" \
	has_pair "$pairs_in_b" "10.2.0.2>$NAT_A"
check "no private address leaves either NAT" \
	bash -c "! grep -qE '(^|[> ])10\\.' <<<\"\$1\"" _ "$pairs_out_a $pairs_out_b"
# A's resolution requests carry its address after NAT.
nat_cies=$(nhrp_fields "$cap_in_a" "nhrp.hdr.op.type == 1" \
	nhrp.client.nbma.addr)
check "A's resolution requests name its address after NAT" \
	grep -q "$NAT_A" <<<"$nat_cies"
check "every NHRP packet inside NAT A decodes cleanly in tshark" \
	nhrp_check "$cap_in_a"
check "every NHRP packet outside NAT B decodes cleanly in tshark" \
	nhrp_check "$cap_out_b"
rm -f "$cap_out_a" "$cap_in_a" "$cap_out_b" "$cap_in_b"
finish
