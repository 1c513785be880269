# Interop helpers: racoon against strongSwan's charon (IKEv1) on a real kernel.
# Sourced by tests/vm/scenarios/9N-interop-*.sh inside the kernel lab guest (after
# tests/vm/lib.sh). Layout, all in namespaces we create:
#
#   iop-r (racoon) 192.0.2.1 --- iop-m (router, nftables counters) --- 198.51.100.1 (charon) iop-c
#           2001:db8:1::1                                              2001:db8:2::1
#
# Each daemon runs in its own network namespace and its own mount namespace with a tmpfs
# /run; its files (config, log, vici/admin socket) live in $IOP_DIR (tmpfs in the guest).
# Every wait is bounded; on failure iop_fail prints both daemons' logs.

# Files go to the lab's results share when there is one (readable from the host while the
# scenario runs); UNIX sockets cannot live on 9p, so they stay on the guest's tmpfs.
if [ -z "${IOP_DIR:-}" ]; then
	if [ -d /lab ] && [ -w /lab ]; then
		IOP_DIR=/lab/$(basename "$0" .sh).d
		rm -rf "$IOP_DIR"; mkdir -p "$IOP_DIR"
	else
		IOP_DIR=$(mktemp -d /tmp/iop.XXXXXX)
	fi
fi
IOP_SOCK=$(mktemp -d /tmp/iop-sock.XXXXXX)
IOP_RACOON=${LAB_BUILDDIR:-.}/racoon
IOP_RACOONCTL=${LAB_BUILDDIR:-.}/racoonctl
IOP_SETKEY=${LAB_BUILDDIR:-.}/setkey
IOP_CHARON=/usr/lib/ipsec/charon
IOP_PSK=${IOP_PSK:-interop-psk-6c1f0e2d9a8b7c}
IOP_R4=192.0.2.1
IOP_C4=198.51.100.1
IOP_R6=2001:db8:1::1
IOP_C6=2001:db8:2::1
IOP_PIDS=""
# Plugins charon loads (scenarios add openssl for ECP, des for 3DES, gcm for AES-GCM).
IOP_PLUGINS=${IOP_PLUGINS:-"random nonce aes sha1 sha2 hmac gmp kernel-netlink socket-default vici"}

iop_log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

iop_dump_logs() {
	local f
	for f in "$IOP_DIR"/racoon.log "$IOP_DIR"/racoon.out "$IOP_DIR"/charon.log "$IOP_DIR"/charon.out; do
		[ -s "$f" ] || continue
		echo "---- $(basename "$f") (last 120 lines) ----" >&2
		tail -n 120 "$f" >&2
	done
	for ns in iop-r iop-c; do
		echo "---- ip xfrm state/policy in $ns ----" >&2
		ip -n "$ns" xfrm state 2>&1 | grep -v -E '^\s+(enc|auth|aead)' >&2
		ip -n "$ns" xfrm policy >&2 2>&1
	done
}

iop_fail() {
	echo "FAIL: $*" >&2
	iop_dump_logs
	exit 1
}

