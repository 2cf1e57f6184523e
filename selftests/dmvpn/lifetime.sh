#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tear-down under live traffic: deleting a device, deleting a namespace
# and unloading the module while packets flow must leave nothing behind
# (the VM runner also fails the run on any kernel warning, KASAN report or
# kmemleak leak).
source "$(dirname "$0")/lib.sh"
require jq
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }

# 100 packets/s each: live traffic without starving an emulated CPU, which
# a ping -f flood does (single probes then wait seconds for a slot).
flood() { n "$1" ping -q -i 0.01 -w 30 "$2" >/dev/null 2>&1 & }

# An AF_PACKET reader holds the device open while it goes away.
n "$HUB" python3 "$(dirname "$0")/nhrp_sock.py" recv dmvpn0 30 >/dev/null 2>&1 &
flood "$S1" $S2_TUN
flood "$S2" $S1_TUN
# (15 s: the debug kernel under TCG once took longer than 5 s to start
# the readers and both pings.)
check "traffic flows through the hub" \
	busywait 15000 stat_gt "$HUB" dmvpn0 tx_packets 50
check "hub device deleted under traffic" ip -n "$HUB" link del dmvpn0
check "no dmvpn device left on the hub" \
	test -z "$(ip -n "$HUB" -br link show type dmvpn)"
check "hub device recreated" add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24
dm "$HUB" map add $S1_TUN nbma $S1_NBMA dev dmvpn0
dm "$HUB" map add $S2_TUN nbma $S2_NBMA dev dmvpn0
check "traffic resumes within 5 s" busywait 5000 ping_ok "$S1" $S2_TUN

# A whole namespace with a device and traffic goes away.
flood "$S1" $S2_TUN
old=$S2
check "spoke 2 namespace deleted under traffic" ip netns del "$S2"
NS_LIST=("${NS_LIST[@]/$old}")
check "spoke 1 still reaches the hub" busywait 5000 ping_ok "$S1" $HUB_TUN

# Module unload with live devices in several namespaces and traffic.
flood "$S1" $HUB_TUN
check "traffic to the hub flows" \
	busywait 5000 stat_gt "$S1" dmvpn0 tx_packets 50
check "module unloads with live devices" modprobe -r dmvpn
check "module is gone" test ! -d /sys/module/dmvpn
check "its devices are gone" \
	test -z "$(ip -n "$HUB" -br link show type dmvpn; ip -n "$S1" -br link show type dmvpn)"
check "ip link add autoloads the module again" \
	ip -n "$HUB" link add dmvpn0 type dmvpn local $HUB_NBMA key $KEY
check "the module is back" test -d /sys/module/dmvpn
finish
