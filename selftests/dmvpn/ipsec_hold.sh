#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# protect require, while an SA is negotiated: a packet for a peer without
# an SA waits in that peer's bounded queue and is sent, in order, the
# moment the SA is installed (the key manager's notification, no poll);
# what exceeds the limits or waits too long is dropped and counted; and
# spoke-to-spoke traffic goes through the hub while the spokes' own SA is
# missing, then straight across once it is there, without losing a
# packet; a new peer asks for its SA at once, and one that backed off
# tries again at once when a policy for anyone (a wildcard trap) comes.
# SAs are made by hand here, as charon would install them.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump python3
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }
UDP_SEQ=$(dirname "$0")/udp_seq.py

# rfc4106(gcm(aes)): a 16-byte key and a 4-byte salt; test keys only.
AEAD_KEY=0x00112233445566778899aabbccddeeff01020304

# state NS SRC DST SPI: an ESP transport state.
state() {
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		mode transport aead 'rfc4106(gcm(aes))' $AEAD_KEY 128
}
# sa NS ME PEER OUT IN: transport SAs ME->PEER (SPI OUT) and PEER->ME
# (SPI IN), and ME's GRE policies, in NS (ME's namespace). The policies
# replace a trap's, as charon's do.
sa() {
	local ns=$1 me=$2 peer=$3 out=$4 in=$5
	state "$ns" "$me" "$peer" "$out" && state "$ns" "$peer" "$me" "$in" &&
	trap_policy "$ns" "$me" "$peer" &&
	ip -n "$ns" xfrm policy update src "$peer" dst "$me" proto gre dir in \
		tmpl src "$peer" dst "$me" proto esp mode transport
}
# trap_policy NS ME PEER: ME's outbound GRE policy to PEER: with no SA
# yet, a trap (a lookup that matches it makes the kernel ask for one).
trap_policy() {
	ip -n "$1" xfrm policy update src "$2" dst "$3" proto gre dir out \
		tmpl src "$2" dst "$3" proto esp mode transport
}
# acq_monitor NS FILE: NS's ACQUIREs to FILE (as charon would get them;
# without a listener the kernel asks nobody), listening on return.
acq_monitor() {
	ip -n "$1" xfrm monitor acquire >"$2" 2>&1 &
	acq_pid=$!
	busywait 5000 xfrm_listening "$1"
}
# xfrm_listening NS: an XFRM netlink socket (protocol 6) in NS has
# joined multicast groups.
xfrm_listening() {
	n "$1" awk '$2 == 6 && $4 !~ /^0+$/ { f = 1 } END { exit !f }' \
		/proc/net/netlink
}
# acquired FILE PEER: an ACQUIRE for an SA to PEER is in FILE.
acquired() { grep -q "dst $2" "$1"; }
# pair A_NS A B_NS B SPI: the SAs between A and B (A->B is SPI, B->A
# SPI+1) on both sides, B's first: A may send the moment it has its own.
pair() {
	sa "$3" "$4" "$2" $(($5 + 1)) "$5" && sa "$1" "$2" "$4" "$5" $(($5 + 1))
}
unpair() {
	ip -n "$1" xfrm state flush
	ip -n "$1" xfrm policy flush
}
for ns in "$HUB" "$S1" "$S2"; do
	ip -n "$ns" link set dmvpn0 type dmvpn protect require ||
		{ echo "# protect require failed"; exit 1; }
done
dm "$S1" map replace $HUB_TUN nbma $HUB_NBMA dev dmvpn0 flags nhs || exit 1
# Long enough for the checks below under TCG; expiry is tested with less.
ip -n "$S1" link set dmvpn0 type dmvpn hold-peer 64 hold-time 60000
hold_shown() {
	[ "$(ip -n "$S1" -j -d link show dmvpn0 |
		jq -r '.[0].linkinfo.info_data | "\(.hold_peer) \(.hold_time)"')" = \
		"64 60000" ]
}
check "hold-peer is set and shown" hold_shown
check_fail "a hold-peer over the limit is refused" \
	ip -n "$S1" link set dmvpn0 type dmvpn hold-peer 70000
