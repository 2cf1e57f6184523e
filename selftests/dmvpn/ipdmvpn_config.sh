#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ip dmvpn's NHRP commands against the kernel: the configuration round
# trip (text and JSON), next-hop servers, -batch with the example hub and
# spoke files and with a failing line, events, and the "show dmvpn" table
# of a hub and of a spoke.
source "$(dirname "$0")/lib.sh"
require jq python3
require_dmvpn
here=$(dirname "$0")
examples=$DMVPN_ROOT/user/examples
setup_underlay || exit 1
add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
add_dmvpn "$S1" $S1_NBMA $S1_TUN/32 &&
add_dmvpn "$S2" $S2_NBMA $S2_TUN/32 || exit 1
tmp=$(mktemp -d)
trap 'cleanup; rm -rf "$tmp"' EXIT

# cfg NS FIELD: one member of the device's configuration (JSON).
cfg() { dm "$1" -j config show dev dmvpn0 | jq -c ".[0].$2"; }
# nhs_count NS, nhs_field NS KEY VALUE FIELD
nhs_count() { dm "$1" -j nhs show dev dmvpn0 | jq length; }
nhs_field() {
	dm "$1" -j nhs show dev dmvpn0 |
		jq -c --arg v "$3" ".[] | select(.$2 == \$v) | .$4"
}
# is WANT CMD...: CMD prints exactly WANT (logged when not).
is() {
	local want=$1 got
	shift
	got=$("$@")
	[ "$got" = "$want" ] || log "$*: got '$got', want '$want'"
	[ "$got" = "$want" ]
}
raw() { n "$1" python3 "$here/genl_raw.py" "${@:2}"; }
# has REGEX TEXT: a line of TEXT matches.
has() { grep -qE -- "$1" <<<"$2"; }
T='[0-9][0-9]:[0-9][0-9]:[0-9][0-9]'	# UpDn Tm

# ---- config set / show ----
check "defaults: no role, NHRP off" \
	is '{"role":"none","network_id":0,"holdtime":7200,"registration_interval":0,"unique":true,"multicast_dynamic":false}' \
	bash -c "dm $S2 -j config show dev dmvpn0 | jq -c '.[0] | del(.ifindex, .ifname)'"
dm "$S2" config set dev dmvpn0 role spoke network-id 7 holdtime 300 \
	registration-interval 100 auth 'k3y!' no-unique multicast dynamic
check "config set: all members" \
	is '{"role":"spoke","network_id":7,"holdtime":300,"registration_interval":100,"auth":"(set)","unique":false,"multicast_dynamic":true}' \
	bash -c "dm $S2 -j config show dev dmvpn0 | jq -c '.[0] | del(.ifindex, .ifname)'"
check "config show text" is \
	"dmvpn0: role spoke network-id 7 holdtime 300 registration-interval 100 auth (set) no-unique multicast dynamic" \
	dm "$S2" config show dev dmvpn0
# The key is the cloud's secret: the kernel gives it to root, ip dmvpn
# never prints it (the key of "k3y!" in hex).
check "the kernel has the key" is 6b337921 \
	bash -c "n $S2 python3 $here/genl_raw.py -p 1 2:str:dmvpn0 | head -n 1 | jq -r .config.auth"
check_fail "config show never prints the key" \
	bash -c "{ dm $S2 config show; dm $S2 -j config show; } | grep -qF 'k3y!'"
