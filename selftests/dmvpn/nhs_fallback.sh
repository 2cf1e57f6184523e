#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Phase 2: a spoke sends traffic for a nexthop it has not resolved to its
# next-hop server (a host entry flagged nhs), which forwards it. With no
# entry for the nexthop that also raises a MISS; while an incomplete or
# negative entry says resolution is under way it does not; once the
# nexthop is resolved the traffic goes direct. Without an NHS entry the
# old behaviour stays: drop (and MISS only for an unknown nexthop).
source "$(dirname "$0")/lib.sh"
require jq python3
require_dmvpn
here=$(dirname "$0")
setup_cloud || { echo "# setup failed"; exit 1; }

EV_MISS=4
# On spoke 1 the route to spoke 2 (and to .13) is on-link: the nexthop is
# the destination itself, which only NHRP can resolve.
ip -n "$S1" route add $S2_TUN/32 dev dmvpn0
ip -n "$S1" route add 192.0.2.13/32 dev dmvpn0
dm "$S1" map replace $HUB_TUN nbma $HUB_NBMA dev dmvpn0 flags nhs || exit 1

ev=$(mktemp)
n "$S1" python3 "$here/genl_raw.py" --monitor >"$ev" &
mon=$!
check "the event monitor is subscribed" busywait 10000 grep -qx ready "$ev"
misses() {
	grep '^{' "$ev" |
		jq -c "select(.event == $EV_MISS and .entry.proto == \"$1\")" |
		wc -l
}
# Events arrive in order: once this one is in, all earlier ones are.
MARK=0
sync_events() {
	MARK=$((MARK + 1))
	local nbma=198.51.100.$((100 + MARK))
	dm "$S1" mcast add $nbma dev dmvpn0 &&
		dm "$S1" mcast del $nbma dev dmvpn0 &&
		busywait 5000 grep -q "\"$nbma\"" "$ev"
}
s1() { dm_stat "$S1" dmvpn0 "$1"; }
hub_rx() { dm_stat "$HUB" dmvpn0 rx_packets; }

# ---- no entry for spoke 2: via the NHS, with a MISS
hub0=$(hub_rx) via0=$(s1 tx_via_nhs)
nhs0=$(entry_field "$S1" $HUB_TUN packets)
check "spoke 1 reaches spoke 2 through its NHS" ping_ok "$S1" -c 3 $S2_TUN
check "the hub carried requests and replies" \
	test $(($(hub_rx) - hub0)) -ge 6
check "spoke 1 counted 3 packets sent via the NHS" \
	test $(($(s1 tx_via_nhs) - via0)) -eq 3
check "the NHS entry counted them" \
	test $(($(entry_field "$S1" $HUB_TUN packets) - nhs0)) -ge 3
check "events are in" sync_events
check "the unknown nexthop raised MISS events" test "$(misses $S2_TUN)" -ge 1
check "the miss counter agrees" test "$(s1 miss_events)" -eq \
	"$(grep -c "\"event\": $EV_MISS," "$ev")"

# ---- resolution under way: via the NHS, no MISS
for type in incomplete negative; do
	dm "$S1" map replace $S2_TUN dev dmvpn0 type $type holdtime 600
	check "events are in ($type)" sync_events
	miss=$(misses $S2_TUN) via=$(s1 tx_via_nhs) hub=$(hub_rx)
	check "with a $type entry spoke 2 is still reached" \
		ping_ok "$S1" -c 2 $S2_TUN
	check "via the NHS ($type)" test $(($(s1 tx_via_nhs) - via)) -eq 2
	check "through the hub ($type)" test $(($(hub_rx) - hub)) -ge 4
	check "events are in (after $type)" sync_events
	check "and no MISS for it ($type)" test "$(misses $S2_TUN)" -eq "$miss"
done

# ---- resolved: direct
dm "$S1" map replace $S2_TUN nbma $S2_NBMA dev dmvpn0 type dynamic \
	holdtime 600
dm "$S2" map add $S1_TUN nbma $S1_NBMA dev dmvpn0 type dynamic holdtime 600
ip -n "$S2" route add $S1_TUN/32 dev dmvpn0
via=$(s1 tx_via_nhs) hub=$(hub_rx)
check "with a dynamic entry spoke 2 is reached" ping_ok "$S1" -c 3 $S2_TUN
check "directly: the hub saw none of it" test "$(hub_rx)" -eq "$hub"
check "nothing went via the NHS" test "$(s1 tx_via_nhs)" -eq "$via"
check "the dynamic entry counted 3 packets" \
	test "$(entry_field "$S1" $S2_TUN packets)" -eq 3

# ---- the NHS entry goes: the next one takes over
dm "$S1" map add 192.0.2.2 nbma $HUB_NBMA dev dmvpn0 type dynamic \
	holdtime 600 flags nhs
dm "$S1" map del $HUB_TUN dev dmvpn0
dm "$S1" map add $HUB_TUN nbma $HUB_NBMA dev dmvpn0
dm "$S1" map del $S2_TUN dev dmvpn0
via=$(s1 tx_via_nhs)
check "a second NHS entry carries the traffic once the first is gone" \
	ping_ok "$S1" $S2_TUN
check "counted as via the NHS" test $(($(s1 tx_via_nhs) - via)) -eq 1
dm "$S1" map del 192.0.2.2 dev dmvpn0

# ---- no NHS entry: dropped as before
check "events are in (no NHS)" sync_events
miss=$(misses 192.0.2.13) drop=$(s1 tx_no_mapping) via=$(s1 tx_via_nhs)
check_fail "without an NHS an unknown nexthop is unreachable" \
	ping_ok "$S1" 192.0.2.13
check "dropped as no-mapping" test "$(s1 tx_no_mapping)" -gt "$drop"
check "events are in (no NHS, after)" sync_events
check "with a MISS" test "$(misses 192.0.2.13)" -gt "$miss"
dm "$S1" map add 192.0.2.13 dev dmvpn0 type incomplete holdtime 600
check "events are in (incomplete, no NHS)" sync_events
miss=$(misses 192.0.2.13) drop=$(s1 tx_no_mapping)
check_fail "an incomplete entry without an NHS is unreachable" \
	ping_ok "$S1" 192.0.2.13
check "dropped as no-mapping (incomplete)" \
	test "$(s1 tx_no_mapping)" -gt "$drop"
check "events are in (incomplete, no NHS, after)" sync_events
check "without a MISS" test "$(misses 192.0.2.13)" -eq "$miss"
check "nothing went via an NHS" test "$(s1 tx_via_nhs)" -eq "$via"
kill "$mon"
rm -f "$ev"
finish
