#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The receive hook runs before ip_local_deliver would check IPsec policy,
# so it checks it itself: with an inbound policy that demands ESP for GRE,
# plain GRE from a spoke is dropped and counted, and flows again once the
# policy is gone.
source "$(dirname "$0")/lib.sh"
require jq
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }

check "plain GRE is accepted without a policy" ping_ok "$S1" $HUB_TUN
ip -n "$HUB" xfrm policy add src $S1_NBMA dst $HUB_NBMA proto gre dir in \
	tmpl src $S1_NBMA dst $HUB_NBMA proto esp mode transport ||
	skip "xfrm policies not available"
before=$(dm_stat "$HUB" dmvpn0 rx_policy)
check_fail "plain GRE is refused when policy demands ESP" \
	ping_ok "$S1" $HUB_TUN
check "the refusal was counted" \
	test "$(dm_stat "$HUB" dmvpn0 rx_policy)" -gt "$before"
check "spoke 2, not covered by the policy, still gets through" \
	ping_ok "$S2" $HUB_TUN
ip -n "$HUB" xfrm policy del src $S1_NBMA dst $HUB_NBMA proto gre dir in
check "plain GRE flows again without the policy" ping_ok "$S1" $HUB_TUN
finish