# The text reads back as the arguments of config set, but for the key:
# its placeholder is refused rather than made the key.
text=$(dm "$S2" config show dev dmvpn0)
# shellcheck disable=SC2086
check_fail "config show text with auth (set) is refused by config set" \
	dm "$S1" config set dev dmvpn0 ${text#dmvpn0:}
args=$(sed 's/^dmvpn0://; s/ auth (set)//' <<<"$text")
# shellcheck disable=SC2086
dm "$S1" config set dev dmvpn0 $args auth 'k3y!'
check "config show text reads back as config set" is \
	"$(dm "$S2" -j config show dev dmvpn0 | jq -c '.[0] | del(.ifindex)')" \
	bash -c "dm $S1 -j config show dev dmvpn0 | jq -c '.[0] | del(.ifindex)'"
dm "$S2" config set dev dmvpn0 holdtime 600 no-auth
check "config set changes only what is given" \
	is '"spoke" 7 600 100 null false' \
	bash -c "dm $S2 -j config show dev dmvpn0 | jq -r '.[0] | [.role, .network_id, .holdtime, .registration_interval, .auth, .unique] | map(tojson) | join(\" \")'"
check_fail "a 9-byte key is refused" \
	dm "$S2" config set dev dmvpn0 network-id 8 auth 123456789
check_fail "holdtime 0 is refused" dm "$S2" config set dev dmvpn0 holdtime 0
check "a refused config set changes nothing" is 7 cfg "$S2" network_id
check "config show lists every device" is 1 \
	bash -c "dm $S2 -j config show | jq length"
# Restore the defaults for the -batch checks below.
dm "$S1" config set dev dmvpn0 role none network-id 0 holdtime 7200 \
	registration-interval 0 no-auth unique no-multicast-dynamic
dm "$S2" config set dev dmvpn0 role none network-id 0 holdtime 7200 \
	registration-interval 0 no-auth unique no-multicast-dynamic

# ---- monitor ----
ev=$tmp/events
n "$S2" "$IPD" -j monitor >"$ev" &
mon=$!
primed() {
	dm "$S2" mcast add 198.51.100.61 dev dmvpn0 2>/dev/null ||
		dm "$S2" mcast del 198.51.100.61 dev dmvpn0
	grep -q 198.51.100.61 "$ev"
}
check "the monitor is subscribed" busywait 10000 primed

# ---- nhs add / replace / del / show ----
dm "$S2" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN priority 1
dm "$S2" nhs add dev dmvpn0 fqdn hub2.example.net priority 5
check "two servers" is 2 nhs_count "$S2"
check "nhs show: the NBMA one" is '"192.0.2.1" 1' \
	bash -c "dm $S2 -j nhs show dev dmvpn0 | jq -r '.[] | select(.nbma == \"$HUB_NBMA\") | [.proto, .priority] | map(tojson) | join(\" \")'"
check "nhs show: the FQDN one" is 5 \
	nhs_field "$S2" fqdn hub2.example.net priority
check "nhs show text" bash -c \
	"dm $S2 nhs show dev dmvpn0 | grep -q '^nbma $HUB_NBMA proto $HUB_TUN dev dmvpn0 priority 1\\b'"
check_fail "nhs add of an existing server fails" \
	dm "$S2" nhs add dev dmvpn0 nbma $HUB_NBMA priority 2
dm "$S2" nhs replace dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN priority 3
check "nhs replace updates" is 3 nhs_field "$S2" nbma $HUB_NBMA priority
check "nhs replace does not add" is 2 nhs_count "$S2"
dm "$S2" nhs replace dev dmvpn0 nbma 198.51.100.77
check "nhs replace of a new server adds it" is 3 nhs_count "$S2"
dm "$S2" nhs del dev dmvpn0 fqdn hub2.example.net
dm "$S2" nhs del dev dmvpn0 nbma 198.51.100.77
check "nhs del" is '["198.51.100.1"]' \
	bash -c "dm $S2 -j nhs show dev dmvpn0 | jq -c 'map(.nbma)'"
check_fail "nhs del of a missing server fails" \
	dm "$S2" nhs del dev dmvpn0 fqdn hub2.example.net
dm "$S2" config set dev dmvpn0 role spoke auth m0n1tor
# event FILTER: some event in the monitor's output matches.  (Slurped:
# jq 1.6's -e only looks at the last input.)
event() { jq -se "any(.[]; $1)" "$ev" >/dev/null; }
events_seen() {
	event '.event == "config-changed" and .dev == "dmvpn0" and .role == "spoke"' &&
	event '.event == "nhs-added" and .fqdn == "hub2.example.net" and .priority == 5' &&
	event '.event == "nhs-deleted" and .nbma == "198.51.100.77"'
}
busywait 3000 events_seen || sed 's/^/#   event: /' "$ev"
check "config-changed and nhs-added/deleted events" events_seen
check_fail "no event shows the key" grep -qF m0n1tor "$ev"
dm "$S2" config set dev dmvpn0 no-auth
dm "$S2" nhs del dev dmvpn0 nbma $HUB_NBMA

# ---- -batch ----
dm "$HUB" -batch "$examples/hub.conf"
check "-batch hub.conf" is '"hub" 1 600 "(set)" true' \
	bash -c "dm $HUB -j config show dev dmvpn0 | jq -r '.[0] | [.role, .network_id, .holdtime, .auth, .multicast_dynamic] | map(tojson) | join(\" \")'"
dm "$S1" -batch - <"$examples/spoke.conf"
check "-batch - spoke.conf: config" is '"spoke" 1 600 60 "(set)" true' \
	bash -c "dm $S1 -j config show dev dmvpn0 | jq -r '.[0] | [.role, .network_id, .holdtime, .registration_interval, .auth, .unique] | map(tojson) | join(\" \")'"
check "-batch - spoke.conf: the hub is its server" \
	is '[{"nbma":"198.51.100.1","proto":"192.0.2.1"}]' \
	bash -c "dm $S1 -j nhs show dev dmvpn0 | jq -c 'map({nbma, proto})'"

cat >"$tmp/bad.conf" <<EOF
# applied
config set dev dmvpn0 role spoke network-id 9
nhs add dev dmvpn0 nbma $HUB_NBMA

nhs add dev dmvpn0 nbma 300.1.1.1
config set dev dmvpn0 holdtime 999
nhs add dev dmvpn0 fqdn after.example.net
EOF
out=$(dm "$S2" -batch "$tmp/bad.conf" 2>&1)
rc=$?
check "a bad line fails the batch" test $rc -eq 1
check "the bad line is named" has "^Command failed $tmp/bad.conf:5\$" "$out"
check "the lines before it were applied" is '9 1' \
	bash -c "echo \$(dm $S2 -j config show dev dmvpn0 | jq '.[0].network_id') \$(dm $S2 -j nhs show dev dmvpn0 | jq length)"
check "nothing after it was applied" is '7200 1' \
	bash -c "echo \$(dm $S2 -j config show dev dmvpn0 | jq '.[0].holdtime') \$(dm $S2 -j nhs show dev dmvpn0 | jq length)"
# The kernel refuses line 1 (the server exists): its message is printed.
printf 'nhs add dev dmvpn0 nbma %s\nconfig set dev dmvpn0 holdtime 999\n' \
	$HUB_NBMA >"$tmp/dup.conf"
out=$(dm "$S2" -batch "$tmp/dup.conf" 2>&1)
check "a refused request fails the batch" test $? -eq 1
check "with the kernel's message" has '^Error: ' "$out"
check "and its line" has "^Command failed $tmp/dup.conf:1\$" "$out"
check "and stops it" is 7200 cfg "$S2" holdtime
out=$(dm "$S2" -force -batch "$tmp/bad.conf" 2>&1)
check "-force goes on past failures and fails at the end" test $? -eq 1
check "-force names each failure" is 2 grep -c '^Command failed' <<<"$out"
check "-force applied the lines after the failures" is '999 2' \
	bash -c "echo \$(dm $S2 -j config show dev dmvpn0 | jq '.[0].holdtime') \$(dm $S2 -j nhs show dev dmvpn0 | jq length)"

# ---- show: the hub, two dynamic entries ----
dm "$HUB" cache add $S1_TUN nbma $S1_NBMA dev dmvpn0 type dynamic \
	holdtime 600 flags unique,registered
dm "$HUB" cache add $S2_TUN nbma $S2_NBMA dev dmvpn0 type dynamic \
	holdtime 600 flags unique,registered,nat
dm "$HUB" show dev dmvpn0 >"$tmp/hub"
sed 's/^/#   /' "$tmp/hub"
check "hub: interface header" grep -qx \
	"Interface: dmvpn0, IPv4 NHRP Details" "$tmp/hub"
check "hub: type and peers" grep -qx "Type:Hub, NHRP Peers:2," "$tmp/hub"
check "hub: columns" grep -qE \
	'^ +# Ent +Peer NBMA Addr +Peer Tunnel Add +State +UpDn Tm +Attrb$' \
	"$tmp/hub"
check "hub: spoke 1 row" grep -qE \
	"^ +1 $S1_NBMA +$S1_TUN +UP +$T +D\$" "$tmp/hub"
check "hub: spoke 2 row (NAT)" grep -qE \
	"^ +1 $S2_NBMA +$S2_TUN +UP +$T +DN\$" "$tmp/hub"
check "hub: JSON" is '"hub" [["198.51.100.5","192.0.2.11","up","D"],["198.51.100.9","192.0.2.12","up","DN"]]' \
	bash -c "dm $HUB -j show dev dmvpn0 | jq -rc '.[0] | (.role | tojson) + \" \" + ([.peers[] | [.nbma, .entries[0].proto, .entries[0].state, .entries[0].attrb]] | tojson)'"
# A second tunnel address behind spoke 2's NBMA address: one peer, 2 rows.
dm "$HUB" cache add 192.0.2.13 nbma $S2_NBMA dev dmvpn0 type dynamic \
	holdtime 600
dm "$HUB" cache add 192.0.2.20 dev dmvpn0 type incomplete holdtime 60
dm "$HUB" show dev dmvpn0 >"$tmp/hub"
sed 's/^/#   /' "$tmp/hub"
check "hub: same NBMA, one peer of two entries" grep -qE \
	"^ +2 $S2_NBMA +$S2_TUN +UP .* DN\$" "$tmp/hub"
check "hub: the second entry's row" grep -qE \
	"^ {20,}192.0.2.13 +UP +$T +D\$" "$tmp/hub"
check "hub: incomplete entry" grep -qE \
	"^ +1 UNKNOWN +192.0.2.20 +NHRP +never +I\$" "$tmp/hub"
check "hub: peers counted by NBMA address" grep -qx \
	"Type:Hub, NHRP Peers:3," "$tmp/hub"

# ---- show: the spoke, its server as a static NHS entry ----
dm "$S1" cache add $HUB_TUN nbma $HUB_NBMA dev dmvpn0 type static flags nhs
dm "$S1" show dev dmvpn0 >"$tmp/spoke"
sed 's/^/#   /' "$tmp/spoke"
check "spoke: type and peers" grep -qx "Type:Spoke, NHRP Peers:1," "$tmp/spoke"
check "spoke: the hub, no status published yet" grep -qE \
	"^ +1 $HUB_NBMA +$HUB_TUN +UP +$T +S\$" "$tmp/spoke"
# What dmvpnd publishes (NHS_SET, 15): the server is down.
raw "$S1" 15 2:str:dmvpn0 \
	17:nest:[1:hex:c6336401,5:u8:1,8:u64:3,9:u64:0,10:u64:3] |
	grep -q errno=0 || log "NHS_SET refused"
check "spoke: a server that is down shows DOWN" bash -c \
	"dm $S1 show dev dmvpn0 | grep -qE '^ +1 $HUB_NBMA +$HUB_TUN +DOWN +$T +S\$'"
check "nhs show: status" is '"down" 3 0 3' \
	bash -c "dm $S1 -j nhs show dev dmvpn0 | jq -r '.[0] | [.state, .requests, .replies, .failures] | map(tojson) | join(\" \")'"
check "nhs show text: status" bash -c \
	"dm $S1 nhs show dev dmvpn0 | grep -qE ' state down since $T .*requests 3 replies 0 failures 3'"
raw "$S1" 15 2:str:dmvpn0 17:nest:[1:hex:c6336401,5:u8:3,9:u64:1] |
	grep -q errno=0 || log "NHS_SET refused"
check "spoke: registered, it shows UP" bash -c \
	"dm $S1 -j show dev dmvpn0 | jq -e '.[0].peers[0].entries[0] | .state == \"up\" and (.flags | index(\"nhs\"))' >/dev/null"
# A server with no cache entry (its address not resolved yet).
dm "$S1" nhs add dev dmvpn0 fqdn hub2.example.net
check "spoke: a server without an entry gets a row" bash -c \
	"dm $S1 show dev dmvpn0 | grep -qE '^ +1 UNKNOWN +UNKNOWN +NHRP +never +S\$'"
check "spoke: two peers" bash -c \
	"dm $S1 show dev dmvpn0 | grep -qx 'Type:Spoke, NHRP Peers:2,'"
check "stats: tx_via_nhs is reported" bash -c \
	"dm $S1 -j -s dev show dev dmvpn0 | jq -e '.[0].stats.tx_via_nhs >= 0' >/dev/null"

# The monitor on spoke 2 sees a status change of its server.
raw "$S2" 15 2:str:dmvpn0 17:nest:[1:hex:c6336401,5:u8:3] |
	grep -q errno=0 || log "NHS_SET refused"
check "nhs-changed event with the key and state" busywait 3000 event \
	".event == \"nhs-changed\" and .nbma == \"$HUB_NBMA\" and .state == \"up\""
kill $mon 2>/dev/null
finish
