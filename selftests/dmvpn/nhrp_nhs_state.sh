#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The state of a next-hop server as dmvpnd on a spoke sees it: up while the
# hub answers; when the hub's daemon dies the spokes retransmit with the
# same request id and a growing delay, mark the NHS down after three
# unanswered requests and keep trying; the hub comes back and the spokes
# are up and registered again within the next retry. A second NHS that
# never answers stays down without hurting the first. A holding time
# changed with ip dmvpn config set reaches the hub without a restart.
# Everything is configured with ip dmvpn, as an admin would.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
require_dmvpn
require_dmvpnd
require tcpdump tshark
setup_cloud || { echo "# setup failed"; exit 1; }
log "t=${SECONDS}s: cloud set up"

HOLD=9
INTERVAL=3
DEAD_NBMA=198.51.100.200 # routed nowhere: an NHS that never answers
DEAD_TUN=192.0.2.2

# nhs_field NS NBMA FIELD: one field of one NHS in ip dmvpn -j nhs show.
nhs_field() {
	dm "$1" -j nhs show dev dmvpn0 |
		jq -r --arg n "$2" '.[] | select(.nbma == $n) | .'"$3"
}
nhs_is() { [ "$(nhs_field "$1" "$2" state)" = "$3" ]; }
nhs_ge() { [ "$(nhs_field "$1" "$2" "$3")" -ge "$4" ] 2>/dev/null; }

# NHRP packets of TYPE from SRC to DST in the capture so far. tcpdump reads
# a live capture quickly; the outer IPv4 header has no options, GRE carries
# a key (8 bytes), the NHRP type is byte 17 of NHRP.
nhrp_filter() {
	echo "src host $2 and dst host $3 and ip proto 47 and" \
		"ip[22:2] = 0x2001 and ip[45] = $1"
}
cap_nhrp() {
	tcpdump -n -r "$PCAP" "$(nhrp_filter "$@")" 2>/dev/null | wc -l
}
cap_nhrp_ge() { [ "$(cap_nhrp "$1" "$2" "$3")" -ge "$4" ]; }
# cap_times TYPE SRC DST: capture time stamps (s.us), one per packet.
cap_times() {
	tcpdump -tt -n -r "$PCAP" "$(nhrp_filter "$@")" 2>/dev/null |
		awk '{ print $1 }'
}
export -f nhs_field nhs_is nhs_ge nhrp_filter cap_nhrp cap_nhrp_ge

# Every GRE packet entering the underlay router, once.
PCAP=$DMVPND_LOGDIR/ul.pcap
export PCAP
cap_start "$UL" any "$PCAP" 'inbound and ip proto 47' || exit 1
log "t=${SECONDS}s: capturing"

# Registration replaces the static maps of setup_cloud.
for ns in "$HUB" "$S1" "$S2"; do
	dm "$ns" map flush dev dmvpn0
done
dm "$HUB" config set dev dmvpn0 role hub network-id 1 holdtime $HOLD ||
	{ echo "# config failed"; exit 1; }
for s in "$S1" "$S2"; do
	dm "$s" config set dev dmvpn0 role spoke network-id 1 holdtime $HOLD \
		registration-interval $INTERVAL &&
	dm "$s" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
		{ echo "# config failed"; exit 1; }
done
start_dmvpnd "$HUB"
start_dmvpnd "$S1"
start_dmvpnd "$S2"
log "t=${SECONDS}s: daemons started"

check "spoke 1: NHS up (ip dmvpn nhs show)" \
	busywait 20000 nhs_is "$S1" $HUB_NBMA up
check "spoke 2: NHS up" busywait 20000 nhs_is "$S2" $HUB_NBMA up
check "spoke 1 registered on the hub" \
	busywait 5000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 registered on the hub" \
	busywait 5000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "spoke 1: requests and replies counted" \
	bash -c "nhs_ge $S1 $HUB_NBMA requests 1 && nhs_ge $S1 $HUB_NBMA replies 1"
check "spoke 1: no failure yet" test "$(nhs_field "$S1" $HUB_NBMA failures)" = 0

# A second NHS that never answers, added at run time, goes down while the
# first stays up.
log "t=${SECONDS}s: a second NHS"
check "ip dmvpn nhs add of a second NHS" \
	dm "$S1" nhs add dev dmvpn0 nbma $DEAD_NBMA proto $DEAD_TUN
