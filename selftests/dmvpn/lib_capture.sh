# SPDX-License-Identifier: GPL-2.0
# GRE captures on an underlay interface and their NHRP check with tshark,
# an independent decoder: every NHRP packet anyone sent must decode with a
# good checksum, not be malformed and raise no expert warning or error.
# Source after lib.sh.

# Wireshark's expert severities (epan/proto.h): PI_WARN and PI_ERROR fail.
CAP_EXPERT_WARN=6291456

# cap_start NS IF FILE [FILTER]: capture GRE (or FILTER) on IF in NS into
# FILE until cap_stop FILE. Returns once tcpdump is capturing.
cap_start() {
	local ns=$1 ifname=$2 file=$3 filter=${4:-ip proto 47}
	rm -f "$file"
	ip netns exec "$ns" tcpdump -U -n -s 0 -i "$ifname" -w "$file" \
		"$filter" 2>"$file.log" &
	echo $! >"$file.pid"
	# tcpdump writes the file header only once the socket is attached.
	busywait 20000 test -s "$file" || {
		log "tcpdump on $ns/$ifname did not start:"
		sed 's/^/#   /' "$file.log"
		return 1
	}
}

# cap_stop FILE: stop the capture into FILE and wait for the last packets.
cap_stop() {
	local file=$1 pid
	pid=$(cat "$file.pid" 2>/dev/null) || return 0
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$file.pid" "$file.log"
}

# nhrp_decode FILE: one line per NHRP packet in FILE (NHRP rides in GRE
# directly, so each has one IP header: the outer, NBMA one):
#   frame|type|checksum status|NBMA src|NBMA dst|src proto|dst proto|
#   malformed|expert severities|expert messages|password|hop count|
#   error code (Error Indications)
# (Wireshark checksum status: 0 bad, 1 good, 2 unverified.) password is
# the hex payload of the first authentication extension after its SPI,
# "-" without one. (tshark reads the first 4 bytes of a Cisco cleartext
# password as an IPv4 "source address", the rest as data: passwords of 4
# to 8 bytes come out whole. In an Error Indication the first one is
# the quoted packet's, if that has one.)
nhrp_decode() {
	tshark -n -r "$1" -Y nhrp -T fields -E separator='|' \
		-e frame.number -e nhrp.hdr.op.type -e nhrp.hdr.chksum.status \
		-e ip.src -e ip.dst -e nhrp.src.prot.addr -e nhrp.dst.prot.addr \
		-e _ws.malformed -e _ws.expert.severity -e _ws.expert.message \
		-e nhrp.auth_ext.spi -e nhrp.auth_ext.src_addr \
		-e nhrp.auth_ext.data -e nhrp.hdr.hopcnt -e nhrp.err.code \
		2>/dev/null |
		# An Error Indication quotes the offending NHRP packet, whose
		# fields tshark appends ("7,3"): keep the outer packet's.
		awk -F'|' -v OFS='|' '{
			for (i = 2; i <= 7; i++)
				sub(/,.*/, "", $i)
			for (i = 11; i <= 15; i++)
				sub(/,.*/, "", $i)
			pw = "-"
			if ($11 != "") {
				pw = ""
				n = split($12, b, ".")
				for (i = 1; i <= n; i++)
					pw = pw sprintf("%02x", b[i])
				pw = pw $13
			}
			print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, pw, $14, $15
		}'
}

# nhrp_check FILE [TYPE NBMA_SRC]: every NHRP packet in FILE is well
# formed (see above), but those of TYPE from NBMA_SRC, which are not
# judged (a peer's known gap: nhrp_clean judges them); prints the
# offending packets verbosely. Keeps the decoded table as FILE.nhrp for
# nhrp_count, nhrp_match and the others (tshark is slow to start in a VM:
# one pass per capture). Fails if FILE has no NHRP at all.
nhrp_check() {
	local file=$1 bad
	nhrp_decode "$file" >"$file.nhrp"
	[ -s "$file.nhrp" ] || { log "no NHRP packet in $file"; return 1; }
	bad=$(nhrp_unclean "$file" "${2:-}" "${3:-}" 1)
	[ -z "$bad" ] && return 0
	log "NHRP packets that do not decode cleanly in $file: $bad"
	nhrp_verbose "$file" "$bad"
	return 1
}

# nhrp_unclean FILE TYPE NBMA_SRC EXCEPT: the frames (comma-separated) of
# the last nhrp_check of FILE that are not well formed: of TYPE from
# NBMA_SRC only (EXCEPT=0) or but those (EXCEPT=1; TYPE "" judges all).
nhrp_unclean() {
	awk -F'|' -v warn=$CAP_EXPERT_WARN -v t="$2" -v s="$3" -v x="$4" '
		{
			if (t != "" && ($2 == t && $4 == s) == (x == 1))
				next
			ok = $3 == 1 && $8 == ""
			n = split($9, sev, ",")
			for (i = 1; i <= n; i++)
				if (sev[i] + 0 >= warn)
					ok = 0
			if (!ok)
				printf "%s%s", (bad++ ? "," : ""), $1
		}' "$1.nhrp"
}

# nhrp_clean FILE TYPE NBMA_SRC: the NHRP packets of TYPE from NBMA_SRC in
# the last nhrp_check of FILE are well formed (there is at least one).
nhrp_clean() {
	[ "$(nhrp_match "$1" "$2" "$3")" -ge 1 ] &&
		[ -z "$(nhrp_unclean "$1" "$2" "$3" 0)" ]
}

