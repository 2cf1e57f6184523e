#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hostile NHRP at a dmvpnd hub, from a member of the cloud (an attacker
# spoke whose dmvpn device has the right GRE key): truncated packets, a bad
# checksum, a bad extension offset, an unknown compulsory extension, a
# foreign address family, hop count 0, an over-long password, and floods of
# registration requests from one NBMA address. The hub's daemon must stay
# up, count every drop by reason, answer the unknown extension with an
# Error Indication code 1 and nothing else, install nothing for bad
# packets, keep its output within its rate limits, and keep serving the
# legitimate spokes. Every NHRP packet the daemons send decodes cleanly.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
require_dmvpn
require_dmvpnd
require tcpdump tshark
setup_cloud || { echo "# setup failed"; exit 1; }

HOLD=30
AUTH=s3cret
FORGE="$(dirname "$0")/nhrp_forge.py"
attacker_site || { echo "# setup failed"; exit 1; }
BAD_TUN=192.0.2.66 # what the hostile packets try to register

export FORGE S3 S3_NBMA BAD_TUN AUTH
# forge KIND [option=value...]: one hostile registration from the attacker.
forge() {
	local kind=$1
	shift
	n "$S3" python3 "$FORGE" dmvpn0 $HUB_NBMA "$kind" src_nbma=$S3_NBMA \
		src_proto=$BAD_TUN dst_proto=$HUB_TUN auth=$AUTH "$@"
}

