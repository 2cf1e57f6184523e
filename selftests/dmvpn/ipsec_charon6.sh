#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_charon.sh with strongSwan 6.x (Debian trixie's, from the root
# that scripts/fetch-strongswan6 makes and caches) instead of the host's
# 5.9: the same checks, charon, swanctl and pki chrooted into the root,
# with the test's /proc, /dev, /sys, /run, /tmp and /var/tmp bound into
# it in a mount namespace of the test's own. IPSEC_CHARON6_TEST picks
# another test of the kind (ipsec_certs.sh), IPSEC_CHARON6_SUITE another
# Debian suite's strongSwan (sid).
if [ -z "${IPSEC_CHARON6_UNSHARED:-}" ] && [ "$(id -u)" -eq 0 ]; then
	IPSEC_CHARON6_UNSHARED=1 exec unshare --mount --propagation private \
		"$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root"
root=$("$DMVPN_ROOT/scripts/fetch-strongswan6" --cached \
	--suite "${IPSEC_CHARON6_SUITE:-trixie}" 2>&1) ||
	skip "strongSwan 6: ${root#fetch-strongswan6: error: }"
mount -t proc proc "$root/proc" || { echo "# cannot mount $root/proc"; exit 1; }
for d in dev sys run tmp var/tmp; do
	mount --rbind "/$d" "$root/$d" ||
		{ echo "# cannot bind /$d into $root"; exit 1; }
done
# shellcheck disable=SC2016 # dpkg-query's format
log "strongSwan $(chroot "$root" dpkg-query -W -f='${Version}' strongswan-charon) (chrooted into $root)"
CHARON_ROOT=$root exec "$(dirname "$0")/${IPSEC_CHARON6_TEST:-ipsec_charon.sh}"
