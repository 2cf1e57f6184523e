#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fetch the Debian source of the installed iproute2 into $1, for the link
# plugin: struct link_util and the helper prototypes are not installed by any
# -dev package, and the plugin must match the ABI of the `ip` that loads it.
#
# apt runs with a private sources list, lists and cache directory, so the
# system apt configuration and state are left untouched.
#
# Environment: DMVPN_DEBIAN_MIRROR (default http://deb.debian.org/debian),
# DMVPN_DEBIAN_SUITE (default VERSION_CODENAME from /etc/os-release).
set -eu

dest=${1:?usage: $0 DESTDIR}
[ -f "$dest/include/utils.h" ] && exit 0

command -v apt-get >/dev/null || {
	echo "$0: apt-get not found; set IPROUTE2_SRC to an extracted iproute2 source tree matching your ip(8)" >&2
	exit 1
}
# apt-get source unpacks with dpkg-source.
command -v dpkg-source >/dev/null || {
	echo "$0: dpkg-source not found; install dpkg-dev" >&2
	exit 1
}

mirror=${DMVPN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${DMVPN_DEBIAN_SUITE:-$(. /etc/os-release && echo "${VERSION_CODENAME:-}")}
[ -n "$suite" ] || { echo "$0: cannot tell the Debian suite; set DMVPN_DEBIAN_SUITE" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' iproute2 2>/dev/null || true)

parent=$(dirname "$dest")
mkdir -p "$parent"
work=$(mktemp -d "$parent/.iproute2-fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opt=
[ -r "$keyring" ] && opt="[signed-by=$keyring] "
for s in "$suite" "$suite-updates"; do
	echo "deb-src ${opt}$mirror $s main"
done >"$work/sources.list"
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"

set -- -o Dir::Etc::SourceList="$work/sources.list" \
	-o Dir::Etc::SourceParts=/dev/null \
	-o Dir::State::Lists="$work/lists" \
	-o Dir::Cache="$work/cache" \
	-o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
# As root apt drops to _apt, which cannot write into a private home cache.
[ "$(id -u)" = 0 ] && set -- "$@" -o APT::Sandbox::User=root

apt-get -q "$@" update >&2
cd "$work/src"
if [ -n "$version" ] && apt-get -q "$@" source "iproute2=$version" >&2; then
	:
else
	echo "$0: iproute2 $version source not found, using the suite's" >&2
	apt-get -q "$@" source iproute2 >&2
fi

tree=$(find . -mindepth 1 -maxdepth 1 -type d -name 'iproute2-*' | head -n1)
[ -f "$tree/include/utils.h" ] || { echo "$0: unexpected source layout" >&2; exit 1; }
rm -rf "$dest"
mv "$tree" "$dest"
echo "iproute2 source in $dest" >&2
