#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interoperability with FRR's nhrpd (zebra + nhrpd on a stock ip_gre device)
# on lib.sh's underlay (hub 198.51.100.1, spokes .5 and .9, GRE key 42,
# overlay 192.0.2.0/24).
#
# Part 0: FRR hub and FRR spoke (the harness itself: registration, ping,
# every NHRP packet decodes cleanly in tshark).
# Part A: FRR hub, two dmvpn spokes running dmvpnd: registration, ping,
# spoke-to-spoke resolution through the FRR hub (FRR forwards the request
# to the owner, which answers the requester directly).
# Part B: dmvpn hub (dmvpnd), an FRR spoke and a dmvpn spoke: registration,
# ping, our spoke resolves the FRR spoke through our hub. (FRR spokes look
# for a shortcut only on a Traffic Indication, which dmvpnd does not send:
# the FRR spoke's traffic to our spoke keeps going through our hub.)
# Every NHRP packet on the underlay (captured on the router, each packet
# once, as it comes in) must decode cleanly in tshark.
# INTEROP_PARTS="0 A B" selects the parts (default "A B"); INTEROP_DUMP=1
# prints every NHRP packet decoded; failure dumps have FRR's debug logs.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_frr.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump tshark
require_frr
require_dmvpn
modprobe ip_gre 2>/dev/null
DMVPND=${DMVPND:-$DMVPN_ROOT/user/dmvpnd/dmvpnd}
HOLDTIME=600
export FRR_HOLDTIME=$HOLDTIME FRR_DEBUG=1

WORK=$(mktemp -d)
trap 'dmvpnd_stop_all; frr_cleanup; cleanup_ns; rm -rf "$WORK"' EXIT

# dump_on_fail NS...: after a failed check, FRR's view for the log.
dump_on_fail() {
	local before=$1 ns
	shift
	[ "$FAILED" -gt "$before" ] || return 0
	for ns in "$@"; do
		if [ -d "$FRR_RUN/$ns" ]; then
			frr_dump "$ns"
		else
			dmvpn_dump "$ns"
		fi
	done
}

# INTEROP_DUMP=1: every NHRP packet decoded in the output, for debugging.
dump_pcap() {
	[ -n "${INTEROP_DUMP:-}" ] || return 0
	tshark -n -V -r "$1" -Y nhrp 2>/dev/null | sed 's/^/#   /'
}

# --- our side: dmvpn devices and dmvpnd ------------------------------------

declare -A DMVPND_PID=()

# dmvpnd_start NS: dmvpnd for NS's devices, logging to $WORK/dmvpnd-NS.log.
dmvpnd_start() {
	ip netns exec "$1" "$DMVPND" --log-level debug >"$WORK/dmvpnd-$1.log" 2>&1 &
	DMVPND_PID[$1]=$!
}

dmvpnd_stop_all() {
	local ns
	for ns in "${!DMVPND_PID[@]}"; do
		kill "${DMVPND_PID[$ns]}" 2>/dev/null
		wait "${DMVPND_PID[$ns]}" 2>/dev/null
	done
	DMVPND_PID=()
}

# dm_spoke NS NBMA TUN [NHS_PROTO]: a dmvpn spoke whose NHS is the hub at
# HUB_NBMA; without NHS_PROTO it learns the hub's tunnel address from the
# registration reply.
dm_spoke() {
	local ns=$1 nbma=$2 tun=$3 proto=()
	[ -n "${4:-}" ] && proto=(proto "$4")
	add_dmvpn "$ns" "$nbma" "$tun/24" || return 1
	dm "$ns" config set dev dmvpn0 role spoke network-id 1 \
		holdtime $HOLDTIME &&
	dm "$ns" nhs add dev dmvpn0 nbma $HUB_NBMA "${proto[@]}" || return 1
	dmvpnd_start "$ns"
}

