#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# IPsec interop: a protected dmvpn hub and a peer with no dmvpn at all,
# set up by hand as a Cisco router with "tunnel protection ipsec profile"
# and "mode transport" is: a point-to-point GRE tunnel (ip_gre, the
# cloud's GRE key) and its own charon, whose configuration is written
# here, not by lib_charon.sh's dmvpn_conn (IKEv2, PSK, transport mode,
# GRE host to host, Cisco's proposals). So the wire format is checked
# against an independent GRE and an independent configuration, not only
# against dmvpn itself.
#
# The hub runs charon as Documentation/ipsec.rst has it for a hub (one
# responder-only connection to %any), with the peer's proposals added to
# its lists, and dmvpnd --vici. A plain GRE peer speaks no NHRP: the hub
# knows it by a static map (ip dmvpn map add), as an IOS hub knows a
# router that is not a spoke by "ip nhrp map".
#
# First the peer brings the SA up (start_action = start, as IOS does for
# a tunnel interface); pings cross it both ways. The peer terminates it,
# both ends lose it, and the peer's GRE, now in clear, is refused and
# counted by the hub. Then the hub is given a trap connection for the
# peer (a static peer is not behind NAT, so the hub may initiate): a
# ping from the hub is held, its route lookup makes the kernel ACQUIRE,
# the hub's charon initiates, and the held ping is sent once the SA is in.
# In both phases: the xfrm states and policies at both ends are ESP in
# transport mode for GRE (protocol 47) host to host; the underlay carries
# IKE and ESP only, ESP directly over IP (no NAT, so no UDP), and tshark
# decrypts one of the hub's ESP packets to GRE with the cloud's key and
# the overlay's ping inside.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib_dmvpnd.sh"
source "$(dirname "$0")/lib_capture.sh"
source "$(dirname "$0")/lib_charon.sh"
require_dmvpn
require_dmvpnd
require_charon
require tcpdump tshark

PEER_NBMA=198.51.100.21
PEER_TUN=192.0.2.21
PSK=dmvpn-interop-test-key

# The hub (setup_cloud's addresses, a dmvpn device with the cloud's key)
# and the peer, routed through UL.
setup_ns UL HUB PEER || { echo "# setup failed"; exit 1; }
link_pair "$HUB" eth0 $HUB_NBMA/30 "$UL" hub 198.51.100.2/30 &&
link_pair "$PEER" eth0 $PEER_NBMA/30 "$UL" peer 198.51.100.22/30 &&
ip -n "$HUB" route add default via 198.51.100.2 &&
ip -n "$PEER" route add default via 198.51.100.22 &&
add_dmvpn "$HUB" $HUB_NBMA $HUB_TUN/24 &&
dm "$HUB" config set dev dmvpn0 role hub network-id 1 holdtime 60 &&
# (A packet waits for its SA up to 20 s, not 5: IKE with a DH group 14
# retry under TCG.)
ip -n "$HUB" link set dmvpn0 type dmvpn protect require hold-time 20000 &&
dm "$HUB" map add $PEER_TUN nbma $PEER_NBMA dev dmvpn0 ||
	{ echo "# setup failed"; exit 1; }
# IOS: interface Tunnel0 / ip address 192.0.2.21 255.255.255.0 /
# tunnel source and destination / tunnel key 42.
ip -n "$PEER" link add gre1 type gre local $PEER_NBMA remote $HUB_NBMA \
	key $KEY &&
# IOS sends nothing on a tunnel but what is routed to it; Linux would
# send IPv6 router solicitations, in clear before the SA is up.
ip -n "$PEER" link set gre1 addrgenmode none &&
ip -n "$PEER" addr add $PEER_TUN/24 dev gre1 &&
ip -n "$PEER" link set gre1 up || { echo "# setup failed"; exit 1; }

