#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall into a DESTDIR: install puts the patched
# ip, ip-dmvpn, the plugin and the man page in place and says that ip
# shadows the distribution's; uninstall removes exactly those files.
set -u

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

dir=$(cd "$(dirname "$0")" && pwd)
make -s -C "$dir" install DESTDIR="$tmp/root" PREFIX=/usr/local \
	IPLIBDIR=/usr/lib/ip >"$tmp/out" 2>&1 || fail "make install: $(cat "$tmp/out")"
grep -q '^installed patched ip (iproute2 [0-9.]* + dmvpn) as /usr/local/sbin/ip; it shadows ' \
	"$tmp/out" || fail "make install message: $(cat "$tmp/out")"
for f in usr/local/sbin/ip usr/local/sbin/ip-dmvpn usr/lib/ip/link_dmvpn.so \
	 usr/local/share/man/man8/ip-dmvpn.8; do
	[ -f "$tmp/root/$f" ] || fail "make install: no /$f"
done
"$tmp/root/usr/local/sbin/ip" dmvpn help 2>&1 | grep -q '^Usage: ip .*dmvpn' ||
	fail "installed ip has no dmvpn object"
n=$(find "$tmp/root" -type f | wc -l)
[ "$n" -eq 4 ] || fail "make install put $n files, want 4"

make -s -C "$dir" uninstall DESTDIR="$tmp/root" PREFIX=/usr/local \
	IPLIBDIR=/usr/lib/ip >"$tmp/out" 2>&1 || fail "make uninstall: $(cat "$tmp/out")"
left=$(find "$tmp/root" -type f)
[ -z "$left" ] || fail "make uninstall left: $left"

[ "$fails" -eq 0 ] && echo "test-install: ok" || echo "test-install: $fails failed"
[ "$fails" -eq 0 ]
