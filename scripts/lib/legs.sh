# shellcheck shell=bash disable=SC2154 # here and t0 come from the caller
# The kernel legs of a test run and the summary, shared by scripts/check
# (qemu) and scripts/check-vng (virtme-ng, as kernel CI runs it) so that
# both count and print alike.  Source it; it defines functions only.  The
# caller sets here (scripts/), pass, fail, skip (numbers), summary and
# timings (arrays) and t0 (start, date +%s).

# leg_time NAME START: note NAME's wall time since START for the table.
leg_time() {
	timings+=("$(printf '%-28s %5d s' "$1" $(($(date +%s) - $2)))")
}

# kernel_leg K: build dmvpn.ko (and dmvpn_kunit.ko) for kernel K, boot K
# with scripts/vm-run (DMVPN_VM_RUNNER picks the runner) and run
# scripts/guest-check there; add its KUnit and kselftest counts to pass,
# fail and skip, and a line to summary.  A run that fails with no failed
# test (kernel log, timeout, no status) counts as one failure.
kernel_leg() {
	local k=$1 t out mods log rc kp kf sp sf ss line
	echo "=== kernel $k ==="
	t=$(date +%s)
	if ! out=$("$here/build-module" "$k"); then
		summary+=("$k: module build FAILED")
		fail=$((fail + 1))
		leg_time "kernel $k" "$t"
		return 0
	fi
	mods=(--module "$out/dmvpn.ko")
	[ -f "$out/dmvpn_kunit.ko" ] && mods+=(--module "$out/dmvpn_kunit.ko")
	# 6.1 runs every selftest but ipsec_zeroloss6_sid and
	# ipsec_charon6_sid. The other kernels leave twelve scenarios that
	# drive dmvpn through dmvpnd, FRR or the CLI (dmvpnd_privs tests only
	# the daemon's privileges; ipsec_nbma_move, dmvpnd moving an SA with
	# its peer's address, only kernel paths every IPsec test takes), and
	# ipsec_certs6 and ipsec_natt_cbc (strongSwan 6's pki and
	# certificates, and ESP with AES-CBC, choices of charon's: each
	# kernel's xfrm meets strongSwan 6.0 in ipsec_charon6, 7.2's meets
	# 6.1, the pair sid ships, in ipsec_charon6_sid, and every kernel's
	# ESP meets AES-GCM). The kernel sees the twelve only through the
	# genl family and the NHRP socket, which the kernel-level tests (and
	# nhrp_registration, with dmvpnd) drive on every Debian kernel. The
	# IPsec scenarios run on every Debian kernel: the hand-configured
	# peer, NAT-T and strongSwan 6 meet each kernel's xfrm core. The
	# debug kernel runs KUnit and the selftests that take dmvpn.ko
	# through its core paths (transmit and receive, netlink and the
	# cache, device lifetime and module unload, and IPsec: held
	# packets, their release, settling and dmvpnd's word on it) under
	# KASAN, lockdep and kmemleak (multicast replication and charon's
	# SAs left it when CI neared its limit); the other
	# kernel-level tests run on the three Debian kernels. CI once ran
	# this suite three times slower than the machines it was written on,
	# and the debug kernel's tests cost three to four times the others'.
	# DMVPN_FULL=1 runs everything everywhere.
	local skip_tests=${DMVPN_SELFTESTS_SKIP:-}
	# Zero loss (three minutes a run) with the strongSwan of the kernel's
	# own suite: bookworm's 5.9.8 on 6.1 and 6.12, sid's 6.1 on 7.2 (the
	# debug kernel runs neither); strongSwan 6.1's charon test likewise
	# on 7.2 only.
	if [ "${DMVPN_FULL:-0}" != 1 ]; then
		if [ "$k" = 7.2 ]; then
			skip_tests="$skip_tests ipsec_zeroloss.sh"
		else
			skip_tests="$skip_tests ipsec_zeroloss6_sid.sh ipsec_charon6_sid.sh"
		fi
	fi
	if [ "$k" != 6.1 ] && [ "${DMVPN_FULL:-0}" != 1 ]; then
		skip_tests="$skip_tests interop_frr.sh interop_frr10.sh nhrp_phase2.sh nhrp_nhs_state.sh nhrp_robust.sh nhrp_hijack.sh nhs_failover.sh nhrp_nat.sh nhrp_hierarchy.sh ipdmvpn_config.sh dmvpnd_privs.sh ipsec_nbma_move.sh ipsec_certs6.sh ipsec_natt_cbc.sh"
		[ "$k" = debug ] && skip_tests="$skip_tests gre_key.sh rx_tunnel.sh nhrp_frames.sh ipsec_policy.sh ipsec_protect.sh ipsec_certs.sh ipsec_charon6.sh nhrp_registration.sh multicast.sh ipsec_charon.sh ipsec_interop.sh ipsec_natt.sh ipsec_zeroloss.sh limits.sh config_nl.sh nhs_fallback.sh"
	fi
	log=$(mktemp)
	set +e
	DMVPN_SELFTESTS_SKIP=$skip_tests \
	"$here/vm-run" --kernel "$k" "${mods[@]}" --timeout 3000 -- \
		"$here/guest-check" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	set -e
	kp=0 kf=0 sp=0 sf=0 ss=0
	read -r kp kf < <(sed -n 's/.*# kunit: \([0-9]*\) passed, \([0-9]*\) failed.*/\1 \2/p' "$log" | tail -1) || true
	read -r sp sf ss < <(sed -n 's/.*# dmvpn: \([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped.*/\1 \2 \3/p' "$log" | tail -1) || true
	kp=${kp:-0} kf=${kf:-0} sp=${sp:-0} sf=${sf:-0} ss=${ss:-0}
	pass=$((pass + kp + sp))
	fail=$((fail + kf + sf))
	skip=$((skip + ss))
	line="$k: kunit $kp passed $kf failed; selftests $sp passed $sf failed $ss skipped"
	if [ "$rc" -ne 0 ] && [ $((kf + sf)) -eq 0 ]; then
		# The guest passed but the run did not: kernel log or timeout.
		fail=$((fail + 1))
		line="$line; VM run FAILED (exit $rc, see above)"
	fi
	summary+=("$line")
	# What failed, again in the summary: CI reports often keep only the
	# end of a run's output.
	if [ "$rc" -ne 0 ]; then
		while IFS= read -r l; do
			summary+=("  | $l")
		done < <({
			# A test's own failed checks ("# not ok") and its verdict.
			grep -aE '^(# )?not ok ' "$log"
			sed -n '/^vm-run: /,$p' "$log" | grep -aE '^(vm-run: |  )'
		} | head -n 30)
	fi
	rm -f "$log"
	leg_time "kernel $k (module, VM)" "$t"
}

# print_summary: the summary, the wall-time table and the last line,
# "N passed, N failed, N skipped"; fails if anything failed.
print_summary() {
	leg_time total "$t0"
	echo "=== summary ==="
	printf '%s\n' "${summary[@]}"
	echo "=== wall time per leg ==="
	printf '%s\n' "${timings[@]}"
	echo "$pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
}
