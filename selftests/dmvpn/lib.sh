# SPDX-License-Identifier: GPL-2.0
# Helpers for the dmvpn selftests, named like tools/testing/selftests/net's.
# Sourced by every test; each test is one kselftest program (exit 0 pass,
# 1 fail, 4 skip) that prints its checks as KTAP-style "# ok/not ok" lines.
#
# The standard cloud (setup_cloud) reads like this:
#
#   hub  198.51.100.1 --.                 overlay 192.0.2.0/24 on dmvpn0
#   s1   198.51.100.5 --+-- ul (router)   hub .1, s1 .11, s2 .12, GRE key 42
#   s2   198.51.100.9 --'                 LAN behind s2: 203.0.113.16/28

ksft_skip=4
DMVPN_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# "ip dmvpn" is the patched ip of user/iproute2/build (make -C user);
# IP_DMVPN=$DMVPN_ROOT/user/ip-dmvpn runs the tests with the standalone
# build of the same sources instead.  $IPD runs either (see ipd).
DMVPN_IP=${DMVPN_IP:-$DMVPN_ROOT/user/iproute2/build/ip}
IP_DMVPN=${IP_DMVPN:-}
IPD=$DMVPN_ROOT/selftests/dmvpn/ipd
export IP_LIB_DIR=${IP_LIB_DIR:-$DMVPN_ROOT/user}

HUB_NBMA=198.51.100.1
S1_NBMA=198.51.100.5
S2_NBMA=198.51.100.9
HUB_TUN=192.0.2.1
S1_TUN=192.0.2.11
S2_TUN=192.0.2.12
S2_LAN=203.0.113.16/28
S2_LAN_HOST=203.0.113.17
KEY=42

NS_LIST=()
FAILED=0
CHECKS=0

log() { echo "# $*"; }

check() {
	local name=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then
		echo "# ok $CHECKS $name"
	else
		echo "# not ok $CHECKS $name"
		FAILED=$((FAILED + 1))
	fi
}

# check_fail NAME CMD...: CMD must exit nonzero.
check_fail() {
	local name=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then
		echo "# not ok $CHECKS $name"
		FAILED=$((FAILED + 1))
	else
		echo "# ok $CHECKS $name"
	fi
}

skip() {
	echo "# SKIP $*"
	exit $ksft_skip
}

finish() {
	log "$((CHECKS - FAILED))/$CHECKS checks passed"
	[ "$FAILED" -eq 0 ] || exit 1
	exit 0
}

require() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip "$c not installed"
	done
}

require_dmvpn() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
	[ -x "${IP_DMVPN:-$DMVPN_IP}" ] ||
		skip "${IP_DMVPN:-$DMVPN_IP} not built (make -C user)"
	[ -f "$IP_LIB_DIR/link_dmvpn.so" ] || skip "link_dmvpn.so not built"
	modprobe dmvpn 2>/dev/null || [ -d /sys/module/dmvpn ] ||
		skip "dmvpn module not available"
}

# setup_ns VAR...: a fresh netns per name, unique per run, lo up.
setup_ns() {
	local var ns
	for var in "$@"; do
		ns="$var-$$-$RANDOM"
		ip netns add "$ns" || return 1
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
		ip netns exec "$ns" sysctl -qw net.ipv4.conf.all.send_redirects=0
		NS_LIST+=("$ns")
		eval "$var=$ns"
	done
}

cleanup_ns() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
}

cleanup() {
	cleanup_ns
}
trap cleanup EXIT

# busywait TIMEOUT_MS CMD...: poll CMD until it succeeds or time runs out,
# 50 ms apart at first, then backing off to 0.5 s: a poll starts processes
# (ip dmvpn, jq), and a long wait (for a daemon's timer) must leave the
# CPU to what it waits for, in a TCG guest most of all.
busywait() {
	local timeout=$(($1 * 1000)) start gap=50
	shift
	start=${EPOCHREALTIME/./}
	while true; do
		"$@" && return 0
		[ $((${EPOCHREALTIME/./} - start)) -ge "$timeout" ] && return 1
		sleep "0.$(printf %03d "$gap")"
		gap=$((gap * 2 > 500 ? 500 : gap * 2))
	done
}

