#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The NHRP configuration and next-hop server commands over raw generic
# netlink: defaults, partial updates, every bad value refused with its
# reason and nothing changed, the NHS list (keys, duplicates, replace,
# status from NHS_SET and its events, the bound), cleanup with the device,
# and privileges.
source "$(dirname "$0")/lib.sh"
require jq python3 setpriv
require_dmvpn
setup_ns A
ip -n "$A" link add ul0 type dummy
ip -n "$A" addr add 198.51.100.5/24 dev ul0
ip -n "$A" link set ul0 up
add_dmvpn "$A" 198.51.100.5 192.0.2.11/24 dev ul0 || exit 1

# Commands, attributes and events of include/uapi/linux/dmvpn.h.
DEV_GET=1 CONFIG_SET=11 NHS_NEW=12 NHS_DEL=13 NHS_GET=14 NHS_SET=15
DEV=2:str:dmvpn0 REPLACE=14:flag:
EV_CONFIG=7 EV_NHS_ADDED=8 EV_NHS_DELETED=9 EV_NHS_CHANGED=10
HUB1=1:hex:c6336401	# NHS NBMA 198.51.100.1
HUB2=1:hex:c6336402	# NHS NBMA 198.51.100.2
FQDN=2:str:hub.example.net

genl_serve "$A"
raw() { genl_raw "$A" "$@"; }
raw_says() {
	local name=$1 want=$2
	shift 2
	local out
	out=$(raw "$@")
	[[ "$out" == *"$want"* ]] || log "$name: got '$out'"
	check "$name" test "${out#*"$want"}" != "$out"
}
cfg() { raw -p $DEV_GET $DEV | head -n 1 | jq -c .config; }
nhs_list() { raw -p $NHS_GET 0x300 $DEV | grep '^{' | jq -sc '[.[].nhs]'; }
nhs_count() { nhs_list | jq length; }
# nhs_field KEY_ATTR FIELD: one field of one NHS (NHS_GET do).
nhs_field() { raw -p $NHS_GET $DEV "17:nest:[$1]" | head -n 1 | jq -r ".nhs.$2"; }

ev=$(mktemp)
n "$A" python3 "$GENL_RAW_PY" --monitor >"$ev" &
mon=$!
check "the event monitor is subscribed" busywait 10000 grep -qx ready "$ev"
events() { grep '^{' "$ev" | jq -c "select(.event == $1)"; }
nevents() { events "$1" | wc -l; }
# For busywait, which must re-read: nevents_are TYPE N, since_ge KEY SECONDS.
nevents_are() { [ "$(nevents "$1")" -eq "$2" ]; }
since_ge() { [ "$(nhs_field "$1" since)" -ge "$2" ]; }

# ---- configuration
defaults='{"auth":"","holdtime":7200,"mcast_dynamic":0,"network_id":0,"reg_interval":0,"role":0,"unique":1}'
check "a new device has the default configuration" test "$(cfg)" = "$defaults"

raw_says "setting the network-id alone" "errno=0 " \
	$CONFIG_SET $DEV 16:nest:[2:u32:7]
want='{"auth":"","holdtime":7200,"mcast_dynamic":0,"network_id":7,"reg_interval":0,"role":0,"unique":1}'
check "changes only the network-id" test "$(cfg)" = "$want"
raw_says "setting role, holdtime, interval, auth, unique, mcast" "errno=0 " \
	$CONFIG_SET $DEV \
	16:nest:[1:u8:1,3:u32:600,4:u32:200,5:hex:736563726574,6:u8:0,7:u8:1]
want='{"auth":"736563726574","holdtime":600,"mcast_dynamic":1,"network_id":7,"reg_interval":200,"role":1,"unique":0}'
check "all of them changed" test "$(cfg)" = "$want"
check "one CONFIG_CHANGED event per change" \
	busywait 3000 nevents_are $EV_CONFIG 2
# Events go to every listener: all of it but the secret (M4).
check "the event names the device and carries the configuration but auth" \
	test "$(events $EV_CONFIG | tail -n 1 | jq -c '[.ifname, .config]')" = \
	"[\"dmvpn0\",$(jq -c 'del(.auth)' <<<"$want")]"
