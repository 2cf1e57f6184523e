#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A member of the cloud that knows the GRE key and the NHRP password (a
# third site with its own dmvpn device, sending hand-made NHRP) tries to
# take what is not its own from a dmvpnd hub and its spokes:
# - it registers the address of one of the hub's static maps: code 4, and
#   the map stays;
# - it purges spoke 1's registration (claiming spoke 1's NBMA address):
#   refused, the binding stays;
# - it sends spoke 1 a Registration Reply with the id of spoke 1's own
#   pending request and code 4: ignored (wrong source), the NHS stays up;
# - it registers 10,000 addresses from its one NBMA address: the hub keeps
#   at most its per-NBMA share and the honest spokes keep registering.
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
MAP_TUN=192.0.2.50 MAP_NBMA=198.51.100.50 # a static map on the hub
attacker_site || { echo "# setup failed"; exit 1; }

# forge DST KIND [option=value...]: NHRP from the attacker to DST's NBMA.
forge() {
	local dst=$1 kind=$2
	shift 2
	n "$S3" python3 "$FORGE" dmvpn0 "$dst" "$kind" src_nbma=$S3_NBMA \
		src_proto=$S3_TUN dst_proto=$HUB_TUN auth=$AUTH "$@"
}

nhrp_cloud $HOLD $AUTH &&
	dm "$HUB" map add $MAP_TUN nbma $MAP_NBMA dev dmvpn0 ||
	{ echo "# config failed"; exit 1; }

PCAP=$DMVPND_LOGDIR/hub.pcap
cap_start "$UL" hub "$PCAP" "ip proto 47 and host $HUB_NBMA" || exit 1
start_dmvpnd "$HUB"
start_dmvpnd "$S1"
start_dmvpnd "$S2"
check "spoke 1 registered" \
	busywait 20000 entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 2 registered" \
	busywait 20000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered

log "t=${SECONDS}s: registering the static map's address"
check "send the hijacking registration" \
	forge $HUB_NBMA good src_proto=$MAP_TUN reqid=1
check "the hub refuses it with code 4" \
	busywait 5000 log_has "$HUB" "refused registration of $MAP_TUN from $S3_NBMA: code 4"
check "the static map is intact" entry_has "$HUB" $MAP_TUN static $MAP_NBMA

log "t=${SECONDS}s: purging spoke 1's registration"
check "send the purge" \
	forge $HUB_NBMA purge src_nbma=$S1_NBMA target=$S1_TUN reqid=2
check "the hub refuses it" \
	busywait 5000 log_has "$HUB" "refused purge of $S1_TUN from $S3_NBMA"
check "spoke 1 is still registered" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered

log "t=${SECONDS}s: a forged reply to spoke 1's own request"
# Spoke 1's request id, as anyone on the path sees it: its next refresh.
before=$(log_count "$S1" "nhs $HUB_NBMA: registered")
busywait $((HOLD * 1000 / 3 + 5000)) bash -c \
	"[ \$(grep -c 'nhs $HUB_NBMA: registered' $DMVPND_LOGDIR/$S1.log) -gt $before ]"
cap_stop "$PCAP"
reqid=$(tshark -n -r "$PCAP" -Y "nhrp.hdr.op.type == 3 && ip.src == $S1_NBMA" \
	-T fields -e nhrp.reqid 2>/dev/null | tail -1)
check "spoke 1's request id seen on the wire" test -n "$reqid"
cap_start "$UL" hub "$PCAP.2" "ip proto 47 and host $HUB_NBMA" || exit 1
check "send the forged reply" \
	forge $S1_NBMA regreply code=4 reqid="${reqid:-1}" src_nbma=$S1_NBMA \
		src_proto=$S1_TUN
kill -USR1 "${DMVPND_PID[$S1]}"
check "spoke 1 drops it as unexpected" \
	busywait 5000 log_has "$S1" "drop-unexpected-reply=[1-9]"
check "spoke 1's NHS stays up" test "$(nhs_state "$S1")" = up
check_fail "spoke 1 was not told its registration was refused" \
	log_has "$S1" "registration refused"

log "t=${SECONDS}s: 10000 registrations from one NBMA address"
check "send them" forge $HUB_NBMA good src_proto=10.99.0.1 proto_step=1 \
	reqid=1000 count=10000
check "the hub's dmvpnd is alive" kill -0 "${DMVPND_PID[$HUB]}"
held=$(dm "$HUB" -j map show dev dmvpn0 |
	jq --arg n $S3_NBMA '[.[] | select(.nbma == $n)] | length')
log "the attacker holds $held bindings"
check "at most its share (256)" test "${held:-0}" -le 256 -a "${held:-0}" -gt 0
# An honest spoke that registers anew: spoke 2's daemon restarts.
stop_dmvpnd "$S2"
dm "$HUB" map del $S2_TUN dev dmvpn0
start_dmvpnd "$S2"
check "spoke 2 registers again after the flood" \
	busywait 20000 entry_has "$HUB" $S2_TUN dynamic $S2_NBMA registered
check "spoke 1 still registered" \
	entry_has "$HUB" $S1_TUN dynamic $S1_NBMA registered
check "spoke 1 reaches spoke 2" ping_ok "$S1" $S2_TUN
check "the hub logged the flood in a bounded number of lines" \
	test "$(log_count "$HUB" "refused registration")" -lt 100
cap_stop "$PCAP.2"
finish