check "and changes nothing" hold_shown

pcap=$(mktemp --suffix=.pcap)
cap_start "$S1" eth0 "$pcap" 'ip proto 47 or esp' || exit 1
ev=$(mktemp)
n "$S1" "$IPD" -j monitor >"$ev" &
mon=$!
# recv NS PORT COUNT FILE [SILENCE]: a receiver in NS that gives up after
# SILENCE seconds without a packet (default 8); ready when this returns.
recv() {
	n "$1" python3 "$UDP_SEQ" recv "$2" "$3" "${5:-8}" >"$4" 2>"$4.err" &
	busywait 10000 grep -qx ready "$4.err"
}
got() { cat "$1"; }
# sa_held NS PROTO: "STATE HELD" of the peer of PROTO's entry.
sa_held() {
	dm "$1" -j map show dev dmvpn0 |
		jq -r --arg p "$2" '.[] | select(.proto == $p) | "\(.sa) \(.held)"'
}

# ---- held, then released in order by the SA's arrival ----
out=$(mktemp)
recv "$HUB" 5000 40 "$out" 60 || exit 1
n "$S1" python3 "$UDP_SEQ" send $HUB_TUN 5000 40 200
check "40 packets without an SA are held (tx_held)" \
	test "$(dm_stat "$S1" dmvpn0 tx_held)" -eq 40
check "the hub's entry shows the SA pending and 40 held" test \
	"$(sa_held "$S1" $HUB_TUN)" = "pending 40"
check "with the age of the oldest" \
	test "$(entry_field "$S1" $HUB_TUN held_age_ms)" -gt 0
check "nothing left in clear meanwhile" \
	test "$(tcpdump -n -r "$pcap" 'ip proto 47' 2>/dev/null | wc -l)" -eq 0
pair "$S1" $S1_NBMA "$HUB" $HUB_NBMA 0x100 || skip "no xfrm states"
wait_recv() { busywait 10000 grep -q received "$1"; }
wait_recv "$out"
check "the SA releases all 40, in order ($(got "$out"))" \
	test "$(got "$out")" = "received 40 reordered 0 duplicates 0"
check "counted as released" test "$(dm_stat "$S1" dmvpn0 tx_released)" -eq 40
check "the entry shows the SA up, nothing held" test \
	"$(sa_held "$S1" $HUB_TUN)" = "up 0"
sa_events() { grep -c '"event":"peer-sa"' "$ev"; }
check "the monitor saw the peer's SA state change (pending, up)" \
	busywait 5000 test "$(sa_events)" -ge 2

# ---- the limits, then expiry ----
unpair "$S1"
unpair "$HUB"
before=$(dm_stat "$S1" dmvpn0 tx_hold_overflow)
n "$S1" python3 "$UDP_SEQ" send $HUB_TUN 5001 100 500
check "past hold-peer 64 the rest are dropped (tx_hold_overflow)" test \
	$(($(dm_stat "$S1" dmvpn0 tx_hold_overflow) - before)) -eq 36
before=$(dm_stat "$S1" dmvpn0 tx_hold_expired)
ip -n "$S1" link set dmvpn0 type dmvpn hold-time 1000
expired() {
	[ $(($(dm_stat "$S1" dmvpn0 tx_hold_expired) - before)) -eq 64 ]
}
check "the 64 held expire without an SA (tx_hold_expired)" \
	busywait 10000 expired
check "and the queue is empty" \
	test "$(entry_field "$S1" $HUB_TUN held)" -eq 0

# ---- spoke to spoke: through the hub until their SA comes ----
pair "$S1" $S1_NBMA "$HUB" $HUB_NBMA 0x100 &&
	pair "$S2" $S2_NBMA "$HUB" $HUB_NBMA 0x200 || exit 1
