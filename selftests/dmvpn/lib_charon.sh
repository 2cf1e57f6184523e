# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# strongSwan's charon for the IPsec tests: one daemon per network
# namespace, each a separate instance with its own directory
# ($CHARON_DIR/NS): strongswan.conf, VICI socket, swanctl directory
# (swanctl.conf, x509, x509ca, private), log, and its own /run.
# Source after lib.sh (and lib_dmvpnd.sh, if used: the exit trap here
# runs that file's cleanup too).
#
# What makes several charons on one machine possible:
# - STRONGSWAN_CONF names the configuration file, for charon, swanctl
#   and pki alike; nothing is read from /etc/strongswan.* then (the
#   configuration here includes nothing from /etc).
# - charon.plugins.vici.socket moves the VICI socket (default
#   /var/run/charon.vici); swanctl reaches it with --uri.
# - The pid file is not configurable: charon (5.9 and 6.0 alike) writes
#   /var/run/charon.pid and refuses to start while a live process holds
#   it. So each charon runs in a mount namespace of its own in which its
#   own directory's run/ is bound over /var/run (a root's /run, see
#   CHARON_ROOT): the second instance does not see the first one's pid
#   file. Nothing else of charon's lives there once the VICI socket has
#   moved.
# - SWANCTL_DIR points swanctl at the instance's credentials.
# - Only the plugins needed are loaded: every plugin costs start-up time
#   in a TCG guest, and an explicit list keeps a distribution's optional
#   plugins (and their configuration snippets) out.

CHARON=${CHARON:-/usr/lib/ipsec/charon}
SWANCTL=${SWANCTL:-swanctl}
PKI=${PKI:-pki}
# CHARON_ROOT: run strongSwan from this root (another Debian suite's, see
# ipsec_charon6.sh) with chroot: the test's /tmp (where the instances'
# directories are), /proc, /dev, /sys and /run must be bound into it.
CHARON_ROOT=${CHARON_ROOT:-}
CHARON_DIR=$(mktemp -d)
# A node's certificate and key, in its swanctl directory's x509/ and private/.
CHARON_CERT=node.pem
# charon: IKE crypto from openssl (AES-GCM, SHA-2, X25519, Ed25519; in
# 5.9 kdf builds IKE's key derivation on its PRF), keys and
# certificates, the kernel's xfrm, UDP sockets, VICI.
CHARON_PLUGINS="random nonce openssl kdf pem pkcs1 pkcs8 x509 pubkey constraints kernel-netlink socket-default vici"
# swanctl and pki only parse keys and certificates.
CHARON_TOOL_PLUGINS="random openssl kdf pem pkcs1 pkcs8 x509 pubkey"
declare -A CHARON_PID

require_charon() {
	[ -x "$CHARON_ROOT$CHARON" ] ||
		skip "$CHARON_ROOT$CHARON not installed (strongswan-charon)"
	if [ -n "$CHARON_ROOT" ]; then
		[ -x "$CHARON_ROOT/usr/sbin/$SWANCTL" ] &&
			[ -x "$CHARON_ROOT/usr/bin/$PKI" ] ||
			skip "no swanctl or pki in $CHARON_ROOT"
	else
		require "$SWANCTL" "$PKI"
	fi
	require unshare
}

# in_root CMD...: CMD, in CHARON_ROOT if there is one.
in_root() {
	if [ -n "$CHARON_ROOT" ]; then
		chroot "$CHARON_ROOT" "$@"
	else
		"$@"
	fi
}

charon_dir() { echo "$CHARON_DIR/$1"; }
charon_uri() { echo "unix://$CHARON_DIR/$1/charon.vici"; }

# present LIST: the plugins of LIST that this strongSwan has (6.0 has no
# kdf plugin: openssl derives the keys itself).
present() {
	local p out=""
	for p in $1; do
		[ -f "$CHARON_ROOT/usr/lib/ipsec/plugins/libstrongswan-$p.so" ] &&
			out+=" $p"
	done
	echo "${out# }"
}

