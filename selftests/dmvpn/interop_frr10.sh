#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interoperability with FRR 10.x (Debian sid's frr, from the sid root that
# scripts/fetch-frr10 makes and caches), with NHRP authentication on
# every router: lib_interop.sh's scenarios, as interop_frr.sh runs them
# against the host's FRR 8.4, parts A (FRR hub, dmvpnd spokes), B
# (dmvpnd hub, an FRR and a dmvpnd spoke) and W (a wrong password
# registers neither way) by default; INTEROP_PARTS="0 A B W" adds part 0
# (FRR hub and FRR spoke). INTEROP_AUTH is the cloud's password.
# The daemons run chrooted into the root, in the test's network
# namespaces, with the test's /proc, /dev, /sys, /run, /tmp and /var/tmp
# bound into it in a mount namespace of the test's own.
if [ -z "${INTEROP_FRR10_UNSHARED:-}" ] && [ "$(id -u)" -eq 0 ]; then
	INTEROP_FRR10_UNSHARED=1 exec unshare --mount --propagation private \
		"$0" "$@"
fi
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" -eq 0 ] || skip "needs root"
FRR_ROOT=$("$DMVPN_ROOT/scripts/fetch-frr10" --cached 2>&1) ||
	skip "FRR 10: ${FRR_ROOT#fetch-frr10: error: }"
# Inside the root too: /tmp is bound into it.
FRR_RUN=/tmp/dmvpn-frr10.$$
source "$(dirname "$0")/lib_frr.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump tshark
require_frr
require_dmvpn
modprobe ip_gre 2>/dev/null
frr_root_mount || { echo "# cannot bind the test's directories into $FRR_ROOT"; exit 1; }
INTEROP_AUTH=${INTEROP_AUTH-dmvpn10}
source "$(dirname "$0")/lib_interop.sh"
log "FRR: $(frr_version) (chrooted into $FRR_ROOT), password $INTEROP_AUTH"
interop_main "A B W"