# The proposals, in Cisco's terms and strongSwan's. IKE: AES-CBC-256,
# SHA-512 (integrity and PRF), DH group 14: in IOS XE's default IKEv2
# proposal (AES-CBC-256; SHA-512, SHA-384; groups 19, 14, 21, 5) and in
# strongSwan 5.9's default IKE proposal. ESP: "esp-aes 256
# esp-sha256-hmac", the usual explicit transform set (IOS's built-in
# default is AES-128 with SHA-1, which strongSwan no longer proposes),
# and AES-CBC with HMAC-SHA-256-128 is in strongSwan's default ESP
# proposals. No PFS: IOS sets none unless told ("set pfs").
PEER_IKE=aes256-sha512-modp2048
PEER_ESP=aes256-sha256

# cisco_peer_conf: the peer's swanctl.conf, as the IOS configuration it
# stands for (in the comments) would negotiate:
#   crypto ikev2 keyring K / peer hub / address HUB / pre-shared-key PSK
#   crypto ikev2 profile P / match identity remote address HUB /
#     authentication remote pre-share / authentication local pre-share /
#     keyring local K
#   crypto ipsec transform-set T esp-aes 256 esp-sha256-hmac /
#     mode transport
#   crypto ipsec profile IP / set transform-set T / set ikev2-profile P
#   interface Tunnel0 / tunnel protection ipsec profile IP
# IOS derives the traffic selectors of tunnel protection from the tunnel:
# GRE from its source to its destination. Its identity is its address.
# GRE is named by number (a root without /etc/protocols cannot name it).
cisco_peer_conf() {
	charon_prepare "$PEER" || return 1
	cat >"$(charon_dir "$PEER")/swanctl/swanctl.conf" <<-EOF
	connections {
		hub {
			version = 2
			local_addrs = $PEER_NBMA
			remote_addrs = $HUB_NBMA
			proposals = $PEER_IKE
			# IOS has no MOBIKE, and keeps trying.
			mobike = no
			keyingtries = 0
			local {
				auth = psk
				id = $PEER_NBMA
			}
			remote {
				auth = psk
				id = $HUB_NBMA
			}
			children {
				gre {
					mode = transport
					local_ts = $PEER_NBMA/32[47]
					remote_ts = $HUB_NBMA/32[47]
					esp_proposals = $PEER_ESP
					start_action = start
				}
			}
		}
	}
	secrets {
		ike-hub {
			id = $HUB_NBMA
			secret = "$PSK"
		}
	}
	EOF
}

# The hub offers and accepts the tests' AES-GCM proposals and the
# peer's (an IKE_SA_INIT from the hub sends the first one's key share;
# the peer asks for group 14 with INVALID_KE_PAYLOAD).
CHARON_IKE_PROPOSAL="$CHARON_IKE_PROPOSAL,$PEER_IKE"
CHARON_ESP_PROPOSAL="$CHARON_ESP_PROPOSAL,$PEER_ESP"

# hub_trap_conf: the hub's swanctl.conf with one more connection, to the
# peer, trapped: the hub's own traffic to it asks for the SA.
hub_trap_conf() {
	{
		echo "connections {"
		dmvpn_conn dmvpn $HUB_NBMA %any psk none $CHARON_REQID &&
		dmvpn_conn cisco $HUB_NBMA $PEER_NBMA psk trap $CHARON_REQID || return 1
		echo "}"
		dmvpn_secrets psk "$PSK"
	} >"$(charon_dir "$HUB")/swanctl/swanctl.conf"
}

# xfrm_sas NS: one line per xfrm state of NS,
#   SRC DST PROTO MODE SEL_SRC SEL_DST SEL_PROTO ENC AUTH SPI
# (SEL_PROTO as ip prints it: "gre", or 47 without /etc/protocols; "-"
# for what the state does not have).
xfrm_sas() {
	ip -n "$1" xfrm state | awk '
		function flush() {
			if (src != "")
				print src, dst, proto, mode, ssrc, sdst, sproto,
					enc, auth, spi
			src = ""
		}
		/^src / {
			flush()
			src = $2; dst = $4
			proto = mode = ssrc = sdst = sproto = enc = auth = spi = "-"
		}
		/^\tproto / {
			proto = $2
			for (i = 3; i < NF; i++) {
				if ($i == "spi") spi = $(i + 1)
				if ($i == "mode") mode = $(i + 1)
			}
		}
		/^\tenc / { enc = $2 }
		/^\taead / { enc = $2; auth = "aead" }
		/^\tauth-trunc / { auth = $2 }
		/^\tsel / {
			ssrc = $3; sdst = $5
			if ($6 == "proto") sproto = $7
		}
		END { flush() }'
}

