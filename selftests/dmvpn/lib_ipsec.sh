# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# The protected NHRP cloud of the charon tests: setup_cloud's hub and two
# spokes plus a third spoke (attacker_site's S3), all four devices
# `protect require`, NHRP by dmvpnd (the spokes name the hub as their
# NHS, no static map), IKE by one charon per namespace (lib_charon.sh).
# And what a capture of the underlay must show: IKE and ESP only.
# Source after lib.sh, lib_dmvpnd.sh, lib_capture.sh and lib_charon.sh.

IPSEC_HOLD=60

# ipsec_cloud: the topology, configured; no daemon started.
ipsec_cloud() {
	local ns
	setup_cloud && attacker_site || return 1
	dm "$HUB" map flush dev dmvpn0
	for ns in "$S1" "$S2"; do
		dm "$ns" map flush dev dmvpn0
		# The nexthop is the destination itself, so it can be resolved.
		ip -n "$ns" route replace 192.0.2.0/24 dev dmvpn0
	done
	ip -n "$S3" route add 192.0.2.0/24 dev dmvpn0
	dm "$HUB" config set dev dmvpn0 role hub network-id 1 \
		holdtime $IPSEC_HOLD || return 1
	for ns in "$S1" "$S2" "$S3"; do
		dm "$ns" config set dev dmvpn0 role spoke network-id 1 \
			holdtime $IPSEC_HOLD &&
		dm "$ns" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
			return 1
	done
	for ns in "$HUB" "$S1" "$S2" "$S3"; do
		ip -n "$ns" link set dmvpn0 type dmvpn protect require ||
			return 1
	done
}

# ipsec_charons AUTH [PSK]: the hub's and spokes 1 and 2's charons
# (AUTH psk or cert, see dmvpn_conn), started and loaded; spoke 3's is
# left to the test.
ipsec_charons() {
	charon_hub "$HUB" $HUB_NBMA "$@" &&
	charon_spoke "$S1" $S1_NBMA $HUB_NBMA "$@" &&
	charon_spoke "$S2" $S2_NBMA $HUB_NBMA "$@" || return 1
	charon_start "$HUB" "$S1" "$S2" &&
	charon_load "$HUB" && charon_load "$S1" && charon_load "$S2"
}

# spokes_registered: dmvpnd started everywhere, spokes 1 and 2 register:
# their first registration meets the NHS's trap and brings their SA to
# the hub up, and goes through it once it is. Each spoke's charon made
# one IKE_SA to its hub: nothing that asked (the kernel's lookup for the
# new NHS peer, dmvpnd's frames) met the %any trap. Checks.
spokes_registered() {
	local ns
	for ns in "$HUB" "$S1" "$S2"; do
		start_dmvpnd "$ns" --vici "$(charon_dir "$ns")/charon.vici"
	done
	check "spoke 1's SA to the hub is up" \
		busywait 30000 charon_sa_up "$S1" $HUB_NBMA
	check "spoke 2's SA to the hub is up" \
		busywait 30000 charon_sa_up "$S2" $HUB_NBMA
	check "the hub has both" bash -c \
		"charon_sa_up $HUB $S1_NBMA && charon_sa_up $HUB $S2_NBMA"
	check "both spokes registered through their SAs" busywait 20000 bash -c \
		"entry_has $HUB $S1_TUN dynamic $S1_NBMA registered &&
		 entry_has $HUB $S2_TUN dynamic $S2_NBMA registered"
	local to_hub="established between .*\.\.\.${HUB_NBMA//./\\.}\["
	for ns in "$S1" "$S2"; do
		check "$(spoke_name "$ns")'s charon made one IKE_SA to the hub, the NHS's" \
			test "$(charon_log_count "$ns" "IKE_SA [a-z]+\[[0-9]+\] $to_hub")" -eq 1 \
			-a "$(charon_log_count "$ns" "IKE_SA nhs\[[0-9]+\] $to_hub")" -eq 1
	done
}

# spoke_name NS: "spoke 1" for S1's namespace, "spoke A" for A's.
spoke_name() {
	local v=${1%%-*}
	echo "spoke ${v#S}"
}

