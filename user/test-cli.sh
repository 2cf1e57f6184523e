#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# "ip dmvpn" command line checks that need no kernel module: usage, argument
# errors and their exit codes, and the message when dmvpn.ko is missing.
# Usage: test-cli.sh PATH
#   PATH is the patched ip, run as "PATH [OPTIONS] dmvpn ARGS", or, when
#   its name is not "ip", the standalone ip-dmvpn, run as "PATH [OPTIONS] ARGS".
set -u

IPD=${1:-./ip-dmvpn}
case ${IPD##*/} in
ip) mode=ip ;;
*) mode=standalone ;;
esac
fails=0
out=$(mktemp)
script=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$script" "$err"' EXIT

# run [OPTIONS] ARGS: ip's options (-j, -p, -s, -x) go before "dmvpn".
run() {
	if [ "$mode" = standalone ]; then
		"$IPD" "$@"
		return
	fi
	opts=
	while [ $# -gt 0 ]; do
		case $1 in
		-j | -p | -s | -x) opts="$opts $1" ;;
		*) break ;;
		esac
		shift
	done
	# shellcheck disable=SC2086
	"$IPD" $opts dmvpn "$@"
}

# expect RC PATTERN ARGS...: exit status RC and stderr matching PATTERN.
expect() {
	rc=$1 pat=$2
	shift 2
	run "$@" >/dev/null 2>"$out"
	got=$?
	if [ "$got" -ne "$rc" ] || ! grep -q -- "$pat" "$out"; then
		echo "FAIL: $IPD ($mode) $*: rc $got (want $rc), stderr:" >&2
		sed 's/^/    /' "$out" >&2
		fails=$((fails + 1))
	fi
}

expect 255 '^Usage: ip .*dmvpn' help
expect 255 '^Usage: ip .*dmvpn' map help
expect 255 'Option "-x" is unknown' -x show
expect 255 'Option "-frob" is unknown' -frob show
expect 255 'Command "frob" is unknown' frob
if [ "$mode" = standalone ]; then
	expect 255 '^Usage: ip-dmvpn' -h
fi
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
expect 255 'is duplicate, or .* garbage' map add 10.0.0.1 10.0.0.2 dev lo
expect 255 'not complete' map add 10.0.0.1 dev
expect 255 'is duplicate, or .* garbage' map del 10.0.0.1 dev lo nbma 192.0.2.1
expect 255 'argument "NBMA" is required' mcast add dev lo
expect 255 'invalid NBMA address' mcast del 10.0.0 dev lo
expect 255 'unknown argument' map show bogus
expect 255 'unknown argument' monitor bogus
expect 1 'Device "nosuch0" does not exist.' show dev nosuch0
expect 1 'Device "nosuch0" does not exist.' map add 10.0.0.1 dev nosuch0
expect 1 'Device "nosuch0" does not exist.' mcast show dev nosuch0

expect 255 'Command "frob" is unknown' dev frob
expect 255 'Command "frob" is unknown' cache frob
expect 255 'invalid entry type' cache add 10.0.0.1 dev lo type bogus
expect 255 'duplicate "dev"' show dev lo dev lo
expect 255 'Command "frob" is unknown' config frob
expect 255 'argument "dev" is required' config set role hub
expect 255 'nothing to set' config set dev lo
expect 255 'role must be hub, spoke or none' config set dev lo role bogus
expect 255 'invalid network-id' config set dev lo network-id -1
expect 255 'holdtime must be 1..65535' config set dev lo holdtime 0
expect 255 'holdtime must be 1..65535' config set dev lo holdtime 65536
expect 255 'registration-interval must be 0..65535' \
	config set dev lo registration-interval 70000
expect 255 'longer than 8 bytes' config set dev lo auth 123456789
expect 255 'empty authentication string' config set dev lo auth ""
expect 255 'duplicate "auth"' config set dev lo auth secret no-auth
expect 255 'is how config show hides a key' config set dev lo auth '(set)'
expect 255 'duplicate "unique"' config set dev lo unique no-unique
expect 255 'expected "multicast dynamic"' config set dev lo multicast static
expect 255 'duplicate "multicast"' \
	config set dev lo multicast dynamic no-multicast-dynamic
expect 255 'unknown argument' config set dev lo bogus
expect 255 'not complete' config set dev lo role
expect 255 'unknown argument' config show bogus
expect 255 'Command "frob" is unknown' nhs frob
expect 255 'argument "nbma or fqdn" is required' nhs add dev lo
expect 255 'argument "dev" is required' nhs add nbma 192.0.2.1
expect 255 'give nbma or fqdn, not both' nhs add dev lo nbma 192.0.2.1 fqdn hub
expect 255 'duplicate "nbma"' nhs add dev lo nbma 192.0.2.1 nbma 192.0.2.2
expect 255 'invalid NBMA address' nhs add dev lo nbma 192.0.2
expect 255 'invalid FQDN' nhs add dev lo fqdn 'hub example'
expect 255 'invalid FQDN' nhs add dev lo fqdn -hub.example
expect 255 'invalid protocol address' nhs add dev lo nbma 192.0.2.1 proto x
expect 255 'priority must be 0..255' nhs replace dev lo fqdn hub priority 256
expect 255 'unknown argument' nhs del dev lo nbma 192.0.2.1 proto 10.0.0.1
expect 255 'unknown argument' nhs show bogus

