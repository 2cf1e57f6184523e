#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_charon.sh with strongSwan 6.1, sid's (ipsec_charon6.sh's chroot
# into the sid root that the 7.2 module is built in): the newest charon
# Debian ships against each kernel's xfrm core.
IPSEC_CHARON6_SUITE=sid exec "$(dirname "$0")/ipsec_charon6.sh" "$@"
