#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dmvpnd Phase 2: spoke 1 pings spoke 2 continuously. The first packets
# go through the hub (the kernel sends unresolved traffic to the NHS and
# reports a MISS), dmvpnd resolves spoke 2 through the hub, and the rest
# go direct: the hub stops seeing them, spoke 1 holds a dynamic entry with
# spoke 2's NBMA address, and no ping is lost on the way. When the pings
# stop the entry ages out. Every NHRP packet on the underlay must decode
# cleanly in Wireshark (checksum good, nothing malformed, no expert
# warning).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
require_dmvpn
require_dmvpnd
require tcpdump tshark
setup_cloud || { echo "# setup failed"; exit 1; }

HOLD=20
dm "$HUB" map flush dev dmvpn0
for s in "$S1" "$S2"; do
	dm "$s" map flush dev dmvpn0
	# The nexthop is the destination itself, so it can be resolved.
	ip -n "$s" route replace 192.0.2.0/24 dev dmvpn0
done
pcap=$(mktemp --suffix=.pcap)
cap_start "$UL" any "$pcap" || exit 1

config_set "$HUB" hub $HOLD || { echo "# config failed"; exit 1; }
for s in "$S1" "$S2"; do
	config_set "$s" spoke $HOLD && nhs_add "$s" $HUB_NBMA $HUB_TUN ||
		{ echo "# config failed"; exit 1; }
done
start_dmvpnd "$HUB"
start_dmvpnd "$S1"
start_dmvpnd "$S2"
check "both spokes registered" busywait 20000 bash -c \
	"entry_has $HUB $S1_TUN dynamic $S1_NBMA registered &&
	 entry_has $HUB $S2_TUN dynamic $S2_NBMA registered"
check "spoke 1 has no entry for spoke 2 yet" entry_gone "$S1" $S2_TUN

hub_rx0=$(dm_stat "$HUB" dmvpn0 rx_packets)
pings=$(mktemp)
n "$S1" ping -i 0.1 -c 200 -W 1 $S2_TUN >"$pings" 2>&1 &
ping_pid=$!
check "the first packets go through the hub" \
	busywait 10000 stat_gt "$HUB" dmvpn0 rx_packets $((hub_rx0 + 2))
check "spoke 1 sent via the NHS while unresolved" \
	busywait 5000 stat_gt "$S1" dmvpn0 tx_via_nhs 0
check "spoke 1 resolves spoke 2 to its NBMA address" \
	busywait 15000 entry_has "$S1" $S2_TUN dynamic $S2_NBMA
check "spoke 2 resolves spoke 1 (return path)" \
	busywait 15000 entry_has "$S2" $S1_TUN dynamic $S1_NBMA
used0=$(entry_field "$S1" $S2_TUN packets)
hub_data=$(rx_data "$HUB")
check "pings now use the direct entry" \
	busywait 10000 bash -c "[ \$(entry_field $S1 $S2_TUN packets) -ge $((used0 + 30)) ]"
# Registration refreshes still reach the hub; data packets must not (a
# spoke's IPv6 router solicitation may: multicast).
hub_data=$(($(rx_data "$HUB") - hub_data))
check "the hub no longer carries them ($hub_data data packets)" \
	test $hub_data -le 2
wait $ping_pid
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$pings")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$pings")
check "no ping lost during the switch ($got/$sent)" \
	test -n "$sent" -a "$sent" = "$got"
check "dmvpnd logged the resolution" \
	log_has "$S1" "resolved $S2_TUN nbma $S2_NBMA"

check "the idle entry ages out" \
	busywait $(((2 * HOLD + 10) * 1000)) entry_gone "$S1" $S2_TUN
cap_stop "$pcap"
check "every NHRP packet decodes cleanly in tshark" nhrp_check "$pcap"
check "no malformed packet or expert warning on the underlay" \
	test -z "$(tshark -n -r "$pcap" \
		-Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null)"
log "NHRP on the wire: $(nhrp_summary "$pcap")"
check "resolution requests and replies were on the wire" \
	test "$(nhrp_count "$pcap" 1)" -ge 1 -a "$(nhrp_count "$pcap" 2)" -ge 1
check "registration requests and replies were on the wire" \
	test "$(nhrp_count "$pcap" 3)" -ge 2 -a "$(nhrp_count "$pcap" 4)" -ge 2
rm -f "$pings" "$pcap" "$pcap.types"
finish