# xfrm_pols NS: one line per xfrm policy of NS with a template,
#   SRC DST PROTO DIR TMPL_PROTO TMPL_MODE
xfrm_pols() {
	ip -n "$1" xfrm policy | awk '
		function flush() {
			if (src != "" && tproto != "-")
				print src, dst, proto, dir, tproto, tmode
			src = ""
		}
		/^src / {
			flush()
			src = $2; dst = $4; proto = "-"
			if ($5 == "proto") proto = $6
			dir = tproto = tmode = "-"
		}
		/^\tdir / { dir = $2 }
		/^\t\tproto / {
			tproto = $2
			for (i = 3; i < NF; i++)
				if ($i == "mode") tmode = $(i + 1)
		}
		END { flush() }'
}

# gre_transport NS ME OTHER: NS's xfrm states and policies are all ESP
# in transport mode for GRE between ME and OTHER: a state each way
# (selector the two addresses, /32; AES-CBC-256 and HMAC-SHA-256 as
# proposed), a policy for GRE (protocol 47) out to OTHER and one in from
# it; logs them otherwise. (charon leaves the protocol out of a
# transport state's selector, so that other SAs between the same hosts
# may carry other protocols: the policies and the CHILD_SA's traffic
# selectors name it, see child_ts.)
gre_transport() {
	local ns=$1 sas pols bad
	sas=$(xfrm_sas "$ns")
	pols=$(xfrm_pols "$ns")
	# (One stream, the states, "--", the policies: the guest's /dev has
	# no /dev/fd for <(...).)
	bad=$(printf '%s\n--\n%s\n' "$sas" "$pols" |
		awk -v h="$2" -v p="$3" '
		function gre(x) { return x == "gre" || x == 47 }
		BEGIN { file = 1 }
		/^--$/ { file = 2; next }
		/^$/ { next }
		file == 1 {
			ok = $3 == "esp" && $4 == "transport" &&
				($7 == "-" || gre($7)) &&
				$5 == $1 "/32" && $6 == $2 "/32" &&
				$8 == "cbc(aes)" && $9 == "hmac(sha256)"
			if (ok && $1 == h && $2 == p) out++
			else if (ok && $1 == p && $2 == h) in_++
			else print "state: " $0
		}
		file == 2 {
			ok = $5 == "esp" && $6 == "transport" && gre($3)
			if (ok && $1 == h "/32" && $2 == p "/32" && $4 == "out")
				pout++
			else if (ok && $1 == p "/32" && $2 == h "/32" &&
				 ($4 == "in" || $4 == "fwd"))
				pin++
			else print "policy: " $0
		}
		END {
			if (out != 1 || in_ != 1)
				print "states hub->peer " out + 0 ", peer->hub " in_ + 0
			if (!pout || !pin)
				print "policies out " pout + 0 ", in " pin + 0
		}') || bad="awk failed"
	[ -z "$bad" ] && return 0
	log "${ns%%-*}'s xfrm states and policies are not GRE transport ones:"
	printf '#   %s\n' "${bad//$'\n'/$'\n#   '}" "states:" \
		"${sas//$'\n'/$'\n#   '}" "policies:" "${pols//$'\n'/$'\n#   '}"
	return 1
}

# child_ts NS ME OTHER: NS's charon has one CHILD_SA, whose traffic
# selectors are GRE from ME to OTHER, host to host (VICI's raw listing:
# local-ts=[ME/32[gre]] remote-ts=[OTHER/32[gre]], 47 for gre without
# /etc/protocols).
child_ts() {
	local ts
	ts=$(swanctl_ns "$1" --list-sas --noblock --raw 2>/dev/null |
		grep -o 'local-ts=\[[^ ]*\] remote-ts=\[[^ ]*\]')
	[[ $ts =~ ^local-ts=\["$2"/32\[(gre|47)\]\]\ remote-ts=\["$3"/32\[(gre|47)\]\]$ ]] &&
		return 0
	log "${1%%-*}'s CHILD_SA traffic selectors: ${ts:-none}"
	return 1
}

# no_sa NS: NS has neither IKE_SA nor xfrm state (a predicate).
no_sa() {
	[ "$(charon_ike_count "$1")" -eq 0 ] && [ -z "$(xfrm_sas "$1")" ]
}

# initiator NS: NS's charon initiated its IKE_SA (VICI marks the
# original initiator's end).
initiator() {
	swanctl_ns "$1" --list-sas --noblock --raw 2>/dev/null |
		grep -q ' initiator=yes'
}

hub_counter() { dm_stat "$HUB" dmvpn0 "$1"; }
entry() { entry_field "$HUB" $PEER_TUN "$1"; }
entry_sa_up() { [ "$(entry sa)" = up ]; }

# pings N NS DST [WAIT]: N pings from NS to DST, all answered (each
# within WAIT seconds, default 2).
pings() {
	local got
	got=$(n "$2" ping -q -i 0.2 -c "$1" -W "${4:-2}" "$3" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-0}" -eq "$1" ] || { log "$1 pings to $3: ${got:-0} answered"; return 1; }
}

# unanswered N NS DST: N pings from NS to DST, none answered.
unanswered() {
	local got
	got=$(n "$2" ping -q -i 0.2 -c "$1" -W 1 "$3" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p')
	[ "${got:-x}" = 0 ]
}

# overlay NAME: the checks of an SA that is up: the xfrm state of both
# ends, pings both ways over it, counted on the hub's static entry, and
# no unprotected packet in either direction meanwhile.
overlay() {
	local name=$1 rx tx used
	check "$name: the hub's xfrm states and policies are GRE transport ones" \
		gre_transport "$HUB" $HUB_NBMA $PEER_NBMA
	check "$name: the peer's are too" gre_transport "$PEER" $PEER_NBMA $HUB_NBMA
	check "$name: the hub's CHILD_SA is for GRE host to host" \
		child_ts "$HUB" $HUB_NBMA $PEER_NBMA
	check "$name: the peer's too" child_ts "$PEER" $PEER_NBMA $HUB_NBMA
	rx=$(hub_counter rx_unprotected)
	tx=$(hub_counter tx_unprotected)
	used=$(entry packets)
	check "$name: 10 pings from the peer to the hub, all answered" \
		pings 10 "$PEER" $HUB_TUN
	check "$name: 10 pings from the hub to the peer, all answered" \
		pings 10 "$HUB" $PEER_TUN
	# (The entry's SA state is what the hub's last send found.)
	check "$name: the hub's static entry shows its SA up" entry_sa_up
	check "$name: the hub sent 20 packets on the static entry ($used + $(($(entry packets) - used)))" \
		test "$(entry packets)" -ge $((used + 20))
	check "$name: no unprotected GRE in or out of the hub meanwhile" \
		test "$(hub_counter rx_unprotected)" -eq "$rx" -a \
		"$(hub_counter tx_unprotected)" -eq "$tx"
}

# The captures: all of the underlay router's links, one file per phase.
cap_count() { tcpdump -n -r "$1" "$2" 2>/dev/null | wc -l; }
IKE='udp port 500 or udp port 4500'

# underlay_clean FILE NAME: stop FILE's capture; no clear GRE on the
# underlay, nothing but IKE and ESP, no ESP in UDP (no NAT, so no
# NAT-T), ESP between hub and peer (20 pings both ways: 80 ESP packets,
# each seen on two links; a capture under TCG may miss some).
underlay_clean() {
	local file=$1 name=$2 other
	cap_stop "$file"
	check "$name: no clear GRE on the underlay ($(cap_count "$file" 'ip proto 47'))" \
		test "$(cap_count "$file" 'ip proto 47')" -eq 0
	other=$(cap_count "$file" "ip and not esp and not ($IKE)")
	[ "$other" -eq 0 ] || tcpdump -n -r "$file" \
		"ip and not esp and not ($IKE)" 2>/dev/null | head -n 10 |
		sed 's/^/#   /'
	check "$name: nothing but IKE and ESP on it ($other other packets)" \
		test "$other" -eq 0
	check "$name: IKE on port 500 only, no UDP-encapsulated ESP ($(cap_count "$file" 'udp port 4500'))" \
		test "$(cap_count "$file" 'udp port 4500')" -eq 0 -a \
		"$(cap_count "$file" 'udp port 500')" -gt 0
	check "$name: ESP between hub and peer ($(cap_count "$file" "esp and host $HUB_NBMA and host $PEER_NBMA") >= 40)" \
		test "$(cap_count "$file" "esp and host $HUB_NBMA and host $PEER_NBMA")" -ge 40
}

# sa_keys NS SRC DST: "SPI ENC_KEY AUTH_KEY" of NS's state SRC->DST.
sa_keys() {
	ip -n "$1" xfrm state list src "$2" dst "$3" proto esp | awk '
		/^\tproto esp / {
			for (i = 3; i < NF; i++) if ($i == "spi") spi = $(i + 1)
		}
		/^\tenc / { ek = $3 }
		/^\tauth-trunc / { ak = $3 }
		END { print spi, ek, ak }'
}

# esp_decoded FILE: tshark, given the hub's outbound SA, decodes the
# hub's ESP packets in FILE: the first is, on the wire, IP protocol 50
# with no UDP and the SA's SPI, and, decrypted, GRE (ESP's next header
# 47) with the cloud's key carrying the overlay's ICMP from the hub's
# address to the peer's.
esp_decoded() {
	local spi ek ak got want
	read -r spi ek ak <<<"$(sa_keys "$HUB" $HUB_NBMA $PEER_NBMA)"
	[ -n "$ak" ] || { log "no outbound SA on the hub to decode with"; return 1; }
	spi=$(printf 0x%08x "$spi")
	got=$(tshark -n -r "$1" -o esp.enable_encryption_decode:TRUE \
		-o esp.enable_authentication_check:TRUE \
		-o "uat:esp_sa:\"IPv4\",\"$HUB_NBMA\",\"$PEER_NBMA\",\"$spi\",\"AES-CBC [RFC3602]\",\"$ek\",\"HMAC-SHA-256-128 [RFC4868]\",\"$ak\"" \
		-Y "esp && ip.src == $HUB_NBMA && ip.dst == $PEER_NBMA" \
		-T fields -E separator='|' -e ip.proto -e udp.srcport \
		-e esp.spi -e esp.protocol -e gre.key -e ip.src -e ip.dst \
		2>/dev/null | head -n 1)
	want="50,1||$spi|0x2f|$(printf 0x%08x $KEY)|$HUB_NBMA,$HUB_TUN|$PEER_NBMA,$PEER_TUN"
	[ "$got" = "$want" ] && return 0
	log "tshark: $got"
	log "wanted: $want"
	return 1
}

# both_gone: neither end has an IKE_SA or an xfrm state.
both_gone() { no_sa "$PEER" && no_sa "$HUB"; }
# trapped: the hub has its trap policy for the peer, the peer no SA.
trapped() {
	xfrm_pols "$HUB" | grep -qx "$HUB_NBMA/32 $PEER_NBMA/32 [a-z0-9]* out esp transport" &&
		[ -z "$(xfrm_sas "$PEER")" ]
}

# ---- phase 1: the peer initiates, as IOS does for its tunnel ----
PCAP1=$(mktemp --suffix=.pcap)
PCAP_CLEAR=$(mktemp --suffix=.pcap)
PCAP2=$(mktemp --suffix=.pcap)
cap_start "$UL" any "$PCAP1" ip || exit 1
charon_hub "$HUB" $HUB_NBMA psk "$PSK" && cisco_peer_conf &&
charon_start "$HUB" "$PEER" && charon_load "$HUB" ||
	{ echo "# charon setup failed"; exit 1; }
start_dmvpnd "$HUB" --vici "$(charon_dir "$HUB")/charon.vici"
charon_load "$PEER" || { echo "# charon setup failed"; exit 1; }
check "phase 1: the peer's SA to the hub is up" \
	busywait 30000 charon_sa_up "$PEER" $HUB_NBMA
check "phase 1: the hub has it too" busywait 10000 charon_sa_up "$HUB" $PEER_NBMA
check "phase 1: the peer initiated it" initiator "$PEER"
check_fail "phase 1: the hub only answered" initiator "$HUB"
overlay "phase 1"
underlay_clean "$PCAP1" "phase 1"

# ---- the peer ends it; its GRE is then clear, and refused ----
swanctl_ns "$PEER" --terminate --ike hub --timeout 10 >/dev/null 2>&1
check "the peer terminated its IKE_SA, and the hub lost it too" \
	busywait 20000 both_gone
check "the peer has no IPsec policy left" test -z "$(xfrm_pols "$PEER")"
cap_start "$UL" any "$PCAP_CLEAR" ip || exit 1
rx=$(hub_counter rx_unprotected)
check "the peer's pings in clear GRE get no answer" unanswered 5 "$PEER" $HUB_TUN
check "the hub dropped and counted them (rx_unprotected $rx -> $(hub_counter rx_unprotected))" \
	test "$(hub_counter rx_unprotected)" -ge $((rx + 5))
cap_stop "$PCAP_CLEAR"
check "they were on the wire in clear ($(cap_count "$PCAP_CLEAR" "ip proto 47 and src $PEER_NBMA"))" \
	test "$(cap_count "$PCAP_CLEAR" "ip proto 47 and src $PEER_NBMA")" -ge 5
check "and the hub sent nothing back, in clear or not" \
	test "$(cap_count "$PCAP_CLEAR" "src $HUB_NBMA")" -eq 0

# ---- phase 2: the hub's kernel asks for the SA ----
hub_trap_conf && charon_load "$HUB" || { echo "# charon setup failed"; exit 1; }
check "phase 2: the hub has a trap policy for the peer, no SA yet" \
	busywait 10000 trapped
cap_start "$UL" any "$PCAP2" ip || exit 1
held=$(hub_counter tx_held)
released=$(hub_counter tx_released)
check "phase 2: the hub's first ping, held for the SA, is answered" \
	pings 1 "$HUB" $PEER_TUN 20
check "phase 2: it was held (tx_held $held -> $(hub_counter tx_held)) and released (tx_released $released -> $(hub_counter tx_released))" \
	test "$(hub_counter tx_held)" -gt "$held" -a \
	"$(hub_counter tx_released)" -gt "$released"
check "phase 2: the hub initiated the SA" initiator "$HUB"
check "phase 2: the hub's charon was asked by the kernel (acquire)" \
	charon_log_has "$HUB" "creating acquire job for policy $HUB_NBMA/32\[(gre|47)[^]]*\] === $PEER_NBMA/32\[(gre|47)"
check "phase 2: the peer has the SA" charon_sa_up "$PEER" $HUB_NBMA
overlay "phase 2"
check "phase 2: tshark decrypts the hub's ESP, directly over IP, to GRE with key $KEY" \
	esp_decoded "$PCAP2"
underlay_clean "$PCAP2" "phase 2"
check "dmvpnd is still running" kill -0 "${DMVPND_PID[$HUB]}"
rm -f "$PCAP1" "$PCAP_CLEAR" "$PCAP2"
finish