check "spoke 1 installs its NHS entry" \
	busywait 5000 entry_has "$S1" $DEAD_TUN static $DEAD_NBMA
# Unresolved traffic stays with the server that is up.
only_hub_nhs() {
	entry_has "$S1" $HUB_TUN static $HUB_NBMA nhs &&
		! entry_has "$S1" $DEAD_TUN static $DEAD_NBMA nhs
}
check "only the NHS that is up carries the nhs flag" only_hub_nhs
rep=$(nhs_field "$S1" $HUB_NBMA replies)
check "the second NHS goes down (three requests in 1 + 2 + 4 s)" \
	busywait 15000 nhs_is "$S1" $DEAD_NBMA down
check "the second NHS: requests, no reply" bash -c \
	"nhs_ge $S1 $DEAD_NBMA requests 4 && [ \$(nhs_field $S1 $DEAD_NBMA replies) = 0 ]"
check "spoke 1 logs it down" log_has "$S1" "WARNING: dmvpn0: nhs $DEAD_NBMA down"
dead_withdrawn() {
	entry_gone "$S1" $DEAD_TUN &&
		! dm "$S1" -j mcast show dev dmvpn0 |
			jq -e --arg n $DEAD_NBMA '.[] | select(.nbma == $n)' >/dev/null
}
check "a server that is down has no entries (cache, multicast)" \
	busywait 5000 dead_withdrawn
check "the first NHS kept refreshing meanwhile (every $INTERVAL s)" \
	busywait $(((INTERVAL * 2 + 3) * 1000)) nhs_ge "$S1" $HUB_NBMA replies $((rep + 2))
check "the first NHS is still up" nhs_is "$S1" $HUB_NBMA up
check "spoke 1 reaches the hub" ping_ok "$S1" $HUB_TUN
check "spoke 2 reaches spoke 1 via the hub" ping_ok "$S2" $S1_TUN
check "spoke 1 reaches spoke 2 via the hub" ping_ok "$S1" $S2_TUN

# The hub's daemon goes away; its kernel drops the NHRP it receives.
log "t=${SECONDS}s: the hub's daemon stops"
req0=$(cap_nhrp 3 $S1_NBMA $HUB_NBMA)
check "hub dmvpnd exits 0 on SIGTERM" stop_dmvpnd "$HUB"
check "spoke 1: NHS down after three unanswered requests" \
	busywait 25000 nhs_is "$S1" $HUB_NBMA down
check "spoke 2: NHS down" busywait 5000 nhs_is "$S2" $HUB_NBMA down
check "spoke 1 logs the NHS down" log_has "$S1" "WARNING: dmvpn0: nhs $HUB_NBMA down"
fail0=$(nhs_field "$S1" $HUB_NBMA failures)
req_down=$(nhs_field "$S1" $HUB_NBMA requests)
check "spoke 1: failures counted ($fail0)" test "$fail0" -ge 1
check "spoke 1 still down" nhs_is "$S1" $HUB_NBMA down
check "the hub's entry for spoke 1 expired" \
	busywait $((HOLD * 1000)) entry_gone "$HUB" $S1_TUN
check "the hub's entry for spoke 2 expired" \
	busywait 5000 entry_gone "$HUB" $S2_TUN

# The hub's daemon returns: the next retry (8 s after the one that marked
# the NHS down, 16 s if the daemon was not up in time) registers; the
# timeout leaves a loaded TCG guest some slack.
log "t=${SECONDS}s: the hub's daemon starts again"
start_dmvpnd "$HUB"
t_back=$(date +%s.%N)
check "spoke 1: NHS up again within the backoff bound" \
	busywait 28000 nhs_is "$S1" $HUB_NBMA up
check "spoke 2: NHS up again" busywait 20000 nhs_is "$S2" $HUB_NBMA up
log "NHS up again $(($(date +%s) - ${t_back%.*})) s after the hub's daemon returned"
check "spoke 1 logs the NHS up again" \
	test "$(log_count "$S1" "nhs $HUB_NBMA up")" -ge 2