n() { ip netns exec "$@"; }

# genl_raw NS ARGS...: genl_raw.py ARGS in NS. After genl_serve NS, the
# requests go to one genl_raw.py --serve there, which saves starting python
# (most of a second in a TCG guest) for each of them.
GENL_RAW_PY=$DMVPN_ROOT/selftests/dmvpn/genl_raw.py
declare -A GENL_TO GENL_FROM
genl_serve() {
	local ns=$1 d to from
	d=$(mktemp -d) || return 1
	mkfifo "$d/to" "$d/from" || return 1
	n "$ns" python3 "$GENL_RAW_PY" --serve <"$d/to" >"$d/from" &
	exec {to}>"$d/to" {from}<"$d/from"
	rm -rf "$d"
	GENL_TO[$ns]=$to GENL_FROM[$ns]=$from
}
genl_raw() {
	local ns=$1 line out=""
	shift
	if [ -z "${GENL_TO[$ns]:-}" ]; then
		n "$ns" python3 "$GENL_RAW_PY" "$@"
		return
	fi
	printf '%q ' "$@" >&"${GENL_TO[$ns]}"
	echo >&"${GENL_TO[$ns]}"
	# The whole answer is read before any of it is printed: a reader that
	# stops early (| head -n 1) must not leave lines for the next request.
	while IFS= read -r line <&"${GENL_FROM[$ns]}"; do
		[ "$line" = --end-- ] && { printf %s "$out"; return 0; }
		out+=$line$'\n'
	done
	log "genl_raw: the server in $ns is gone"
	return 1
}
dm() { local ns=$1; shift; ip netns exec "$ns" "$IPD" "$@"; }
# icmp_stat NS FIELD: the Icmp: counter FIELD of /proc/net/snmp in NS.
icmp_stat() {
	n "$1" awk -v f="$2" '$1 == "Icmp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
		    $1 == "Icmp:" { print $c[f] }' /proc/net/snmp
}
# genl_fill NS: the genl_raw requests of stdin (one per line) on one socket
# in NS, stopping at the first that fails; prints genl_raw.py's "done=N"
# line and fails unless all were done. Thousands of entries in seconds,
# where "ip dmvpn -batch" forks for each line.
genl_fill() {
	local out
	out=$(n "$1" python3 "$GENL_RAW_PY" --fill)
	echo "$out"
	case $out in *errno=*) return 1 ;; esac
}
# entry_req DEV PROTO NBMA: the genl_raw line of an ENTRY_NEW (IPv4), made
# without a fork: a loop of thousands of them runs in a TCG guest.
entry_req() {
	local IFS=. p a
	# shellcheck disable=SC2086
	printf -v p '%02x%02x%02x%02x' $2
	# shellcheck disable=SC2086
	printf -v a '%02x%02x%02x%02x' $3
	printf '2 2:str:%s 11:nest:[1:hex:%s,3:hex:%s]\n' "$1" "$p" "$a"
}

# link_pair NS_A IF_A ADDR_A NS_B IF_B ADDR_B: a veth between two netns.
link_pair() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4" || return 1
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$4" addr add "$6" dev "$5"
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# nat_router NS: a home router (needs nft): masquerade what leaves by
# wan; what comes in by wan for the router itself (a GRE or IKE packet
# no inside host has asked for) is dropped before conntrack keeps it:
# else it would hold the tuple that the inside host's own tunnel to that
# peer needs.
nat_router() {
	n "$1" nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "wan" masquerade
		}
		chain in {
			type filter hook input priority filter;
			iifname "wan" ct state established,related accept
			iifname "wan" drop
		}
	}
	EOF
}

# add_dmvpn NS LOCAL TUNADDR [ip link args...]
add_dmvpn() {
	local ns=$1 local=$2 addr=$3
	shift 3
	ip -n "$ns" link add dmvpn0 type dmvpn local "$local" key $KEY "$@" ||
		return 1
	ip -n "$ns" addr add "$addr" dev dmvpn0
	ip -n "$ns" link set dmvpn0 up
}

