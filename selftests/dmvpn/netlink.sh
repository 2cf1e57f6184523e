#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control interface: bad input is refused with an extack message and
# changes nothing; limits, expiry and events work; an unprivileged user can
# read but not change anything.
source "$(dirname "$0")/lib.sh"
require jq python3 setpriv unshare nft timeout
require_dmvpn
setup_ns A
ip -n "$A" link add ul0 type dummy
ip -n "$A" addr add 198.51.100.5/24 dev ul0
ip -n "$A" link set ul0 up
add_dmvpn "$A" 198.51.100.5 192.0.2.11/24 dev ul0 || exit 1
dm "$A" map add 192.0.2.1 nbma 198.51.100.1 dev dmvpn0 || exit 1

count() { dm "$A" -j map show dev dmvpn0 | jq length; }
genl_serve "$A"
raw() { genl_raw "$A" "$@"; }
# says NAME 'EXTACK TEXT' CMD...: CMD fails and prints the text.
says() {
	local name=$1 text=$2 out
	shift 2
	out=$("$@" 2>&1) && { log "$name: unexpectedly succeeded"; false; return; }
	grep -qF -- "$text" <<<"$out" || log "$name: got '$out'"
	check "$name" grep -qF -- "$text" <<<"$out"
}
raw_says() {
	local name=$1 want=$2
	shift 2
	local out
	out=$(raw "$@")
	[[ "$out" == *"$want"* ]] || log "$name: got '$out'"
	check "$name" test "${out#*"$want"}" != "$out"
}

before=$(count)
# Generic netlink, hand-built (cmd 2 = ENTRY_NEW).
P=1:hex:c0000263	# PROTO 192.0.2.99
N=3:hex:c6336409	# NBMA 198.51.100.9
raw_says "5-byte address refused" "errno=22 msg=dmvpn: address must be 4" \
	2 2:str:dmvpn0 11:nest:[1:hex:c000026301,$N]
raw_says "unknown attribute refused" "errno=22" \
	2 2:str:dmvpn0 40:u32:1 11:nest:[$P,$N]
raw_says "read-only attribute refused" "msg=dmvpn: read-only attribute" \
	2 2:str:dmvpn0 11:nest:[$P,$N,10:hex:0100000000000000]
raw_says "kernel-only flag refused" "errno=22" \
	2 2:str:dmvpn0 11:nest:[$P,$N,4:u8:2,5:u32:0x80]
raw_says "holding time beyond 16 bits refused" "errno=34" \
	2 2:str:dmvpn0 11:nest:[$P,$N,4:u8:2,6:u32:70000]
raw_says "type out of range refused" "errno=34" \
	2 2:str:dmvpn0 11:nest:[$P,$N,4:u8:9]
raw_says "ifindex and ifname together refused" "msg=dmvpn: give ifindex or ifname" \
	2 1:u32:1 2:str:dmvpn0 11:nest:[$P,$N]
raw_says "a non-dmvpn device refused" "errno=95 msg=dmvpn: not a dmvpn device" \
	2 2:str:lo 11:nest:[$P,$N]
raw_says "missing entry refused" "msg=dmvpn: DMVPN_A_ENTRY required" \
	2 2:str:dmvpn0
raw_says "legacy NLM_F_CREATE flags refused" "errno=22 msg=ambiguous or reserved bits" \
	2 0x400 2:str:dmvpn0 11:nest:[$P,$N]
raw_says "a well-formed request is accepted" "errno=0" \
	2 2:str:dmvpn0 11:nest:[$P,$N]
dm "$A" map del 192.0.2.99 dev dmvpn0
# SA_INITIATED (cmd 16, dmvpnd's): the peer (attr 20) and its outbound
# SPI (attr 21), outside the reserved 1-255; no matching peer is no error.
raw_says "SA_INITIATED without its SPI refused" \
	"errno=22 msg=dmvpn: DMVPN_A_SA_NBMA and DMVPN_A_SA_SPI required" \
	16 20:hex:c6336409
raw_says "a reserved SPI refused" "errno=34" \
	16 20:hex:c6336409 21:u32:255
raw_says "a 5-byte peer address refused" "errno=34" \
	16 20:hex:c633640901 21:u32:0xc0000001
raw_says "SA_INITIATED for no peer of ours is no error" "errno=0" \
	16 20:hex:c6336409 21:u32:0xc0000001

# The same rules through ip dmvpn, which prints the kernel's message.
says "a prefix needs type shortcut" "only shortcut entries cover a prefix" \
	dm "$A" map add 192.0.2.0/24 nbma 198.51.100.9 dev dmvpn0
says "host bits in a prefix" "prefix has host bits set" \
	dm "$A" map add 192.0.2.1/24 nbma 198.51.100.9 dev dmvpn0 type shortcut
says "static entries do not expire" "static and local entries do not expire" \
	dm "$A" map add 192.0.2.7 nbma 198.51.100.9 dev dmvpn0 holdtime 10
says "multicast NBMA refused" "NBMA address must be unicast" \
	dm "$A" map add 192.0.2.7 nbma 224.0.0.1 dev dmvpn0