# Spoke 2 as resolution would leave it: an entry and a route whose
# nexthop it is. With a trap policy to spoke 2 (charon's on-demand
# connection), the new peer asks for its SA at once, before any packet.
trap_policy "$S1" $S1_NBMA $S2_NBMA || exit 1
acq=$(mktemp)
acq_monitor "$S1" "$acq" || { echo "# ip xfrm monitor failed"; exit 1; }
check_fail "no SA asked for spoke 2 before its entry" acquired "$acq" $S2_NBMA
dm "$S1" map add $S2_TUN nbma $S2_NBMA dev dmvpn0 || exit 1
check "its new peer asks for its SA at once (an ACQUIRE)" \
	busywait 5000 acquired "$acq" $S2_NBMA
kill "$acq_pid"
check "and is pending, with no packet sent to it" test \
	"$(entry_field "$S1" $S2_TUN sa) $(entry_field "$S1" $S2_TUN packets)" \
	= "pending 0"
ip -n "$S1" route add $S2_TUN/32 dev dmvpn0
check "spoke 1 reaches the hub again" busywait 10000 ping_ok "$S1" $HUB_TUN
hub_fwd() { n "$HUB" cat /sys/class/net/dmvpn0/statistics/tx_packets; }
via_nhs=$(dm_stat "$S1" dmvpn0 tx_via_nhs)
fwd=$(hub_fwd)
# 8 s at 1000 packets/s: the SA comes in the middle.
recv "$S2" 5002 8000 "$out" || exit 1
n "$S1" python3 "$UDP_SEQ" send $S2_TUN 5002 8000 1000 &
sender=$!
direct_pending() {
	[ "$(entry_field "$S1" $S2_TUN sa)" = pending ]
}
check "spoke 2's SA is pending on spoke 1" busywait 5000 direct_pending
# The SA comes once some packets went through the hub: the sender's
# start is not timed (python under TCG on a loaded machine).
check "meanwhile packets go through the hub" \
	busywait 10000 stat_gt "$S1" dmvpn0 tx_via_nhs "$via_nhs"
pair "$S1" $S1_NBMA "$S2" $S2_NBMA 0x300 || exit 1
wait "$sender"
wait_recv "$out"
check "8000 packets, none lost while the SA came ($(got "$out"))" \
	grep -q "^received 8000 " "$out"
check "the hub forwarded them" test "$(hub_fwd)" -gt "$fwd"
check "but not all: once the SA came they went straight across" \
	test $(($(hub_fwd) - fwd)) -lt 8000
check "spoke 2's entry shows the SA up ($(sa_held "$S1" $S2_TUN))" \
	test "$(entry_field "$S1" $S2_TUN sa)" = up
fwd=$(hub_fwd)
recv "$S2" 5003 100 "$out" || exit 1
n "$S1" python3 "$UDP_SEQ" send $S2_TUN 5003 100 500
wait_recv "$out"
check "then 100 more go straight across ($(got "$out"))" \
	grep -q "^received 100 " "$out"
check "none through the hub" test "$(hub_fwd)" -eq "$fwd"
check "nothing was dropped for want of an SA" \
	test "$(dm_stat "$S1" dmvpn0 tx_unprotected)" -eq 0

# ---- a backed-off peer, then a policy for anyone ----
# Spoke 1's policy to spoke 2 goes (their SAs stay): its traffic goes
# through the hub, trying the direct way again after a backoff that
# doubles. A wildcard trap (charon loading its on-demand connection)
# makes its next packet try at once rather than after the backoff: with
# the SAs there, the peer is up again long before its next try.
ip -n "$S1" xfrm policy delete src $S1_NBMA dst $S2_NBMA proto gre dir out ||
	exit 1
# (ip netns exec execs ping: $! is ping.)
ip netns exec "$S1" ping -q -i 0.05 -W 1 $S2_TUN >/dev/null 2>&1 &
pinger=$!
check "without its policy spoke 2 is pending again" \
	busywait 5000 direct_pending