# Network: three namespaces, racoon and charon routed through the middle one.
iop_net() {
	ip netns add iop-r; ip netns add iop-m; ip netns add iop-c
	ip -n iop-r link add veth0 type veth peer name vr netns iop-m
	ip -n iop-c link add veth0 type veth peer name vc netns iop-m
	ip -n iop-r addr add $IOP_R4/24 dev veth0
	ip -n iop-c addr add $IOP_C4/24 dev veth0
	ip -n iop-m addr add 192.0.2.254/24 dev vr
	ip -n iop-m addr add 198.51.100.254/24 dev vc
	ip -n iop-r addr add $IOP_R6/64 dev veth0 nodad
	ip -n iop-c addr add $IOP_C6/64 dev veth0 nodad
	ip -n iop-m addr add 2001:db8:1::fe/64 dev vr nodad
	ip -n iop-m addr add 2001:db8:2::fe/64 dev vc nodad
	for l in "iop-r veth0" "iop-c veth0" "iop-m vr" "iop-m vc"; do
		set -- $l
		ip -n "$1" link set "$2" up
		ip -n "$1" link set lo up
	done
	ip -n iop-r route add default via 192.0.2.254
	ip -n iop-c route add default via 198.51.100.254
	ip -n iop-r -6 route add default via 2001:db8:1::fe
	ip -n iop-c -6 route add default via 2001:db8:2::fe
	ip netns exec iop-m sysctl -qw net.ipv4.ip_forward=1
	ip netns exec iop-m sysctl -qw net.ipv6.conf.all.forwarding=1
	# Counters of what crosses the middle: ESP, and plaintext ICMP (must stay 0).
	ip netns exec iop-m nft -f - <<-'EOF' || iop_fail "nft setup in the middle namespace"
	table inet iop {
		counter cesp { }
		counter cicmp { }
		chain fw {
			type filter hook forward priority 0; policy accept;
			meta l4proto esp counter name cesp
			meta l4proto { icmp, ipv6-icmp } counter name cicmp
		}
	}
	EOF
}