raw_says "setting the same values again" "errno=0 " \
	$CONFIG_SET $DEV 16:nest:[2:u32:7,3:u32:600]

before=$(cfg)
raw_says "role out of range" "errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[1:u8:3]
raw_says "holdtime 0" "errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[3:u32:0]
raw_says "holdtime beyond 16 bits" "errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[3:u32:65536]
raw_says "registration interval beyond 16 bits" \
	"errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[4:u32:65536]
raw_says "9-byte authentication" \
	"errno=34 msg=binary attribute size out of range" \
	$CONFIG_SET $DEV 16:nest:[5:hex:010203040506070809]
raw_says "unique 2" "errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[6:u8:2]
raw_says "mcast-dynamic 2" "errno=34 msg=integer out of range" \
	$CONFIG_SET $DEV 16:nest:[7:u8:2]
raw_says "a good value next to a bad one" "errno=34" \
	$CONFIG_SET $DEV 16:nest:[2:u32:99,3:u32:0]
raw_says "unknown attribute" "errno=22" \
	$CONFIG_SET $DEV 16:nest:[8:u8:1]
raw_says "an empty configuration" \
	"errno=22 msg=dmvpn: empty configuration" $CONFIG_SET $DEV 16:nest:[]
raw_says "no configuration" "errno=22 msg=dmvpn: DMVPN_A_CONFIG required" \
	$CONFIG_SET $DEV
raw_says "a device that is not dmvpn" "errno=95" \
	$CONFIG_SET 2:str:lo 16:nest:[2:u32:1]
check "refused requests changed nothing" test "$(cfg)" = "$before"
check "and sent no event" test "$(nevents $EV_CONFIG)" -eq 2
raw_says "the empty authentication clears it" "errno=0 " \
	$CONFIG_SET $DEV 16:nest:[5:hex:]
check "auth is empty again" test "$(cfg | jq -r .auth)" = ""

# ---- next-hop servers
raw_says "NHS by NBMA address" "errno=0 " \
	$NHS_NEW $DEV 17:nest:[$HUB1,3:hex:c0000201,4:u8:1]
raw_says "NHS by name" "errno=0 " $NHS_NEW $DEV 17:nest:[$FQDN]
check "NHS_ADDED events" busywait 3000 nevents_are $EV_NHS_ADDED 2
raw_says "a duplicate NBMA address" "errno=17 msg=dmvpn: NHS exists" \
	$NHS_NEW $DEV 17:nest:[$HUB1]
raw_says "a duplicate name (any case)" "errno=17 msg=dmvpn: NHS exists" \
	$NHS_NEW $DEV 17:nest:[2:str:HUB.example.NET]
raw_says "NBMA and name together" "errno=22 msg=dmvpn: give the NHS's NBMA" \
	$NHS_NEW $DEV 17:nest:[$HUB2,$FQDN]
raw_says "neither NBMA nor name" "errno=22 msg=dmvpn: NHS needs an NBMA" \
	$NHS_NEW $DEV 17:nest:[4:u8:1]
raw_says "an empty name" "errno=22 msg=dmvpn: empty FQDN" \
	$NHS_NEW $DEV 17:nest:[2:str:]
raw_says "a name with a space" "errno=22 msg=dmvpn: FQDN may hold only" \
	"$NHS_NEW" "$DEV" "17:nest:[2:str:a b]"
raw_says "a 254-byte name" "errno=22 msg=Attribute failed policy validation" \
	$NHS_NEW $DEV 17:nest:[2:str:$(printf 'a%.0s' {1..254})]
raw_says "an IPv6 NBMA address (IPv4 underlay)" \
	"errno=97 msg=dmvpn: NBMA address family differs" \
	$NHS_NEW $DEV 17:nest:[1:hex:20010db8000000000000000000000001]
raw_says "a 5-byte NBMA address" "errno=22 msg=dmvpn: address must be 4" \
	$NHS_NEW $DEV 17:nest:[1:hex:c633640101]
raw_says "a multicast NBMA address" \
	"errno=22 msg=dmvpn: NBMA address must be unicast" \
	$NHS_NEW $DEV 17:nest:[1:hex:e0000001]