# Tries at 0, 1, 3 and 7 s find no policy; the next is due at 15 s.
# Nothing shows a backoff, so only time lets it grow.
sleep 8
check "and still is after 8 s, its traffic through the hub" direct_pending
ip -n "$S1" xfrm policy add src $S1_NBMA/32 dst 0.0.0.0/0 proto gre \
	dir out tmpl proto esp mode transport || exit 1
direct_up() { [ "$(entry_field "$S1" $S2_TUN sa)" = up ]; }
check "a policy for anyone: its next packet finds its SA, not a backoff" \
	busywait 3000 direct_up
kill "$pinger"
wait "$pinger" 2>/dev/null

# ---- a newer SA whose inbound half came while the peer had none ----
# As when both spokes initiate: spoke 1 gets SA A (its own, spoke 2 has
# it) and the inbound half of SA B (spoke 2's, which spoke 2 has not
# yet) while spoke 2 is pending; a packet takes A (up: A settles) and
# dmvpnd's word that spoke 1 initiated A ends that settling. Then B's
# outbound half comes, which the xfrm core sends on at once: B settles
# (its traffic keeps to the hub) until spoke 2 has B too. Nothing is
# lost; without B's settling, what went between its install at spoke 1
# and at spoke 2 was (XfrmInNoStates at spoke 2, logged: a global
# counter that other packets, on a slow kernel, may also move).
unpair "$S1"
sa "$S1" $S1_NBMA $HUB_NBMA 0x100 0x101 &&
	trap_policy "$S1" $S1_NBMA $S2_NBMA || exit 1
# A ping may still find the last phase's SA settling (through the hub,
# no lookup): ping until one finds no SA.
ping_pending() { ping_ok "$S1" -W 1 $S2_TUN; direct_pending; }
check "spoke 2 pending on spoke 1 again" busywait 10000 ping_pending
state "$S2" $S1_NBMA $S2_NBMA 0x500 && state "$S2" $S2_NBMA $S1_NBMA 0x501 &&
	state "$S1" $S2_NBMA $S1_NBMA 0x501 && state "$S1" $S1_NBMA $S2_NBMA 0x500 &&
	state "$S1" $S2_NBMA $S1_NBMA 0x601 || exit 1
# (A kernel without CONFIG_XFRM_STATISTICS, the debug one, has no counters.)
in_nostates() {
	n "$S2" awk '$1 == "XfrmInNoStates" { print $2 }' /proc/net/xfrm_stat \
		2>/dev/null || echo 0
}
nostates=$(in_nostates)
# B is a second CHILD_SA only within DMVPN_SETTLE_WINDOW (10 s) of the
# peer's SA coming up; a debug kernel under TCG can take longer over the
# steps below. B's coming is checked if it came within 8 s of the
# stream's start (before the peer came up), else said and not checked.
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
# b_lossless LATE WHAT: the check that the stream lost nothing across B.
b_lossless() {
	if [ "$1" -lt 8000 ]; then
		check "4000 packets across $2, none lost ($(got "$out"); B $1 ms after the stream began)" \
			grep -q "^received 4000 " "$out"
	else
		log "B came $1 ms after the stream began, past the settling window: $2 not checked ($(got "$out"))"
	fi
}
recv "$S2" 5005 4000 "$out" || exit 1
t0=$(date +%s%N)
n "$S1" python3 "$UDP_SEQ" send $S2_TUN 5005 4000 500 &
sender=$!
check "its first packet takes SA A" busywait 10000 direct_up
# sa_word SPI: dmvpnd's word that spoke 1 initiated its SA with outbound
# SPI to spoke 2, as genl_raw's answer. DMVPN_CMD_SA_INITIATED (16):
# DMVPN_A_SA_NBMA (20), DMVPN_A_SA_SPI (21).
sa_word() {
	genl_raw "$S1" 16 "20:hex:$(printf '%02x' ${S2_NBMA//./ })" "21:u32:$(($1))"
}
word=$(sa_word 0x500)
check "dmvpnd's word that spoke 1 initiated A is taken (${word%% *})" \
	test "${word%% *}" = errno=0
