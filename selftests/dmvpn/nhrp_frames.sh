#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NHRP frames (GRE protocol 0x2001) reach AF_PACKET readers on the device
# with the sender's NBMA address as link-layer address, and frames sent to
# an NBMA address leave as GRE with the device's key.
source "$(dirname "$0")/lib.sh"
require jq python3 tcpdump tshark
require_dmvpn
setup_cloud || { echo "# setup failed"; exit 1; }
here=$(dirname "$0")

out=$(mktemp)
pcap=$(mktemp --suffix=.pcap)
n "$HUB" tcpdump -U -q -i eth0 -w "$pcap" 'ip proto 47' 2>/dev/null &
cap=$!
busywait 3000 test -s "$pcap"
ready=$(mktemp)
n "$HUB" python3 "$here/nhrp_sock.py" echo dmvpn0 1 >/dev/null 2>>"$ready" &
echo_pid=$!
n "$S1" python3 "$here/nhrp_sock.py" recv dmvpn0 10 >"$out" 2>>"$ready" &
recv_pid=$!
busywait 10000 bash -c "[ \$(grep -c ready $ready) -eq 2 ]" ||
	log "the AF_PACKET sockets did not come up"
check "spoke 1 sends an NHRP frame to the hub's NBMA address" \
	n "$S1" python3 "$here/nhrp_sock.py" send dmvpn0 $HUB_NBMA hello
check "the hub answered the sender's NBMA address" \
	busywait 5000 grep -q "^$HUB_NBMA re:hello" "$out"
wait $echo_pid
kill $recv_pid 2>/dev/null
kill $cap; wait $cap 2>/dev/null
check "hub counted one NHRP frame in" \
	test "$(dm_stat "$HUB" dmvpn0 rx_nhrp)" -eq 1
check "hub counted one NHRP frame out" \
	test "$(dm_stat "$HUB" dmvpn0 tx_nhrp)" -eq 1
check "on the wire: GRE key 42, protocol 0x2001, both ways" \
	test "$(tshark -r "$pcap" -Y 'gre.key == 42 && gre.proto == 0x2001' 2>/dev/null | wc -l)" -eq 2
n "$S1" python3 "$here/nhrp_sock.py" send dmvpn0 0.0.0.0 x 2>/dev/null
check "a frame to NBMA 0.0.0.0 is not sent" \
	test "$(dm_stat "$S1" dmvpn0 tx_nhrp)" -eq 1
rm -f "$out" "$pcap" "$ready"
finish