raw_says "a multicast tunnel address" \
	"errno=22 msg=dmvpn: NHS tunnel address must be unicast" \
	$NHS_NEW $DEV 17:nest:[$HUB2,3:hex:e0000001]
names=(x x x x x STATE CUR_NBMA CUR_PROTO REQUESTS REPLIES FAILURES \
       LAST_CODE NAT)
vals=(x x x x x u8:1 hex:c6336409 hex:c0000209 u64:1 u64:1 u64:1 u8:0 u8:1)
for a in 5 6 7 8 9 10 11 12; do
	raw_says "status attribute ${names[a]} refused in NHS_NEW" \
		"errno=22 msg=dmvpn: ${names[a]} is status" \
		$NHS_NEW $DEV "17:nest:[$HUB2,$a:${vals[a]}]"
done
raw_says "SINCE refused in NHS_NEW" "errno=22 msg=dmvpn: read-only" \
	$NHS_NEW $DEV 17:nest:[$HUB2,13:u32:1]
raw_says "no NHS nest" "errno=22 msg=dmvpn: DMVPN_A_NHS required" \
	$NHS_NEW $DEV
check "refused requests added nothing" test "$(nhs_count)" -eq 2
check "the NHS has its configuration" \
	test "$(nhs_field $HUB1 proto)/$(nhs_field $HUB1 priority)" = \
	192.0.2.1/1
check "and no status yet" test "$(nhs_field $HUB1 state)" -eq 0

# Status: only NHS_SET writes it, and only a new state is an event.
check "SINCE counts from the creation" \
	busywait 15000 since_ge $HUB1 5
raw_says "configuration refused in NHS_SET" \
	"errno=22 msg=dmvpn: PROTO is configuration" \
	$NHS_SET $DEV 17:nest:[$HUB1,3:hex:c0000202]
raw_says "state out of range" "errno=34 msg=integer out of range" \
	$NHS_SET $DEV 17:nest:[$HUB1,5:u8:4]
raw_says "NHS_SET without status" \
	"errno=22 msg=dmvpn: NHS_SET needs a status" $NHS_SET $DEV 17:nest:[$HUB1]
raw_says "NHS_SET of a missing NHS" "errno=2 msg=dmvpn: no such NHS" \
	$NHS_SET $DEV 17:nest:[$HUB2,5:u8:3]
check "no NHS_CHANGED so far" test "$(nevents $EV_NHS_CHANGED)" -eq 0
since=$(nhs_field $HUB1 since)
raw_says "NHS_SET state up with status" "errno=0 " \
	$NHS_SET $DEV "17:nest:[$HUB1,5:u8:3,6:hex:c6336401,7:hex:c0000201,8:u64:4,9:u64:3,10:u64:1,11:u8:0,12:u8:1]"
# Without a restart SINCE could only have grown.
check "SINCE restarted" test "$(nhs_field $HUB1 since)" -lt "$since"
check "one NHS_CHANGED event" \
	busywait 3000 nevents_are $EV_NHS_CHANGED 1
check "the event carries the new state" \
	test "$(events $EV_NHS_CHANGED | jq -r '.nhs.state')" -eq 3
got=$(raw -p $NHS_GET $DEV 17:nest:[$HUB1] | head -n 1 |
      jq -c '.nhs | [.cur_nbma, .cur_proto, .requests, .replies, .failures, .last_code, .nat]')
check "the status is stored" \
	test "$got" = '["198.51.100.1","192.0.2.1",4,3,1,0,1]'
raw_says "counters alone" "errno=0 " \
	$NHS_SET $DEV 17:nest:[$HUB1,8:u64:9]
raw_says "the same state again" "errno=0 " \
	$NHS_SET $DEV 17:nest:[$HUB1,5:u8:3]
check "the requests counter moved" test "$(nhs_field $HUB1 requests)" -eq 9
raw_says "an empty CUR_NBMA clears it" "errno=0 " \
	$NHS_SET $DEV 17:nest:[$HUB1,6:hex:]
check "CUR_NBMA is gone" test "$(nhs_field $HUB1 cur_nbma)" = null
raw_says "NHS_SET by name" "errno=0 " $NHS_SET $DEV 17:nest:[$FQDN,5:u8:1]
check "exactly two NHS_CHANGED events in all" \
	busywait 3000 nevents_are $EV_NHS_CHANGED 2