# iop_counter NAME: packets counted in the middle namespace.
iop_counter() {
	ip netns exec iop-m nft list counter inet iop "$1" | sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

iop_reset_counters() {
	ip netns exec iop-m nft reset counters table inet iop >/dev/null
}

# --- racoon -------------------------------------------------------------------------
# iop_racoon_conf LOCAL_ADDR BODY "PSK_ID...": writes $IOP_DIR/racoon.conf (the caller
# gives the remote and sainfo sections; path and listen are added here) and the PSK file
# (one line per identifier, all with $IOP_PSK).
iop_racoon_conf() {
	local id
	: >"$IOP_SOCK/psk.txt"
	for id in ${3:-}; do printf '%s %s\n' "$id" "$IOP_PSK" >>"$IOP_SOCK/psk.txt"; done
	chmod 600 "$IOP_SOCK/psk.txt"
	cat >"$IOP_DIR/racoon.conf" <<-EOF
	path pre_shared_key "$IOP_SOCK/psk.txt";
	log debug;
	listen {
		isakmp $1 [500];
		adminsock "$IOP_SOCK/racoon.sock";
	}
	$2
	EOF
}

iop_start_racoon() {
	: >"$IOP_DIR/racoon.log"
	rm -f "$IOP_SOCK/racoon.sock"
	ip netns exec iop-r unshare -m sh -c "mount -t tmpfs iop /run && exec $IOP_RACOON -F -f $IOP_DIR/racoon.conf -l $IOP_DIR/racoon.log" \
		>"$IOP_DIR/racoon.out" 2>&1 &
	IOP_RACOON_PID=$!
	IOP_PIDS="$IOP_PIDS $!"
	wait_for 300 test -S "$IOP_SOCK/racoon.sock" || iop_fail "racoon did not open its admin socket"
	iop_log "racoon is up (pid $IOP_RACOON_PID)"
}

iop_racoonctl() { ip netns exec iop-r "$IOP_RACOONCTL" -s "$IOP_SOCK/racoon.sock" "$@"; }

# racoon's policies (setkey over XFRM): transport mode between the two hosts, all traffic.
iop_racoon_policies() { # LOCAL REMOTE [MODE-SPEC...]: default transport host to host
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		"$1" "$2" "$2" "$1" | ip netns exec iop-r "$IOP_SETKEY" -c >/dev/null ||
		iop_fail "setkey policies"
}

# iop_racoon_established P1 P2: racoonctl status shows at least that many established SAs.
iop_racoon_established() {
	local s p1 p2
	s=$(iop_racoonctl status 2>/dev/null) || return 1
	p1=$(printf '%s\n' "$s" | sed -n 's/^ISAKMP-SA: *[0-9]* (\([0-9]*\) established.*/\1/p')
	p2=$(printf '%s\n' "$s" | sed -n 's/^IPsec-SA: *[0-9]* (\([0-9]*\) established.*/\1/p')
	[ "${p1:-0}" -ge "$1" ] && [ "${p2:-0}" -ge "$2" ]
}

# iop_racoon_count isakmp|ipsec: how many established SAs of that kind racoon reports.
iop_racoon_count() {
	local pat
	[ "$1" = isakmp ] && pat='ISAKMP-SA' || pat='IPsec-SA'
	iop_racoonctl status 2>/dev/null | sed -n "s/^$pat: *[0-9]* (\([0-9]*\) established.*/\1/p"
}

# --- charon -------------------------------------------------------------------------
# iop_charon_conf CONNECTION_BODY [SECRETS] [EXTRA_CHARON_OPTIONS]
iop_charon_conf() {
	cat >"$IOP_DIR/strongswan.conf" <<-EOF
	charon {
		load = $IOP_PLUGINS
		install_routes = no
		install_virtual_ip = no
		retransmit_tries = 3
		i_dont_care_about_security_and_use_aggressive_mode_psk = yes
		${3:-}
		filelog {
			iop {
				path = $IOP_DIR/charon.log
				default = 1
				ike = 2
				knl = 2
				cfg = 2
				flush_line = yes
			}
		}
		plugins {
			vici { socket = unix://$IOP_SOCK/vici }
		}
	}
	swanctl {
		load = pem
	}
	EOF
	cat >"$IOP_DIR/swanctl.conf" <<-EOF
	connections {
		t {
			version = 1
	$1
		}
	}
	secrets {
		ike-1 {
			secret = "$IOP_PSK"
			${2:-}
		}
	}
	EOF
}

iop_start_charon() {
	: >"$IOP_DIR/charon.log"
	rm -f "$IOP_SOCK/vici"
	ip netns exec iop-c unshare -m sh -c "mount -t tmpfs iop /run && exec env STRONGSWAN_CONF=$IOP_DIR/strongswan.conf $IOP_CHARON" \
		>"$IOP_DIR/charon.out" 2>&1 &
	IOP_CHARON_PID=$!
	IOP_PIDS="$IOP_PIDS $!"
	wait_for 600 test -S "$IOP_SOCK/vici" || iop_fail "charon did not open its vici socket"
	wait_for 50 iop_swanctl --stats >/dev/null 2>&1 || iop_fail "charon does not answer on vici"
	iop_log "charon is up (pid $IOP_CHARON_PID)"
	iop_swanctl --load-all --file "$IOP_DIR/swanctl.conf" >"$IOP_DIR/swanctl-load.out" 2>&1 ||
		{ cat "$IOP_DIR/swanctl-load.out" >&2; iop_fail "swanctl --load-all"; }
}

# iop_swanctl COMMAND [ARGS...] (--uri goes after the command). swanctl reads the same
# strongswan.conf, whose swanctl section keeps it from loading every plugin.
iop_swanctl() {
	local cmd=$1
	shift
	ip netns exec iop-c env STRONGSWAN_CONF="$IOP_DIR/strongswan.conf" \
		swanctl "$cmd" --uri "unix://$IOP_SOCK/vici" "$@"
}

# iop_charon_established N_CHILD: swanctl --list-sas shows an ESTABLISHED IKE SA and N
# INSTALLED CHILD_SAs.
iop_charon_established() {
	local s
	s=$(iop_swanctl --list-sas 2>/dev/null) || return 1
	printf '%s\n' "$s" | grep -q ESTABLISHED || return 1
	[ "$(printf '%s\n' "$s" | grep -c INSTALLED)" -ge "$1" ]
}

# iop_charon_count ike|child: ESTABLISHED IKE SAs or INSTALLED CHILD_SAs charon lists.
iop_charon_count() {
	local pat
	[ "$1" = ike ] && pat=ESTABLISHED || pat=INSTALLED
	iop_swanctl --list-sas 2>/dev/null | grep -c "$pat"
}

# iop_esp_count NS: ESP SAs in that namespace's kernel.
iop_esp_count() { ip -n "$1" xfrm state | grep -c "proto esp"; }

# iop_esp_policies NS: that namespace has in and out policies (besides socket ones).
iop_esp_policies() { [ "$(ip -n "$1" xfrm policy | grep -E -c "^	dir (in|out) ")" -ge 2 ]; }

# iop_is N CMD...: CMD prints N.
iop_is() { local n=$1; shift; [ "$("$@")" = "$n" ]; }

# --- stopping -----------------------------------------------------------------------
iop_stop() { # PID: TERM, bounded wait, KILL
	local p=$1 n=0
	kill "$p" 2>/dev/null || return 0
	while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	kill -9 "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
}

iop_stop_all() {
	local p
	for p in $IOP_PIDS; do iop_stop "$p"; done
	IOP_PIDS=""
}

iop_cleanup() {
	iop_stop_all
	ip netns del iop-r 2>/dev/null; ip netns del iop-m 2>/dev/null; ip netns del iop-c 2>/dev/null
	true
}

# Between two runs in one scenario: stop both daemons, flush both kernels.
iop_reset() {
	iop_stop_all
	for ns in iop-r iop-c; do
		ip -n "$ns" xfrm state flush
		ip -n "$ns" xfrm policy flush
	done
	iop_reset_counters
}

# --- kernel checks ------------------------------------------------------------------
# iop_sas NS: one normalized line per ESP SA: src dst spi mode and each algorithm with its
# key (hex) and ICV/truncation bits. reqid, flags and replay windows are left out: they
# are local choices.
iop_sas() {
	ip -n "$1" xfrm state | awk '
		function flush() { if (line != "") print line; line = "" }
		/^src / { flush(); line = $2 " > " $4; next }
		/^\tproto / { line = line " " $2 " spi=" $4; for (i = 5; i <= NF; i++) if ($i == "mode") line = line " mode=" $(i + 1); next }
		/^\t(enc|auth|auth-trunc|aead|comp) / { sub(/^\t/, ""); line = line " [" $0 "]"; next }
		END { flush() }' | sort
}

# iop_check_kernel_sas N PATTERN...: both kernels hold the same N ESP SAs (same SPIs,
# modes, algorithms, keys and ICV lengths) and every SA line matches every PATTERN
# (grep -E).
iop_check_kernel_sas() {
	local n=$1 a b pat
	shift
	a=$(iop_sas iop-r); b=$(iop_sas iop-c)
	echo "racoon's kernel:" >&2; printf '%s\n' "$a" | sed 's/0x[0-9a-f]\{16\}[0-9a-f]*/KEY/g' >&2
	echo "charon's kernel:" >&2; printf '%s\n' "$b" | sed 's/0x[0-9a-f]\{16\}[0-9a-f]*/KEY/g' >&2
	[ "$(printf '%s\n' "$a" | grep -c .)" -eq "$n" ] || iop_fail "racoon's kernel has not $n ESP SAs"
	[ "$a" = "$b" ] || iop_fail "the two kernels' SAs differ"
	for pat; do
		[ "$(printf '%s\n' "$a" | grep -c -E -e "$pat")" -eq "$n" ] ||
			iop_fail "SAs do not all match /$pat/"
	done
}

# iop_xfrm_errors NS: non-zero XFRM error counters. XfrmOutNoStates is left out: the
# packet that triggers an ACQUIRE (policy, no SA yet) counts there, as it should.
iop_xfrm_errors() {
	ip netns exec "$1" cat /proc/net/xfrm_stat | awk '$2 != 0 && $1 != "XfrmOutNoStates"'
}

# iop_check_traffic FROM_NS DST [COUNT]: ping DST COUNT times; every reply must come, the
# middle must see ESP (at least 2 per ping) and no ICMP, and both kernels' XFRM error
# counters must be 0 and stay so (XfrmOutNoStates must not move either). Call it after the
# SAs exist.
iop_check_traffic() {
	local ns=$1 dst=$2 n=${3:-3} esp icmp e before_r before_c
	iop_reset_counters
	before_r=$(ip netns exec iop-r cat /proc/net/xfrm_stat)
	before_c=$(ip netns exec iop-c cat /proc/net/xfrm_stat)
	ip netns exec "$ns" ping -c "$n" -i 0.2 -W 5 "$dst" >"$IOP_DIR/ping.out" 2>&1 ||
		{ cat "$IOP_DIR/ping.out" >&2; iop_fail "ping $dst from $ns"; }
	esp=$(iop_counter cesp); icmp=$(iop_counter cicmp)
	echo "middle: esp=$esp icmp=$icmp after $n pings" >&2
	[ "$esp" -ge $((2 * n)) ] || iop_fail "only $esp ESP packets crossed the middle for $n pings"
	[ "$icmp" -eq 0 ] || iop_fail "$icmp plaintext ICMP packets crossed the middle"
	for e in iop-r iop-c; do
		[ -z "$(iop_xfrm_errors $e)" ] || { iop_xfrm_errors $e >&2; iop_fail "XFRM errors in $e"; }
	done
	[ "$(ip netns exec iop-r cat /proc/net/xfrm_stat)" = "$before_r" ] ||
		iop_fail "xfrm_stat moved in iop-r during the pings"
	[ "$(ip netns exec iop-c cat /proc/net/xfrm_stat)" = "$before_c" ] ||
		iop_fail "xfrm_stat moved in iop-c during the pings"
}

# --- one negotiation, checked end to end --------------------------------------------
# The configuration comes from: IOP_RACOON_BODY (racoon's remote and sainfo sections),
# IOP_PSK_ID (identifiers for racoon's PSK file), IOP_CHARON_CONN (inside connections.t),
# IOP_CHARON_SECRETS, IOP_CHARON_OPTS (charon section); racoon's side gets transport
# policies between IOP_L and IOP_R (family IOP_AF inet|inet6), or whatever the function
# named by IOP_POLICY_FN installs, or none with IOP_NO_POLICIES=1.

iop_start_both() {
	iop_racoon_conf "$IOP_L" "$IOP_RACOON_BODY" "$IOP_PSK_ID"
	iop_charon_conf "$IOP_CHARON_CONN" "${IOP_CHARON_SECRETS:-}" "${IOP_CHARON_OPTS:-}"
	iop_start_charon
	iop_start_racoon
	if [ -n "${IOP_POLICY_FN:-}" ]; then
		"$IOP_POLICY_FN"
	elif [ "${IOP_NO_POLICIES:-0}" != 1 ]; then
		iop_racoon_policies "$IOP_L" "$IOP_R"
	fi
}

# iop_ping_until NS DST [TRIES]: one ping at a time until one is answered (the first ones
# trigger an ACQUIRE and are dropped while the SAs are negotiated).
iop_ping_until() {
	local n=${3:-40}
	while [ "$n" -gt 0 ]; do
		ip netns exec "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1 && return 0
		n=$((n - 1))
	done
	return 1
}

# iop_initiate racoon|charon: racoonctl establish-sa -w esp, or swanctl --initiate.
iop_initiate() {
	iop_log "== ${IOP_CASE:-case}: $1 initiates"
	if [ "$1" = racoon ]; then
		timeout 100 ip netns exec iop-r "$IOP_RACOONCTL" -s "$IOP_SOCK/racoon.sock" \
			establish-sa -w esp "$IOP_AF" "$IOP_L" "$IOP_R" any >"$IOP_DIR/ctl.out" 2>&1 ||
			{ cat "$IOP_DIR/ctl.out" >&2; iop_fail "racoonctl establish-sa"; }
	else
		timeout 100 ip netns exec iop-c env STRONGSWAN_CONF="$IOP_DIR/strongswan.conf" \
			swanctl --initiate --uri "unix://$IOP_SOCK/vici" --child c --timeout 90 \
			>"$IOP_DIR/ctl.out" 2>&1 ||
			{ cat "$IOP_DIR/ctl.out" >&2; iop_fail "swanctl --initiate"; }
	fi
}

# iop_verify: both report the SAs, the kernels agree crosswise (and match the IOP_SAPAT
# array of patterns), charon's log matches IOP_CHARON_LOG_PAT when set, and pings from
# racoon's side to IOP_PING (default IOP_R) cross the middle as ESP only.
iop_verify() {
	wait_for 250 iop_racoon_established 1 1 || iop_fail "racoon does not report the SAs"
	wait_for 250 iop_charon_established 1 || iop_fail "charon does not report the SAs"
	iop_racoonctl show-sa ipsec >&2
	iop_swanctl --list-sas >&2
	iop_check_kernel_sas 2 "${IOP_SAPAT[@]}"
	if [ -n "${IOP_CHARON_LOG_PAT:-}" ]; then
		grep -E -e "$IOP_CHARON_LOG_PAT" "$IOP_DIR/charon.log" >&2 ||
			iop_fail "charon's log has no /$IOP_CHARON_LOG_PAT/"
	fi
	iop_check_traffic "${IOP_PING_NS:-iop-r}" "${IOP_PING:-$IOP_R}" 3
}

# --- shared configurations ----------------------------------------------------------
# iop_conf_mm_psk [inet6]: scenario 1 (Main Mode PSK, transport, IKE
# aes128-sha256-modp2048, ESP aes128-sha256 with the 128-bit ICV, address identities)
# into the IOP_* variables, over IPv4 or with inet6 over IPv6 (scenario 9); the other
# scenarios start from it and change what they test (iop_racoon_sub, iop_charon_sub,
# iop_conf_esp, iop_sainfo_add, iop_child_add, iop_conn_add).
iop_conf_mm_psk() {
	local me=$IOP_R4 peer=$IOP_C4
	if [ "${1:-inet}" = inet6 ]; then me=$IOP_R6 peer=$IOP_C6; fi
	IOP_CASE=mm-psk IOP_AF=${1:-inet} IOP_L=$me IOP_R=$peer IOP_PSK_ID=$peer
	IOP_RACOON_BODY="
remote $peer {
	exchange_mode main;
	my_identifier address $me;
	peers_identifier address $peer;
	verify_identifier on;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group modp2048;
	}
}
sainfo anonymous {
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}"
	IOP_CHARON_CONN="
		local_addrs = $peer
		remote_addrs = $me
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
			id = $peer
		}
		remote {
			auth = psk
			id = $me
		}
		children {
			c {
				esp_proposals = aes128-sha256
				mode = transport
				start_action = none
			}
		}"
	IOP_SAPAT=('mode=transport' '\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')
}