# nhrp_verbose FILE FRAMES: those frames' NHRP, decoded, for the log.
nhrp_verbose() {
	tshark -n -r "$1" -V -Y "frame.number in {$2}" \
		2>/dev/null | sed -n '/^Next Hop Resolution Protocol/,$p' |
		head -n "${CAP_DUMP_LINES:-200}" | sed 's/^/#   /'
}

# nhrp_match FILE TYPE [NBMA_SRC [NBMA_DST [DST_PROTO]]]: how many NHRP
# packets of TYPE (1 ResReq, 2 ResRep, 3 RegReq, 4 RegRep, 5 PurgeReq,
# 6 PurgeRep, 7 ErrInd, 8 Traffic Indication) the last nhrp_check of FILE
# found, optionally only those between these NBMA addresses and with this
# destination protocol address ("" matches anything).
nhrp_match() {
	awk -F'|' -v t="$2" -v s="${3:-}" -v d="${4:-}" -v dp="${5:-}" '
		$2 == t && (s == "" || $4 == s) && (d == "" || $5 == d) &&
		(dp == "" || $7 == dp) { c++ }
		END { print c + 0 }' "$1.nhrp"
}

nhrp_count() { nhrp_match "$1" "$2"; }

# nhrp_summary FILE: "regreq=N regrep=N ..." of the last nhrp_check.
nhrp_summary() {
	awk -F'|' 'BEGIN { split("resreq resrep regreq regrep purgereq " \
				 "purgerep errind trafind", name, " ") }
		   { n[$2]++ }
		   END {
			for (t = 1; t <= 8; t++) {
				if (!n[t])
					continue
				printf "%s%s=%d", sep, name[t], n[t]
				sep = " "
			}
			print ""
		   }' "$1.nhrp"
}

# nhrp_fields FILE FILTER FIELD...: tshark fields of the NHRP packets
# matching FILTER, '|' separated, one packet a line.
nhrp_fields() {
	local file=$1 filter=$2 f args=()
	shift 2
	for f in "$@"; do
		args+=(-e "$f")
	done
	tshark -n -r "$file" -Y "nhrp && ($filter)" -T fields -E separator='|' \
		-E occurrence=a -E aggregator=, "${args[@]}" 2>/dev/null
}

# nhrp_auth FILE: frame|type|NBMA src|password (see nhrp_decode) of each
# NHRP packet the last nhrp_check of FILE found.
nhrp_auth() {
	awk -F'|' -v OFS='|' '{ print $1, $2, $4, $11 }' "$1.nhrp"
}

# nhrp_auth_all FILE PASSWORD [NBMA_SRC]: every NHRP packet the last
# nhrp_check of FILE found (sent from NBMA_SRC) carries PASSWORD; logs
# the others.
nhrp_auth_all() {
	local hex bad
	hex=$(printf %s "$2" | od -An -tx1 | tr -d ' \n')
	bad=$(nhrp_auth "$1" | awk -F'|' -v pw="$hex" -v s="${3:-}" '
		(s == "" || $3 == s) && $4 != pw { print }')
	[ -z "$bad" ] && return 0
	log "NHRP packets without the password $2 (frame|type|from|password):"
	sed 's/^/#   /' <<<"$bad"
	return 1
}

# nhrp_errind FILE NBMA_SRC NBMA_DST: "code hop-count password" of each
# Error Indication from NBMA_SRC to NBMA_DST the last nhrp_check of FILE
# found.
nhrp_errind() {
	awk -F'|' -v s="$2" -v d="$3" '
		$2 == 7 && $4 == s && $5 == d { print $13, $12, $11 }' "$1.nhrp"
}

# nhrp_errind_code FILE NBMA_SRC NBMA_DST CODE: there are Error
# Indications from NBMA_SRC to NBMA_DST, all with CODE.
nhrp_errind_code() {
	local codes
	codes=$(nhrp_errind "$1" "$2" "$3" | cut -d' ' -f1 | sort -u)
	[ "$codes" = "$4" ]
}

# nhrp_cies FILE FILTER: the Client Information Entries of the NHRP
# packets matching FILTER, one a line:
#   frame|part|code|prefix length|client NBMA|client proto
# part: mandatory, responder, forward or reverse (the Responder Address
# and Forward and Reverse Transit NHS Record extensions); an address a
# CIE leaves out is empty. tshark's fields do not say which extension a
# CIE belongs to; its tree does.
nhrp_cies() {
	tshark -n -r "$1" -V -Y "nhrp && ($2)" 2>/dev/null | awk -v OFS='|' '
		function flush() {
			if (cie)
				print f, part, code, plen, nbma, proto
			cie = 0
		}
		/^Frame [0-9]+:/ { flush(); f = $2; sub(/:$/, "", f); part = "" }
		/^    [^ ]/ {
			flush()
			part = $0
			sub(/^ +/, "", part)
			if (part ~ /Mandatory Part/) part = "mandatory"
			else if (part ~ /^Responder Address/) part = "responder"
			else if (part ~ /^Forward Transit/) part = "forward"
			else if (part ~ /^Reverse Transit/) part = "reverse"
		}
		/^        Client Information Entry/ {
			flush()
			cie = 1
			code = plen = nbma = proto = ""
		}
		/^            Code: / { code = $NF; gsub(/[()]/, "", code) }
		/^            Prefix Length: / { plen = $NF }
		/^            Client NBMA Address: / { nbma = $NF }
		/^            Client Protocol Address: / { proto = $NF }
		END { flush() }'
}