# a_used: spoke 2 has received over A.
a_used() {
	ip -n "$S2" -s xfrm state get src $S1_NBMA dst $S2_NBMA proto esp \
		spi 0x500 | awk '/lifetime current:/ { getline
			sub(/\(packets\)/, "", $2); exit !($2 + 0 > 10) }'
}
check "then the stream takes A" busywait 5000 a_used
late=$(ms_since "$t0")
state "$S1" $S1_NBMA $S2_NBMA 0x600 &&
	state "$S2" $S1_NBMA $S2_NBMA 0x600 && state "$S2" $S2_NBMA $S1_NBMA 0x601 ||
	exit 1
wait "$sender"
wait_recv "$out"
b_lossless "$late" "B's coming"
log "spoke 2's XfrmInNoStates meanwhile: $(($(in_nostates) - nostates))"

# ---- the same, B's inbound half coming after the peer is up ----
# The usual order when spoke 1's own CHILD_SA A came first: A brings the
# peer up, then B's inbound half (a second CHILD_SA: it settles), then
# dmvpnd's word for A (it ends that settling: A is the newest outbound
# SA yet), then B's outbound half, which must settle again although
# every inbound SA came with the peer up. Spoke 2 gets B half a second
# later: the answer's trip, which nothing can be polled for.
unpair "$S1"
sa "$S1" $S1_NBMA $HUB_NBMA 0x100 0x101 &&
	trap_policy "$S1" $S1_NBMA $S2_NBMA || exit 1
check "spoke 2 pending on spoke 1 once more" busywait 10000 ping_pending
state "$S2" $S1_NBMA $S2_NBMA 0x700 && state "$S2" $S2_NBMA $S1_NBMA 0x701 &&
	state "$S1" $S2_NBMA $S1_NBMA 0x701 && state "$S1" $S1_NBMA $S2_NBMA 0x700 ||
	exit 1
recv "$S2" 5006 4000 "$out" || exit 1
t0=$(date +%s%N)
n "$S1" python3 "$UDP_SEQ" send $S2_TUN 5006 4000 500 &
sender=$!
check "the stream brings spoke 2 up over A" busywait 10000 direct_up
state "$S1" $S2_NBMA $S1_NBMA 0x801 || exit 1
word=$(sa_word 0x700)
check "dmvpnd's word for A is taken after B's inbound half (${word%% *})" \
	test "${word%% *}" = errno=0
late=$(ms_since "$t0")
state "$S1" $S1_NBMA $S2_NBMA 0x800 || exit 1
sleep 0.5
state "$S2" $S1_NBMA $S2_NBMA 0x800 && state "$S2" $S2_NBMA $S1_NBMA 0x801 ||
	exit 1
wait "$sender"
wait_recv "$out"
b_lossless "$late" "B's coming after the peer"

# The device goes with packets held: freed with it (kmemleak and KASAN
# kernels check that).
unpair "$S1"
ip -n "$S1" link set dmvpn0 type dmvpn hold-time 60000
n "$S1" python3 "$UDP_SEQ" send $HUB_TUN 5004 10 500
check "10 held" test "$(entry_field "$S1" $HUB_TUN held)" -eq 10
check "the device can be deleted with packets held" \
	ip -n "$S1" link del dmvpn0

kill "$mon" 2>/dev/null
cap_stop "$pcap"
check "no clear GRE left spoke 1 at any time" \
	test "$(tcpdump -n -r "$pcap" 'ip proto 47' 2>/dev/null | wc -l)" -eq 0
rm -f "$pcap" "$ev" "$out" "$out.err" "$acq"
finish