# iop_racoon_sub OLD NEW / iop_charon_sub OLD NEW: replace the first OLD (literal text,
# which must be there: a stale OLD fails the scenario instead of testing something else)
# in racoon's remote and sainfo sections / charon's connection t.
iop_racoon_sub() {
	[[ $IOP_RACOON_BODY == *"$1"* ]] || iop_fail "racoon's configuration has no \"$1\""
	IOP_RACOON_BODY=${IOP_RACOON_BODY/"$1"/"$2"}
}
iop_charon_sub() {
	[[ $IOP_CHARON_CONN == *"$1"* ]] || iop_fail "charon's connection has no \"$1\""
	IOP_CHARON_CONN=${IOP_CHARON_CONN/"$1"/"$2"}
}

# iop_conf_esp RACOON_LINES CHARON_ESP: other ESP algorithms than aes128-sha256 in
# racoon's sainfo (RACOON_LINES) and charon's esp_proposals.
iop_conf_esp() {
	iop_racoon_sub "encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;" "$1"
	iop_charon_sub "esp_proposals = aes128-sha256" "esp_proposals = $2"
}

# iop_sainfo_add LINES: add lines to racoon's sainfo; iop_child_add / iop_conn_add LINES:
# add options to charon's child c / connection t.
iop_sainfo_add() {
	IOP_RACOON_BODY=${IOP_RACOON_BODY/compression_algorithm deflate;/compression_algorithm deflate;
	$1}
}
iop_child_add() {
	IOP_CHARON_CONN=${IOP_CHARON_CONN/start_action = none/start_action = none
				$1}
}
iop_conn_add() {
	IOP_CHARON_CONN=${IOP_CHARON_CONN/proposals = aes128-sha256-modp2048/proposals = aes128-sha256-modp2048
		$1}
}

