#!/bin/bash
# Usage: scripts/tests/accel.sh
# Unit test of the accelerator choice (scripts/lib/accel.sh) against
# stand-in qemu programs that abort, hang, exit, print without booting, and
# boot: no VM.  Each case checks the verdict, its reason, that the verdict
# came within the probe's deadline and that no stand-in is left running.
# KTAP output; exits nonzero if a case failed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
DMVPN_PROG=accel-test
work=$(mktemp -d "${TMPDIR:-/tmp}/dmvpn-accel-test.XXXXXX")
trap 'pkill -KILL -f "$work/" 2>/dev/null || true; rm -rf "$work"' EXIT
export DMVPN_CACHE=$work/cache
# shellcheck source=../lib/common.sh
. "$here/lib/common.sh"
# shellcheck source=../lib/accel.sh
. "$here/lib/accel.sh"

# stand_in NAME BODY: a qemu stand-in; BODY sees $serial (the -serial file)
# and counts its runs in $work/NAME.runs.
stand_in() {
	cat >"$work/$1" <<-EOF
		#!/bin/bash
		echo run >>"$work/$1.runs"
		serial=
		while [ \$# -gt 0 ]; do
			case \$1 in -serial) serial=\${2#file:}; shift ;; esac
			shift
		done
		$2
	EOF
	chmod +x "$work/$1"
}
stand_in abort 'echo "qemu: error: failed to set MSR 0x10a to 0x69" >&2; kill -ABRT $$'
stand_in hang 'exec sleep 600'
stand_in exit0 'exit 0'
stand_in noboot 'echo "SeaBIOS (version 1.16)" >>"$serial"; exec sleep 600'
stand_in boots 'sleep 0.5; echo "dmvpn-vm: probe ok" >>"$serial"; exec sleep 600'
touch "$work/kvm"

n=0 failed=0
echo "TAP version 13"
echo "1..10"

# check DESC COND...: one KTAP result.
check() {
	local desc=$1
	shift
	n=$((n + 1))
	if "$@"; then
		echo "ok $n $desc"
	else
		echo "not ok $n $desc"
		failed=$((failed + 1))
	fi
}

# decide QEMU [VAR=VALUE...]: run choose_accel in a subshell with a 3 s
# deadline; sets VERDICT ("ACCEL ACCEL_CPU|ACCEL_WHY", or "died|MSG"),
# SECS and LEFT (stand-ins still running).
decide() {
	local q=$1 start end
	shift
	start=$(date +%s.%N)
	VERDICT=$(env DMVPN_QEMU="$work/$q" DMVPN_KVM_DEV="$work/kvm" \
		DMVPN_ACCEL_PROBE_TIMEOUT=3 DMVPN_BOOT_ID=b1 "$@" \
		bash -c '. "$1/lib/common.sh"; . "$1/lib/accel.sh"
			choose_accel img initrd; echo "$ACCEL $ACCEL_CPU|$ACCEL_WHY"' \
		_ "$here" 2>"$work/stderr") || VERDICT="died|$(cat "$work/stderr")"
	end=$(date +%s.%N)
	SECS=$(awk "BEGIN { printf \"%.1f\", $end - $start }")
	LEFT=$(pgrep -f "$work/" | grep -vx "$$" | wc -l || true)
}

# within SECS LIMIT: SECS <= LIMIT.
within() { awk "BEGIN { exit !($1 <= $2) }"; }

# like STRING PATTERN: STRING matches the extended regexp PATTERN.
like() { [[ $1 =~ $2 ]] || { echo "# got: $1" >&2; return 1; }; }

decide abort
check "abort: tcg, reason names the exit status, decided in ${SECS}s" \
	like "$VERDICT" '^tcg max\|tcg: kvm probe: qemu exited with status 134 after .*failed to set MSR'
decide hang
check "hang: tcg after the deadline (${SECS}s), nothing left running" \
	eval 'like "$VERDICT" "^tcg max\|tcg: kvm probe timed out after 3 s \(no guest output\)" &&
		within "$SECS" 4.5 && [ "$LEFT" -eq 0 ]'
decide noboot DMVPN_BOOT_ID=b2
check "output but no marker: tcg, did not reach userspace (${SECS}s)" \
	eval 'like "$VERDICT" "^tcg max\|.*timed out after 3 s \(the guest did not reach userspace\)" &&
		within "$SECS" 4.5 && [ "$LEFT" -eq 0 ]'
decide exit0 DMVPN_BOOT_ID=b3
check "exits without the marker: tcg" \
	like "$VERDICT" '^tcg max\|tcg: kvm probe: qemu exited with status 0'
decide boots DMVPN_BOOT_ID=b4
check "boots: kvm with -cpu host at the marker (${SECS}s), the guest killed" \
	eval 'like "$VERDICT" "^kvm host\|kvm: probe booted in 0\.[5-9]|1\.[0-9] s" &&
		within "$SECS" 2.5 && [ "$LEFT" -eq 0 ]'
rm -f "$work/boots.runs"
decide boots DMVPN_BOOT_ID=b4
check "the verdict is cached for the boot (no second probe)" \
	eval 'like "$VERDICT" "^kvm host\|.*\(cached for this boot\)" && [ ! -e "$work/boots.runs" ]'
decide hang DMVPN_BOOT_ID=b4
check "a new qemu binary is probed again" \
	like "$VERDICT" '^tcg max\|tcg: kvm probe timed out'
decide abort DMVPN_ACCEL=kvm DMVPN_BOOT_ID=b5
check "DMVPN_ACCEL=kvm where KVM cannot run a guest: a clear error" \
	like "$VERDICT" '^died\|.*DMVPN_ACCEL=kvm, but a KVM guest does not boot here \(kvm probe: qemu exited'
rm -f "$work/hang.runs"
decide hang DMVPN_ACCEL=tcg DMVPN_BOOT_ID=b6
check "DMVPN_ACCEL=tcg: tcg without a probe" \
	eval 'like "$VERDICT" "^tcg max\|tcg: DMVPN_ACCEL=tcg$" && [ ! -e "$work/hang.runs" ]'

decide hang DMVPN_KVM_DEV=/nonexistent DMVPN_BOOT_ID=b7
check "no /dev/kvm: tcg without a probe" \
	like "$VERDICT" '^tcg max\|tcg: no usable /nonexistent$'

echo "# accel: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