# charon_conf NS: the instance's strongswan.conf. Logs go to stderr (a
# file of the instance's, see charon_start), so that what charon says
# before its loggers are set up is kept too.
charon_conf() {
	local d
	d=$(charon_dir "$1")
	cat <<-EOF
	charon {
		load = $(present "$CHARON_PLUGINS")
		install_routes = no
		install_virtual_ip = no
		# The default 16 threads are for a busy gateway, not a TCG
		# guest.
		threads = 8
		# Above 10 half-open IKE_SAs (the default) charon answers
		# with COOKIEs; an initiator that retransmitted its
		# IKE_SA_INIT meanwhile may get answers to both, sign the
		# other, and fail authentication ("MAC mismatched" at the
		# hub), after which its start connection never retries.
		# The benchmark's hub has up to 250 spokes coming at once.
		cookie_threshold = 1000
		plugins {
			vici {
				socket = $(charon_uri "$1")
			}
			openssl {
				# OpenSSL 3's legacy provider (MD4, DES...) is
				# not needed and costs start-up time.
				load_legacy = no
			}
			kernel-netlink {
				# The life of the kernel's larval state of an
				# ACQUIRE, during which no other is sent for
				# that peer: 20 s, not 165, so that one whose
				# charon is gone (a restart) or that a node
				# answered instead is soon asked again.
				xfrm_acq_expires = 20
			}
		}
		filelog {
			stderr {
				default = 1
				time_format = %T
				# Install times at two ends are compared.
				time_add_ms = yes
				flush_line = yes
			}
		}
	}
	swanctl {
		load = $(present "$CHARON_TOOL_PLUGINS")
	}
	EOF
}

# swanctl_ns NS ARGS...: swanctl for NS's charon.
swanctl_ns() {
	local ns=$1 d
	d=$(charon_dir "$ns")
	shift
	STRONGSWAN_CONF=$d/strongswan.conf SWANCTL_DIR=$d/swanctl \
		in_root "$SWANCTL" "$@" --uri "$(charon_uri "$ns")"
}

# charon_prepare NS: NS's instance directory, its strongswan.conf and an
# empty swanctl directory (for charon_hub or charon_spoke, and
# charon_cert).
charon_prepare() {
	local d
	d=$(charon_dir "$1")
	mkdir -p "$d/run" "$d/swanctl/x509" "$d/swanctl/x509ca" \
		"$d/swanctl/private" || return 1
	charon_conf "$1" >"$d/strongswan.conf"
}

# charon_start NS...: start the charons of these namespaces (all at
# once: each takes seconds to start in a TCG guest) and return once each
# has its VICI socket (CHARON_START_MS, default 30 s, each). That is
# early enough for swanctl: a request that connects before charon's
# threads run waits for them.
charon_start() {
	local ns d run=/var/run cmd=("$CHARON")
	# (/var/run is /run in the roots of Debian's suites; seen from
	# outside, a root's absolute link would lead to ours.)
	[ -n "$CHARON_ROOT" ] &&
		run=$CHARON_ROOT/run cmd=(chroot "$CHARON_ROOT" "$CHARON")
	for ns in "$@"; do
		d=$(charon_dir "$ns")
		charon_prepare "$ns" || return 1
		# A socket left by an instance before this one (a restart)
		# would pass the wait below at once.
		rm -f "$d/charon.vici"
		# ip netns exec, unshare, sh and chroot exec: $! is charon.
		# shellcheck disable=SC2016 # sh expands them
		STRONGSWAN_CONF=$d/strongswan.conf \
			ip netns exec "$ns" unshare --mount --propagation private \
			sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' \
			sh "$d/run" "$run" "${cmd[@]}" 2>>"$d/charon.log" >&2 &
		CHARON_PID[$ns]=$!
	done
	for ns in "$@"; do
		busywait "${CHARON_START_MS:-30000}" test -S "$(charon_dir "$ns")/charon.vici" || {
			log "charon in $ns made no VICI socket $(charon_uri "$ns")"
			return 1
		}
	done
}

# charon_load NS: load NS's swanctl.conf (connections, secrets, keys and
# certificates from its swanctl directory).
charon_load() {
	local out
	out=$(swanctl_ns "$1" --load-all --noprompt 2>&1) || {
		log "swanctl --load-all in ${1%%-*} failed:"
		printf '#   %s\n' "${out//$'\n'/$'\n#   '}"
		return 1
	}
}

charon_stop() {
	local pid=${CHARON_PID[$1]:-}
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	unset "CHARON_PID[$1]"
}