says "duplicate refused" "entry exists" \
	dm "$A" map add 192.0.2.1 nbma 198.51.100.9 dev dmvpn0
says "deleting a missing entry" "no such entry" \
	dm "$A" map del 192.0.2.77 dev dmvpn0
says "own local address refused as NBMA" "device's own local address" \
	dm "$A" map add 192.0.2.7 nbma 198.51.100.5 dev dmvpn0
says "nor as a multicast target" "device's own local address" \
	dm "$A" mcast add 198.51.100.5 dev dmvpn0
# cmd 3 = ENTRY_DEL: the key and nothing else.
raw_says "a delete with an NBMA address refused" \
	"errno=22 msg=dmvpn: only PROTO, PREFIXLEN and TYPE name an entry" \
	3 2:str:dmvpn0 11:nest:[1:hex:c0000201,$N]
# cmd 5 = ENTRY_FLUSH: by type and prefix only.
raw_says "a flush filtered by NBMA address refused" \
	"errno=22 msg=dmvpn: ENTRY_FLUSH filters by TYPE and by PROTO/PREFIXLEN only" \
	5 2:str:dmvpn0 11:nest:[$N]
check "nothing changed" test "$(count)" -eq "$before"
says "change needs an existing entry" "no such entry" \
	dm "$A" map change 192.0.2.5 nbma 198.51.100.9 dev dmvpn0
check "replace updates the NBMA address" \
	dm "$A" map replace 192.0.2.1 nbma 198.51.100.9 dev dmvpn0
check "the entry has the new NBMA address" \
	test "$(entry_field "$A" 192.0.2.1 nbma)" = 198.51.100.9
dm "$A" map add 192.0.2.40 nbma 198.51.100.40 dev dmvpn0
dm "$A" map add 198.18.0.1 nbma 198.51.100.41 dev dmvpn0
check "a flush by prefix is accepted" dm "$A" map flush 192.0.2.32/28 dev dmvpn0
check "it deleted what lies in the prefix" entry_gone "$A" 192.0.2.40
check "and nothing else" \
	test "$(entry_field "$A" 198.18.0.1 nbma)/$(entry_field "$A" 192.0.2.1 nbma)" = 198.51.100.41/198.51.100.9
dm "$A" map del 198.18.0.1 dev dmvpn0

# Link attributes.
says "local is required" "local address is required" \
	ip -n "$A" link add bad0 type dmvpn key 1
says "IPv6 underlay not yet" "IPv6 underlay is not supported yet" \
	ip -n "$A" link add bad0 type dmvpn local 2001:db8::1
says "the key is fixed" "recreate the device" \
	ip -n "$A" link set dmvpn0 type dmvpn key 7
says "an MTU above GRE's maximum" "MTU above the GRE maximum" \
	ip -n "$A" link add bad0 mtu 65535 type dmvpn local 198.51.100.5 key 8
check "no half-made device left" \
	test "$(ip -n "$A" -br link show type dmvpn | wc -l)" -eq 1
ip -n "$A" link add mtu0 mtu 1400 type dmvpn local 198.51.100.5 key 8
check "a requested MTU is kept" \
	test "$(ip -n "$A" -j link show mtu0 | jq '.[0].mtu')" -eq 1400
check "without one, the underlay's less the GRE header" \
	test "$(ip -n "$A" -j link show dmvpn0 | jq '.[0].mtu')" -eq 1472
ip -n "$A" link del mtu0

# The cache bound.
ip -n "$A" link add lim0 type dmvpn local 198.51.100.5 key 9 max-entries 2
dm "$A" map add 192.0.2.1 nbma 198.51.100.1 dev lim0
dm "$A" map add 192.0.2.2 nbma 198.51.100.2 dev lim0
says "a full cache refuses more" "NHRP cache is full" \
	dm "$A" map add 192.0.2.3 nbma 198.51.100.3 dev lim0

# Events and expiry.
ev=$(mktemp)
n "$A" "$IPD" -j monitor >"$ev" &
mon=$!
# Subscribed once a priming event shows up (a sleep is not enough under load).
primed() {
	dm "$A" mcast add 198.51.100.61 dev dmvpn0 2>/dev/null ||
		dm "$A" mcast del 198.51.100.61 dev dmvpn0
	grep -q 198.51.100.61 "$ev"
}
check "the monitor is subscribed" busywait 10000 primed
dm "$A" map add 192.0.2.50 nbma 198.51.100.50 dev dmvpn0 type dynamic holdtime 8
check "a dynamic entry is listed" test -n "$(entry_field "$A" 192.0.2.50 nbma)"
check "it expires after its holding time" \
	busywait 15000 entry_gone "$A" 192.0.2.50
dm "$A" mcast add 198.51.100.60 dev dmvpn0
# 192.0.2.99 is on the overlay subnet but has no entry: a cache miss.
n "$A" ping -q -c 1 -W 1 192.0.2.99 >/dev/null 2>&1
check "added, expired, multicast and miss events were sent" \
	busywait 3000 bash -c "grep -qE '\"event\": ?\"entry-added\"' $ev &&
		grep -qE '\"event\": ?\"entry-expired\"' $ev &&
		grep -qE '\"event\": ?\"mcast-added\"' $ev &&
		grep -qE '\"event\": ?\"miss\".*192.0.2.99' $ev"
