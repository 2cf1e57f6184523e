#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What an unprivileged user's namespace makes dmvpn allocate is theirs (H5):
# smaller default and maximum cache sizes outside the initial user
# namespace, the memory charged to their memory cgroup and, at its limit, a
# change that fails with a message: no OOM kill, and the host's own dmvpn
# keeps working.
source "$(dirname "$0")/lib.sh"
require jq setpriv unshare python3
require_dmvpn
cg=/sys/fs/cgroup
mountpoint -q $cg || mount -t cgroup2 none $cg 2>/dev/null ||
	skip "no cgroup2 hierarchy"
grep -qw memory $cg/cgroup.controllers || skip "no memory controller"
echo +memory >$cg/cgroup.subtree_control
box=$cg/dmvpn-limits.$$
tmp=$(mktemp -d)
chmod 1777 "$tmp"
trap 'cleanup; rmdir "$box" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$box"
echo 12M >"$box/memory.max"

# The host's own cloud, which must not notice.
setup_ns H
ip -n "$H" link add ul0 type dummy
ip -n "$H" addr add 198.51.100.5/24 dev ul0
ip -n "$H" link set ul0 up
add_dmvpn "$H" 198.51.100.5 192.0.2.11/24 dev ul0 || exit 1
dm "$H" map add 192.0.2.1 nbma 198.51.100.1 dev dmvpn0

# 65536 ENTRY_NEW requests (genl_raw.py --fill: one process, one socket),
# each entry with its own NBMA address (a peer each), 172.16.0.1 on by 2;
# made by python: a loop of 65536 in bash takes a minute in a TCG guest.
python3 -c '
for i in range(65536):
    print("2 2:str:dmvpn0 11:nest:[1:hex:0a%06x,3:hex:ac%06x]"
          % (i, (16 << 16) + 2 * i + 1))' >"$tmp/req"
chmod 644 "$tmp/req"
mkfifo -m 666 "$tmp/go"
# The user's side: nobody, in the box, in new user and network namespaces.
# Once the box is full, anything that needs memory in it (a new process,
# output beyond the page written already) would meet the OOM killer:
# the script waits, with builtins only, until the box grows.
cat >"$tmp/user.sh" <<EOS
ip link add ul0 type dummy
ip addr add 198.51.100.5/24 dev ul0
ip link set ul0 up
ip link add dmvpn0 type dmvpn local 198.51.100.5 key $KEY || exit 10
echo "default \$("$IPD" -j dev show dev dmvpn0 | jq '.[0].max_entries')"
ip link set dmvpn0 type dmvpn max-entries 100000 2>&1 | sed 's/^/big: /'
ip link set dmvpn0 type dmvpn max-entries 65536 && echo "set 65536"
python3 "$GENL_RAW_PY" --fill <"$tmp/req"
echo "fill \$?"
read -r _ <"$tmp/go"
echo "entries \$("$IPD" -j dev show dev dmvpn0 | jq '.[0].entry_count')"
echo "charged \$(awk '\$1 == "slab" || \$1 == "percpu" { s += \$2 } END { print s }' $box/memory.stat)"
EOS
# Page cache is charged to whoever reads a page first: read the programs
# the user runs (and python's imports) here, outside the box, so that the
# box holds only their private memory and dmvpn's. Otherwise the slab,
# growing, evicts the filler's own code pages, and it thrashes on them.
{
	ip -V; jq --version; unshare --version; setpriv --version
	"$IPD" -j dev show; python3 "$GENL_RAW_PY"
} >/dev/null 2>&1 </dev/null
bash -c 'echo $$ >"$1/cgroup.procs" && exec setpriv --reuid=65534 \
	--regid=65534 --clear-groups unshare -Urn bash "$2"' sh "$box" \
	"$tmp/user.sh" >"$tmp/out" 2>&1 &
user=$!
filled() { grep -q '^fill ' "$tmp/out" || ! kill -0 $user 2>/dev/null; }
busywait 600000 filled
oom=$(awk '$1 == "oom_kill" { print $2 }' "$box/memory.events")
echo 256M >"$box/memory.max"
timeout 30 bash -c 'echo go >"$1"' sh "$tmp/go"
wait $user
log "$(tr '\n' ';' <"$tmp/out")"
got() { sed -n "s/^$1 //p" "$tmp/out"; }

check "a user's device defaults to 4096 entries" test "$(got default)" = 4096
check "more than 65536 is refused, saying why" \
	grep -q 'above 65536 needs a namespace of the initial user namespace' \
	<<<"$(got big:)"
check "65536 may be set" test "$(got set)" = 65536
check "filling it stops at the memory cgroup's limit" test "$(got fill)" = 1
check "with the kernel's message" \
	grep -q 'errno=12 msg=dmvpn: out of memory for the NHRP cache' "$tmp/out"
n=$(sed -n 's/^done=\([0-9]*\).*/\1/p' "$tmp/out")
check "short of the entry limit, with some entries made (${n:-?})" \
	test "${n:-0}" -gt 100 -a "${n:-0}" -lt 65536 -a "$(got entries)" = "${n:-x}"
check "the memory was charged to the user ($(got charged) B)" \
	test "$(got charged)" -gt $((n * 128))
check "and nobody was OOM-killed" test "$oom" = 0
check "the host's dmvpn is unharmed" \
	dm "$H" map add 192.0.2.2 nbma 198.51.100.2 dev dmvpn0
check "its cache intact" test "$(entry_field "$H" 192.0.2.1 nbma)" = 198.51.100.1
# With its namespaces gone, the user's cache is freed (after RCU).
uncharged() {
	[ "$(awk '$1 == "slab" || $1 == "percpu" { s += $2 } END { print s }' \
		"$box/memory.stat")" -lt $((n * 64)) ]
}
check "and freed when the user's namespace goes" busywait 20000 uncharged
finish
