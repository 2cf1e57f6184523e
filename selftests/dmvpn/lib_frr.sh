# SPDX-License-Identifier: GPL-2.0
# FRR (zebra + nhrpd) as an NHRP peer inside a test netns, for the interop
# tests. Source after lib.sh. FRR's nhrpd runs on a stock ip_gre device in
# "NBMA mode": no remote, bound to the underlay with `dev` (without `dev`
# and `remote 0.0.0.0` nhrpd never registers).
#
# Every router gets its own run directory (vty sockets, zserv socket, pid
# files, logs), so several FRR instances coexist in one VM.
#
# FRR_ROOT: run another Debian's FRR (zebra, nhrpd and vtysh) chrooted into
# that root (`ip netns exec NS chroot FRR_ROOT ...`); frr_root_mount gives
# it the test's /proc, /dev, /sys, /run, /tmp and /var/tmp. Its frr user
# is looked up in the root, and the run directories are chowned to its
# uid and gid there. Empty: the host's FRR.
# FRR_AUTH: the NHRP password (`ip nhrp authentication`, FRR 10) of the
# configurations below; empty: none.

FRR_BIN=${FRR_BIN:-/usr/lib/frr}
FRR_ROOT=${FRR_ROOT:-}
# One directory per router: $FRR_RUN/NS (made at frr_start).
FRR_RUN=${FRR_RUN:-${TMPDIR:-/tmp}/dmvpn-frr.$$}
export FRR_RUN FRR_ROOT