# spoke_to_spoke [FROM TO TO_TUN FROM_SEEN TO_SEEN]: spoke FROM (default
# spoke 1) reaches spoke TO's tunnel address TO_TUN (spoke 2's) over a
# direct entry and a direct SA; the hub carries none of the data on the
# way. FROM_SEEN and TO_SEEN are their NBMA addresses as the other sees
# them (after NAT). Checks, each its own line. Pings are retried: a
# protected device drops (and counts) what it would send while an SA is
# still being negotiated.
spoke_to_spoke() {
	local from=${1:-$S1} to=${2:-$S2} to_tun=${3:-$S2_TUN}
	local from_seen=${4:-$S1_NBMA} to_seen=${5:-$S2_NBMA}
	local a b
	a=$(spoke_name "$from") b=$(spoke_name "$to")
	local ping_pid used0 hub_data hub_cap via_a via_b got failed
	# Traffic keeps the resolution going (a MISS for every packet sent
	# through the hub) until the entry is there.
	# (ip netns exec execs ping: $! is ping, which the kill below stops.)
	ip netns exec "$from" ping -q -i 0.2 -c 400 -W 1 "$to_tun" >/dev/null 2>&1 &
	ping_pid=$!
	check "$a resolves $b to its NBMA address" \
		busywait 60000 entry_has "$from" "$to_tun" dynamic "$to_seen"
	check "$a has a direct CHILD SA with $b (trap, ACQUIRE)" \
		busywait 30000 charon_sa_up "$from" "$to_seen"
	check "$b's charon has it too" charon_sa_up "$to" "$from_seen"
	failed=$FAILED
	check "a ping crosses the direct SA" \
		busywait 20000 ping_ok "$from" "$to_tun"
	[ "$FAILED" -eq "$failed" ] || spokes_diag "$from" "$to"
	# Both spokes may have initiated: dmvpnd ends the duplicate. And a
	# new SA settles (kernel/settle.c), the second CHILD_SA of such a
	# pair too: for up to 3 s after it came, both ends may still
	# send through the hub.
	check "one IKE_SA between them remains, at both ends" \
		busywait 20000 bash -c "[ \$(charon_ike_count $from $to_seen) -eq 1 ] &&
			[ \$(charon_ike_count $to $from_seen) -eq 1 ]"
	check "then neither end sends it through the hub" \
		busywait 10000 direct_both "$from" "$to" "$to_tun"
	kill "$ping_pid" 2>/dev/null
	wait "$ping_pid" 2>/dev/null
	used0=$(entry_field "$from" "$to_tun" packets)
	# What the hub's device takes in while the pings run, to name what
	# the count below finds.
	hub_cap=$(mktemp --suffix=.pcap)
	cap_start "$HUB" dmvpn0 "$hub_cap" "len >= 0"
	via_a=$(dm_stat "$from" dmvpn0 tx_via_nhs)
	via_b=$(dm_stat "$to" dmvpn0 tx_via_nhs)
	got=$(n "$from" ping -q -i 0.1 -c 20 -W 1 "$to_tun" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	check "20 pings from $a to $b answered (${got:-0})" \
		test "${got:-0}" -ge 18
	check "$a sent them on the direct entry" \
		test "$(entry_field "$from" "$to_tun" packets)" -ge $((used0 + 18))
	via_a=$(($(dm_stat "$from" dmvpn0 tx_via_nhs) - via_a))
	via_b=$(($(dm_stat "$to" dmvpn0 tx_via_nhs) - via_b))
	cap_stop "$hub_cap"
	# Them, by the capture: registration refreshes still reach the hub,
	# and a spoke's IPv6 router solicitation may (multicast); a count of
	# all the hub took in failed so on 6.12.
	hub_data=$(tcpdump -n -r "$hub_cap" "inbound and icmp and host $to_tun" 2>/dev/null | wc -l)
	failed=$FAILED
	check "the hub no longer carries them ($hub_data pings; $a sent $via_a packets to the NHS, $b $via_b)" \
		test "$hub_data" -le 2
	if [ "$FAILED" -ne "$failed" ]; then
		log "what the hub's device took in meanwhile:"
		tcpdump -n -tt -r "$hub_cap" 2>/dev/null | grep -v '^[[:space:]]' |
			head -n 20 | sed 's/^/#   /'
		spokes_diag "$from" "$to"
	fi
	rm -f "$hub_cap"
	# What the protected devices did while the direct SA came up:
	# held packets, those sent through the hub instead, drops.
	local st ns
	for ns in "$from" "$to"; do
		st=$(dm "$ns" -j -s dev show dev dmvpn0 | jq -r '.[0].stats |
			"held \(.tx_held) released \(.tx_released) via-nhs \(.tx_via_nhs) unprotected \(.tx_unprotected) expired \(.tx_hold_expired)"')
		log "$(spoke_name "$ns"): $st"
	done
}

# direct_both FROM TO TO_TUN: a ping from FROM to TO_TUN is answered, and
# neither FROM nor TO sent anything through the NHS meanwhile.
direct_both() {
	local a b
	a=$(dm_stat "$1" dmvpn0 tx_via_nhs) b=$(dm_stat "$2" dmvpn0 tx_via_nhs)
	ping_ok "$1" "$3" &&
		[ "$(dm_stat "$1" dmvpn0 tx_via_nhs)" -eq "$a" ] &&
		[ "$(dm_stat "$2" dmvpn0 tx_via_nhs)" -eq "$b" ]
}

# spoke3_refused REGEX: spoke 3's charon (configured, not started) fails
# to authenticate to the hub once spoke 3's first registration meets its
# NHS's trap; the hub's log has exactly one line matching REGEX for it;
# spoke 3 gets no SA, and its registrations never leave it. Checks.
spoke3_refused() {
	local before
	charon_start "$S3" && charon_load "$S3" ||
		{ echo "# charon setup failed"; exit 1; }
	# Spoke 3's dmvpnd does not follow charon: it sends NHRP at once,
	# and the kernel drops it (NHRP is not held for an SA) after its
	# lookup asked for the SA.
	before=$(dm_stat "$S3" dmvpn0 tx_unprotected)
	start_dmvpnd "$S3"
	check "spoke 3 is told its authentication failed" busywait 30000 \
		charon_log_has "$S3" "received AUTHENTICATION_FAILED notify error"
	# The kernel's larval state of that ACQUIRE (20 s here) keeps the
	# next registrations from asking again meanwhile.
	check "the hub logs why, once" \
		test "$(charon_log_count "$HUB" "$1")" -eq 1
	check "spoke 3 has no IKE_SA" test "$(charon_ike_count "$S3")" -eq 0
	check "the hub has none with spoke 3" \
		test "$(charon_ike_count "$HUB" $S3_NBMA)" -eq 0
	check "spoke 3's registrations are dropped for want of an SA" \
		busywait 10000 stat_gt "$S3" dmvpn0 tx_unprotected $((before + 1))
	check "the hub has not registered spoke 3" entry_gone "$HUB" $S3_TUN
}

# spokes_diag [NS...]: what these spokes (1 and 2) hold about each
# other, for the log.
spokes_diag() {
	local ns
	[ $# -gt 0 ] || set -- "$S1" "$S2"
	for ns in "$@"; do
		log "---- ${ns%%-*}: ip dmvpn, xfrm states, charon's SAs"
		{
			dm "$ns" -s dev show dev dmvpn0
			dm "$ns" map show dev dmvpn0
			ip -n "$ns" -s xfrm state | grep -E '^src|proto esp|lifetime current' -A1
			ip -n "$ns" xfrm policy | grep -E '^src'
			charon_sas "$ns"
		} 2>&1 | sed 's/^/#   /'
	done
}

# The capture of the whole test on the underlay router (all its links).
IPSEC_PCAP=$(mktemp --suffix=.pcap)
ipsec_capture() { cap_start "$UL" any "$IPSEC_PCAP" ip; }

cap_count() { tcpdump -n -r "$IPSEC_PCAP" "$1" 2>/dev/null | wc -l; }
IPSEC_IKE='udp port 500 or udp port 4500'
# While a node's charon is down (ipsec_zeroloss.sh restarts one), IKE to
# it is answered with a port unreachable, which quotes that IKE packet
# (its UDP destination port after the 8-byte ICMP and 20-byte IP headers).
IPSEC_IKE_REFUSED='icmp[0] == 3 and icmp[1] == 3 and (icmp[30:2] == 500 or icmp[30:2] == 4500)'

# ipsec_capture_checks ESP_MIN: stop the capture; check that no GRE
# crossed the underlay in clear, that nothing but IKE and ESP did, and
# that spokes 1 and 2 exchanged at least ESP_MIN ESP packets directly.
ipsec_capture_checks() {
	local gre other esp
	local notike="ip and not esp and not ($IPSEC_IKE) and not ($IPSEC_IKE_REFUSED)"
	cap_stop "$IPSEC_PCAP"
	gre=$(cap_count 'ip proto 47')
	check "no clear GRE on the underlay, all test long ($gre)" \
		test "$gre" -eq 0
	other=$(cap_count "$notike")
	[ "$other" -eq 0 ] || {
		log "not IKE nor ESP on the underlay:"
		tcpdump -n -r "$IPSEC_PCAP" "$notike" \
			2>/dev/null | head -n 10 | sed 's/^/#   /'
	}
	check "nothing but IKE and ESP on it ($other other packets)" \
		test "$other" -eq 0
	check "IKE was on it ($(cap_count "$IPSEC_IKE"))" \
		test "$(cap_count "$IPSEC_IKE")" -gt 0
	esp=$(cap_count "esp and host $S1_NBMA and host $S2_NBMA")
	check "ESP between the spokes carried their pings ($esp >= $1)" \
		test "$esp" -ge "$1"
	rm -f "$IPSEC_PCAP"
}