raw_says "replace updates the configuration" "errno=0 " \
	$NHS_NEW $DEV $REPLACE 17:nest:[$HUB1,4:u8:5]
check "priority changed, tunnel address now learned" \
	test "$(nhs_field $HUB1 priority)/$(nhs_field $HUB1 proto)" = 5/null
check "and the status was kept" \
	test "$(nhs_field $HUB1 state)/$(nhs_field $HUB1 requests)" = 3/9

raw_says "NHS_GET of a missing NHS" "errno=2 msg=dmvpn: no such NHS" \
	$NHS_GET $DEV 17:nest:[$HUB2]
raw_says "NHS_GET does not take status" "errno=22" \
	$NHS_GET $DEV 17:nest:[$HUB1,5:u8:1]
raw_says "delete by name" "errno=0 " $NHS_DEL $DEV 17:nest:[$FQDN]
raw_says "delete it again" "errno=2 msg=dmvpn: no such NHS" \
	$NHS_DEL $DEV 17:nest:[$FQDN]
check "NHS_DELETED event" \
	busywait 3000 nevents_are $EV_NHS_DELETED 1
check "one NHS left" test "$(nhs_list | jq -r '.[0].nbma')" = 198.51.100.1

# The bound: 16 per device.
for i in $(seq 2 16); do
	raw $NHS_NEW $DEV "17:nest:[1:hex:$(printf 'c63365%02x' "$i")]" \
		>/dev/null
done
check "16 NHS" test "$(nhs_count)" -eq 16
raw_says "the 17th NHS is refused" "errno=28 msg=dmvpn: at most 16 NHS" \
	$NHS_NEW $DEV 17:nest:[2:str:one.too.many]
check "still 16" test "$(nhs_count)" -eq 16
raw_says "replacing one of the 16 is fine" "errno=0 " \
	$NHS_NEW $DEV $REPLACE 17:nest:[1:hex:c6336502,4:u8:2]

# Dumps: all devices or one.
ip -n "$A" link add dm1 type dmvpn local 198.51.100.5 key 77
raw $NHS_NEW 2:str:dm1 17:nest:[$HUB1] >/dev/null
check "a dump of all devices lists 17" \
	test "$(raw -p $NHS_GET 0x300 | grep -c '^{')" -eq 17
check "a dump of dm1 lists its one" \
	test "$(raw -p $NHS_GET 0x300 2:str:dm1 | grep -c '"ifname": "dm1"')" -eq 1

# Privilege: reading is open, changing is not.
nobody() { n "$A" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
nraw() { nobody python3 "$GENL_RAW_PY" "$@"; }
check "an unprivileged user can read the configuration" \
	test "$(nraw -p $DEV_GET $DEV | head -n 1 | jq -r .config.network_id)" = 7
check "an unprivileged user can list the NHS" \
	test "$(nraw -p $NHS_GET 0x300 $DEV | grep -c '^{')" -eq 16
for c in "$CONFIG_SET $DEV 16:nest:[2:u32:1]" "$NHS_NEW $DEV 17:nest:[$HUB2]" \
	 "$NHS_DEL $DEV 17:nest:[$HUB1]" "$NHS_SET $DEV 17:nest:[$HUB1,5:u8:2]"; do
	# shellcheck disable=SC2086 # one command with its arguments
	out=$(nraw $c)
	check "an unprivileged user cannot run command ${c%% *}" \
		test "${out%% *}" = "errno=1"
done
check "nothing changed" \
	test "$(cfg | jq -r .network_id)/$(nhs_field $HUB1 state)" = 7/3

# The device takes its configuration and servers with it.
ip -n "$A" link del dmvpn0
check "no NHS left once the device is gone" \
	test "$(raw -p $NHS_GET 0x300 | grep -c '"ifname": "dmvpn0"')" -eq 0
add_dmvpn "$A" 198.51.100.5 192.0.2.11/24 dev ul0
check "a new device starts from the defaults" test "$(cfg)" = "$defaults"
check "and with no NHS" test "$(nhs_count)" -eq 0
kill "$mon"
rm -f "$ev"
finish