dm_hub() {
	local ns=$1
	add_dmvpn "$ns" $HUB_NBMA $HUB_TUN/24 || return 1
	dm "$ns" config set dev dmvpn0 role hub network-id 1 \
		holdtime $HOLDTIME || return 1
	dmvpnd_start "$ns"
}

# dm_has NS PROTO NBMA TYPE [FLAG]: our cache has PROTO -> NBMA of TYPE
# (with FLAG).
dm_has() {
	dm "$1" -j cache show dev dmvpn0 | jq -e --arg p "$2" --arg n "$3" \
		--arg t "$4" --arg f "${5:-}" \
		'any(.[]; .proto == $p and .nbma == $n and .type == $t and
		     ($f == "" or any(.flags[]?; . == $f)))' >/dev/null
}

# dm_nhs_up NS NBMA: dmvpnd published the NHS at NBMA as up.
dm_nhs_up() {
	dm "$1" -j nhs show dev dmvpn0 | jq -e --arg n "$2" \
		'any(.[]; .nbma == $n and .state == "up")' >/dev/null
}

dmvpn_dump() {
	local ns=$1
	log "dmvpn in $ns:"
	{
		dm "$ns" -s show dev dmvpn0
		dm "$ns" config show dev dmvpn0
		dm "$ns" nhs show dev dmvpn0
		dm "$ns" map show dev dmvpn0
	} 2>&1 | sed 's/^/#   /'
	tail -n 60 "$WORK/dmvpnd-$ns.log" 2>/dev/null | sed 's/^/#   dmvpnd: /'
}

# ping_count NS COUNT DST: COUNT pings, all answered.
ping_count() {
	n "$1" ping -q -c "$2" -i 0.2 -W 2 "$3" >/dev/null 2>&1
}

# cap_underlay FILE: every GRE packet that enters the underlay router, so
# each packet once whichever sites it is between.
cap_underlay() {
	cap_start "$UL" any "$1" 'inbound and ip proto 47'
}


part_frr_only() {
	local failed=$FAILED pcap=$WORK/frr_only.pcap
	log "part 0: FRR hub, FRR spoke"
	setup_underlay || { echo "# setup failed"; exit 1; }
	cap_underlay "$pcap" || exit 1
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
	dump_pcap "$pcap"
	check "every NHRP packet decodes cleanly in tshark" nhrp_check "$pcap"
	log "NHRP seen: $(nhrp_summary "$pcap")"
	check "registration request and reply on the wire" \
		test "$(nhrp_count "$pcap" 3)" -ge 1 -a "$(nhrp_count "$pcap" 4)" -ge 1
	dump_on_fail "$failed" "$HUB" "$S1"
	frr_cleanup
	cleanup_ns
}

