#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dmvpnd without root: started as root it keeps exactly CAP_NET_ADMIN and
# CAP_NET_RAW, with an empty bounding set; with --user it runs
# as that user and still opens a device's packet socket when the device
# is configured later, and registers. One dmvpnd per network namespace:
# a second one exits 1 with a message while one in another namespace
# runs. sd_notify: READY=1 once the devices are managed, STOPPING=1 on
# exit. An NHS with an IPv6 address is refused with one warning and gets
# no request.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
require_dmvpn
require_dmvpnd
id -u nobody >/dev/null 2>&1 || skip "no user nobody"
# The underlay and one device per site; dmvpnd makes the maps.
setup_underlay &&
add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
add_dmvpn "$S1" $S1_NBMA $S1_TUN/32 &&
add_dmvpn "$S2" $S2_NBMA $S2_TUN/32 &&
ip -n "$S1" route add $HUB_TUN/32 dev dmvpn0 ||
	{ echo "# setup failed"; exit 1; }

# CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13.
CAPS=0000000000003000
NOBODY=$(id -u nobody)

# status_field NS FIELD: a field of the daemon's /proc/PID/status.
status_field() {
	sed -n "s/^$2:[[:space:]]*//p" "/proc/${DMVPND_PID[$1]}/status"
}
running() { log_has "$1" "dmvpnd running"; }

# The configuration through ip dmvpn: no python to start, which takes
# most of a second each in a TCG guest.
conf() { dm "$1" config set dev dmvpn0 role "$2" network-id 1 holdtime 30; }
conf "$HUB" hub || { echo "# config failed"; exit 1; }
start_dmvpnd "$HUB"
check "hub dmvpnd (root) is running" busywait 10000 running "$HUB"
check "it kept CapEff NET_ADMIN|NET_RAW ($(status_field "$HUB" CapEff))" \
	test "$(status_field "$HUB" CapEff)" = $CAPS
check "CapPrm the same" test "$(status_field "$HUB" CapPrm)" = $CAPS
check "CapBnd empty" test "$(status_field "$HUB" CapBnd)" = 0000000000000000
check "nothing inheritable" \
	test "$(status_field "$HUB" CapInh)" = 0000000000000000

# Spoke 1's daemon starts as nobody before its device is configured: the
# packet socket is opened later, with CAP_NET_RAW alone.
start_dmvpnd "$S1" --user nobody
check "spoke 1 dmvpnd (--user nobody) is running" busywait 10000 running "$S1"
check "its uids are nobody's ($(status_field "$S1" Uid))" \
	test "$(status_field "$S1" Uid | tr -s '\t ' ' ')" = \
	"$NOBODY $NOBODY $NOBODY $NOBODY"
check "no supplementary groups" test -z "$(status_field "$S1" Groups)"
check "CapEff NET_ADMIN|NET_RAW" test "$(status_field "$S1" CapEff)" = $CAPS
check "CapPrm the same" test "$(status_field "$S1" CapPrm)" = $CAPS
conf "$S1" spoke && dm "$S1" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
	{ echo "# config failed"; exit 1; }
check "spoke 1 (nobody) registers with the hub" \
	busywait 20000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 1: NHS up" busywait 5000 log_has "$S1" "nhs $HUB_NBMA up"
check "spoke 1 reaches the hub" ping_ok "$S1" $HUB_TUN

# Spoke 2: its only NHS has an IPv6 tunnel address (the kernel takes it
# on an IPv4 underlay); dmvpnd refuses it.
V6_NBMA=198.51.100.77 V6_TUN=2001:db8::1
conf "$S2" spoke && dm "$S2" nhs add dev dmvpn0 nbma $V6_NBMA proto $V6_TUN ||
	{ echo "# config failed"; exit 1; }
# Spoke 2's daemon also tells a stand-in for systemd (Type=notify) when
# it is ready and when it stops (in spoke 2's namespace, so that the
# cleanup ends it).
NOTIFY=$DMVPND_LOGDIR/notify
n "$S2" python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode(), flush=True)' "$NOTIFY.sock" >"$NOTIFY" 2>&1 &
busywait 20000 grep -q bound "$NOTIFY" || log "no notify socket"
NOTIFY_SOCKET=$NOTIFY.sock start_dmvpnd "$S2"
check "spoke 2: the IPv6 NHS is refused" \
	busywait 10000 log_has "$S2" "dmvpn0: nhs $V6_TUN ignored: IPv6"
check "spoke 2 manages dmvpn0 with no NHS" \
	log_has "$S2" "dmvpn0: managing .* 0 nhs\)"
check "it told systemd READY=1" busywait 10000 grep -qx READY=1 "$NOTIFY"

# A second daemon in the hub's namespace, while spoke 2's (another
# namespace) runs.
out=$(ip netns exec "$HUB" timeout 20 "$DMVPND" 2>&1)
rc=$?
check "a second dmvpnd in the hub's namespace exits 1 (exit $rc)" test $rc -eq 1
check "with the message" bash -c "grep -q '^dmvpnd: another dmvpnd is running in this network namespace$' <<<\"\$1\"" _ "$out"
check "the hub's daemon runs on" kill -0 "${DMVPND_PID[$HUB]}"
check "spoke 2's daemon (another namespace) runs" kill -0 "${DMVPND_PID[$S2]}"

# A new IPv4 NHS makes spoke 2's daemon read the list again: it registers
# through that one, and the IPv6 one stays refused once, with no request.
dm "$S2" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
	{ echo "# config failed"; exit 1; }
check "spoke 2 registers through its IPv4 NHS" \
	busywait 20000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "the IPv6 NHS was refused once ($(log_count "$S2" "nhs $V6_TUN ignored") lines)" \
	test "$(log_count "$S2" "nhs $V6_TUN ignored")" -eq 1
check "and sent nothing to it" bash -c "! log_has $S2 '$V6_NBMA'"
check "its NHS status untouched (no requests)" bash -c \
	"dm $S2 -j nhs show dev dmvpn0 | jq -e '[.[] | select(.nbma == \"$V6_NBMA\")] | length == 1 and all(.[]; (.requests // 0) == 0 and .state != \"up\" and .state != \"down\")' >/dev/null"

check "spoke 2 dmvpnd exits 0 on SIGTERM" stop_dmvpnd "$S2"
check "after telling systemd STOPPING=1" \
	busywait 5000 bash -c "grep -x -A1 READY=1 $NOTIFY | grep -qx STOPPING=1"
check "spoke 1 dmvpnd (nobody) exits 0 on SIGTERM" stop_dmvpnd "$S1"
check "hub dmvpnd exits 0 on SIGTERM" stop_dmvpnd "$HUB"
finish