# --- lifetimes, rekey and reauthentication ------------------------------------------
# iop_log_count FILE ERE: lines of FILE matching ERE (0 when none).
iop_log_count() { grep -E -c -e "$2" "$1" 2>/dev/null || true; }

# iop_at_least N CMD...: CMD prints a number >= N.
iop_at_least() { [ "$("${@:2}")" -ge "$1" ] 2>/dev/null; }

# iop_settled: both kernels hold exactly one pair of ESP SAs, the same crosswise.
iop_settled() {
	[ "$(iop_esp_count iop-r)" = 2 ] && [ "$(iop_esp_count iop-c)" = 2 ] &&
		[ "$(iop_sas iop-r)" = "$(iop_sas iop-c)" ]
}

# iop_ping_while TRIES CMD...: one ping from racoon's side to IOP_R per round, each
# answered (else iop_fail: a gap), until CMD succeeds; at most TRIES rounds (1 when CMD
# fails every time). The middle must see ESP for every ping and no plaintext ICMP, and
# neither kernel's XFRM error counters may move.
iop_ping_while() {
	local n=$1 before_r before_c pings=0 esp icmp
	shift
	iop_reset_counters
	before_r=$(ip netns exec iop-r cat /proc/net/xfrm_stat)
	before_c=$(ip netns exec iop-c cat /proc/net/xfrm_stat)
	while [ "$n" -gt 0 ]; do
		ip netns exec iop-r ping -c 1 -W 5 "$IOP_R" >"$IOP_DIR/ping.out" 2>&1 ||
			{ cat "$IOP_DIR/ping.out" >&2; iop_fail "a ping went unanswered (gap in the traffic)"; }
		pings=$((pings + 1))
		"$@" && break
		n=$((n - 1))
		sleep 0.5
	done
	esp=$(iop_counter cesp); icmp=$(iop_counter cicmp)
	echo "middle: esp=$esp icmp=$icmp after $pings pings" >&2
	[ "$icmp" -eq 0 ] || iop_fail "$icmp plaintext ICMP packets crossed the middle"
	[ "$esp" -ge $((2 * pings)) ] || iop_fail "only $esp ESP packets crossed the middle for $pings pings"
	[ "$(ip netns exec iop-r cat /proc/net/xfrm_stat)" = "$before_r" ] ||
		{ iop_xfrm_errors iop-r >&2; iop_fail "xfrm_stat moved in iop-r"; }
	[ "$(ip netns exec iop-c cat /proc/net/xfrm_stat)" = "$before_c" ] ||
		{ iop_xfrm_errors iop-c >&2; iop_fail "xfrm_stat moved in iop-c"; }
	[ "$n" -gt 0 ]
}