# frr_exec NS CMD...: CMD (an FRR binary) in NS, chrooted into FRR_ROOT.
frr_exec() {
	local ns=$1
	shift
	if [ -n "$FRR_ROOT" ]; then
		ip netns exec "$ns" chroot "$FRR_ROOT" "$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# frr_owner: uid:gid of the frr user the daemons run as.
frr_owner() {
	local u g
	if [ -n "$FRR_ROOT" ]; then
		u=$(awk -F: '$1 == "frr" { print $3 }' "$FRR_ROOT/etc/passwd")
		g=$(awk -F: '$1 == "frr" { print $3 }' "$FRR_ROOT/etc/group")
	else
		u=$(id -u frr 2>/dev/null) g=$(id -g frr 2>/dev/null)
	fi
	[ -n "$u" ] && [ -n "$g" ] && echo "$u:$g"
}

require_frr() {
	local d
	for d in zebra nhrpd; do
		[ -x "$FRR_ROOT$FRR_BIN/$d" ] ||
			skip "FRR $d not installed${FRR_ROOT:+ in $FRR_ROOT}"
	done
	if [ -n "$FRR_ROOT" ]; then
		[ -x "$FRR_ROOT/usr/bin/vtysh" ] || skip "no vtysh in $FRR_ROOT"
	else
		require vtysh
	fi
	frr_owner >/dev/null || skip "no frr user${FRR_ROOT:+ in $FRR_ROOT}"
}

# frr_version: nhrpd's version ("nhrpd version 10.7.1").
frr_version() {
	local v
	if [ -n "$FRR_ROOT" ]; then
		v=$(chroot "$FRR_ROOT" "$FRR_BIN/nhrpd" --version)
	else
		v=$("$FRR_BIN/nhrpd" --version)
	fi
	head -n 1 <<<"$v"
}

# frr_root_mount: bind the test's /proc, /dev, /sys, /run, /tmp and
# /var/tmp into FRR_ROOT (the run directories, pid files and sockets have
# the same paths inside and out). Call it in a private mount namespace
# (unshare --mount): the mounts then go with the test.
frr_root_mount() {
	local d
	[ -n "$FRR_ROOT" ] || return 0
	mount -t proc proc "$FRR_ROOT/proc" || return 1
	for d in dev sys run tmp var/tmp; do
		mount --rbind "/$d" "$FRR_ROOT/$d" || return 1
	done
}

# frr_add_gre NS LOCAL TUNADDR [UNDERLAY]: the NBMA-mode GRE device gre1.
frr_add_gre() {
	local ns=$1 local=$2 addr=$3 ul=${4:-eth0}
	ip -n "$ns" tunnel add gre1 mode gre key "$KEY" ttl 64 dev "$ul" \
		local "$local" remote 0.0.0.0 || return 1
	ip -n "$ns" addr add "$addr" dev gre1
	ip -n "$ns" link set gre1 up
}

# frr_conf_hub: nhrpd configuration of a hub on gre1 (stdout).
frr_conf_hub() {
	cat <<-EOF
	interface gre1
	 ip nhrp network-id 1
	 ip nhrp holdtime ${FRR_HOLDTIME:-600}
	 ip nhrp redirect
	 ip nhrp registration no-unique
	 ip nhrp map multicast dynamic
	${FRR_AUTH:+ ip nhrp authentication $FRR_AUTH}
	 tunnel source ${1:-eth0}
	exit
	EOF
}

# frr_conf_spoke HUB_NBMA [HUB_TUN]: a spoke with one NHS, its tunnel
# address learnt from the registration reply unless HUB_TUN is given.
frr_conf_spoke() {
	cat <<-EOF
	interface gre1
	 ip nhrp network-id 1
	 ip nhrp holdtime ${FRR_HOLDTIME:-600}
	 ip nhrp nhs ${2:-dynamic} nbma $1
	 ip nhrp registration no-unique
	 ip nhrp shortcut
	 ip nhrp map multicast $1
	${FRR_AUTH:+ ip nhrp authentication $FRR_AUTH}
	 tunnel source ${3:-eth0}
	exit
	EOF
}

# frr_start NS CONFIG_TEXT: zebra and nhrpd in NS with nhrpd's config,
# logging at debug level to the run directory. Waits until both answer.
frr_start() {
	local ns=$1 conf=$2 dir d owner
	dir=$FRR_RUN/$ns
	# -N NS makes the daemons want /var/run/frr/NS even with every path
	# given explicitly.
	owner=$(frr_owner) || return 1
	mkdir -p "$dir" "/var/run/frr/$ns" || return 1
	chown "$owner" "/var/run/frr/$ns"
	chmod 0755 "$FRR_RUN"
	printf '%s\n' "${FRR_DEBUG:+debug nhrp all}" "$conf" >"$dir/nhrpd.conf"
	: >"$dir/vtysh.conf"
	chown -R "$owner" "$dir"
	chmod 0750 "$dir"
	for d in zebra nhrpd; do
		local cfg=/dev/null
		[ $d = nhrpd ] && cfg=$dir/nhrpd.conf
		frr_exec "$ns" "$FRR_BIN/$d" -d -N "$ns" -u frr -g frr \
			--vty_socket "$dir" -i "$dir/$d.pid" -z "$dir/zserv.api" \
			--log "file:$dir/$d.log" --log-level debug -f "$cfg" \
			>>"$dir/start.log" 2>&1 || {
			log "FRR $d failed to start in $ns"
			cat "$dir/start.log" "$dir/$d.log" 2>/dev/null |
				sed 's/^/#   /'
			return 1
		}
		# nhrpd connects to zebra's zserv socket: let zebra answer first.
		busywait 20000 frr_vtysh_ok "$ns" $d || {
			log "FRR $d in $ns does not answer on its vty"
			return 1
		}
	done
}

frr_vtysh_ok() {
	frr_vtysh "$1" -d "$2" -c 'show version' >/dev/null 2>&1
}

# frr_vtysh NS ARGS...: vtysh against NS's daemons (vtysh takes no -N:
# with it, it looks for the sockets in the default pathspace).
frr_vtysh() {
	local ns=$1
	shift
	frr_exec "$ns" vtysh --vty_socket "$FRR_RUN/$ns" "$@"
}

# frr_json NS SHOW-COMMAND: a `show ... json` command's output; "[]" or
# "{}" style output is passed on unchanged, errors give "null".
frr_json() {
	local out
	out=$(frr_vtysh "$1" -d nhrpd -c "$2 json" 2>/dev/null)
	jq -e . >/dev/null 2>&1 <<<"$out" && echo "$out" || echo null
}

# The nhrpd JSON tables ("show ip nhrp cache json", "show ip nhrp nhs
# json") are objects with an "attr" header and a "table" array (FRR 8.x).
frr_cache() { frr_json "$1" "show ip nhrp cache" | jq -c '.table // []'; }
frr_nhs() { frr_json "$1" "show ip nhrp nhs" | jq -c '.table // []'; }

# frr_cache_has NS PROTO NBMA TYPE: NS's nhrpd has an entry PROTO -> NBMA
# of the given type (dynamic, nhs, local, ...).
frr_cache_has() {
	frr_cache "$1" | jq -e --arg p "$2" --arg n "$3" --arg t "$4" \
		'any(.[]; .protocol == $p and .nbma == $n and .type == $t)' \
		>/dev/null
}

# frr_nhs_up NS NBMA PROTO: the NHS at NBMA answered a registration:
# nhrpd 8.4 shows no NHS state, but a dynamic NHS gets its tunnel address
# PROTO from the registration reply, and an "nhs" cache entry.
frr_nhs_up() {
	frr_nhs "$1" | jq -e --arg n "$2" --arg p "$3" \
		'any(.[]; .nbma == $n and .protocol == $p)' >/dev/null &&
	frr_cache_has "$1" "$3" "$2" nhs
}

# frr_dump NS: the daemons' state and logs, for a failing test's output.
frr_dump() {
	local ns=$1 dir=$FRR_RUN/$1
	log "FRR in $ns:"
	frr_vtysh "$ns" -c 'show ip nhrp cache' -c 'show ip nhrp nhs' \
		-c 'show ip nhrp shortcut' -c 'show ip route' 2>&1 |
		sed 's/^/#   /'
	# Without strongSwan nhrpd logs a VICI reconnect every 2 s.
	grep -v vici_reconnect "$dir/nhrpd.log" 2>/dev/null |
		tail -n "${FRR_LOG_LINES:-60}" | sed 's/^/#   nhrpd: /'
}

# frr_stop NS: stop NS's daemons (nhrpd first) and wait until they exited.
frr_stop() {
	local ns=$1 dir=$FRR_RUN/$1 d pid
	[ -d "$dir" ] || return 0
	for d in nhrpd zebra; do
		pid=$(cat "$dir/$d.pid" 2>/dev/null) || continue
		kill "$pid" 2>/dev/null || continue
		busywait 5000 bash -c "! kill -0 $pid 2>/dev/null" ||
			kill -9 "$pid" 2>/dev/null
	done
	rm -rf "$dir" "/var/run/frr/$ns"
}

frr_cleanup() {
	local dir
	for dir in "$FRR_RUN"/*; do
		[ -d "$dir" ] && frr_stop "$(basename "$dir")"
	done
	rm -rf "$FRR_RUN"
}

export -f frr_exec frr_vtysh frr_vtysh_ok frr_json frr_cache frr_nhs frr_cache_has \
	frr_nhs_up
