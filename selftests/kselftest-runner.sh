#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs kselftest programs and reports them in KTAP, like the kernel's
# kselftest/runner.sh: 0 = ok, 4 = skip, anything else = not ok. Each test
# gets the timeout of its directory's `settings` file. The last line is the
# "N passed, N failed, N skipped" summary CI reads. Tests named in
# DMVPN_SELFTESTS_SKIP (space-separated) are reported as skipped; when
# DMVPN_SELFTESTS is set, only the tests it names run (in suite order),
# and a name that is not a test is an error.
if [ -n "${DMVPN_SELFTESTS:-}" ]; then
	for t in $DMVPN_SELFTESTS; do
		case " $* " in
		*" $t "*) ;;
		*) echo "DMVPN_SELFTESTS: no test named $t (tests: $*)" >&2; exit 1 ;;
		esac
	done
	all=("$@")
	set --
	for t in "${all[@]}"; do
		case " $DMVPN_SELFTESTS " in *" $t "*) set -- "$@" "$t" ;; esac
	done
fi
timeout=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout=${timeout:-300}
suite=$(basename "$PWD")
pass=0 fail=0 skipped=0 i=0
echo "TAP version 13"
echo "1..$#"
for t in "$@"; do
	i=$((i + 1))
	echo "# selftests: $suite: $t"
	case " ${DMVPN_SELFTESTS_SKIP:-} " in
	*" $t "*)
		echo "ok $i selftests: $suite: $t # SKIP not run on this kernel (DMVPN_SELFTESTS_SKIP)"
		skipped=$((skipped + 1))
		continue ;;
	esac
	start=$SECONDS
	timeout --foreground "$timeout" "./$t" 2>&1 | sed 's/^\([^#]\)/# \1/'
	rc=${PIPESTATUS[0]}
	echo "# $t: $((SECONDS - start)) s"
	case $rc in
	0) echo "ok $i selftests: $suite: $t"; pass=$((pass + 1)) ;;
	4) echo "ok $i selftests: $suite: $t # SKIP"; skipped=$((skipped + 1)) ;;
	124) echo "not ok $i selftests: $suite: $t # TIMEOUT $timeout seconds"
	     fail=$((fail + 1)) ;;
	*) echo "not ok $i selftests: $suite: $t # exit=$rc"; fail=$((fail + 1)) ;;
	esac
done
echo "# $suite: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
