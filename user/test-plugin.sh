#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# link_dmvpn.so checks that need no kernel module: every symbol the plugin
# imports is exported by ip(8), help and argument errors, and printing of
# IFLA_DMVPN_* (fed to "ip -d monitor file" as a crafted RTM_NEWLINK).
# Usage: test-plugin.sh [DIR_WITH_link_dmvpn.so [PATH_TO_IP]]
set -u

dir=${1:-.}
IP=${2:-ip}
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export IP_LIB_DIR="$dir"

fail() {
	echo "FAIL: $*" >&2
	sed 's/^/    /' "$tmp/out" >&2
	fails=$((fails + 1))
}

# expect RC PATTERN ARGS...: ip exits with RC, PATTERN in its output.
expect() {
	rc=$1 pat=$2
	shift 2
	"$IP" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$tmp/out"; then
		fail "ip $*: rc $got (want $rc)"
	fi
}

if command -v nm >/dev/null; then
	nm -D --defined-only "$(command -v "$IP")" | awk '{ print $3 }' |
		sort -u >"$tmp/exported"
	nm -D --undefined-only "$dir/link_dmvpn.so" |
		awk '$1 == "U" && $2 !~ /@/ { print $2 }' | sort -u >"$tmp/needed"
	comm -23 "$tmp/needed" "$tmp/exported" >"$tmp/out"
	[ -s "$tmp/out" ] && fail "symbols the plugin needs but $IP lacks"
fi

expect 0 'Usage: \.\.\. dmvpn local ADDR' link help dmvpn
expect 1 'Usage: \.\.\. dmvpn local ADDR' link add dmvpn-t type dmvpn help
expect 1 'unknown option "frob"' link add dmvpn-t type dmvpn frob
expect 255 'must be an IPv4 or IPv6 address' link add dmvpn-t type dmvpn local any
expect 1 'address is expected' link add dmvpn-t type dmvpn local nonsense
expect 255 'invalid key' link add dmvpn-t type dmvpn local 192.0.2.1 key -1
expect 255 'invalid TTL' link add dmvpn-t type dmvpn local 192.0.2.1 ttl 0
expect 255 'invalid TTL' link add dmvpn-t type dmvpn local 192.0.2.1 ttl 256
expect 255 'invalid TOS' link add dmvpn-t type dmvpn local 192.0.2.1 tos 0x100
expect 255 'invalid max-entries' link add dmvpn-t type dmvpn local 192.0.2.1 max-entries x
expect 255 'Cannot find device "nosuch0"' link add dmvpn-t type dmvpn local 192.0.2.1 dev nosuch0
expect 255 'duplicate "key"' link add dmvpn-t type dmvpn local 192.0.2.1 key 1 key 2

# Netlink is host-endian; the encoders below are little-endian only.
if [ "$(printf '\001\000' | od -An -tu2 | tr -d ' ')" = 1 ]; then
	u8() { for b; do printf "\\$(printf %03o "$b")"; done; }
	le16() { u8 $(($1 & 255)) $(($1 >> 8 & 255)); }
	le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }
	# attr TYPE CMD...: an attribute whose payload CMD prints.  Shell
	# variables are global: nested calls run in subshells.
	attr() {
		_t=$1
		shift
		_f=$(mktemp "$tmp/attr.XXXXXX")
		("$@") >"$_f"
		_n=$(wc -c <"$_f")
		le16 $((_n + 4))
		le16 "$_t"
		cat "$_f"
		_p=$(((4 - _n % 4) % 4))
		while [ "$_p" -gt 0 ]; do u8 0; _p=$((_p - 1)); done
	}
	# newlink INFO_DATA_CMD: RTM_NEWLINK for dmvpn0, kind dmvpn.
	linkinfo() { attr 1 printf 'dmvpn\000'; attr 32770 "$@"; }
	ifinfo() {
		u8 0 0; le16 778; le32 7; le32 4241; le32 0 # ARPHRD_IPGRE, up
		attr 3 printf 'dmvpn0\000'
		attr 32786 linkinfo "$@"
	}
	newlink() {
		_m=$(mktemp "$tmp/msg.XXXXXX")
		(ifinfo "$@") >"$_m"
		le32 $(($(wc -c <"$_m") + 16)); le16 16; le16 0; le32 0; le32 0
		cat "$_m"
	}
	v4() {
		attr 1 u8 192 0 2 1; attr 2 le32 42; attr 3 le32 1
		attr 4 u8 0; attr 5 u8 1; attr 6 le32 65536
	}
	v6() {
		attr 1 u8 32 1 13 184 0 0 0 0 0 0 0 0 0 0 0 1
		attr 4 u8 64; attr 5 u8 16
	}
	{ newlink v4; newlink v6; } >"$tmp/msgs"
	expect 0 'dmvpn local 192.0.2.1 key 42 dev lo ttl inherit tos inherit max-entries 65536 $' \
		-d monitor file "$tmp/msgs"
	expect 0 'dmvpn local 2001:db8::1 ttl 64 tos 0x10 $' \
		-d monitor file "$tmp/msgs"
fi

[ "$fails" -eq 0 ] && echo "test-plugin: ok" || echo "test-plugin: $fails failed"
[ "$fails" -eq 0 ]