# --- Phase 1 reauthentication by charon (scenario 7) -----------------------------------
# IKEv1 has no Phase 1 rekey in strongSwan: at reauth_time charon runs a new Main Mode (as
# initiator, also when it was the responder) without INITIAL-CONTACT, moves its CHILD_SAs
# to the new IKE_SA (no Quick Mode: the IPsec SAs stay) and deletes the old ISAKMP SA at
# the end of its lifetime (reauth_time + over_time), with a Delete.
# iop_conf_reauth: scenario 1 with reauth_time 60 s and over_time 10 s: one ISAKMP SA
# again 10 s after each reauthentication, until the next one 50 s later.
iop_conf_reauth() {
	iop_conf_mm_psk
	IOP_CASE=reauth
	iop_conn_add "reauth_time = 60s
		over_time = 10s
		rand_time = 0s"
}

iop_ike_ups() { iop_log_count "$IOP_DIR/charon.log" "IKE_SA t\[[0-9]+\] established"; }
iop_p1_deletes() { iop_log_count "$IOP_DIR/racoon.log" "ISAKMP-SA deleted .*\((Delete payload from the peer|hard lifetime)\)"; }
iop_p2_rekeys() { iop_log_count "$IOP_DIR/charon.log" "detected rekeying of CHILD_SA"; }

