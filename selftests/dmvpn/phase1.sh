#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Phase 1 over static NHRP maps: hub <-> spoke, spoke <-> spoke through the
# hub, then spoke <-> spoke directly once the spoke has a map (host entry)
# or a shortcut (prefix entry) for its peer. The path is proven with the
# hub's GRE receive counters and the spokes' per-entry counters.
source "$(dirname "$0")/lib.sh"
require jq
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }

check "hub reaches spoke 1" ping_ok "$HUB" $S1_TUN
check "hub reaches spoke 2" ping_ok "$HUB" $S2_TUN
check "spoke 1 reaches hub" ping_ok "$S1" $HUB_TUN

# dmvpn has no link header for IP (hard_header_len 0, as a point-to-point
# ip_gre): an AF_PACKET SOCK_RAW sender writes the IP packet alone, and
# dmvpn routes it by its cache, so spoke 1 gets a well-formed echo request.
echos=$(icmp_stat "$S1" InEchos)
n "$HUB" python3 - $HUB_TUN $S1_TUN <<'EOP'
import socket, struct, sys
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s & 0xffff) + (s >> 16)
    return ~((s & 0xffff) + (s >> 16)) & 0xffff
icmp = struct.pack("!BBHHH", 8, 0, 0, 0x7e57, 1) + b"dmvpn-raw!"
icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 0, 0, 64, 1, 0,
                 socket.inet_aton(sys.argv[1]), socket.inet_aton(sys.argv[2]))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
s.bind(("dmvpn0", 0x0800))
s.send(ip + icmp)
EOP
got_echo() { [ "$(icmp_stat "$S1" InEchos)" -gt "$echos" ]; }
check "an IP packet from AF_PACKET SOCK_RAW arrives" \
	busywait 3000 got_echo

hub_rx=$(dm_stat "$HUB" dmvpn0 rx_packets)
check "spoke 1 reaches spoke 2 via the hub" ping_ok "$S1" -c 3 $S2_TUN
hub_rx2=$(dm_stat "$HUB" dmvpn0 rx_packets)
check "the hub carried the spoke-to-spoke packets" \
	test $((hub_rx2 - hub_rx)) -ge 6
check "spoke 1's hub entry counted them" \
	test "$(entry_field "$S1" $HUB_TUN packets)" -ge 3
check "hub entry marked used" \
	bash -c "dm $S1 -j map show dev dmvpn0 | jq -e '.[] | select(.proto == \"$HUB_TUN\") | .flags | index(\"used\")' >/dev/null"

# Direct spoke-to-spoke: a host map and an on-link route on each spoke.
dm "$S1" map add $S2_TUN nbma $S2_NBMA dev dmvpn0
dm "$S2" map add $S1_TUN nbma $S1_NBMA dev dmvpn0
ip -n "$S1" route add $S2_TUN/32 dev dmvpn0
ip -n "$S2" route add $S1_TUN/32 dev dmvpn0
hub_rx=$(dm_stat "$HUB" dmvpn0 rx_packets)
check "spoke 1 reaches spoke 2 directly" ping_ok "$S1" -c 3 $S2_TUN
check "the hub saw none of it" \
	test "$(dm_stat "$HUB" dmvpn0 rx_packets)" -eq "$hub_rx"
check "spoke 1's entry for spoke 2 counted 3 packets" \
	test "$(entry_field "$S1" $S2_TUN packets)" -eq 3

# A shortcut prefix wins over the routed nexthop (the hub).
check "spoke 1 reaches spoke 2's LAN via the hub" ping_ok "$S1" $S2_LAN_HOST
dm "$S1" map add $S2_LAN nbma $S2_NBMA dev dmvpn0 type shortcut
hub_rx=$(dm_stat "$HUB" dmvpn0 rx_packets)
check "spoke 1 reaches spoke 2's LAN through the shortcut" \
	ping_ok "$S1" -c 2 $S2_LAN_HOST
check "the shortcut bypassed the hub" \
	test "$(dm_stat "$HUB" dmvpn0 rx_packets)" -eq "$hub_rx"
# Counters belong to the peer, spoke 2's NBMA address: the host entry's
# 3 packets and the shortcut's 2.
check "spoke 2's peer counted the shortcut's 2 packets" \
	test "$(entry_field "$S1" 203.0.113.16 packets)" -eq 5
check "the host entry of the same peer shows the same count" \
	test "$(entry_field "$S1" $S2_TUN packets)" -eq 5

# Deleting the map falls back to the hub path again.
dm "$S1" map del $S2_LAN dev dmvpn0
check "without the shortcut the LAN is reached via the hub again" \
	ping_ok "$S1" $S2_LAN_HOST
check "and the hub carried it" \
	test "$(dm_stat "$HUB" dmvpn0 rx_packets)" -gt "$hub_rx"

# IPv6 inner traffic over the same IPv4 underlay.
ip -n "$HUB" addr add 2001:db8::1/64 dev dmvpn0 nodad
ip -n "$S1" addr add 2001:db8::11/64 dev dmvpn0 nodad
dm "$HUB" map add 2001:db8::11 nbma $S1_NBMA dev dmvpn0
dm "$S1" map add 2001:db8::1 nbma $HUB_NBMA dev dmvpn0
check "IPv6 over the overlay" ping_ok "$S1" 2001:db8::1

# No mapping: dropped and counted, never sent anywhere; the sender is told.
drops=$(dm_stat "$S1" dmvpn0 tx_no_mapping)
ip -n "$S1" route add 192.0.2.99/32 dev dmvpn0
out=$(n "$S1" ping -c 1 -W 2 192.0.2.99 2>&1)
check_fail "unmapped destination does not answer" ping_ok "$S1" 192.0.2.99
check "the sender is told: host unreachable" \
	grep -q 'Destination Host Unreachable' <<<"$out"
check "unmapped destination counted as no-mapping" \
	test "$(dm_stat "$S1" dmvpn0 tx_no_mapping)" -gt "$drops"
finish
