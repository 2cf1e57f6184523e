#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dmvpnd registration: spokes register with the hub (NHS) and the hub's
# cache holds them as dynamic registered entries with the spokes' NBMA
# addresses and holding time; entries expire when a spoke's daemon dies
# and come back when it restarts; a wrong password and a second claim on a
# unique address are refused; a spoke that moves to a new NBMA address
# registers it; the hub's daemon can be killed -9 without
# hurting traffic, and its successor answers the refreshes.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
require_dmvpn
require_dmvpnd
setup_cloud || { echo "# setup failed"; exit 1; }

HOLD=20
# Registration replaces the static maps of setup_cloud.
dm "$HUB" map flush dev dmvpn0
dm "$S1" map flush dev dmvpn0
dm "$S2" map flush dev dmvpn0

config_set "$HUB" hub $HOLD && config_mcast_dynamic "$HUB" ||
	{ echo "# config failed"; exit 1; }
# Spoke 2 knows its NHS by name only.
HUB_NAME=hub.dmvpn.test
echo "$HUB_NBMA $HUB_NAME" >"$DMVPND_LOGDIR/hosts"
config_set "$S1" spoke $HOLD && nhs_add "$S1" $HUB_NBMA $HUB_TUN &&
config_set "$S2" spoke $HOLD &&
dm "$S2" nhs add dev dmvpn0 fqdn $HUB_NAME proto $HUB_TUN ||
	{ echo "# config failed"; exit 1; }
start_dmvpnd "$HUB"
start_dmvpnd "$S1"
DMVPND_HOSTS=$DMVPND_LOGDIR/hosts start_dmvpnd "$S2"

check "spoke 1 registered on the hub (dynamic, registered, its NBMA)" \
	busywait 20000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 registered on the hub" \
	busywait 20000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "registration is unique" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA unique
exp=$(entry_field "$HUB" $S1_TUN expires)
check "holding time $HOLD s (expires $exp)" \
	test "$exp" -gt 0 -a "$exp" -le $HOLD
check "spoke 1: NHS up" busywait 5000 log_has "$S1" "nhs $HUB_NBMA up"
check "spoke 2: NHS up" busywait 5000 log_has "$S2" "nhs $HUB_NBMA up"
check "spoke 2 found its NHS by name" \
	log_has "$S2" "nhs $HUB_NAME is $HUB_NBMA"
check "ip dmvpn nhs show: spoke 2's NHS by name, at its address" \
	bash -c "dm $S2 -j nhs show dev dmvpn0 | jq -e '.[0].fqdn == \"$HUB_NAME\" and .[0].current_nbma == \"$HUB_NBMA\"' >/dev/null"
if [ -n "$(nhs_state "$S1")" ]; then
	check "ip dmvpn nhs show: up on spoke 1" \
		test "$(nhs_state "$S1")" = up
fi
check "hub: spokes in the multicast map (multicast dynamic)" \
	busywait 5000 bash -c "mcast_dynamic $HUB $S1_NBMA && mcast_dynamic $HUB $S2_NBMA"
check "spoke 1: the hub in its multicast map" \
	mcast_dynamic "$S1" $HUB_NBMA
check "spoke 1 has the NHS entry" \
	entry_has "$S1" $HUB_TUN static $HUB_NBMA nhs
check "hub reaches spoke 1" ping_ok "$HUB" $S1_TUN
check "hub reaches spoke 2" ping_ok "$HUB" $S2_TUN
check "spoke 1 reaches hub" ping_ok "$S1" $HUB_TUN
check "spoke 2 reaches spoke 1 via the hub" ping_ok "$S2" $S1_TUN

# A dead spoke daemon: the hub's entry runs out its holding time.
check "spoke 1 dmvpnd exits 0 on SIGTERM" stop_dmvpnd "$S1"
check "spoke 1's entry expires on the hub" \
	busywait $(((HOLD + 5) * 1000)) entry_gone "$HUB" $S1_TUN
check "spoke 1's NHS entry stays (dmvpnd flushes nothing)" \
	entry_has "$S1" $HUB_TUN static $HUB_NBMA nhs
start_dmvpnd "$S1"
check "restarted spoke 1 registers again" \
	busywait 10000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered

# Passwords: the hub and spoke 1 agree, spoke 2 has a wrong one.
config_auth "$S1" right
config_auth "$HUB" right
config_auth "$S2" wrong
check "hub refuses spoke 2's password" \
	busywait 10000 log_has "$HUB" "authentication failure from $S2_NBMA"
# The refusal shows the hub's daemon has the new password: a request
# spoke 2 sent just before may have renewed its binding, but none after.
dm "$HUB" map del $S2_TUN dev dmvpn0
check "spoke 2 is not registered" entry_gone "$HUB" $S2_TUN
check "spoke 2 sees the error indication" \
	log_has "$S2" "error indication 11"
