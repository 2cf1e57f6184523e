#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Interoperability with the host's FRR nhrpd (8.4 on bookworm, which has
# no NHRP authentication): lib_interop.sh's scenarios, parts A (FRR hub,
# dmvpnd spokes) and B (dmvpnd hub, an FRR and a dmvpnd spoke) by default;
# INTEROP_PARTS="0 A B" adds part 0 (FRR hub and FRR spoke).
# interop_frr10.sh runs the same against FRR 10.x with authentication.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_frr.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump tshark
require_frr
require_dmvpn
modprobe ip_gre 2>/dev/null
source "$(dirname "$0")/lib_interop.sh"
log "FRR: $(frr_version)"
interop_main "A B"
