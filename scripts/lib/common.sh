# shellcheck shell=bash
# Helpers shared by scripts/fetch-kernels, scripts/kernel-info and
# scripts/vm-run.  Source it; it defines functions and DMVPN_CACHE only.

# Cache for kernels and initramfs images, outside the checkout.
DMVPN_CACHE=${DMVPN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmvpn}

# Name used in messages: the script that sourced this file.
DMVPN_PROG=${DMVPN_PROG:-$(basename "$0")}

msg() { printf '%s: %s\n' "$DMVPN_PROG" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

# apt-get, non-interactive, waiting (instead of failing) while another
# apt/dpkg run holds the lock.
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -q -y \
		-o DPkg::Lock::Timeout=1800 "$@"
}

# True if the Debian package is installed (status "install ok installed").
pkg_installed() {
	[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# ensure_packages PKG...: apt-get install the packages that are missing.
# Quick (one dpkg-query per package) when everything is installed.
ensure_packages() {
	local p missing=()
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]} (run as root or install them)"
	msg "installing ${missing[*]}"
	# A fresh machine may have empty package lists.
	if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
		apt_get update >&2
	fi
	apt_get install --no-install-recommends "${missing[@]}" >&2
}

# ensure_cmds CMD:PKG...: install PKG when CMD is not on PATH (cheaper than
# asking dpkg for tools that are usually present).
ensure_cmds() {
	local spec pkgs=()
	for spec in "$@"; do
		command -v "${spec%%:*}" >/dev/null 2>&1 || pkgs+=("${spec#*:}")
	done
	[ ${#pkgs[@]} -eq 0 ] || ensure_packages "${pkgs[@]}"
}

# The kernel variables printed by kernel-info (and build-debug-kernel --info).
KERNEL_VARS="KVER VMLINUZ MODDIR KBUILD BUILDROOT"

# print_kernel_vars: print the KERNEL_VARS as shell-sourceable lines.
print_kernel_vars() {
	local v
	for v in $KERNEL_VARS; do
		printf '%s=%q\n' "$v" "${!v-}"
	done
}

# load_kernel_vars TEXT: set KERNEL_VARS from kernel-info style output,
# ignoring any other line (no eval of arbitrary text).
load_kernel_vars() {
	local line name value
	# shellcheck disable=SC2034 # set for the caller
	KVER="" VMLINUZ="" MODDIR="" KBUILD="" BUILDROOT=""
	while IFS= read -r line; do
		[[ $line =~ ^(KVER|VMLINUZ|MODDIR|KBUILD|BUILDROOT)=(.*)$ ]] || continue
		name=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]}
		# Values are printed with printf %q (or plain / single-quoted);
		# undo the quoting without running the text as code.
		if [[ $value == \'*\' ]]; then
			value=${value:1:${#value}-2}
		else
			value=$(printf '%s' "$value" | sed -e 's/\\\(.\)/\1/g')
		fi
		[ "$value" = "''" ] && value=""
		printf -v "$name" '%s' "$value"
	done <<<"$1"
}
