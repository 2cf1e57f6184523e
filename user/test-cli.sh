#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ip-dmvpn command line checks that need no kernel module: usage, argument
# errors and their exit codes, and the message when dmvpn.ko is missing.
# Usage: test-cli.sh [PATH_TO_IP_DMVPN]
set -u

IPD=${1:-./ip-dmvpn}
fails=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# expect RC PATTERN ARGS...: exit status RC and stderr matching PATTERN.
expect() {
	rc=$1 pat=$2
	shift 2
	"$IPD" "$@" >/dev/null 2>"$out"
	got=$?
	if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$out"; then
		echo "FAIL: ip-dmvpn $*: rc $got (want $rc), stderr:" >&2
		sed 's/^/    /' "$out" >&2
		fails=$((fails + 1))
	fi
}

expect 255 '^Usage: ip-dmvpn' help
expect 255 '^Usage: ip-dmvpn' map help
expect 255 '^Usage: ip-dmvpn' -h
expect 255 'Option "-x" is unknown' -x show
expect 255 'Object "frob" is unknown' frob
expect 255 'Command "frob" is unknown' map frob
expect 255 'Command "frob" is unknown' mcast frob
expect 255 'argument "PROTO" is required' map add nbma 192.0.2.1 dev lo
expect 255 'argument "dev" is required' map add 10.0.0.1 nbma 192.0.2.1
expect 255 'argument "dev" is required' map flush
expect 255 'invalid protocol address' map add 10.0.0.1/33 dev lo
expect 255 'invalid protocol address' map add 2001:db8::/129 dev lo
expect 255 'invalid protocol address' map add nonsense dev lo
expect 255 'invalid NBMA address' map add 10.0.0.1 nbma 300.1.1.1 dev lo
expect 255 'invalid entry type' map add 10.0.0.1 dev lo type bogus
expect 255 'invalid flags' map add 10.0.0.1 dev lo flags unique,bogus
expect 255 'invalid flags' map add 10.0.0.1 dev lo flags used
expect 255 'invalid holdtime' map add 10.0.0.1 dev lo holdtime -5
expect 255 'duplicate "type"' map add 10.0.0.1 dev lo type static type dynamic
expect 255 'is a garbage' map add 10.0.0.1 10.0.0.2 dev lo
expect 255 'not complete' map add 10.0.0.1 dev
expect 255 'is a garbage' map del 10.0.0.1 dev lo nbma 192.0.2.1
expect 255 'argument "NBMA" is required' mcast add dev lo
expect 255 'invalid NBMA address' mcast del 10.0.0 dev lo
expect 255 'unknown argument' map show bogus
expect 255 'unknown argument' monitor bogus
expect 1 'Device "nosuch0" does not exist.' show dev nosuch0
expect 1 'Device "nosuch0" does not exist.' map add 10.0.0.1 dev nosuch0
expect 1 'Device "nosuch0" does not exist.' mcast show dev nosuch0

if ! [ -d /sys/module/dmvpn ]; then
	msg="dmvpn kernel module not loaded (generic netlink family 'dmvpn' not found)"
	expect 2 "$msg" show
	expect 2 "$msg" -j map show
	expect 2 "$msg" map add 10.0.0.1/32 nbma 192.0.2.1 dev lo type dynamic \
		holdtime 60 flags unique,registered
	expect 2 "$msg" mcast add 2001:db8::1 dev lo
	expect 2 "$msg" monitor
fi

"$IPD" -V >/dev/null || { echo "FAIL: ip-dmvpn -V" >&2; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "test-cli: ok" || echo "test-cli: $fails failed"
[ "$fails" -eq 0 ]
