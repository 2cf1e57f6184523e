#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_zeroloss.sh with strongSwan 6.1, sid's (ipsec_charon6.sh's chroot
# into the sid root): no loss while SAs come, are rekeyed and duplicates
# end, and across restarts, with the charon that sid's kernel ships with.
IPSEC_CHARON6_SUITE=sid IPSEC_CHARON6_TEST=ipsec_zeroloss.sh \
	exec "$(dirname "$0")/ipsec_charon6.sh" "$@"
