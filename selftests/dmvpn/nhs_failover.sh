#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two hubs, one spoke that prefers the first (priority 1 over 2), traffic
# flowing through the preferred one. The data path follows the NHS list:
# when the first hub's daemon dies, and later when its link goes down,
# the spoke declares it down, withdraws its entries, and the traffic moves
# to the second hub within one registration timeout (the holding time);
# when the first hub answers again the traffic comes back. Each move is
# timed from the event to the first packet at the other hub.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
require_dmvpn
require_dmvpnd
require nft jq
setup_cloud || { echo "# setup failed"; exit 1; }

HOLD=18
TARGET=192.0.2.99 # routed via hub 1's tunnel address; nobody owns it
HUB2=$S2 HUB2_NBMA=$S2_NBMA HUB2_TUN=$S2_TUN

for ns in "$HUB" "$S1" "$HUB2"; do
	dm "$ns" map flush dev dmvpn0
	# What reaches each hub for TARGET, counted as it comes out of GRE.
	n "$ns" nft add table ip fo &&
	n "$ns" nft add chain ip fo pre '{ type filter hook prerouting priority 0; }' &&
	n "$ns" nft add rule ip fo pre iifname dmvpn0 ip daddr $TARGET counter ||
		{ echo "# nft failed"; exit 1; }
done
dm "$HUB" config set dev dmvpn0 role hub network-id 1 holdtime $HOLD &&
dm "$HUB2" config set dev dmvpn0 role hub network-id 1 holdtime $HOLD &&
dm "$S1" config set dev dmvpn0 role spoke network-id 1 holdtime $HOLD &&
dm "$S1" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN priority 1 &&
dm "$S1" nhs add dev dmvpn0 nbma $HUB2_NBMA proto $HUB2_TUN priority 2 ||
	{ echo "# config failed"; exit 1; }

# count NS: packets for TARGET that reached NS's dmvpn0.
count() {
	n "$1" nft -j list chain ip fo pre |
		jq '[.nftables[] | select(.rule) | .rule.expr[] |
		     select(.counter) | .counter.packets] | add // 0'
}
count_gt() { [ "$(count "$1")" -gt "$2" ]; }
# grows NS: NS's count grows while we watch.
grows() {
	local c
	c=$(count "$1")
	sleep 0.5
	count_gt "$1" "$c"
}
# moved FROM TO SINCE WITHIN: TO receives the traffic within WITHIN s of
# SINCE ($EPOCHREALTIME), and FROM no longer does; logs how long it took.
moved() {
	local from=$1 to=$2 since=$3 within=$4 c
	c=$(count "$to")
	busywait $((within * 1000)) count_gt "$to" "$c" || return 1
	log "moved after $(awk -v a="$since" -v b="$EPOCHREALTIME" \
		'BEGIN { printf "%.1f", b - a }') s"
	busywait 3000 grows "$to" && ! grows "$from"
}
only_hub1_nhs() {
	entry_has "$S1" $HUB_TUN static $HUB_NBMA nhs &&
		! entry_has "$S1" $HUB2_TUN static $HUB2_NBMA nhs
}

start_dmvpnd "$HUB"
start_dmvpnd "$HUB2"
start_dmvpnd "$S1"
check "spoke registered with hub 1" \
	busywait 20000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke registered with hub 2" \
	busywait 20000 entry_has "$HUB2" $S1_TUN dynamic $S1_NBMA registered
check "hub 1 carries the nhs flag, hub 2 does not" only_hub1_nhs

n "$S1" ping -q -i 0.2 $TARGET >/dev/null 2>&1 &
PING=$!
check "traffic flows through hub 1" busywait 5000 grows "$HUB"
check_fail "none through hub 2" grows "$HUB2"

log "t=${SECONDS}s: hub 1's daemon dies"
t0=$EPOCHREALTIME
stop_dmvpnd "$HUB" KILL
check "the traffic moves to hub 2 within the holding time ($HOLD s)" \
	moved "$HUB" "$HUB2" "$t0" $HOLD
# (A negative entry may stand there: the spoke asked hub 2 for hub 1.)
check_fail "the spoke withdrew hub 1's static entry" \
	entry_has "$S1" $HUB_TUN static $HUB_NBMA

log "t=${SECONDS}s: hub 1's daemon is back"
t0=$EPOCHREALTIME
start_dmvpnd "$HUB"
# The spoke retries a server that is down with a backoff (8 or 16 s now).
check "the traffic comes back to hub 1" \
	moved "$HUB2" "$HUB" "$t0" $((HOLD * 2))
check "hub 1 carries the nhs flag again" only_hub1_nhs

log "t=${SECONDS}s: hub 1's link goes down"
t0=$EPOCHREALTIME
ip -n "$HUB" link set eth0 down
check "the traffic moves to hub 2 within the holding time ($HOLD s)" \
	moved "$HUB" "$HUB2" "$t0" $HOLD
kill "$PING" 2>/dev/null
finish
