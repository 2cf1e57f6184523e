#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A protected spoke behind NAT (IPsec NAT traversal): spoke A sits behind
# a home router that masquerades (nhrp_nat.sh's), spoke C has a public
# address, hub and spokes are all `protect require` with one charon each
# (lib_charon.sh, pre-shared key). Charon finds the NAT by itself and
# moves A's SA to UDP 4500; A registers through it, and the hub keeps A
# at the NAT's address, marked NAT, as with plain GRE. The overlay works
# both ways, and so do packets of the protected device's full MTU (1407:
# room for ESP and NAT-T's UDP header), without fragments. A reaches C
# through the hub, then directly over an SA of their own. A capture on
# the NAT's public side holds UDP 500 and 4500 only: no GRE in clear, no
# ESP without UDP.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
source "$(dirname "$0")/lib_charon.sh"
source "$(dirname "$0")/lib_ipsec.sh"
require_dmvpn
require_dmvpnd
require_charon
require nft tcpdump

NAT_A=198.51.100.5 # the NAT router's public address
A_LAN=10.1.0.2
C_NBMA=198.51.100.9
A_TUN=192.0.2.11 C_TUN=192.0.2.12
PSK=dmvpn-natt-test-key
# The largest inner packet the protected device takes: its MTU.
MTU=1407
# The ESP of the proposal (ipsec_natt_cbc.sh sets another): the xfrm
# core's name for it, and the size of a full-MTU packet as ESP in UDP
# (see the MTU pings below).
case ${CHARON_ESP_PROPOSAL:-aes128gcm16} in
aes128gcm16) ESP_ALG='aead rfc4106(gcm(aes))' ESP_MTU_LEN=1480 ;;
aes128-sha256) ESP_ALG='enc cbc(aes)' ESP_MTU_LEN=1492 ;;
*) echo "# no sizes for ESP $CHARON_ESP_PROPOSAL"; exit 1 ;;
esac

topology() {
	setup_ns UL HUB NA A C || return 1
	link_pair "$HUB" eth0 $HUB_NBMA/30 "$UL" hub 198.51.100.2/30 &&
	link_pair "$NA" wan $NAT_A/30 "$UL" na 198.51.100.6/30 &&
	link_pair "$C" eth0 $C_NBMA/30 "$UL" c 198.51.100.10/30 &&
	link_pair "$A" eth0 $A_LAN/30 "$NA" lan 10.1.0.1/30 || return 1
	ip -n "$HUB" route add default via 198.51.100.2
	ip -n "$NA" route add default via 198.51.100.6
	ip -n "$C" route add default via 198.51.100.10
	ip -n "$A" route add default via 10.1.0.1
	nat_router "$NA" || return 1
	add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
	add_dmvpn "$A" $A_LAN $A_TUN/32 &&
	add_dmvpn "$C" $C_NBMA $C_TUN/32 || return 1
	dm "$HUB" config set dev dmvpn0 role hub network-id 1 \
		holdtime $IPSEC_HOLD || return 1
	local ns
	for ns in "$A" "$C"; do
		# The nexthop is the destination itself, so it can be resolved.
		ip -n "$ns" route add 192.0.2.0/24 dev dmvpn0
		dm "$ns" config set dev dmvpn0 role spoke network-id 1 \
			holdtime $IPSEC_HOLD &&
		dm "$ns" nhs add dev dmvpn0 nbma $HUB_NBMA proto $HUB_TUN ||
			return 1
	done
	for ns in "$HUB" "$A" "$C"; do
		ip -n "$ns" link set dmvpn0 type dmvpn protect require ||
			return 1
	done
}
topology || { echo "# setup failed"; exit 1; }

check "the protected device's MTU leaves room for ESP and NAT-T ($MTU)" \
	mtu_is "$A" $MTU

# All test long, everything on the NAT's public side.
cap_start "$NA" wan "$IPSEC_PCAP" ip || exit 1

charon_hub "$HUB" $HUB_NBMA psk "$PSK" &&
charon_spoke "$A" $A_LAN $HUB_NBMA psk "$PSK" &&
charon_spoke "$C" $C_NBMA $HUB_NBMA psk "$PSK" &&
charon_start "$HUB" "$A" "$C" &&
charon_load "$HUB" && charon_load "$A" && charon_load "$C" ||
	{ echo "# charon setup failed"; exit 1; }
# The spokes' first registrations meet their NHS's trap.
for ns in "$HUB" "$A" "$C"; do
	start_dmvpnd "$ns" --vici "$(charon_dir "$ns")/charon.vici"
done

check "A's SA to the hub is up" busywait 30000 charon_sa_up "$A" $HUB_NBMA
check "C's SA to the hub is up" busywait 30000 charon_sa_up "$C" $HUB_NBMA
check "the hub has A's at the NAT's address, and C's" bash -c \
	"charon_sa_up $HUB $NAT_A && charon_sa_up $HUB $C_NBMA"
check "A's charon finds itself behind NAT" \
	charon_log_has "$A" "local host is behind NAT"
check "the hub's finds A behind it" \
	charon_log_has "$HUB" "remote host is behind NAT"