# The standard cloud, Phase 1 shaped: the hub knows both spokes statically;
# spokes reach the whole overlay through the hub.
# The underlay alone: three sites routed through UL.
setup_underlay() {
	setup_ns UL HUB S1 S2 || return 1
	link_pair "$HUB" eth0 $HUB_NBMA/30 "$UL" hub 198.51.100.2/30 &&
	link_pair "$S1" eth0 $S1_NBMA/30 "$UL" s1 198.51.100.6/30 &&
	link_pair "$S2" eth0 $S2_NBMA/30 "$UL" s2 198.51.100.10/30 || return 1
	ip -n "$HUB" route add default via 198.51.100.2
	ip -n "$S1" route add default via 198.51.100.6
	ip -n "$S2" route add default via 198.51.100.10
}

setup_cloud() {
	setup_underlay || return 1
	add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
	add_dmvpn "$S1" $S1_NBMA $S1_TUN/32 &&
	add_dmvpn "$S2" $S2_NBMA $S2_TUN/32 || return 1
	local s
	for s in "$S1" "$S2"; do
		ip -n "$s" route add $HUB_TUN/32 dev dmvpn0
		ip -n "$s" route add 192.0.2.0/24 via $HUB_TUN dev dmvpn0 onlink
		dm "$s" map add $HUB_TUN nbma $HUB_NBMA dev dmvpn0 || return 1
	done
	dm "$HUB" map add $S1_TUN nbma $S1_NBMA dev dmvpn0 &&
	dm "$HUB" map add $S2_TUN nbma $S2_NBMA dev dmvpn0 || return 1

	ip -n "$S2" link add lan0 type dummy
	ip -n "$S2" addr add $S2_LAN_HOST/28 dev lan0
	ip -n "$S2" link set lan0 up
	ip -n "$HUB" route add $S2_LAN via $S2_TUN dev dmvpn0
	ip -n "$S1" route add $S2_LAN via $HUB_TUN dev dmvpn0 onlink
}

ping_ok() {
	local ns=$1
	shift
	n "$ns" ping -q -c 1 -W 2 "$@" >/dev/null 2>&1
}

# stat NS DEV FIELD: a counter from ip -j -s dmvpn dev show (json path).
dm_stat() {
	dm "$1" -j -s dev show dev "$2" | jq -r ".[0].stats.$3"
}

# rx_data NS: what NS's dmvpn0 received but NHRP, from one reading (two
# would count a registration that came between them).
rx_data() {
	dm "$1" -j -s dev show dev dmvpn0 |
		jq -r '.[0].stats | .rx_packets - .rx_nhrp'
}

# entry_field NS PROTO FIELD: a field of one cache entry.
entry_field() {
	dm "$1" -j map show dev dmvpn0 |
		jq -r --arg p "$2" '.[] | select(.proto == $p) | .'"$3"
}

# Predicates for busywait, which re-runs a command, not an expansion.
mtu_is() { [ "$(ip -n "$1" -j link show dmvpn0 | jq '.[0].mtu')" -eq "$2" ]; }
stat_gt() { [ "$(dm_stat "$1" "$2" "$3")" -gt "$4" ]; }
entry_gone() { [ -z "$(entry_field "$1" "$2" nbma)" ]; }

# iperf_server NS ADDR: one iperf3 test served at ADDR, listening on return.
iperf_listening() { n "$1" ss -Hltn 'sport = :5201' | grep -q .; }
iperf_server() {
	n "$1" iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
	busywait 10000 iperf_listening "$1"
}
# iperf_client NS SERVER SECS [iperf3 args]: iperf3's JSON report.
iperf_client() {
	local ns=$1 server=$2 secs=$3
	shift 3
	n "$ns" iperf3 -c "$server" -t "$secs" -J "$@" 2>/dev/null
}

# A GRE packet counter read from the underlay device's link statistics.
rx_packets() {
	ip -n "$1" -j -s link show "$2" | jq -r '.[0].stats64.rx.packets'
}

# Checks may run helpers in a child shell (bash -c).
export IP_DMVPN DMVPN_IP IPD
export -f n dm ping_ok dm_stat entry_field rx_packets busywait log stat_gt \
	entry_gone