# Both sides down to one ISAKMP SA and one pair of IPsec SAs, the kernels crosswise.
iop_reauth_settled() {
	iop_is 1 iop_racoon_count isakmp && iop_is 1 iop_racoon_count ipsec &&
		iop_is 1 iop_charon_count ike && iop_is 1 iop_charon_count child && iop_settled
}

iop_reauth_wait_settled() {
	iop_ping_while 600 iop_reauth_settled ||
		{ iop_racoonctl show-sa isakmp >&2; iop_swanctl --list-sas >&2
		  iop_fail "no single ISAKMP SA and IPsec SA pair $1"; }
	iop_racoonctl show-sa isakmp >&2
	iop_check_kernel_sas 2 "${IOP_SAPAT[@]}"
}

# iop_reauth_run racoon|charon [p2rekey]: the named side initiates; charon reauthenticates
# while pings run (every one answered, ESP only, no XFRM error); the old ISAKMP SA goes
# (racoon logs its Delete or hard expiry) and both sides settle on one ISAKMP SA and one
# pair of IPsec SAs. With p2rekey (racoon initiating, sainfo lifetime 120 s): then racoon
# rekeys its IPsec SA under the new ISAKMP SA (the one it was negotiated under is gone),
# charon takes it as a rekey of its CHILD_SA, and both settle again.
iop_reauth_run() {
	local ic0 ic1 sas0
	# racoon's rekey (soft deadline 90-96 s) falls after the old ISAKMP SA's end (70 s).
	[ "${2:-}" = p2rekey ] && iop_sainfo_add "lifetime time 120 sec;"
	iop_start_both
	iop_initiate "$1"
	iop_verify
	sas0=$(iop_sas iop-r)
	ic0=$(iop_log_count "$IOP_DIR/racoon.log" "INITIAL-CONTACT received")
	iop_log "== $IOP_CASE: waiting for charon's reauthentication (pings all along)"
	iop_ping_while 1500 iop_at_least 2 iop_ike_ups || iop_fail "charon never reauthenticated"
	grep -E "reauthenticating|IKE_SA t\[[0-9]+\] established" "$IOP_DIR/charon.log" | tail -n 3 >&2
	iop_log "== $IOP_CASE: reauthenticated; waiting for the old ISAKMP SA to go (pings all along)"
	iop_ping_while 1500 iop_at_least 1 iop_p1_deletes || iop_fail "racoon never deleted the old ISAKMP SA"
	grep -E "ISAKMP-SA deleted" "$IOP_DIR/racoon.log" | tail -n 1 >&2
	iop_reauth_wait_settled "after the reauthentication"
	ic1=$(iop_log_count "$IOP_DIR/racoon.log" "INITIAL-CONTACT received")
	if [ "$(iop_sas iop-r)" = "$sas0" ]; then
		iop_log "the IPsec SAs lived through the reauthentication"
	else
		iop_log "new IPsec SAs since the reauthentication ($(iop_p2_rekeys) rekeys by racoon)"
	fi
	iop_log "INITIAL-CONTACT received by racoon: $ic0 before the reauthentication, $ic1 after"
	if [ "${2:-}" = p2rekey ]; then
		iop_log "== $IOP_CASE: waiting for racoon's Phase 2 rekey (pings all along)"
		iop_ping_while 1500 iop_at_least 1 iop_p2_rekeys || iop_fail "charon saw no rekey from racoon"
		[ "$(iop_sas iop-r)" != "$sas0" ] || iop_fail "no new IPsec SAs after racoon's rekey"
		iop_reauth_wait_settled "after racoon's Phase 2 rekey"
	fi
	iop_check_traffic iop-r "$IOP_R" 3
	iop_log "== $IOP_CASE: $1 initiates: PASS"
	iop_reset
}

# iop_run racoon|charon: fresh daemons, the named side initiates, iop_verify, reset.
iop_run() {
	iop_start_both
	iop_initiate "$1"
	iop_verify
	iop_log "== ${IOP_CASE:-case}: $1 initiates: PASS"
	iop_reset
}
