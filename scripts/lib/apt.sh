# shellcheck shell=bash
# A private apt configuration for packages of another Debian suite
# (bookworm-backports' kernels in scripts/fetch-kernels, trixie's virtme-ng
# in scripts/fetch-vng): own sources list, package lists and caches, used
# only for `apt-get download` (then dpkg-deb -x into the cache); the
# system's apt sources and state are neither used nor written.  Source it
# after lib/common.sh.

# The suite whose entry in the system's sources gives the mirror and key.
BASE_SUITE=bookworm

# Print "URI [SIGNED-BY]" of the system's apt entries for suite $1 (type
# deb), from one-line .list files and deb822 .sources files.
apt_uris_for_suite() {
	local suite=$1 f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			$1 != "deb" { next }
			{
				signed = ""; i = 2
				if ($2 ~ /^\[/) {
					for (; i <= NF; i++) {
						if ($i ~ /^\[?signed-by=/) {
							s = $i; sub(/^\[?signed-by=/, "", s); sub(/\]$/, "", s)
							signed = s
						}
						if ($i ~ /\]$/) { i++; break }
					}
				}
				if ($(i + 1) == suite) print $i, signed
			}' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v suite="$suite" '
			function flush() {
				if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " ")) {
					n = split(uris, u, " ")
					for (k = 1; k <= n; k++) print u[k], (signed ~ /^\// ? signed : "")
				}
				types = uris = suites = signed = ""; enabled = "yes"
			}
			BEGIN { enabled = "yes" }
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			/^[A-Za-z-]+:/ {
				key = tolower($1); sub(/:$/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "$f"
	done
}

# private_apt DIR SUITE: write DIR/sources.list for SUITE (main), with the
# mirror and signed-by of the system's BASE_SUITE entry, and set
# PRIVATE_APT_URI (the mirror) and PRIVATE_APT_OPTS (apt-get/apt-cache
# options that use DIR instead of the system's apt state).
private_apt() {
	local dir=$1 suite=$2 entry uri signed
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	entry=$(apt_uris_for_suite "$BASE_SUITE" | head -n 1)
	[ -n "$entry" ] || die "no 'deb ... $BASE_SUITE' entry in /etc/apt/sources.list(.d) to derive the $suite mirror from"
	uri=${entry%% *}
	signed=${entry#"$uri"}
	signed=${signed# }
	if [ -n "$signed" ]; then
		printf 'deb [signed-by=%s] %s %s main\n' "$signed" "$uri" "$suite" >"$dir/sources.list"
	else
		printf 'deb %s %s main\n' "$uri" "$suite" >"$dir/sources.list"
	fi
	# shellcheck disable=SC2034 # set for the caller
	PRIVATE_APT_URI=$uri
	# shellcheck disable=SC2034 # set for the caller
	PRIVATE_APT_OPTS=(
		-o "Dir::Etc::SourceList=$dir/sources.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$dir/lists"
		-o "Dir::Cache=$dir/cache"
		-o Acquire::Languages=none
		-o APT::Sandbox::User=root
	)
}
