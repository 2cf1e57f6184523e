# shellcheck shell=bash disable=SC2154 # pass, fail, ... come from the caller
# Legs of scripts/check run by a few workers at once.  A VM under TCG keeps
# about one core busy (measured: 113% of a core for the 6.1 leg), so on a
# two-core machine two VMs, or a VM beside a build, nearly halve the wall
# time.  Each leg's output goes to a file of its own and is printed whole
# when the leg ends, so the log reads leg by leg (in the order they end).
# Source after legs.sh; it defines functions only.
#
# workers_run N FIRST QUEUE...: N workers (subshells).  Worker 1 first
# runs the command line FIRST (its setup legs: builds, unit tests), then
# every worker takes the next leg from QUEUE until it is empty; a leg is a
# command line (e.g. "kernel_leg 6.1").  $WORKERS_WAIT names the legs
# (their first word) that wait for something FIRST makes (see leg_next).  The counts, summary lines and
# timings of every worker are added to the caller's.

# leg_print LOG: print a finished leg's output, one leg at a time.
leg_print() {
	{
		flock 8
		cat "$1"
	} 8>"$wdir/print.lock"
}

# leg_run CMD...: run one leg (a function of this shell) with its output
# to a file, then print it.  A leg that fails outside its tests counts as
# a failure.
leg_run() {
	local log
	log=$(mktemp "$wdir/leg.XXXXXX")
	if ! "$@" >"$log" 2>&1; then
		fail=$((fail + 1))
		summary+=("$*: FAILED (see its output)")
	fi
	leg_print "$log"
	rm -f "$log"
}

# leg_next: print the next leg that can start and take it off the queue;
# fail when the queue is empty.  A leg whose first word is in $wdir/waits
# (e.g. debug_leg) can start once $wdir/WORD.ready exists; until then the
# other legs go first, and with nothing else left it is taken anyway (it
# waits for itself).
leg_next() {
	local leg="" l i=0 n
	{
		flock 9
		n=$(wc -l <"$wdir/queue")
		while IFS= read -r l; do
			i=$((i + 1))
			if ! grep -qxF -- "${l%% *}" "$wdir/waits" 2>/dev/null ||
				[ -e "$wdir/${l%% *}.ready" ]; then
				leg=$l
				break
			fi
		done <"$wdir/queue"
		if [ -z "$leg" ] && [ "$n" -gt 0 ]; then
			i=1
			leg=$(head -n 1 "$wdir/queue")
		fi
		[ -z "$leg" ] || sed -i "${i}d" "$wdir/queue"
	} 9>"$wdir/queue.lock"
	[ -n "$leg" ] && printf '%s\n' "$leg"
}

worker() {
	local id=$1 first=$2 leg l
	pass=0 fail=0 skip=0 summary=() timings=()
	if [ "$id" = 1 ] && [ -n "$first" ]; then
		eval "$first"
	fi
	while leg=$(leg_next); do
		eval "leg_run $leg"
	done
	{
		echo "pass=\$((pass + $pass)) fail=\$((fail + $fail)) skip=\$((skip + $skip))"
		for l in "${summary[@]}"; do printf 'summary+=(%q)\n' "$l"; done
		for l in "${timings[@]}"; do printf 'timings+=(%q)\n' "$l"; done
	} >"$wdir/worker$id.res"
}

workers_run() {
	local n=$1 first=$2 i
	local -a pids=()
	shift 2
	wdir=$(mktemp -d)
	printf '%s\n' "$@" >"$wdir/queue"
	tr ' ' '\n' <<<"${WORKERS_WAIT:-}" >"$wdir/waits"
	for ((i = 1; i <= n; i++)); do
		worker "$i" "$first" &
		pids+=($!)
	done
	for ((i = 1; i <= n; i++)); do
		wait "${pids[i - 1]}" || true
		if [ -f "$wdir/worker$i.res" ]; then
			# shellcheck disable=SC1090
			. "$wdir/worker$i.res"
		else
			fail=$((fail + 1))
			summary+=("worker $i stopped early: FAILED (see above)")
		fi
	done
	rm -rf "$wdir"
}
