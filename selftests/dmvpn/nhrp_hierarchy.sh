#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Hierarchical DMVPN: two regional hubs register with a central one, each
# spoke with its regional hub, and all share one tunnel subnet; the
# routes between the regions are what an IGP over the overlay would give.
# A spoke's Resolution Request for a spoke of the other region climbs to
# the central hub, which forwards it down along its route to the other
# regional hub (recording itself in the Forward Transit NHS extension);
# that hub answers from its registrations, and the reply retraces the
# request's path, each hub adding itself to the Reverse Transit NHS
# extension. A spoke asked for an address of the LAN behind it answers
# for the LAN's prefix, and the requester holds a shortcut for it. Once
# resolved, the spokes' traffic no longer crosses any hub.
#
#   C   198.51.100.1  --.                  overlay 10.0.0.0/16 on dmvpn0
#   A   198.51.100.5  --+                  C 10.0.0.1 (central hub)
#   B   198.51.100.9  --+-- ul (router)    A 10.0.1.1, B 10.0.2.1 (NHS C)
#   A1  198.51.100.13 --+                  A1 10.0.1.11 (NHS A)
#   B1  198.51.100.17 --'                  B1 10.0.2.11 (NHS B)
#   lan -- B1: 10.20.0.0/24, B1 .1, hosts .5 and .77
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
require_dmvpn
require_dmvpnd
require nft tcpdump tshark

HOLD=60
C_NBMA=198.51.100.1 A_NBMA=198.51.100.5 B_NBMA=198.51.100.9
A1_NBMA=198.51.100.13 B1_NBMA=198.51.100.17
C_TUN=10.0.0.1 A_TUN=10.0.1.1 B_TUN=10.0.2.1
A1_TUN=10.0.1.11 B1_TUN=10.0.2.11
LAN_NET=10.20.0.0 LAN_H1=10.20.0.5 LAN_H2=10.20.0.77