part_frr_hub() {
	local failed=$FAILED pcap=$WORK/frr_hub.pcap before d spoke name ns tun
	log "part A: FRR hub, dmvpn spokes s1 and s2 (dmvpnd)"
	setup_underlay || { echo "# setup failed"; exit 1; }
	cap_underlay "$pcap" || exit 1
	frr_add_gre "$HUB" $HUB_NBMA $HUB_TUN/32 || exit 1
	frr_start "$HUB" "$(frr_conf_hub)" || exit 1
	# s1 knows the hub's tunnel address, s2 learns it from the reply.
	dm_spoke "$S1" $S1_NBMA $S1_TUN $HUB_TUN &&
	dm_spoke "$S2" $S2_NBMA $S2_TUN || exit 1

	check "FRR hub: s1 registered, dynamic, NBMA $S1_NBMA" \
		busywait 30000 frr_cache_has "$HUB" $S1_TUN $S1_NBMA dynamic
	check "FRR hub: s2 registered, dynamic, NBMA $S2_NBMA" \
		busywait 30000 frr_cache_has "$HUB" $S2_TUN $S2_NBMA dynamic
	for spoke in "s1 $S1 $S1_TUN" "s2 $S2 $S2_TUN"; do
		read -r name ns tun <<<"$spoke"
		check "$name: NHS $HUB_NBMA up" \
			busywait 10000 dm_nhs_up "$ns" $HUB_NBMA
		check "$name: cache has the hub as NHS entry" \
			busywait 10000 dm_has "$ns" $HUB_TUN $HUB_NBMA static nhs
		check "ping $name -> FRR hub" busywait 10000 ping_ok "$ns" $HUB_TUN
		check "ping FRR hub -> $name" ping_ok "$HUB" "$tun"
	done

	# s1 -> s2: first packets go via the hub while s1 resolves s2; the
	# FRR hub forwards the request to s2, which answers s1 directly.
	check "ping s1 -> s2" busywait 10000 ping_ok "$S1" $S2_TUN
	check "s1 resolved s2 (dynamic, NBMA $S2_NBMA)" \
		busywait 15000 dm_has "$S1" $S2_TUN $S2_NBMA dynamic
	check "s2 learnt s1 from the request (dynamic, NBMA $S1_NBMA)" \
		busywait 5000 dm_has "$S2" $S1_TUN $S1_NBMA dynamic
	before=$(rx_packets "$HUB" eth0)
	d=$(dm_stat "$S1" dmvpn0 tx_via_nhs)
	check "10 pings s1 -> s2 after resolution" ping_count "$S1" 10 $S2_TUN
	check "s1 -> s2 goes direct: s1 sent nothing more via the NHS" \
		test "$(dm_stat "$S1" dmvpn0 tx_via_nhs)" -eq "$d"
	d=$(($(rx_packets "$HUB" eth0) - before))
	check "s1 -> s2 goes direct: the hub received $d packets (< 5)" \
		test "$d" -lt 5

	cap_stop "$pcap"
	dump_pcap "$pcap"
	check "part A: every NHRP packet decodes cleanly in tshark" \
		nhrp_check "$pcap"
	log "NHRP seen: $(nhrp_summary "$pcap")"
	check "registrations s1 -> hub and s2 -> hub on the wire" \
		test "$(nhrp_match "$pcap" 3 $S1_NBMA $HUB_NBMA)" -ge 1 -a \
		"$(nhrp_match "$pcap" 3 $S2_NBMA $HUB_NBMA)" -ge 1
	check "resolution request s1 -> hub, forwarded hub -> s2" \
		test "$(nhrp_match "$pcap" 1 $S1_NBMA $HUB_NBMA)" -ge 1 -a \
		"$(nhrp_match "$pcap" 1 $HUB_NBMA $S2_NBMA)" -ge 1
	check "resolution reply s2 -> s1 directly" \
		test "$(nhrp_match "$pcap" 2 $S2_NBMA $S1_NBMA)" -ge 1
	check "no error indication" test "$(nhrp_count "$pcap" 7)" -eq 0
	dump_on_fail "$failed" "$HUB" "$S1" "$S2"
	dmvpnd_stop_all
	frr_cleanup
	cleanup_ns
}