check "the miss was counted" test "$(dm_stat "$A" dmvpn0 miss_events)" -ge 1
# A dump longer than a message resumes where it stopped: every entry once.
for i in $(seq 0 2999); do
	entry_req dmvpn0 198.19.$((i / 250)).$((i % 250 + 1)) 198.51.100.9
done | genl_fill "$A"
check "a 3000-entry dump lists each entry once" \
	test "$(dm "$A" -j map show dev dmvpn0 |
		jq '[.[] | select(.proto | startswith("198.19."))] |
		    [length, (map(.proto) | unique | length)] | join(" ")')" = '"3000 3000"'
dm "$A" map flush 198.19.0.0/16 dev dmvpn0
# A flush is one event, whatever it deletes (M7).
for i in $(seq 100 139); do
	entry_req dmvpn0 198.18.1.$i 198.51.100.$i
done | genl_fill "$A"
dm "$A" map flush 198.18.1.0/24 dev dmvpn0
check "a flush of 40 entries is one flushed event, saying 40" \
	busywait 3000 bash -c "grep -qE '\"event\": ?\"flushed\".*\"entries\": ?40' $ev"
check "and no deleted event for each" \
	test "$(grep -cE '\"event\": ?\"entry-deleted\"' "$ev")" -eq 0
kill $mon
rm -f "$ev"

# Privilege.
nobody() { n "$A" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
check "an unprivileged user can read the cache" \
	nobody "$IPD" map show dev dmvpn0
check_fail "an unprivileged user cannot add" \
	nobody "$IPD" map add 192.0.2.8 nbma 198.51.100.8 dev dmvpn0
check_fail "an unprivileged user cannot flush" \
	nobody "$IPD" map flush dev dmvpn0
dm "$A" config set dev dmvpn0 auth s3cret
# "s3cret" in hex: the kernel gives the key to root; ip dmvpn never
# prints it, root's or not.
check "root reads the NHRP authentication string" \
	test "$(raw -p 1 2:str:dmvpn0 | head -n 1 | jq -r .config.auth)" = 733363726574
check "ip dmvpn says only that it is set" \
	test "$(dm "$A" -j config show dev dmvpn0 | jq -r '.[0].auth')" = '(set)'
check "an unprivileged user reads the configuration without it" \
	test "$(nobody "$IPD" -j config show dev dmvpn0 |
		jq -r '.[0] | "\(.holdtime) \(.auth // "none")"')" = "7200 none"
# Events carry no secret, and only CAP_NET_ADMIN may listen (kernels with
# GENL_MCAST_CAP_NET_ADMIN: 6.7, and Debian's 6.1).
nobody timeout 20 "$IPD" monitor >/dev/null 2>&1
rc=$?
check "an unprivileged user cannot listen to events (exit $rc)" \
	test "$rc" -ne 124 -a "$rc" -ne 0
check_fail "root of a user namespace not owning the netns cannot add" \
	n "$A" unshare -Ur "$IPD" map add 192.0.2.8 nbma 198.51.100.8 dev dmvpn0
check "the cache is intact" test -n "$(entry_field "$A" 192.0.2.1 nbma)"

# The receive hook is there while a device is (L7).
setup_ns HK
ip -n "$HK" link add ul0 type dummy
ip -n "$HK" addr add 198.51.100.5/24 dev ul0
ip -n "$HK" link set ul0 up
# Whether GRE reception is hooked in HK: the function tracer counts calls
# of dmvpn's hook while HK pings itself (20 locally delivered packets).
# Debian's kernels have the tracer (and nft cannot list hooks there: no
# nfnetlink_hook); the debug kernel has neither.
tr=/sys/kernel/tracing
mountpoint -q $tr || mount -t tracefs nodev $tr 2>/dev/null
hooked() {
	echo >$tr/trace
	n "$HK" ping -q -c 10 -i 0.01 198.51.100.5 >/dev/null
	[ "$(grep -c dmvpn_rcv $tr/trace)" -ge 20 ]
}
if echo dmvpn_rcv >$tr/set_ftrace_filter 2>/dev/null &&
	echo function >$tr/current_tracer 2>/dev/null; then
	check_fail "no GRE hook in a namespace without dmvpn" hooked
	ip -n "$HK" link add d0 type dmvpn local 198.51.100.5 key 1
	ip -n "$HK" link add d1 type dmvpn local 198.51.100.5 key 2
	check "a dmvpn device hooks IPv4 reception" hooked
	ip -n "$HK" link del d0
	check "the hook stays while a device is left" hooked
	ip -n "$HK" link del d1
	check_fail "and goes with the last one" hooked
	check "a new device hooks it again" \
		ip -n "$HK" link add d2 type dmvpn local 198.51.100.5 key 3
	check "and works" hooked
	echo nop >$tr/current_tracer
	echo >$tr/set_ftrace_filter
else
	log "no function tracer for dmvpn_rcv here: hook lifetime not checked"
fi
finish