# site NS NBMA NAME: NS on the underlay, a /30 to UL (its end there
# site-NAME: a bare "a" or "b" would read as a keyword to ip link).
site() {
	local ns=$1 nbma=$2 gw
	gw=${nbma%.*}.$((${nbma##*.} + 1))
	link_pair "$ns" eth0 "$nbma/30" "$UL" "site-$3" "$gw/30" &&
		ip -n "$ns" route add default via "$gw"
}

topology() {
	setup_ns UL C A B A1 B1 LAN || return 1
	site "$C" $C_NBMA c && site "$A" $A_NBMA a && site "$B" $B_NBMA b &&
	site "$A1" $A1_NBMA a1 && site "$B1" $B1_NBMA b1 || return 1
	add_dmvpn "$C" $C_NBMA $C_TUN/16 &&
	add_dmvpn "$A" $A_NBMA $A_TUN/16 &&
	add_dmvpn "$B" $B_NBMA $B_TUN/16 &&
	add_dmvpn "$A1" $A1_NBMA $A1_TUN/16 &&
	add_dmvpn "$B1" $B1_NBMA $B1_TUN/16 || return 1
	link_pair "$B1" lan0 10.20.0.1/24 "$LAN" eth0 $LAN_H1/24 &&
	ip -n "$LAN" addr add $LAN_H2/24 dev eth0 &&
	ip -n "$LAN" route add default via 10.20.0.1 || return 1

	ip -n "$C" route add 10.0.1.0/24 via $A_TUN dev dmvpn0 onlink &&
	ip -n "$C" route add 10.0.2.0/24 via $B_TUN dev dmvpn0 onlink &&
	ip -n "$C" route add $LAN_NET/24 via $B_TUN dev dmvpn0 onlink &&
	ip -n "$B" route add $LAN_NET/24 via $B1_TUN dev dmvpn0 onlink &&
	ip -n "$A" route add $LAN_NET/24 via $C_TUN dev dmvpn0 onlink &&
	# No gateway: the LAN's addresses are nexthops A1 resolves itself.
	ip -n "$A1" route add $LAN_NET/24 dev dmvpn0 || return 1

	config_set "$C" hub $HOLD &&
	config_set "$A" hub $HOLD && nhs_add "$A" $C_NBMA $C_TUN &&
	config_set "$B" hub $HOLD && nhs_add "$B" $C_NBMA $C_TUN &&
	config_set "$A1" spoke $HOLD && nhs_add "$A1" $A_NBMA $A_TUN &&
	config_set "$B1" spoke $HOLD && nhs_add "$B1" $B_NBMA $B_TUN || return 1

	# The data between the sites each hub receives out of the tunnel
	# (NHRP is not IP: the hooks do not see it).
	local h
	for h in "$C" "$A" "$B"; do
		n "$h" nft -f - <<-EOF || return 1
		table ip hier {
			chain pre {
				type filter hook prerouting priority filter;
				iifname "dmvpn0" ip saddr { $A1_TUN, $B1_TUN, $LAN_NET/24 } ip daddr { $A1_TUN, $B1_TUN, $LAN_NET/24 } counter
			}
		}
		EOF
	done
}
topology || { echo "# setup failed"; exit 1; }

hub_count() {
	n "$1" nft -j list chain ip hier pre |
		jq '[.nftables[] | select(.rule) | .rule.expr[] |
		     select(.counter) | .counter.packets] | add // 0'
}
hubs_data() {
	echo $(($(hub_count "$C") + $(hub_count "$A") + $(hub_count "$B")))
}
hub_count_gt() { [ "$(hub_count "$1")" -gt "$2" ]; }

# shortcut_has NS PREFIX PLEN NBMA: a shortcut entry as expected.
shortcut_has() {
	dm "$1" -j map show dev dmvpn0 | jq -e --arg p "$2" --argjson l "$3" \
		--arg n "$4" '.[] | select(.proto == $p and .plen == $l and
		 .type == "shortcut" and .nbma == $n)' >/dev/null
}

# lan_shortcut: A1 holds 10.20.0.0/24 -> B1 within the timeout; else logs
# A1's cache.
lan_shortcut() {
	busywait 20000 shortcut_has "$A1" $LAN_NET 24 $B1_NBMA && return 0
	log "no shortcut $LAN_NET/24 -> $B1_NBMA at A1:"
	dm "$A1" map show dev dmvpn0 | sed 's/^/#   /'
	return 1
}

# resolved NS PROTO NBMA: NS holds PROTO -> NBMA within the timeout;
# else logs NS's cache.
resolved() {
	busywait 20000 entry_has "$1" "$2" dynamic "$3" && return 0
	log "${1%%-*} did not resolve $2 to $3:"
	dm "$1" map show dev dmvpn0 | sed 's/^/#   /'
	return 1
}

# direct FROM DST...: five pings from FROM to each DST are all answered,
# and the hubs carry fewer than five of their packets.
direct() {
	local from=$1 h0 h d
	shift
	h0=$(hubs_data)
	for d in "$@"; do
		n "$from" ping -c 5 -i 0.2 -W 2 "$d" 2>&1 |
			grep -q ' 5 received' || {
			log "pings from ${from%%-*} to $d were lost"
			return 1
		}
	done
	h=$(($(hubs_data) - h0))
	log "the hubs carried $h of their packets"
	[ "$h" -lt 5 ]
}

for ns in "$C" "$A" "$B" "$A1" "$B1"; do
	start_dmvpnd "$ns"
done

check "A and B registered at C" busywait 30000 bash -c \
	"entry_has $C $A_TUN dynamic $A_NBMA registered &&
	 entry_has $C $B_TUN dynamic $B_NBMA registered"
check "A1 registered at A" \
	busywait 30000 entry_has "$A" $A1_TUN dynamic $A1_NBMA registered
check "B1 registered at B" \
	busywait 30000 entry_has "$B" $B1_TUN dynamic $B1_NBMA registered
check "A1 reaches its hub" busywait 10000 ping_ok "$A1" $A_TUN
check "B1 reaches its hub" busywait 10000 ping_ok "$B1" $B_TUN

pcap=$(mktemp --suffix=.pcap) pings=$(mktemp)
cap_start "$C" eth0 "$pcap" || exit 1
c0=$(hub_count "$C")
# ip netns exec execs ping: $! is ping itself, which kill stops.
ip netns exec "$A1" ping -i 0.2 -c 300 -W 1 $B1_TUN >"$pings" 2>&1 &
ping_pid=$!
# first_pings: C carried some of them, and B1 answered.
first_pings() { hub_count_gt "$C" "$c0" && grep -q 'bytes from' "$pings"; }
check "A1's first pings to B1 cross the hubs and are answered" \
	busywait 10000 first_pings
check "A1 resolves B1 through A, C and B" resolved "$A1" $B1_TUN $B1_NBMA
check "B1 resolves A1 (B, C, A and back)" resolved "$B1" $A1_TUN $A1_NBMA
kill $ping_pid 2>/dev/null
wait $ping_pid 2>/dev/null
cap_stop "$pcap"

check "every NHRP packet on C's underlay decodes cleanly in tshark" \
	nhrp_check "$pcap"
log "NHRP at C: $(nhrp_summary "$pcap")"
# (The .nhrp table of nhrp_check: type, NBMA src and dst, protocol src and
# dst in fields 2, 4, 5, 6 and 7.)
fwd=$(awk -F'|' -v s=$C_NBMA -v d=$B_NBMA -v sp=$A1_TUN -v dp=$B1_TUN \
	'$2 == 1 && $4 == s && $5 == d && $6 == sp && $7 == dp { c++ }
	 END { print c + 0 }' "$pcap.nhrp")
check "C forwards A1's Resolution Request to B ($fwd)" test "$fwd" -ge 1
cies=$(nhrp_cies "$pcap" "nhrp.hdr.op.type == 2 && ip.src == $C_NBMA &&
	ip.dst == $A_NBMA && nhrp.src.prot.addr == $A1_TUN &&
	nhrp.dst.prot.addr == $B1_TUN")
log "CIEs of the replies to A1 from C to A (frame|part|code|plen|nbma|proto):"
sed 's/^/#   /' <<<"${cies:-(none)}"
# reply_frames: the frames of those replies that bind B1 to its NBMA.
reply_frames() {
	awk -F'|' -v n=$B1_NBMA -v p=$B1_TUN \
		'$2 == "mandatory" && $3 == 0 && $5 == n && $6 == p { print $1 }' \
		<<<"$cies"
}
# reverse_names_c: one of them carries C in its Reverse Transit NHS record.
reverse_names_c() {
	awk -F'|' -v b=$B1_NBMA -v bp=$B1_TUN -v c=$C_NBMA -v cp=$C_TUN '
		$2 == "mandatory" && $3 == 0 && $5 == b && $6 == bp { ok[$1] = 1 }
		$2 == "reverse" && ($5 == c || $6 == cp) { rev[$1] = 1 }
		END { for (f in ok) if (f in rev) found = 1; exit !found }' \
		<<<"$cies"
}
check "C passes the successful reply on to A" test -n "$(reply_frames)"
check "the reply leaving C names C in its Reverse Transit NHS record" \
	reverse_names_c
rm -f "$pcap" "$pcap.nhrp"

check "A1 and B1 then reach each other without the hubs" \
	direct "$A1" $B1_TUN

ip netns exec "$A1" ping -i 0.2 -c 300 -W 1 $LAN_H1 >/dev/null 2>&1 &
ping_pid=$!
check "A1 holds a shortcut for B1's LAN" lan_shortcut
check "and a host entry for B1 behind it" \
	entry_has "$A1" $B1_TUN dynamic $B1_NBMA
kill $ping_pid 2>/dev/null
wait $ping_pid 2>/dev/null
check "A1 reaches both LAN hosts without the hubs" \
	direct "$A1" $LAN_H1 $LAN_H2
rm -f "$pings"
finish