# expect_batch RC PATTERN [OPTIONS]: ip dmvpn OPTIONS -batch $script.
expect_batch() {
	rc=$1 pat=$2
	shift 2
	expect "$rc" "$pat" "$@" -batch "$script"
}
# The first failure stops the batch: its line is reported, later ones
# never run (their errors do not appear).
printf '# a comment\n\n   # an indented one\n\t\nnhs add dev lo fqdn bad!name\nconfig set dev lo role bogus\n' >"$script"
expect_batch 1 "Command failed $script:5\$" 
expect_batch 1 'invalid FQDN'
expect 1 'invalid FQDN' -batch - <"$script"
expect 1 'Command failed -:5$' -batch - <"$script"
if grep -q 'role must be' "$out"; then
	echo "FAIL: -batch ran the line after a failure" >&2
	fails=$((fails + 1))
fi
expect_batch 1 "Command failed $script:6\$" -force
expect_batch 1 'role must be' -force
expect 1 'Command failed -:6$' -force -batch - <"$script"
# Quotes group words; continued lines report where the command starts.
printf 'config set dev lo \\\n  auth "a b c d e f g h i"\n' >"$script"
expect_batch 1 "Command failed $script:1\$"
expect_batch 1 'longer than 8 bytes'
printf '\nconfig set dev lo auth "secret\n' >"$script"
expect_batch 1 'unterminated quote'
expect_batch 1 "Command failed $script:2\$"
printf 'frob\n' >"$script"
expect_batch 1 'Command "frob" is unknown'
expect 1 'Cannot open file "/nonexistent/x" for reading' -batch /nonexistent/x
expect 255 'takes its commands from' -batch "$script" show
expect 255 'not complete' -batch

# What is printed of canned kernel replies (test-nlfake.c): dmvpn0 has the
# key "s3cret", dmvpn1 an empty one, and dmvpn2's is withheld; the monitor
# gets a config-changed event for dmvpn0 that carries the key.  The key is
# the cloud's secret and must never be printed.
nlfake=$(cd "$(dirname "$0")" && pwd)/test-nlfake.so
# expect_fake WANT ARGS...: with the fake kernel, stdout is exactly WANT
# and neither stdout nor stderr shows the key.
expect_fake() {
	want=$1
	shift
	# ASan must otherwise be the first library loaded.
	LD_PRELOAD=$nlfake \
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
		run "$@" >"$out" 2>"$err"
	if grep -q s3cret "$out" "$err"; then
		echo "FAIL: $IPD ($mode) $*: printed the authentication key:" >&2
		sed 's/^/    /' "$out" "$err" >&2
		fails=$((fails + 1))
	elif [ "$(cat "$out")" != "$want" ]; then
		echo "FAIL: $IPD ($mode) $*: got (stdout, stderr):" >&2
		sed 's/^/    /' "$out" "$err" >&2
		echo "  want:" >&2
		echo "$want" | sed 's/^/    /' >&2
		fails=$((fails + 1))
	fi
}
if [ -f "$nlfake" ]; then
	cfg='role hub network-id 1 holdtime 600 registration-interval 0'
	expect_fake "dmvpn0: $cfg auth (set) unique multicast dynamic
dmvpn1: $cfg unique multicast dynamic
dmvpn2: $cfg unique multicast dynamic" config show
	cfg='"role":"hub","network_id":1,"holdtime":600,"registration_interval":0'
	expect_fake "[{\"ifindex\":1000,\"ifname\":\"dmvpn0\",$cfg,\"auth\":\"(set)\",\"unique\":true,\"multicast_dynamic\":true},{\"ifindex\":1001,\"ifname\":\"dmvpn1\",$cfg,\"unique\":true,\"multicast_dynamic\":true},{\"ifindex\":1002,\"ifname\":\"dmvpn2\",$cfg,\"unique\":true,\"multicast_dynamic\":true}]" \
		-j config show
	expect_fake "config-changed dev dmvpn0 role hub network-id 1 holdtime 600 registration-interval 0 auth (set) unique multicast dynamic" \
		monitor
	expect_fake "{\"event\":\"config-changed\",\"dev\":\"dmvpn0\",$cfg,\"auth\":\"(set)\",\"unique\":true,\"multicast_dynamic\":true}" \
		-j monitor
else
	echo "FAIL: $nlfake not found (make -C user test-nlfake.so)" >&2
	fails=$((fails + 1))
fi

if ! [ -d /sys/module/dmvpn ]; then
	msg="dmvpn kernel module not loaded (generic netlink family 'dmvpn' not found)"
	expect 2 "$msg" show
	expect 2 "$msg" -j map show
	expect 2 "$msg" map add 10.0.0.1/32 nbma 192.0.2.1 dev lo type dynamic \
		holdtime 60 flags unique,registered
	expect 2 "$msg" mcast add 2001:db8::1 dev lo
	expect 2 "$msg" monitor
	expect 2 "$msg" dev show
	expect 2 "$msg" -j config show
	expect 2 "$msg" config set dev lo role hub network-id 1 auth secret
	expect 2 "$msg" nhs add dev lo fqdn hub.example.net proto 10.0.0.1
	expect 2 "$msg" -j nhs show
	expect 2 "$msg" -j -p -s show
	expect 2 "$msg" cache show
	printf 'config show\n' >"$script"
	expect 1 "Command failed $script:1" -batch "$script"
fi

"$IPD" -V >/dev/null || { echo "FAIL: $IPD -V" >&2; fails=$((fails + 1)); }

[ "$fails" -eq 0 ] && echo "test-cli: ok" || echo "test-cli: $fails failed"
[ "$fails" -eq 0 ]
