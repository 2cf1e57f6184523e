#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# protect require: a protected device sends GRE only through an IPsec SA
# to its peer and takes in only what came out of one, whatever the
# policies (here none, then hand-made transport SAs, as charon would
# install them). Without an SA nothing leaves in clear (a capture on the
# underlay sees no GRE) and the packets wait (ipsec_hold.sh); with one,
# only ESP is on the wire; an unprotected member's clear GRE is refused
# and counted. The default MTU leaves room for ESP.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_capture.sh"
require jq tcpdump
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }

# rfc4106(gcm(aes)): a 16-byte key and a 4-byte salt; test keys only.
AEAD_KEY=0x00112233445566778899aabbccddeeff01020304

# sa NS: S1<->HUB transport SAs and GRE policies, both ways, in NS.
sa() {
	local ns=$1 me=$2 peer=$3
	ip -n "$ns" xfrm state add src $S1_NBMA dst $HUB_NBMA proto esp \
		spi 0x101 mode transport aead 'rfc4106(gcm(aes))' $AEAD_KEY 128 &&
	ip -n "$ns" xfrm state add src $HUB_NBMA dst $S1_NBMA proto esp \
		spi 0x102 mode transport aead 'rfc4106(gcm(aes))' $AEAD_KEY 128 &&
	ip -n "$ns" xfrm policy add src "$me" dst "$peer" proto gre dir out \
		tmpl src "$me" dst "$peer" proto esp mode transport &&
	ip -n "$ns" xfrm policy add src "$peer" dst "$me" proto gre dir in \
		tmpl src "$peer" dst "$me" proto esp mode transport
}
protect() { ip -n "$1" link set dmvpn0 type dmvpn protect "$2"; }
protect_is() {
	[ "$(ip -n "$1" -j -d link show dmvpn0 |
		jq -r '.[0].linkinfo.info_data.protect')" = "$2" ]
}
# gre_from FILE ADDR: clear GRE packets ADDR sent in the capture FILE.
gre_from() { tcpdump -n -r "$1" "ip proto 47 and src $2" 2>/dev/null | wc -l; }
esp_between() {
	tcpdump -n -r "$1" "esp and host $2 and host $3" 2>/dev/null | wc -l
}
ping_fails() { ! n "$1" ping -q -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1; }

check "plain GRE flows before protection" ping_ok "$S1" $HUB_TUN
shown() {
	protect_is "$S1" require && protect_is "$HUB" require &&
		protect_is "$S2" none
}
protect "$S1" require && protect "$HUB" require ||
	{ echo "# protect require failed"; exit 1; }
check "protect require is set and shown" shown
check_fail "an unknown protection is refused" protect "$S1" maybe
check "and changes nothing" protect_is "$S1" require

# The default MTU leaves room for ESP (and NAT-T): 1500 less GRE with a
# key (28) less 65; one the administrator set is left alone.
check "a protected device's MTU leaves room for ESP (1407)" mtu_is "$S1" 1407
check "an unprotected one's does not (1472)" mtu_is "$S2" 1472
ip -n "$S2" link set dmvpn0 mtu 1400 && protect "$S2" require &&
	protect "$S2" none
check "an MTU set by hand stays when protection changes" mtu_is "$S2" 1400
ip -n "$S2" link set dmvpn0 mtu 1472

pcap=$(mktemp --suffix=.pcap)
cap_start "$S1" eth0 "$pcap" 'ip proto 47 or esp' || exit 1
before=$(dm_stat "$S1" dmvpn0 tx_held)
check "without an SA spoke 1 reaches nothing" ping_fails "$S1" $HUB_TUN
check "its packets wait for one (tx_held)" \
	stat_gt "$S1" dmvpn0 tx_held "$before"
before=$(dm_stat "$HUB" dmvpn0 rx_unprotected)
check "the hub refuses spoke 2's clear GRE" ping_fails "$S2" $HUB_TUN
check "and counts it (rx_unprotected)" \
	stat_gt "$HUB" dmvpn0 rx_unprotected "$before"

sa "$S1" $S1_NBMA $HUB_NBMA && sa "$HUB" $HUB_NBMA $S1_NBMA ||
	skip "xfrm states or policies not available"
check "with SAs spoke 1 and the hub reach each other" \
	busywait 10000 ping_ok "$S1" $HUB_TUN
before=$(dm_stat "$S1" dmvpn0 tx_unprotected)
ten_pings() { n "$S1" ping -q -c 10 -i 0.1 -W 1 $HUB_TUN >/dev/null; }
check "ten pings through the SA" ten_pings
check "none dropped for want of an SA" \
	test "$(dm_stat "$S1" dmvpn0 tx_unprotected)" -eq "$before"
# A packet of the full MTU (DF) crosses as one ESP packet.
check "a packet of the protected MTU crosses (DF)" \
	n "$S1" ping -q -c 2 -i 0.2 -W 2 -Mdo -s $((1407 - 28)) $HUB_TUN
cap_stop "$pcap"
frags=$(tcpdump -n -r "$pcap" 'ip[6:2] & 0x3fff != 0' 2>/dev/null | wc -l)
check "and ESP needed no fragmentation for it ($frags fragments)" \
	test "$frags" -eq 0
check "no clear GRE left spoke 1 at any time ($(gre_from "$pcap" $S1_NBMA))" \
	test "$(gre_from "$pcap" $S1_NBMA)" -eq 0
check "no clear GRE reached it from the hub" \
	test "$(gre_from "$pcap" $HUB_NBMA)" -eq 0
# (The ten pings crossed as 20 ESP packets; a capture under TCG may miss
# a few, so half of them is what this asks.)
check "ESP carried the pings ($(esp_between "$pcap" $S1_NBMA $HUB_NBMA))" \
	test "$(esp_between "$pcap" $S1_NBMA $HUB_NBMA)" -ge 10
rm -f "$pcap"

before=$(dm_stat "$HUB" dmvpn0 tx_held)
check "the hub sends nothing to spoke 2, which has no SA" \
	ping_fails "$HUB" $S2_TUN
check "but holds it (tx_held)" stat_gt "$HUB" dmvpn0 tx_held "$before"
protect "$HUB" none
check "protect none: spoke 2 is taken in clear again" \
	busywait 5000 ping_ok "$S2" $HUB_TUN
finish
