#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_certs.sh with strongSwan 6.x (ipsec_charon6.sh's root and
# chroot): the test CA, the certificates and the unknown CA's refusal
# under the charon and pki that trixie ships.
IPSEC_CHARON6_TEST=ipsec_certs.sh exec "$(dirname "$0")/ipsec_charon6.sh" "$@"
