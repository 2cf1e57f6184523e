#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ipsec_charon.sh's protected cloud with X.509 certificates instead of a
# pre-shared key: a test CA made here with strongSwan's pki issues each
# node a certificate whose subjectAltName is its NBMA address (its IKE
# identity). The spokes' SAs to the hub come up and they register; spoke
# 1's traffic to spoke 2 brings up a direct SA and bypasses the hub. A
# third spoke whose certificate another CA issued gets no tunnel: the hub
# finds no trusted key for it. Only IKE and ESP cross the underlay.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
source "$(dirname "$0")/lib_charon.sh"
source "$(dirname "$0")/lib_ipsec.sh"
require_dmvpn
require_dmvpnd
require_charon
require tcpdump
ipsec_cloud || { echo "# setup failed"; exit 1; }
ipsec_capture || exit 1

certs() {
	charon_ca cloud && charon_ca other &&
	charon_cert "$HUB" $HUB_NBMA cloud &&
	charon_cert "$S1" $S1_NBMA cloud &&
	charon_cert "$S2" $S2_NBMA cloud &&
	charon_cert "$S3" $S3_NBMA other
}
check "pki makes a CA and the nodes' certificates" certs
ipsec_charons cert || { echo "# charon setup failed"; exit 1; }
spokes_registered
check "the hub authenticated spoke 1 by its certificate" \
	charon_log_has "$HUB" "authentication of '$S1_NBMA' with [A-Z0-9]+ successful"
spoke_to_spoke

# Spoke 3: a certificate from a CA the cloud does not trust.
charon_spoke "$S3" $S3_NBMA $HUB_NBMA cert ||
	{ echo "# charon setup failed"; exit 1; }
spoke3_refused "no trusted [A-Z0-9]+ public key found for '$S3_NBMA'"

# As in ipsec_charon.sh: a quarter of the direct pings' ESP.
ipsec_capture_checks 20
finish