# charon_sas NS: one line per IKE_SA of NS's charon,
#   REMOTE IKE_STATE CHILD_STATE/MODE...
# (CHILD_STATE/MODE for each of its CHILD_SAs, e.g. INSTALLED/TRANSPORT),
# from swanctl's raw output: one line per IKE_SA, its own keys before
# its child-sas section, in every strongSwan since 5.2.
charon_sas() {
	swanctl_ns "$1" --list-sas --noblock --raw 2>/dev/null | awk '
		/^list-sa event/ {
			ike = $0
			sub(/ child-sas \{.*/, "", ike)
			children = $0
			if (!sub(/.* child-sas \{/, "", children))
				children = ""
			remote = state = ""
			if (match(ike, /remote-host=[^ ]+/))
				remote = substr(ike, RSTART + 12, RLENGTH - 12)
			if (match(ike, / state=[^ ]+/))
				state = substr(ike, RSTART + 7, RLENGTH - 7)
			line = remote " " state
			while (match(children, /state=[^ ]+ mode=[^ ]+/)) {
				c = substr(children, RSTART, RLENGTH)
				children = substr(children, RSTART + RLENGTH)
				sub(/^state=/, "", c)
				sub(/ mode=/, "/", c)
				line = line " " c
			}
			print line
		}'
}

# charon_ike_count NS [PEER [STATE]]: IKE_SAs (with PEER, in STATE).
charon_ike_count() {
	charon_sas "$1" | awk -v p="${2:-}" -v s="${3:-}" '
		(p == "" || $1 == p) && (s == "" || $2 == s) { c++ }
		END { print c + 0 }'
}

# charon_child_count NS PEER: CHILD_SAs INSTALLED in transport mode
# under an ESTABLISHED IKE_SA with PEER.
charon_child_count() {
	charon_sas "$1" | awk -v p="$2" '
		$1 == p && $2 == "ESTABLISHED" {
			for (i = 3; i <= NF; i++)
				if ($i == "INSTALLED/TRANSPORT")
					c++
		}
		END { print c + 0 }'
}

# charon_sa_up NS PEER: an IKE_SA with PEER is up with a transport-mode
# CHILD_SA installed (a predicate for busywait).
charon_sa_up() { [ "$(charon_child_count "$1" "$2")" -ge 1 ]; }

# The proposals of the tests: AES-GCM for IKE (with X25519) and ESP,
# what a Cisco IKEv2 proposal with "encryption aes-gcm-128" and an
# "esp-gcm" transform set offer.
CHARON_IKE_PROPOSAL=${CHARON_IKE_PROPOSAL:-aes128gcm16-prfsha256-x25519}
CHARON_ESP_PROPOSAL=${CHARON_ESP_PROPOSAL:-aes128gcm16}
# One reqid for every CHILD_SA of a node's on-demand connection. Two
# spokes that initiate at each other at once get two CHILD_SAs with the
# same selectors; with charon's own reqids (the trap's for the one a node
# initiated, a new one for the one it answered) a node's policy names one
# of them, and what the peer sends on the other fails the policy check
# until dmvpnd has ended the duplicate. With one reqid either SA passes.
# Not the NHS's connection's: charon finds the trap an ACQUIRE meant by
# its reqid, so two traps cannot share one. Far above the reqids charon
# counts up from 1 for other connections.
CHARON_REQID=${CHARON_REQID:-4747}

# dmvpn_conn NAME LOCAL REMOTE AUTH START [REQID]: a connection of a
# dmvpn node's swanctl.conf, as Documentation/ipsec.rst has it: IKEv2
# from LOCAL (the NBMA address) to REMOTE (%any: whoever asks, or whom
# the kernel's ACQUIRE names), a transport-mode child for GRE host to
# host. AUTH is psk (the secrets section's key) or cert (charon_cert's
# certificate, identity the NBMA address: the certificate's
# subjectAltName). START is the child's start_action: none (answer
# only), trap (on demand) or start (at load, and again whenever it
# fails: keyingtries 0). REQID, if given, is the child's fixed reqid.
# GRE is named by number: swanctl resolves "gre" through /etc/protocols,
# which a minimal root (ipsec_charon6.sh) has not.
dmvpn_conn() {
	local name=$1 local=$2 remote=$3 auth=$4 start=$5 reqid=${6:+"reqid = $6"} id
	id="id = $local"
	case $auth in
	psk) auth="auth = psk" ;;
	cert) auth="auth = pubkey"; id="$id
				certs = $CHARON_CERT" ;;
	*) log "dmvpn_conn: no auth $auth"; return 1 ;;
	esac
	cat <<-EOF
		$name {
			version = 2
			local_addrs = $local
			remote_addrs = $remote
			proposals = $CHARON_IKE_PROPOSAL
			mobike = no
			unique = never
			keyingtries = 0
			local {
				$auth
				$id
			}
			remote {
				$auth
			}
			children {
				$name {
					mode = transport
					local_ts = dynamic[47]
					remote_ts = dynamic[47]
					esp_proposals = $CHARON_ESP_PROPOSAL
					start_action = $start
					replay_window = 1024
					$reqid
				}
			}
		}
	EOF
}

# dmvpn_secrets AUTH [PSK]: the secrets section (PSK for psk; the private
# key of cert is loaded from the swanctl directory).
dmvpn_secrets() {
	echo "secrets {"
	[ "$1" = psk ] && printf '\tike-dmvpn {\n\t\tsecret = "%s"\n\t}\n' "$2"
	echo "}"
}