part_dmvpn_hub() {
	local failed=$FAILED pcap=$WORK/dmvpn_hub.pcap d
	log "part B: dmvpn hub (dmvpnd), FRR spoke s1, dmvpn spoke s2"
	setup_underlay || { echo "# setup failed"; exit 1; }
	cap_underlay "$pcap" || exit 1
	dm_hub "$HUB" || exit 1
	frr_add_gre "$S1" $S1_NBMA $S1_TUN/32 &&
	ip -n "$S1" route add 192.0.2.0/24 via $HUB_TUN dev gre1 onlink || exit 1
	frr_start "$S1" "$(frr_conf_spoke $HUB_NBMA)" || exit 1
	dm_spoke "$S2" $S2_NBMA $S2_TUN $HUB_TUN || exit 1

	check "dmvpn hub: FRR spoke s1 registered (dynamic, NBMA $S1_NBMA)" \
		busywait 30000 dm_has "$HUB" $S1_TUN $S1_NBMA dynamic registered
	check "dmvpn hub: s2 registered (dynamic, NBMA $S2_NBMA)" \
		busywait 30000 dm_has "$HUB" $S2_TUN $S2_NBMA dynamic registered
	check "FRR spoke: NHS $HUB_NBMA up, hub address $HUB_TUN learnt" \
		busywait 10000 frr_nhs_up "$S1" $HUB_NBMA $HUB_TUN
	check "s2: NHS $HUB_NBMA up" busywait 10000 dm_nhs_up "$S2" $HUB_NBMA
	check "ping FRR spoke -> hub" busywait 10000 ping_ok "$S1" $HUB_TUN
	check "ping hub -> FRR spoke" ping_ok "$HUB" $S1_TUN
	check "ping s2 -> hub" busywait 10000 ping_ok "$S2" $HUB_TUN
	check "ping hub -> s2" ping_ok "$HUB" $S2_TUN

	# s2 -> FRR spoke: s2 resolves s1 through our hub, which answers
	# from its registrations. (The FRR spoke's answers take the hub: it
	# would only look for a shortcut on a Traffic Indication.)
	check "ping s2 -> FRR spoke" busywait 10000 ping_ok "$S2" $S1_TUN
	check "s2 resolved the FRR spoke (dynamic, NBMA $S1_NBMA)" \
		busywait 15000 dm_has "$S2" $S1_TUN $S1_NBMA dynamic
	d=$(dm_stat "$S2" dmvpn0 tx_via_nhs)
	check "10 pings s2 -> FRR spoke after resolution" \
		ping_count "$S2" 10 $S1_TUN
	check "s2 -> FRR spoke goes direct: nothing more via the NHS" \
		test "$(dm_stat "$S2" dmvpn0 tx_via_nhs)" -eq "$d"
	check "ping FRR spoke -> s2" ping_ok "$S1" $S2_TUN

	cap_stop "$pcap"
	dump_pcap "$pcap"
	check "part B: every NHRP packet decodes cleanly in tshark" \
		nhrp_check "$pcap"
	log "NHRP seen: $(nhrp_summary "$pcap")"
	check "registration replies hub -> FRR spoke and hub -> s2" \
		test "$(nhrp_match "$pcap" 4 $HUB_NBMA $S1_NBMA)" -ge 1 -a \
		"$(nhrp_match "$pcap" 4 $HUB_NBMA $S2_NBMA)" -ge 1
	# FRR's NHC (nhs dynamic) sends its own address as destination and
	# takes the NHS's tunnel address from the reply's destination field.
	check "every registration reply names the hub ($HUB_TUN) as destination" \
		test "$(nhrp_match "$pcap" 4 $HUB_NBMA)" -eq \
		"$(nhrp_match "$pcap" 4 $HUB_NBMA "" $HUB_TUN)"
	check "resolution reply hub -> s2" \
		test "$(nhrp_match "$pcap" 2 $HUB_NBMA $S2_NBMA)" -ge 1
	check "no error indication" test "$(nhrp_count "$pcap" 7)" -eq 0
	dump_on_fail "$failed" "$HUB" "$S1" "$S2"
	dmvpnd_stop_all
	frr_cleanup
	cleanup_ns
}

# timed FN: run FN and log how long it took (the VM is slow: keep the
# whole test well inside the kselftest timeout).
timed() {
	local start=$SECONDS
	"$@"
	log "$1 took $((SECONDS - start)) s"
}

# INTEROP_PARTS: which parts to run. Part 0 only shows that FRR and the
# harness work here (about a minute in a TCG VM): not run by default.
PARTS=${INTEROP_PARTS:-A B}
[[ " $PARTS " == *" 0 "* ]] && timed part_frr_only
if [[ " $PARTS " == *" "[AB]" "* ]] && [ ! -x "$DMVPND" ]; then
	[ "$FAILED" -eq 0 ] || finish
	skip "parts A and B: $DMVPND not built (make -C user)"
fi
[[ " $PARTS " == *" A "* ]] && timed part_frr_hub
[[ " $PARTS " == *" B "* ]] && timed part_dmvpn_hub
finish
