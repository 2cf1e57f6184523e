#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A protected cloud with charon (strongSwan, pre-shared key): hub and
# spokes all `protect require`, one charon per namespace configured as
# Documentation/ipsec.rst has it (spokes: an SA to the NHS kept up and an
# on-demand trap to any peer; the hub answers only), NHRP by dmvpnd. The
# spokes' SAs to the hub come up and they register through them; spoke
# 1's pings to spoke 2 make it resolve spoke 2, the kernel's ACQUIRE
# brings up a direct SA, and the pings then bypass the hub. A third
# spoke with the wrong key gets no SA and does not register; charon says
# why. A capture of every underlay link, all test long, holds IKE and
# ESP only: not one GRE packet in clear.
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

PSK=dmvpn-charon-test-key
ipsec_charons psk "$PSK" || { echo "# charon setup failed"; exit 1; }
spokes_registered
spoke_to_spoke

# Spoke 3: the wrong key. The hub says so once: a failed authentication
# is not retried until the kernel asks for an SA again.
charon_spoke "$S3" $S3_NBMA $HUB_NBMA psk "not-$PSK" ||
	{ echo "# charon setup failed"; exit 1; }
spoke3_refused "tried [0-9]+ shared keys? for .* '$S3_NBMA', but MAC mismatched"

# 20 pings direct: 40 ESP packets, each seen on two links of the router;
# a capture under TCG may miss some, so a quarter of that is asked.
ipsec_capture_checks 20
finish
