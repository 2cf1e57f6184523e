#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A protected spoke moves to a new NBMA address, and its SAs move with
# it. The cloud of ipsec_charon.sh (PSK, dmvpnd everywhere); spoke 1
# reaches spoke 2 over a direct SA. Then spoke 2's host loses its
# address at once, as a DHCP or PPP underlay does: its charon dies
# without a word to anyone (no IKE DELETE: the hub and spoke 1 still have
# their SAs with the old address), and the spoke comes back at a new
# address, its device, charon and dmvpnd made again there, registering
# without "unique" (Cisco's "registration no-unique"). Nothing but
# dmvpnd ends the SAs with the old address: the hub's once spoke 2's new
# registration replaces the old binding, spoke 1's once its refresh of
# the used shortcut learns the new address; each dmvpnd ends the
# IKE_SA that no entry leads to any more. Spoke 1 then reaches spoke 2
# over a new direct SA with the new address. A capture of every
# underlay link, all test long, holds no GRE in clear.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
source "$(dirname "$0")/lib_charon.sh"
source "$(dirname "$0")/lib_ipsec.sh"
require_dmvpn
require_dmvpnd
require_charon
require tcpdump
ipsec_cloud || { echo "# setup failed"; exit 1; }
# A spoke whose address may change registers so from the start: the hub
# keeps a unique binding from any other address until it expires.
dm "$S2" config set dev dmvpn0 no-unique || { echo "# setup failed"; exit 1; }
# While spoke 2 is away, what is sent to its old address meets no
# host: the router answers with an unreachable quoting the ESP or IKE
# packet (its inner protocol at ICMP byte 17, its UDP port at 30).
IPSEC_IKE_REFUSED='icmp[0] == 3 and (icmp[17] == 50 or (icmp[17] == 17 and (icmp[30:2] == 500 or icmp[30:2] == 4500)))'
ipsec_capture || exit 1

PSK=dmvpn-charon-test-key
ipsec_charons psk "$PSK" || { echo "# charon setup failed"; exit 1; }
spokes_registered
spoke_to_spoke

# Spoke 1 keeps sending to spoke 2, so its shortcut is used and
# refreshed (dmvpnd asks again a sixth of the holding time before the
# end), not left to expire.
PINGS=$(mktemp)
ip netns exec "$S1" ping -q -i 0.2 -W 1 $S2_TUN >"$PINGS" 2>&1 &
PING_PID=$!

S2_NBMA2=198.51.100.25
T_MOVE=$(date +%s)
kill -KILL "${CHARON_PID[$S2]}"
wait "${CHARON_PID[$S2]}" 2>/dev/null
unset "CHARON_PID[$S2]"
rm -f "$(charon_dir "$S2")/run/charon.pid"
stop_dmvpnd "$S2"
# What the dead charon left in the kernel goes with the old address.
ip -n "$S2" xfrm state flush
ip -n "$S2" xfrm policy flush
ip -n "$S2" link del dmvpn0
ip -n "$S2" addr del $S2_NBMA/30 dev eth0
ip -n "$UL" addr del 198.51.100.10/30 dev s2
ip -n "$S2" addr add $S2_NBMA2/30 dev eth0
ip -n "$UL" addr add 198.51.100.26/30 dev s2
ip -n "$S2" route replace default via 198.51.100.26
check "the hub still has its SA with spoke 2's old address (no DELETE)" \
	charon_sa_up "$HUB" $S2_NBMA
check "spoke 1 too" charon_sa_up "$S1" $S2_NBMA

add_dmvpn "$S2" $S2_NBMA2 $S2_TUN/32 protect require &&
ip -n "$S2" route add $HUB_TUN/32 dev dmvpn0 &&
ip -n "$S2" route add 192.0.2.0/24 dev dmvpn0 &&
dm "$S2" config set dev dmvpn0 role spoke network-id 1 \
	holdtime $IPSEC_HOLD no-unique &&
dm "$S2" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN &&
charon_spoke "$S2" $S2_NBMA2 $HUB_NBMA psk "$PSK" &&
charon_start "$S2" && charon_load "$S2" ||
	{ echo "# spoke 2's move failed"; exit 1; }
start_dmvpnd "$S2" --vici "$(charon_dir "$S2")/charon.vici"

check "spoke 2's SA to the hub is up from its new address" \
	busywait 30000 charon_sa_up "$S2" $HUB_NBMA
check "the hub has spoke 2's new NBMA address" busywait 20000 \
	entry_has "$HUB" $S2_TUN dynamic $S2_NBMA2 registered
check "the hub's dmvpnd ended the IKE_SA with the old address" \
	busywait 10000 log_has "$HUB" "no entry leads to $S2_NBMA: ending IKE_SA"
check "the hub has no SA with it left" busywait 10000 \
	test "$(charon_ike_count "$HUB" $S2_NBMA ESTABLISHED)" -eq 0
check "the hub has one with the new one" charon_sa_up "$HUB" $S2_NBMA2

# The shortcut was made at most a holding time ago.
check "spoke 1's shortcut to spoke 2 has its new address" busywait \
	$((IPSEC_HOLD * 1000 + 10000)) \
	entry_has "$S1" $S2_TUN dynamic $S2_NBMA2
check "spoke 1's dmvpnd ended the IKE_SA with the old address" \
	busywait 10000 log_has "$S1" "no entry leads to $S2_NBMA: ending IKE_SA"
check "spoke 1 has no SA with it left" busywait 10000 \
	test "$(charon_ike_count "$S1" $S2_NBMA ESTABLISHED)" -eq 0
# Until then its pings went to the old address: what a shortcut to a
# moved peer costs until its refresh (as without IPsec).
log "spoke 1's shortcut followed $(($(date +%s) - T_MOVE)) s after the move"
kill -INT "$PING_PID" 2>/dev/null
wait "$PING_PID" 2>/dev/null
log "spoke 1's pings meanwhile: $(grep -m1 transmitted "$PINGS")"
rm -f "$PINGS"
spoke_to_spoke "$S1" "$S2" $S2_TUN $S1_NBMA $S2_NBMA2

ipsec_capture_checks 20
finish
