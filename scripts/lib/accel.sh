# shellcheck shell=bash
# The accelerator of the test VMs: KVM only where a KVM guest really boots.
# Sourced by scripts/vm-run after lib/common.sh; defines functions only.
#
# A writable /dev/kvm proves nothing: a paravirtual host KVM (kvm-pvm) opens
# fine, yet qemu aborts with -cpu max ("failed to set MSR") and the guest
# hangs after SeaBIOS with -cpu host, and qemu's accel=kvm:tcg falls back
# only when /dev/kvm cannot be opened.  So the choice is made by booting
# the test kernel under KVM with a short deadline and waiting for the
# marker vm-init prints when the command line says dmvpn.probe=1.  The
# verdict holds for the host's current boot (and this qemu binary).
#
# Environment:
#   DMVPN_ACCEL=kvm|tcg        force one (kvm fails when its probe does)
#   DMVPN_ACCEL_PROBE_TIMEOUT  the probe's deadline in seconds (default 8)
#   DMVPN_QEMU                 the qemu program (default qemu-system-x86_64)
#   DMVPN_KVM_DEV              the KVM device (default /dev/kvm)
#   DMVPN_BOOT_ID              the host boot's identity (default: the
#                              kernel's boot_id); the tests set the last two

ACCEL_PROBE_MARKER="dmvpn-vm: probe ok"

# accel_probe IMAGE INITRD: boot IMAGE under KVM and wait, at most the
# deadline, for the marker.  Sets PROBE_WHY; true if the guest booted.
accel_probe() {
	local image=$1 initrd=$2 deadline=${DMVPN_ACCEL_PROBE_TIMEOUT:-8}
	local dir pid start now elapsed rc=0 first
	[[ $deadline =~ ^[0-9]+$ ]] && [ "$deadline" -gt 0 ] ||
		die "DMVPN_ACCEL_PROBE_TIMEOUT wants seconds, got '$deadline'"
	dir=$(mktemp -d "${TMPDIR:-/tmp}/dmvpn-accel.XXXXXX")
	: >"$dir/console"
	start=$(date +%s.%N)
	# qemu runs under a subshell that waits for it, so that bash's report
	# of a qemu killed by a signal ("Aborted") goes to qemu.log with the
	# rest; the subshell leaves qemu's pid for the kill at the deadline.
	# shellcheck disable=SC2054 # commas in qemu options
	(
		"${DMVPN_QEMU:-qemu-system-x86_64}" -machine pc,accel=kvm -cpu host \
			-m 256M -smp 1 -nodefaults -nographic -no-reboot \
			-serial "file:$dir/console" -kernel "$image" -initrd "$initrd" \
			-append "console=ttyS0 panic=-1 quiet dmvpn.probe=1" &
		echo $! >"$dir/pid"
		wait $!
	) </dev/null >"$dir/qemu.log" 2>&1 &
	pid=$!
	while :; do
		now=$(date +%s.%N)
		elapsed=$(awk "BEGIN { printf \"%.1f\", $now - $start }")
		if grep -qF "$ACCEL_PROBE_MARKER" "$dir/console"; then
			PROBE_WHY="probe booted in $elapsed s"
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid" || rc=$?
			# The guest may have printed the marker just before it ended.
			if grep -qF "$ACCEL_PROBE_MARKER" "$dir/console"; then
				PROBE_WHY="probe booted in $elapsed s"
				pid=""
				break
			fi
			first=$(grep -m1 -v '^[[:space:]]*$' "$dir/qemu.log" || true)
			PROBE_WHY="kvm probe: qemu exited with status $rc after $elapsed s${first:+: $first}"
			rm -rf "$dir"
			return 1
		fi
		if awk "BEGIN { exit !($now - $start >= $deadline) }"; then
			PROBE_WHY="kvm probe timed out after $deadline s (no guest output)"
			[ -s "$dir/console" ] &&
				PROBE_WHY="kvm probe timed out after $deadline s (the guest did not reach userspace)"
			break
		fi
		sleep 0.1
	done
	if [ -n "$pid" ]; then
		kill -9 "$(cat "$dir/pid" 2>/dev/null)" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	rm -rf "$dir"
	[[ $PROBE_WHY == probe\ booted* ]]
}

# accel_host_id: this boot of the host and this qemu binary.
accel_host_id() {
	local boot qemu
	boot=${DMVPN_BOOT_ID:-$(cat /proc/sys/kernel/random/boot_id 2>/dev/null || echo unknown)}
	qemu=$(command -v "${DMVPN_QEMU:-qemu-system-x86_64}" || true)
	echo "$boot $(stat -L -c '%n %s %Y' "$qemu" 2>/dev/null || echo "$qemu")"
}

# choose_accel IMAGE INITRD: set ACCEL (kvm or tcg), ACCEL_CPU (qemu's -cpu)
# and ACCEL_WHY (one line: which and why).  The probe runs at most once per
# host boot; concurrent vm-runs wait for the first one's verdict.
choose_accel() {
	local image=$1 initrd=$2 kvm=${DMVPN_KVM_DEV:-/dev/kvm}
	local cache=$DMVPN_CACHE/accel id verdict why line
	ACCEL=tcg ACCEL_CPU=max
	case ${DMVPN_ACCEL:-} in
	tcg)
		ACCEL_WHY="tcg: DMVPN_ACCEL=tcg"
		return 0
		;;
	kvm)
		[ -w "$kvm" ] || die "DMVPN_ACCEL=kvm, but $kvm is missing or not writable"
		accel_probe "$image" "$initrd" ||
			die "DMVPN_ACCEL=kvm, but a KVM guest does not boot here ($PROBE_WHY); use DMVPN_ACCEL=tcg or leave it unset"
		ACCEL=kvm ACCEL_CPU=host ACCEL_WHY="kvm: DMVPN_ACCEL=kvm, $PROBE_WHY"
		return 0
		;;
	'') ;;
	*) die "DMVPN_ACCEL must be kvm or tcg, not '$DMVPN_ACCEL'" ;;
	esac
	if ! [ -w "$kvm" ]; then
		ACCEL_WHY="tcg: no usable $kvm"
		return 0
	fi
	id=$(accel_host_id)
	mkdir -p "$cache"
	{
		flock 8
		line=$(cat "$cache/verdict" 2>/dev/null || true)
		if [ "${line%%|*}" = "$id" ]; then
			verdict=${line#*|}
			why="${verdict#*|} (cached for this boot)"
			verdict=${verdict%%|*}
		else
			if accel_probe "$image" "$initrd"; then
				verdict=kvm
			else
				verdict=tcg
			fi
			why=$PROBE_WHY
			printf '%s|%s|%s\n' "$id" "$verdict" "$why" >"$cache/verdict.tmp.$$"
			mv "$cache/verdict.tmp.$$" "$cache/verdict"
		fi
	} 8>"$cache/lock"
	ACCEL=$verdict
	[ "$ACCEL" = kvm ] && ACCEL_CPU=host
	ACCEL_WHY="$ACCEL: $why"
}
