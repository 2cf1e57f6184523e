# SPDX-License-Identifier: GPL-2.0
# Helpers for the tests that run dmvpnd (sourced after lib.sh). The NHRP
# configuration goes through the genl family directly (genl_raw.py), so
# these tests depend only on the kernel contract and dmvpnd.

DMVPND=${DMVPND:-$DMVPN_ROOT/user/dmvpnd/dmvpnd}
DMVPND_LOGDIR=$(mktemp -d)
declare -A DMVPND_PID

require_dmvpnd() {
	[ -x "$DMVPND" ] || skip "$DMVPND not built (make -C user/dmvpnd)"
	require python3 jq
}

hexstr() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }

# genl NS CMD ATTR...: one genl request; fails unless the kernel says 0.
genl() {
	local ns=$1 out
	shift
	out=$(genl_raw "$ns" "$@") || return 1
	[ "${out%% *}" = "errno=0" ] || { log "genl $*: $out"; return 1; }
}

# config_set NS ROLE(hub|spoke) HOLDTIME [AUTH]: CONFIG_SET on dmvpn0,
# network-id 1. AUTH "-" clears the password.
config_set() {
	local ns=$1 role=$2 hold=$3 auth=${4:-} r=1 a=""
	[ "$role" = hub ] && r=2
	[ -n "$auth" ] && a=",5:hex:$([ "$auth" = - ] || hexstr "$auth")"
	genl "$ns" 11 2:str:dmvpn0 "16:nest:[1:u8:$r,2:u32:1,3:u32:$hold$a]"
}

# config_mcast_dynamic NS: hub replicates multicast to registered spokes.
config_mcast_dynamic() {
	genl "$1" 11 2:str:dmvpn0 "16:nest:[7:u8:1]"
}

# mcast_dynamic NS NBMA: the multicast map has NBMA, added by registration.
mcast_dynamic() {
	dm "$1" -j mcast show dev dmvpn0 | jq -e --arg n "$2" \
		'.[] | select(.nbma == $n) | .flags | index("dynamic")' >/dev/null
}

# config_auth NS AUTH: change only the password.
config_auth() {
	genl "$1" 11 2:str:dmvpn0 "16:nest:[5:hex:$(hexstr "$2")]"
}

# nhrp_cloud HOLD AUTH: setup_cloud's hub and spokes as an NHRP cloud
# (network-id 1, password AUTH) with no static maps: the spokes name the
# hub as their NHS.
nhrp_cloud() {
	local hold=$1 auth=$2 ns
	for ns in "$HUB" "$S1" "$S2"; do
		dm "$ns" map flush dev dmvpn0
	done
	dm "$HUB" config set dev dmvpn0 role hub network-id 1 holdtime "$hold" \
		auth "$auth" || return 1
	for ns in "$S1" "$S2"; do
		dm "$ns" config set dev dmvpn0 role spoke network-id 1 \
			holdtime "$hold" auth "$auth" &&
		dm "$ns" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
			return 1
	done
}

# attacker_site: a third site on setup_cloud's underlay with its own dmvpn
# device (the cloud's GRE key): a member that may send anything. Sets S3
# (its namespace), S3_NBMA and S3_TUN.
attacker_site() {
	setup_ns S3 || return 1
	S3_NBMA=198.51.100.13
	S3_TUN=192.0.2.13
	link_pair "$S3" eth0 $S3_NBMA/30 "$UL" s3 198.51.100.14/30 &&
		ip -n "$S3" route add default via 198.51.100.14 &&
		add_dmvpn "$S3" $S3_NBMA $S3_TUN/32
}

# nhs_add NS NBMA [PROTO]
nhs_add() {
	local p=""
	[ -n "${3:-}" ] && p=",3:hex:$(hexstr_ip "$3")"
	genl "$1" 12 2:str:dmvpn0 "17:nest:[1:hex:$(hexstr_ip "$2")$p]"
}

hexstr_ip() { printf '%02x' ${1//./ }; }

# start_dmvpnd NS [ARG...]: runs dmvpnd ARG... in NS, log in
# $DMVPND_LOGDIR/NS.log (appended across restarts). With DMVPND_HOSTS set
# the daemon reads that file as /etc/hosts: NHS names without a DNS server.
start_dmvpnd() {
	local ns=$1 wrap=()
	shift
	[ -n "${DMVPND_HOSTS:-}" ] &&
		wrap=(unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"'
		      "$DMVPND_HOSTS")
	# unshare, sh and ip netns exec exec: $! is the daemon itself.
	"${wrap[@]}" ip netns exec "$ns" "$DMVPND" --log-level debug "$@" \
		>>"$DMVPND_LOGDIR/$ns.log" 2>&1 &
	DMVPND_PID[$ns]=$!
}

# stop_dmvpnd NS [SIGNAL]: returns dmvpnd's exit status.
stop_dmvpnd() {
	local ns=$1 sig=${2:-TERM} pid=${DMVPND_PID[$1]}
	kill -s "$sig" "$pid" 2>/dev/null
	wait "$pid"
}

dmvpnd_log() { cat "$DMVPND_LOGDIR/$1.log"; }
# log_count NS REGEX: matching lines in NS's dmvpnd log.
log_count() { grep -cE "$2" "$DMVPND_LOGDIR/$1.log"; }
log_has() { grep -qE "$2" "$DMVPND_LOGDIR/$1.log"; }

# entry_has NS PROTO TYPE NBMA [FLAG]: a cache entry as expected.
entry_has() {
	local ns=$1 proto=$2 type=$3 nbma=$4 flag=${5:-}
	dm "$ns" -j map show dev dmvpn0 | jq -e --arg p "$proto" \
		--arg t "$type" --arg n "$nbma" --arg f "$flag" \
		'.[] | select(.proto == $p and .type == $t and .nbma == $n)
		 | select($f == "" or (.flags | index($f)))' >/dev/null
}

# nhs_state NS: state of the first NHS from ip dmvpn nhs show, if the
# ip dmvpn in use has it.
nhs_state() {
	dm "$1" -j nhs show dev dmvpn0 2>/dev/null | jq -r '.[0].state'
}

dmvpnd_cleanup() {
	local ns
	for ns in "${!DMVPND_PID[@]}"; do
		kill "${DMVPND_PID[$ns]}" 2>/dev/null
	done
	if [ "$FAILED" -ne 0 ]; then
		for ns in "${!DMVPND_PID[@]}"; do
			log "---- dmvpnd log of ${ns%%-*}"
			sed 's/^/# /' "$DMVPND_LOGDIR/$ns.log" | tail -40
		done
	fi
	rm -rf "$DMVPND_LOGDIR"
	cleanup_ns
}
trap dmvpnd_cleanup EXIT

export -f entry_has log_has log_count nhs_state mcast_dynamic
export DMVPND_LOGDIR