check "the hub has spoke 1 again" \
	busywait 5000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "the hub has spoke 2 again" \
	busywait 5000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "spoke 2 reaches spoke 1 again" ping_ok "$S2" $S1_TUN

# The wire during the outage: the requests between the hub's last reply
# before the outage and its first after it are one attempt, sent further
# and further apart (the last one is the one answered).
# The hub may still answer a request in flight while it handles SIGTERM,
# so the outage is told from the replies around the restart: none come
# between the last one before it and the first one after it.
rep_before=$(cap_times 4 $HUB_NBMA $S1_NBMA | awk -v t="$t_back" '$1 < t' | tail -1)
rep_after=$(cap_times 4 $HUB_NBMA $S1_NBMA | awk -v t="$t_back" '$1 > t' | head -1)
lost=$(cap_times 3 $S1_NBMA $HUB_NBMA |
	awk -v a="$rep_before" -v b="$rep_after" '$1 > a && $1 < b')
log "requests during the outage at: $(echo $lost), answered at $rep_after"
check "spoke 1 sent at least 5 requests during the outage (the last answered)" \
	test "$(echo "$lost" | wc -l)" -ge 5
# 1, 2, 4, 8 s apart; timers in a TCG guest may slip a little.
check "the delay between them grows" \
	awk 'NR > 1 { d = $1 - prev
		      if (NR > 2 && d < last + 0.5) bad = 1
		      last = d }
	     { prev = $1 }
	     END { exit bad || last < 6 }' <<<"$lost"

# A new holding time, at run time.
log "t=${SECONDS}s: holdtime 40 on spoke 1"
pid=${DMVPND_PID[$S1]}
check "ip dmvpn config set holdtime 40 on spoke 1" \
	dm "$S1" config set dev dmvpn0 holdtime 40
# The kernel reports what is left of a holding time: more than $HOLD s
# is the new one.
check "the hub's entry for spoke 1 now lasts up to 40 s" \
	busywait 8000 bash -c "[ \$(entry_field $HUB $S1_TUN expires) -gt $HOLD ]"
check "spoke 2's holding time is unchanged" \
	test "$(entry_field "$HUB" $S2_TUN expires)" -le $HOLD
check "spoke 1's dmvpnd was not restarted" kill -0 "$pid"
check "spoke 1's first NHS still up" nhs_is "$S1" $HUB_NBMA up

# The second NHS has been retrying all along (1, 2, 4, 8, 16, ... s; the
# holdtime change restarted it: three more requests before failures
# count again).
dead_req=$(nhs_field "$S1" $DEAD_NBMA requests)
log "t=${SECONDS}s: the second NHS: $dead_req requests, $(nhs_field "$S1" $DEAD_NBMA failures) failures in nhs show, $(cap_nhrp 3 $S1_NBMA $DEAD_NBMA) on the wire"
check "the second NHS is still down" nhs_is "$S1" $DEAD_NBMA down
check "nhs show keeps counting its requests and failures" bash -c \
	"nhs_ge $S1 $DEAD_NBMA requests \$(cap_nhrp 3 $S1_NBMA $DEAD_NBMA) &&
	 nhs_ge $S1 $DEAD_NBMA failures \$((\$(cap_nhrp 3 $S1_NBMA $DEAD_NBMA) - 6))"

cap_stop "$PCAP"
log "t=${SECONDS}s: the capture"
check "every NHRP packet decodes cleanly in tshark" nhrp_check "$PCAP"
log "NHRP on the wire: $(nhrp_summary "$PCAP")"
ids=$(nhrp_fields "$PCAP" "nhrp.hdr.op.type == 3 && ip.src == $S1_NBMA &&
	ip.dst == $HUB_NBMA && frame.time_epoch > $rep_before && frame.time_epoch < $rep_after" \
	nhrp.reqid | sort -u)
check "the requests of the outage share one request id ($(echo $ids))" \
	test "$(echo "$ids" | wc -l)" = 1
htime=$(nhrp_fields "$PCAP" "nhrp.hdr.op.type == 3 && ip.src == $S1_NBMA &&
	ip.dst == $HUB_NBMA" nhrp.htime | tail -1 | cut -d, -f1)
check "spoke 1's last request carries holding time 40 ($htime)" \
	test "$htime" = 40
finish
