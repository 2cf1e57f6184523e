#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interoperability with FRR's nhrpd (zebra + nhrpd on a stock ip_gre device)
# on lib.sh's underlay (hub 198.51.100.1, spokes .5 and .9, GRE key 42,
# overlay 192.0.2.0/24).
#
# Part 0: FRR hub and FRR spoke (the harness itself: registration, ping,
# every NHRP packet decodes cleanly in tshark).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_frr.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump tshark
require_frr
[ "$(id -u)" -eq 0 ] || skip "needs root"
modprobe ip_gre 2>/dev/null

WORK=$(mktemp -d)
trap 'frr_cleanup; cleanup_ns; rm -rf "$WORK"' EXIT

# dump_on_fail NS...: after a failed check, FRR's view for the log.
dump_on_fail() {
	local before=$1 ns
	shift
	[ "$FAILED" -gt "$before" ] || return 0
	for ns in "$@"; do
		frr_dump "$ns"
	done
}

part_frr_only() {
	local failed=$FAILED pcap=$WORK/frr_only.pcap
	log "part 0: FRR hub, FRR spoke"
	setup_underlay || { echo "# setup failed"; exit 1; }
	cap_start "$HUB" eth0 "$pcap" || exit 1
	frr_add_gre "$HUB" $HUB_NBMA $HUB_TUN/32 &&
	frr_add_gre "$S1" $S1_NBMA $S1_TUN/32 || exit 1
	frr_start "$HUB" "$(frr_conf_hub)" &&
	frr_start "$S1" "$(frr_conf_spoke $HUB_NBMA)" || exit 1

	check "FRR spoke: the hub is an NHS, up, its address learnt" \
		busywait 30000 frr_nhs_up "$S1" $HUB_NBMA $HUB_TUN
	check "FRR spoke: cache has the hub as nhs entry" \
		frr_cache_has "$S1" $HUB_TUN $HUB_NBMA nhs
	check "FRR hub: cache has the spoke as dynamic entry" \
		busywait 10000 frr_cache_has "$HUB" $S1_TUN $S1_NBMA dynamic
	check "ping spoke -> hub over the overlay" \
		busywait 10000 ping_ok "$S1" $HUB_TUN
	check "ping hub -> spoke over the overlay" ping_ok "$HUB" $S1_TUN

	cap_stop "$pcap"
	check "every NHRP packet decodes cleanly in tshark" nhrp_check "$pcap"
	log "NHRP seen: $(nhrp_summary "$pcap")"
	check "registration request and reply on the wire" \
		test "$(nhrp_count "$pcap" 3)" -ge 1 -a "$(nhrp_count "$pcap" 4)" -ge 1
	dump_on_fail "$failed" "$HUB" "$S1"
	frr_cleanup
	cleanup_ns
}

part_frr_only
finish
