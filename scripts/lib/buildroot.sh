# shellcheck shell=bash
# A cached Debian root of another suite in which modules are built for
# that suite's kernels: sid's 7.2 headers want sid's gcc, and their
# prebuilt kbuild tools sid's libc, neither of which bookworm has.  Made
# with debootstrap (minbase) and apt-get inside it, in
# $DMVPN_CACHE/roots/SUITE-HASH (HASH: suite, packages, recipe), renamed
# into place only when complete.  Source it after lib/common.sh and
# lib/apt.sh.

# Bump when the steps below change what a root contains.
BUILDROOT_RECIPE=1

# as_root CMD...: CMD as root (sudo if needed); debootstrap and chroot are.
as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo "$@"
	else
		die "need root (or sudo) for: $*"
	fi
}

# strongSwan's daemon, tools and usual plugins (scripts/fetch-strongswan6).
STRONGSWAN_PKGS="strongswan-charon strongswan-swanctl strongswan-pki libstrongswan-standard-plugins"

# Packages every kbuild root also gets: FRR and strongSwan, whose sid
# versions (FRR 10.x, strongSwan 6.1) the interop and IPsec tests run from
# that root (scripts/fetch-frr10, scripts/fetch-strongswan6 --suite sid),
# so one debootstrap serves all three.  Part of the root's key: changing
# it makes a new root.
KBUILD_ROOT_EXTRA="frr $STRONGSWAN_PKGS"

# kbuild_root SUITE KVER: print the root that builds modules for Debian
# kernel KVER of SUITE (its headers, kbuild and compiler installed, and
# KBUILD_ROOT_EXTRA), making it first if needed (about 3 minutes and
# 570 MB with FRR).
kbuild_root() {
	local suite=$1 kver=$2
	# shellcheck disable=SC2086 # a list of package names
	build_root "$suite" "linux-headers-$kver" make $KBUILD_ROOT_EXTRA
}

# kbuild_root_path SUITE KVER: where kbuild_root SUITE KVER is (or would
# be made): no root needed, nothing made.
kbuild_root_path() {
	# shellcheck disable=SC2086 # a list of package names
	build_root_path "$1" "linux-headers-$2" make $KBUILD_ROOT_EXTRA
}

# build_root_path SUITE PKG...: where build_root SUITE PKG... is.
build_root_path() {
	local suite=$1 key
	shift
	key=$( (echo "$suite $BUILDROOT_RECIPE"; printf '%s\n' "$@") |
		sha256sum | cut -c1-16)
	echo "$DMVPN_CACHE/roots/$suite-$key"
}

# build_root SUITE PKG...: print the root of SUITE with PKG installed.
build_root() {
	local suite=$1
	shift
	local key root tmp t
	root=$(build_root_path "$suite" "$@")
	key=${root##*/"$suite"-}
	if [ -f "$root/.complete" ]; then
		echo "$root"
		return 0
	fi
	ensure_cmds debootstrap:debootstrap
	private_apt "$DMVPN_CACHE/apt/$suite" "$suite"
	tmp=$root.tmp
	as_root rm -rf "$tmp"
	mkdir -p "$DMVPN_CACHE/roots"
	msg "making a $suite root with $* in $root (debootstrap)"
	t=$SECONDS
	as_root debootstrap --variant=minbase "$suite" "$tmp" "$PRIVATE_APT_URI" \
		>"$DMVPN_CACHE/roots/$suite-$key.log" 2>&1 || {
		tail -n 20 "$DMVPN_CACHE/roots/$suite-$key.log" >&2
		die "debootstrap $suite failed (log: $DMVPN_CACHE/roots/$suite-$key.log)"
	}
	msg "debootstrap $suite: $((SECONDS - t)) s"
	t=$SECONDS
	# No daemon may start from a package's maintainer scripts.
	printf '#!/bin/sh\nexit 101\n' | as_root tee "$tmp/usr/sbin/policy-rc.d" >/dev/null
	as_root chmod 755 "$tmp/usr/sbin/policy-rc.d"
	# /proc in a private mount namespace: it goes with the last process.
	if ! as_root unshare --mount --propagation private chroot "$tmp" /bin/sh -c '
		mount -t proc proc /proc || exit 1
		DEBIAN_FRONTEND=noninteractive apt-get -q -y \
			--no-install-recommends install "$@" || exit 1
		apt-get clean' sh "$@" >>"$DMVPN_CACHE/roots/$suite-$key.log" 2>&1; then
		tail -n 20 "$DMVPN_CACHE/roots/$suite-$key.log" >&2
		die "apt-get install $* in the $suite root failed"
	fi
	msg "apt-get install $*: $((SECONDS - t)) s"
	as_root touch "$tmp/.complete"
	as_root mv -T "$tmp" "$root"
	# Roots of the same suite made for other packages (an older kernel).
	find "$DMVPN_CACHE/roots" -mindepth 1 -maxdepth 1 -name "$suite-*" \
		! -name "$suite-$key" ! -name "$suite-$key.log" ! -name '*.tmp' \
		-exec rm -rf {} + 2>/dev/null || true
	echo "$root"
}