# The hub's counters, as its last SIGUSR1 line has them.
counters() { grep 'counters: ' "$HUB_LOG" | tail -1; }
# counter NAME: one value of the last counters line (0 when absent).
counter() {
	counters | grep -oE " $1=[0-9]+" | tail -1 | cut -d= -f2 | grep . ||
		echo 0
}
# counters_ge NAME MIN...: asks for a new counters line (it follows every
# frame queued before the signal) and checks NAME >= MIN for each pair.
counters_ge() {
	local before
	before=$(grep -c 'counters: ' "$HUB_LOG")
	kill -USR1 "$HUB_PID"
	busywait 5000 bash -c "[ \$(grep -c 'counters: ' $HUB_LOG) -gt $before ]" ||
		return 1
	while [ $# -ge 2 ]; do
		[ "$(counter "$1")" -ge "$2" ] || return 1
		shift 2
	done
}
dmvpnd_alive() { kill -0 "$HUB_PID"; }
export -f forge counters counter counters_ge

nhrp_cloud $HOLD $AUTH || { echo "# config failed"; exit 1; }

# What the daemons send: everything on the hub's link but the attacker's
# own packets.
PCAP=$DMVPND_LOGDIR/hub.pcap
cap_start "$UL" hub "$PCAP" "ip proto 47 and not src host $S3_NBMA" || exit 1
start_dmvpnd "$HUB"
HUB_PID=${DMVPND_PID[$HUB]}
HUB_LOG=$DMVPND_LOGDIR/$HUB.log
export HUB_PID HUB_LOG
start_dmvpnd "$S1"
start_dmvpnd "$S2"
check "spoke 1 registered" \
	busywait 20000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 registered" \
	busywait 20000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "the attacker's good request registers (the path works)" \
	forge good src_proto=$S3_TUN reqid=1
check "the attacker is registered" \
	busywait 5000 entry_has "$HUB" $S3_TUN dynamic $S3_NBMA registered
counters_ge reg-rep 3
log "t=${SECONDS}s: hub $(counters | sed 's/.*counters: //')"
check "no drops before the hostile packets" \
	test -n "$(counters)" -a -z "$(counters | grep drop-)"

# One of each, then the counters.
log "t=${SECONDS}s: hostile packets"
check "send hostile packets" \
	forge short,cut,badsum,extoff,unknownext,afn,hop0,longauth reqid=100
check "the hub counts each drop by reason" busywait 10000 counters_ge \
	drop-truncated 1 'drop-bad packet size' 1 'drop-bad checksum' 1 \
	'drop-bad extension offset' 1 'drop-unknown compulsory extension' 1 \
	drop-unsupported-address-family 1 drop-hop-count-zero 1 \
	drop-authentication 1 auth-failures 1
log "t=${SECONDS}s: hub $(counters | sed 's/.*counters: //')"
check "the hub's dmvpnd is alive" dmvpnd_alive
check "nothing installed for the hostile packets" entry_gone "$HUB" $BAD_TUN
check "the attacker's good registration is still there" \
	entry_has "$HUB" $S3_TUN dynamic $S3_NBMA registered

# A burst of 5000 good registrations from one NBMA address: the hub
# answers what it reads, within its output limit (10000 burst, 5000/s).
t0=$(date +%s.%N)
check "a burst of 5000 registration requests" \
	forge good src_proto=$S3_TUN reqid=1000 count=5000
check "the hub's dmvpnd is alive after the burst" dmvpnd_alive
check "the hub answered some of the burst" \
	busywait 20000 counters_ge reg-rep 100
log "t=${SECONDS}s: hub $(counters | sed 's/.*counters: //')"
# A burst of 5000 with a wrong password: Error Indications 11 at 1/s after
# a burst of 10.
t1=$(date +%s.%N)
check "a burst of 5000 requests with a wrong password" \
	forge good src_proto=$S3_TUN reqid=9000 count=5000 auth=wrong
check "the hub's dmvpnd is alive after it" dmvpnd_alive
check "the hub rate-limits its Error Indications" \
	busywait 20000 counters_ge rate-limited 100
t2=$(date +%s.%N)
log "t=${SECONDS}s: hub $(counters | sed 's/.*counters: //')"

check "the hub's dmvpnd is alive at the end" dmvpnd_alive
check "spoke 1 still registered" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 still registered" \
	entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "spoke 1 reaches the hub" ping_ok "$S1" $HUB_TUN
check "spoke 1 reaches spoke 2 via the hub" ping_ok "$S1" $S2_TUN
check "spoke 1's NHS is up" test "$(nhs_state "$S1")" = up
rep=$(dm "$S1" -j nhs show dev dmvpn0 | jq '.[0].replies')
check "spoke 1 still gets its refreshes answered" busywait $((HOLD * 1000 / 3 + 5000)) \
	bash -c "[ \$(dm $S1 -j nhs show dev dmvpn0 | jq '.[0].replies') -gt $rep ]"

cap_stop "$PCAP"
log "t=${SECONDS}s: the capture"
# One tshark pass (slow in a VM): lib_capture's fields plus time and error
# code. An Error Indication quotes a packet, whose fields come as second
# values ("7,3"): the type is the first, every checksum must be good.
# (lib_capture's nhrp_check does not know that yet.)
nhrp_table() {
	tshark -n -r "$1" -Y nhrp -T fields -E separator='|' \
		-e frame.number -e nhrp.hdr.op.type -e nhrp.hdr.chksum.status \
		-e ip.src -e ip.dst -e nhrp.src.prot.addr -e nhrp.dst.prot.addr \
		-e _ws.malformed -e _ws.expert.severity -e _ws.expert.message \
		-e frame.time_epoch -e nhrp.err.code 2>/dev/null |
	awk -F'|' -v OFS='|' -v warn=$CAP_EXPERT_WARN '
		{
			ok = $8 == ""
			n = split($3, c, ",")
			for (i = 1; i <= n; i++)
				if (c[i] != 1)
					ok = 0
			n = split($9, sev, ",")
			for (i = 1; i <= n; i++)
				if (sev[i] + 0 >= warn)
					ok = 0
			split($2, t, ",")
			$2 = t[1]
			print
			if (!ok)
				bad = bad " " $1
		}
		END {
			if (bad != "") {
				print "# NHRP packets that do not decode cleanly:" \
					bad >"/dev/stderr"
				exit 1
			}
		}' >"$1.nhrp"
}
check "every NHRP packet the daemons sent decodes cleanly in tshark" \
	nhrp_table "$PCAP"
log "NHRP on the wire: $(nhrp_summary "$PCAP")"
# What the hub sent the attacker: time|type|error code.
fields=$DMVPND_LOGDIR/hub-to-s3
awk -F'|' -v OFS='|' -v d=$S3_NBMA '$5 == d { print $11, $2, $12 }' \
	"$PCAP.nhrp" >"$fields"
check "Error Indication code 1 for the unknown compulsory extension" \
	test "$(awk -F'|' -v t="$t0" '$1 < t && $2 == 7 && $3 == 1' "$fields" | wc -l)" = 1
check "Error Indication 11 for the over-long password" \
	test "$(awk -F'|' -v t="$t0" '$1 < t && $2 == 7 && $3 == 11' "$fields" | wc -l)" = 1
check "nothing else answers the hostile packets (a reply to the good one)" \
	test "$(awk -F'|' -v t="$t0" '$1 < t' "$fields" | wc -l)" = 3
# The most the hub sent in any 1 s window.
max_in_1s() {
	awk -F'|' -v type="$1" -v a="$2" -v b="$3" '
		$2 == type && $1 >= a && $1 < b { t[n++] = $1 }
		END {
			for (i = j = 0; i < n; i++) {
				while (t[i] - t[j] >= 1)
					j++
				if (i - j + 1 > max)
					max = i - j + 1
			}
			print max + 0
		}' "$fields"
}
reps=$(max_in_1s 4 "$t0" "$t1")
log "at most $reps registration replies in 1 s during the burst"
check "registration replies within 10000 + 5000 in 1 s" \
	test "$reps" -ge 1 -a "$reps" -le 15000
errs=$(max_in_1s 7 "$t1" "$t2")
total=$(awk -F'|' -v a="$t1" -v b="$t2" '$2 == 7 && $1 >= a && $1 < b' "$fields" | wc -l)
span=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%d", b - a + 1 }')
log "$total Error Indications in $span s, at most $errs in 1 s"
check "Error Indications: at most 10 + 1 in 1 s" test "$errs" -le 11
check "Error Indications: at most 10 + 1/s in all" \
	test "$total" -ge 1 -a "$total" -le $((10 + span))
finish