if [ -n "$(nhs_state "$S2")" ]; then
	check "spoke 2's NHS failures rise" \
		busywait 5000 bash -c "[ \$(dm $S2 -j nhs show dev dmvpn0 | jq '.[0].failures') -ge 1 ]"
fi
check "spoke 1 (right password) registers" \
	busywait 10000 bash -c "[ \$(log_count $HUB 'registered $S1_TUN') -ge 2 ]"
check "spoke 1 still registered" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 is still not registered" entry_gone "$HUB" $S2_TUN
config_auth "$S2" right
check "spoke 2 registers with the right password" \
	busywait 10000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered

# A third spoke claims spoke 1's (unique) address.
setup_ns S3
S3_NBMA=198.51.100.13
link_pair "$S3" eth0 $S3_NBMA/30 "$UL" s3 198.51.100.14/30
ip -n "$S3" route add default via 198.51.100.14
add_dmvpn "$S3" $S3_NBMA $S1_TUN/32
config_set "$S3" spoke $HOLD right && nhs_add "$S3" $HUB_NBMA $HUB_TUN
start_dmvpnd "$S3"
check "the claim is refused with code 14" \
	busywait 10000 log_has "$S3" "registration refused, code 14"
check "the hub logged the refusal" \
	log_has "$HUB" "refused registration of $S1_TUN from $S3_NBMA: code 14"
check "spoke 1 keeps its registration" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
stop_dmvpnd "$S3"

# Spoke 3 takes its own address, without "unique" (Cisco's "registration
# no-unique", for spokes with a dynamic underlay address), then moves to
# a new NBMA address: the device is made again there and its daemon
# registers the new binding, which the hub takes at once.
S3_TUN=192.0.2.13 S3_NBMA2=198.51.100.17
spoke3_dev() {
	add_dmvpn "$S3" "$1" $S3_TUN/32 &&
	ip -n "$S3" route add $HUB_TUN/32 dev dmvpn0 &&
	config_set "$S3" spoke $HOLD right &&
	genl "$S3" 11 2:str:dmvpn0 "16:nest:[6:u8:0]" &&
	nhs_add "$S3" $HUB_NBMA $HUB_TUN
}
ip -n "$S3" link del dmvpn0
spoke3_dev $S3_NBMA || { echo "# spoke 3 config failed"; exit 1; }
start_dmvpnd "$S3"
check "spoke 3 registers (not unique)" \
	busywait 10000 entry_has "$HUB" $S3_TUN dynamic $S3_NBMA registered
check "and the binding is not unique" \
	bash -c "! entry_has $HUB $S3_TUN dynamic $S3_NBMA unique"
ip -n "$S3" link del dmvpn0
ip -n "$S3" addr replace $S3_NBMA2/30 dev eth0
ip -n "$UL" addr add 198.51.100.18/30 dev s3
ip -n "$S3" route replace default via 198.51.100.18
spoke3_dev $S3_NBMA2 || { echo "# spoke 3 config failed"; exit 1; }
# Well within the old binding's holding time: not an expiry.
check "the hub has spoke 3's new NBMA address" \
	busywait 10000 entry_has "$HUB" $S3_TUN dynamic $S3_NBMA2 registered
check "spoke 3's daemon followed the new device" \
	log_has "$S3" "dmvpn0: managing .*nbma $S3_NBMA2"
check "the hub reaches spoke 3 at its new address" ping_ok "$HUB" $S3_TUN
stop_dmvpnd "$S3"

kill -USR1 "${DMVPND_PID[$HUB]}"
check "SIGUSR1 logs the hub's counters" busywait 5000 \
	log_has "$HUB" "counters: rx .*reg-req=[0-9]+ .*auth-failures=[1-9]"

# kill -9 of the hub daemon: the kernel keeps forwarding.
stop_dmvpnd "$HUB" KILL
check "traffic flows without the hub daemon" ping_ok "$S1" -c 3 $S2_TUN
check "the registrations stay" \
	entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
before=$(log_count "$HUB" "registered $S1_TUN")
start_dmvpnd "$HUB"
check "the restarted hub daemon answers spoke 1's refresh" \
	busywait $((HOLD * 1000)) bash -c "[ \$(log_count $HUB 'registered $S1_TUN') -gt $before ]"
check "spoke 1's entry was refreshed" \
	busywait 5000 bash -c "[ \$(entry_field $HUB $S1_TUN expires) -gt $((HOLD - 5)) ]"
# Spoke 1 may have seen the NHS down meanwhile (3 unanswered requests
# take 7 s); it must end up.
check "spoke 1's NHS is up" busywait 10000 bash -c \
	"grep -E 'nhs $HUB_NBMA (up|down)' \$DMVPND_LOGDIR/$S1.log | tail -1 | grep -q ' up'"
# A registration's multicast entry is queued from its binding's ack: the
# batch must not wait for it (a 1 s stall per registration, once).
check "the hub's daemon never timed out waiting for netlink acks" \
	bash -c "! log_has $HUB 'netlink batch'"
finish