# charon_hub NS NBMA AUTH [PSK]: NS's swanctl.conf for a hub: a responder
# only, to any spoke.
charon_hub() {
	charon_prepare "$1" || return 1
	{
		echo "connections {"
		dmvpn_conn dmvpn "$2" %any "$3" none $CHARON_REQID || return 1
		echo "}"
		dmvpn_secrets "$3" "${4:-}"
	} >"$(charon_dir "$1")/swanctl/swanctl.conf"
}

# charon_spoke NS NBMA HUB_NBMA AUTH [PSK]: NS's swanctl.conf for a
# spoke: the SA to its NHS and the one to any other peer, both on
# demand; the NHS's trap, for one address, outranks the other's for any
# (Documentation/ipsec.rst, "charon, stock"). CHARON_NHS_START=start
# makes the NHS's connection start at load instead (the benchmark's
# charon-alone anchor, which has no traffic to meet a trap).
charon_spoke() {
	charon_prepare "$1" || return 1
	{
		echo "connections {"
		dmvpn_conn nhs "$2" "$3" "$4" "${CHARON_NHS_START:-trap}" &&
		dmvpn_conn dmvpn "$2" %any "$4" trap $CHARON_REQID || return 1
		echo "}"
		dmvpn_secrets "$4" "${5:-}"
	} >"$(charon_dir "$1")/swanctl/swanctl.conf"
}

# pki_run ARGS...: strongSwan's pki with the tests' plugins only.
pki_run() {
	[ -f "$CHARON_DIR/pki.conf" ] ||
		printf 'pki {\n\tload = %s\n}\n' "$(present "$CHARON_TOOL_PLUGINS")" \
			>"$CHARON_DIR/pki.conf"
	STRONGSWAN_CONF=$CHARON_DIR/pki.conf in_root "$PKI" "$@"
}

# charon_ca NAME: a test CA (Ed25519: quick to make in a TCG guest), its
# key and certificate $CHARON_DIR/NAME.key and NAME.pem, valid a day.
charon_ca() {
	local k=$CHARON_DIR/$1.key
	pki_run --gen --type ed25519 --outform pem >"$k" &&
	pki_run --self --ca --lifetime 1 --in "$k" --type ed25519 \
		--dn "CN=dmvpn test CA $1" --outform pem >"$CHARON_DIR/$1.pem"
}

# charon_cert NS NBMA CA: NS's key and certificate (subjectAltName the
# NBMA address, NS's IKE identity) issued by charon_ca CA, and CA's
# certificate as the one NS trusts.
charon_cert() {
	local ns=$1 nbma=$2 ca=$CHARON_DIR/$3 d
	charon_prepare "$ns" || return 1
	d=$(charon_dir "$ns")/swanctl
	pki_run --gen --type ed25519 --outform pem >"$d/private/node.key" &&
	pki_run --issue --cacert "$ca.pem" --cakey "$ca.key" \
		--in "$d/private/node.key" --type priv --dn "CN=$nbma" \
		--san "$nbma" --lifetime 1 --outform pem \
		>"$d/x509/$CHARON_CERT" &&
	cp "$ca.pem" "$d/x509ca/ca.pem"
}

charon_log() { cat "$(charon_dir "$1")/charon.log"; }
# charon_log_count NS REGEX: matching lines in NS's charon log.
charon_log_count() { grep -cE "$2" "$(charon_dir "$1")/charon.log"; }
charon_log_has() { grep -qE "$2" "$(charon_dir "$1")/charon.log"; }

charon_cleanup() {
	local ns d
	for ns in "${!CHARON_PID[@]}"; do
		charon_stop "$ns"
	done
	if [ "$FAILED" -ne 0 ]; then
		for d in "$CHARON_DIR"/*/; do
			[ -f "$d/charon.log" ] || continue
			ns=$(basename "$d")
			log "---- charon log of ${ns%%-*}"
			sed 's/^/# /' "$d/charon.log" | tail -40
		done
	fi
	rm -rf "$CHARON_DIR"
	if declare -F dmvpnd_cleanup >/dev/null; then
		dmvpnd_cleanup
	else
		cleanup_ns
	fi
}
trap charon_cleanup EXIT

# Checks may run helpers in a child shell (bash -c).
export -f in_root swanctl_ns charon_uri charon_dir charon_sas \
	charon_child_count charon_sa_up charon_ike_count charon_log_has \
	charon_log_count
export CHARON_DIR SWANCTL CHARON_ROOT