# xfrm_encap NS SRC DST: NS's ESP state from SRC to DST, with its
# encapsulation line (ip xfrm state's "encap type espinudp sport S
# dport D" under NAT-T, nothing without).
xfrm_encap() {
	ip -n "$1" xfrm state list src "$2" dst "$3" proto esp |
		sed -n 's/^[[:space:]]*\(encap type [a-z]* sport [0-9]* dport [0-9]*\).*/\1/p'
}
# esp_plain NS SRC DST: NS has an ESP state from SRC to DST, not in UDP.
esp_plain() {
	[ -n "$(ip -n "$1" xfrm state list src "$2" dst "$3" proto esp)" ] &&
		[ -z "$(xfrm_encap "$@")" ]
}
e=$(xfrm_encap "$A" $A_LAN $HUB_NBMA)
check "A's ESP state to the hub is in UDP 4500 (${e:-none})" \
	test "$e" = "encap type espinudp sport 4500 dport 4500"
e=$(xfrm_encap "$A" $HUB_NBMA $A_LAN)
check "and the one from the hub (${e:-none})" \
	test "$e" = "encap type espinudp sport 4500 dport 4500"
# The NAT may have given A's port 4500 another one outside.
e=$(xfrm_encap "$HUB" $NAT_A $HUB_NBMA)
check "the hub's state from the NAT's address is in UDP (${e:-none})" \
	grep -qE "^encap type espinudp sport [0-9]+ dport 4500$" <<<"$e"
check "the hub's state from C is plain ESP" esp_plain "$HUB" $C_NBMA $HUB_NBMA
check "A's ESP is the proposal's ($ESP_ALG)" \
	bash -c "ip -n $A xfrm state list dst $HUB_NBMA proto esp | grep -qF '$ESP_ALG '"
check "and C's to the hub" esp_plain "$C" $C_NBMA $HUB_NBMA

check "the hub registers A at the NAT's address, marked NAT" \
	busywait 30000 entry_has "$HUB" $A_TUN dynamic $NAT_A nat
check "and C at its own" \
	busywait 20000 entry_has "$HUB" $C_TUN dynamic $C_NBMA registered
check "C is not marked NAT" \
	bash -c "! entry_has $HUB $C_TUN dynamic $C_NBMA nat"
check "A learns its address after NAT from the hub" \
	busywait 10000 log_has "$A" "our address there is $NAT_A"

check "A pings the hub" busywait 20000 ping_ok "$A" $HUB_TUN
check "the hub pings A" busywait 20000 ping_ok "$HUB" $A_TUN
# ping_df NS DST SIZE: three DF pings of SIZE bytes of ICMP payload, all
# answered.
ping_df() {
	n "$1" ping -q -c 3 -i 0.3 -W 2 -M "do" -s "$3" "$2" >/dev/null 2>&1
}
# An inner packet of the MTU: 1435 bytes of GRE in IP, 1480 as ESP in
# UDP with AES-GCM (8 IV, 16 ICV), 1492 with AES-CBC and SHA-256
# (ipsec_natt_cbc.sh: 16 IV, 7 padding, 16 ICV; 1492 is also the most
# any inner size up to the MTU gives, padding rounding up to 16).
check "A's DF pings of the full MTU reach the hub" \
	ping_df "$A" $HUB_TUN $((MTU - 28))
check "and the hub's reach A" ping_df "$HUB" $A_TUN $((MTU - 28))
check_fail "one byte more is refused at A, DF" \
	ping_df "$A" $HUB_TUN $((MTU - 27))

h0=$(rx_data "$HUB")
check "A's first ping to C is answered, through the hub" \
	busywait 10000 ping_ok "$A" $C_TUN
carried=$(($(rx_data "$HUB") - h0))
check "the hub carried it ($carried data packets)" test $carried -ge 2
spoke_to_spoke "$A" "$C" $C_TUN $NAT_A $C_NBMA
check "C holds A at the NAT's address" \
	entry_has "$C" $A_TUN dynamic $NAT_A
e=$(xfrm_encap "$C" $NAT_A $C_NBMA)
check "C's ESP state from A is in UDP too (${e:-none})" \
	grep -qE "^encap type espinudp sport [0-9]+ dport 4500$" <<<"$e"
log "A's IKE_SAs: $(charon_sas "$A" | paste -sd ';')"

cap_stop "$IPSEC_PCAP"
# The MTU pings as ESP in UDP ($ESP_MTU_LEN bytes), each way: three requests
# and three answers each, of which a capture under TCG may miss some.
big="udp port 4500 and ip[2:2] == $ESP_MTU_LEN"
for f in 'ip proto 47' 'ip proto 50' "ip and not ($IPSEC_IKE)"; do
	c=$(cap_count "$f")
	[ "$c" -eq 0 ] || {
		log "$f on the NAT's public side:"
		tcpdump -n -r "$IPSEC_PCAP" "$f" 2>/dev/null | head -n 10 |
			sed 's/^/#   /'
	}
	check "nothing of '$f' on the NAT's public side ($c)" test "$c" -eq 0
done
check "ESP in UDP 4500 from the NAT's address ($(cap_count "src $NAT_A and udp port 4500"))" \
	test "$(cap_count "src $NAT_A and udp port 4500")" -ge 10
# 20 pings direct, their answers: 40 packets.
c=$(cap_count "host $NAT_A and host $C_NBMA and udp port 4500")
check "A's and C's direct ESP in UDP crossed the NAT ($c >= 20)" \
	test "$c" -ge 20
check "the MTU pings left as ESP in UDP ($(cap_count "src $NAT_A and $big"))" \
	test "$(cap_count "src $NAT_A and $big")" -ge 3
check "their answers came back so ($(cap_count "dst $NAT_A and $big"))" \
	test "$(cap_count "dst $NAT_A and $big")" -ge 3
c=$(cap_count 'ip[6:2] & 0x3fff != 0')
check "no IP fragments ($c)" test "$c" -eq 0
rm -f "$IPSEC_PCAP"
finish
