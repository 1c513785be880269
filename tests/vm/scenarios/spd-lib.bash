# Helpers for the SPD-driven scenarios (85-89) and scripts/demo.sh: racoon peers in
# namespaces, each with its own mount namespace (tmpfs /run), state folder, config and
# log. Sourced, never run (the runner only picks up *.sh).
# Needs: TMP (a scratch folder), LAB_BUILDDIR.
RACOON="$LAB_BUILDDIR/racoon"
SETKEY="$LAB_BUILDDIR/setkey"
RACOONCTL="$LAB_BUILDDIR/racoonctl"
declare -A RPID

# spd_write_conf NAME ME PEER [SAINFO-BODY] [REMOTE-EXTRA]: a PSK config for one peer.
# With SPD_FOLLOW=1 it has no listen {}: racoon then uses every local address and follows
# address changes (what 89-spd-addrswap tests).
spd_write_conf() {
	local name=$1 me=$2 peer=$3
	local sainfo=${4:-"lifetime time 1 hour; encryption_algorithm aes 128; authentication_algorithm hmac_sha256; compression_algorithm deflate;"}
	local extra=${5:-}
	printf '%s shared-secret-%s\n' "$peer" "lab" >"$TMP/$name.psk"
	chmod 600 "$TMP/$name.psk"
	mkdir -p "$TMP/$name.state"
	cat >"$TMP/$name.conf" <<EOF
path pre_shared_key "$TMP/$name.psk";
log debug;
$([ "${SPD_FOLLOW:-0}" = 1 ] || echo "listen { isakmp $me [500]; }")
remote $peer {
	exchange_mode main;
	my_identifier address $me;
	lifetime time 1 hour;${extra:+
	$extra}
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group modp2048;
	}
}
sainfo anonymous {
	$sainfo
}
EOF
	"$RACOON" -t -f "$TMP/$name.conf" >/dev/null || fail "$name: bad config"
}

# spd_start NS NAME: racoon in netns NS with a private /run; waits until its UDP 500
# socket is bound (bounded), so no ACQUIRE is lost to a daemon not yet listening.
spd_start() {
	local ns=$1 name=$2
	STATE_DIRECTORY="$TMP/$name.state" ip netns exec "$ns" unshare -m sh -c \
		'mount -t tmpfs racoon-run /run && exec "$0" -F -f "$1" -l "$2"' \
		"$RACOON" "$TMP/$name.conf" "$TMP/$name.log" >"$TMP/$name.out" 2>&1 &
	RPID[$name]=$!
	wait_for 150 spd_bound "$ns" || { spd_logs; fail "racoon $name did not bind UDP 500"; }
	wait_for 50 grep -q "started (" "$TMP/$name.log" || { spd_logs; fail "racoon $name not started"; }
}
spd_bound() { ip netns exec "$1" ss -Hlun 'sport = :500' | grep -q .; }

# spd_stop NAME: SIGTERM and a bounded wait for the exit; returns its status.
spd_stop() {
	local name=$1 pid=${RPID[$1]:-} n=100
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"; wait "$pid" 2>/dev/null; unset "RPID[$name]"; return 1
	fi
	local rc=0
	wait "$pid" || rc=$?
	unset "RPID[$name]"
	return $rc
}
spd_stop_all() { local n; for n in "${!RPID[@]}"; do spd_stop "$n" || true; done; }

spd_logs() {
	local f
	for f in "$TMP"/*.log; do
		[ -f "$f" ] || continue
		echo "---- $(basename "$f") ----"
		tail -n 80 "$f"
	done
}

# spd_ctl NAME ARGS...: racoonctl against the daemon, inside its mount namespace (-r -w:
# entering a mount namespace resets the root to that namespace's, outside the lab's chroot).
spd_ctl() {
	local name=$1; shift
	nsenter -t "${RPID[$name]}" -m -n -r -w "$RACOONCTL" "$@"
}

# spd_states NS: one line per SA: "src dst proto spi mode alg-lines..." (no counters),
# sorted, so two peers' views can be compared line by line.
spd_states() {
	ip -n "$1" xfrm state | awk '
		/^src / { if (cur != "") print cur; cur = $2 " " $4; next }
		/^\tproto / { cur = cur " " $2 " " $4 " " $8; next }
		/^\t(enc|auth|auth-trunc|aead|comp) / { sub(/^\t/, ""); cur = cur " [" $0 "]"; next }
		END { if (cur != "") print cur }' | sort
}
# spd_count_states NS PROTO: how many SAs of PROTO.
spd_count_states() { ip -n "$1" xfrm state | grep -c "proto $2 " || true; }

# spd_xfrm_errors NS: the non-zero counters of /proc/net/xfrm_stat, one "name value" each.
spd_xfrm_errors() { ip netns exec "$1" awk '$2 != 0' /proc/net/xfrm_stat; }

# spd_nft_router NS: count ESP and plaintext ICMP/ICMPv6 that the router forwards.
spd_nft_router() {
	ip netns exec "$1" nft -f - <<'EOF'
table inet lab {
	counter esp_seen { }
	counter icmp_seen { }
	chain forward_filter {
		type filter hook forward priority 0; policy accept;
		meta l4proto esp counter name esp_seen
		meta l4proto { icmp, ipv6-icmp } counter name icmp_seen
	}
}
EOF
}
# spd_nft_packets NS COUNTER: packets counted.
spd_nft_packets() {
	ip netns exec "$1" nft list counter inet lab "$2" | awk '/packets/ { print $2 }'
}

# spd_ping_until NS DST [ping args]: one-packet pings until one is answered (bounded:
# the first packets only trigger the ACQUIRE and are dropped).
spd_ping_until() {
	local ns=$1 dst=$2 n=60; shift 2
	while [ $n -gt 0 ]; do
		ip netns exec "$ns" ping -c 1 -W 1 "$@" "$dst" >/dev/null 2>&1 && return 0
		n=$((n - 1))
	done
	return 1
}

# spd_routed_pair: namespaces spdA -- spdR -- spdB, dual stack, spdR routes and counts
# (spd_nft_router). A = 198.51.100.1 / 2001:db8:1::1, B = 203.0.113.1 / 2001:db8:2::1.
spd_routed_pair() {
	local n l
	for n in spdA spdB spdR; do ip netns add $n; ip -n $n link set lo up; done
	ip -n spdA link add eth0 type veth peer name a0 netns spdR
	ip -n spdB link add eth0 type veth peer name b0 netns spdR
	ip -n spdA addr add 198.51.100.1/24 dev eth0
	ip -n spdB addr add 203.0.113.1/24 dev eth0
	ip -n spdR addr add 198.51.100.254/24 dev a0
	ip -n spdR addr add 203.0.113.254/24 dev b0
	ip -n spdA addr add 2001:db8:1::1/64 dev eth0 nodad
	ip -n spdB addr add 2001:db8:2::1/64 dev eth0 nodad
	ip -n spdR addr add 2001:db8:1::fe/64 dev a0 nodad
	ip -n spdR addr add 2001:db8:2::fe/64 dev b0 nodad
	for l in "spdA eth0" "spdB eth0" "spdR a0" "spdR b0"; do
		set -- $l; ip -n "$1" link set "$2" up
	done
	ip -n spdA route add default via 198.51.100.254
	ip -n spdB route add default via 203.0.113.254
	ip -n spdA -6 route add default via 2001:db8:1::fe
	ip -n spdB -6 route add default via 2001:db8:2::fe
	ip netns exec spdR sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	spd_nft_router spdR
}
spd_cleanup_ns() { local n; for n in "$@"; do ip netns del "$n" 2>/dev/null || true; done; }

# spd_scenario_init: the frame of a scenario on spd_routed_pair: TMP, an EXIT trap that
# stops the racoons and removes spdA, spdB and spdR, and die (the logs, then fail).
spd_scenario_init() {
	TMP=$(mktemp -d)
	trap spd_scenario_cleanup EXIT
	die() { spd_logs; fail "$*"; }
}
spd_scenario_cleanup() {
	spd_stop_all
	spd_cleanup_ns spdA spdB spdR
	rm -rf "$TMP"
}

# spd_routed_up DST: spd_routed_pair, then a plain ping A -> DST (bounded retry: on fresh
# links the first echo may go before Neighbor Discovery settles).
spd_routed_up() {
	spd_routed_pair
	wait_for 25 ip netns exec spdA ping -c 1 -W 1 "$1" >/dev/null || fail "no plain route A -> $1"
}

# spd_require_transport NS ME PEER [SETKEY-OPTION...]: transport `require` policies both
# ways for ME <-> PEER, as users write them, by setkey in NS.
spd_require_transport() {
	local ns=$1 me=$2 peer=$3; shift 3
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		"$me" "$peer" "$peer" "$me" | ip netns exec "$ns" "$SETKEY" "$@" -c >/dev/null ||
		fail "setkey $* in $ns"
}

# spd_transport_e2e [FOREIGN-DST]: what 85-spd-transport (IPv4) and 87-spd-ipv6 check once
# the routed pair has setkey's transport `require` policies: A's ping triggers MM + QM;
# both kernels hold the same two SAs crosswise (transport, aes-cbc, hmac-sha256 with the
# 128-bit ICV); pings pass both ways as ESP only (R's counters) while xfrm_stat stays
# still; racoonctl shows the SA; stopping A's racoon removes its SAs and no policy.
# FOREIGN-DST: A also holds somebody else's SA (SPI 0x4242) to it, which must survive.
# Needs A, B, esp0 and icmp0 (R's counters before), die.
spd_transport_e2e() {
	local foreign=${1:-} extra=0 pol_a sa_a sa_b st_a st_b esp1 esp2 icmp1 icmp2
	[ -z "$foreign" ] || extra=1
	pol_a=$(ip -n spdA xfrm policy | grep -c '^src')
	spd_write_conf a $A $B
	spd_write_conf b $B $A
	spd_start spdA a
	spd_start spdB b
	grep -q "policies in the kernel's SPD" "$TMP/a.log" || die "A did not load its SPD copy"

	echo "ping $A -> $B (the first packets trigger the negotiation)"
	spd_ping_until spdA $B || die "the ping never passed"
	wait_for 100 grep -q "IPsec-SA established" "$TMP/b.log" || die "B logged no IPsec-SA"
	grep -q "ISAKMP-SA established" "$TMP/a.log" || die "A logged no ISAKMP-SA"

	# The SAs, crosswise: both kernels hold the same two SAs (A->B and B->A).
	if [ -n "$foreign" ]; then
		sa_a=$(spd_states spdA | grep -v "$foreign")
	else
		sa_a=$(spd_states spdA)
	fi
	sa_b=$(spd_states spdB)
	echo "A: $sa_a"; echo "B: $sa_b"
	[ "$(spd_count_states spdA esp)" = $((2 + extra)) ] ||
		die "A has not exactly 2 ESP SAs${foreign:+ (+ the manual one)}"
	[ "$sa_a" = "$sa_b" ] || die "the peers' SAs differ"
	echo "$sa_a" | grep -q "^$A $B esp 0x[0-9a-f]* transport .*auth-trunc hmac(sha256) 0x[0-9a-f]* 128.*cbc(aes)" ||
		die "A->B SA is not transport/aes-cbc/hmac-sha256-128"
	echo "$sa_a" | grep -q "^$B $A esp " || die "no B->A SA"

	# Protected traffic: counters still while pings pass.
	st_a=$(spd_xfrm_errors spdA) st_b=$(spd_xfrm_errors spdB)
	icmp1=$(spd_nft_packets spdR icmp_seen) esp1=$(spd_nft_packets spdR esp_seen)
	ip netns exec spdA ping -c 5 -i 0.2 -W 2 $B || die "ping over ESP failed"
	ip netns exec spdB ping -c 3 -i 0.2 -W 2 $A || die "ping B -> A over ESP failed"
	esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
	echo "router: ESP $esp0 -> $esp2 packets, plaintext ICMP $icmp0 -> $icmp2"
	[ $((esp2 - esp1)) -ge 16 ] || die "the router saw $((esp2 - esp1)) ESP packets for 16 ICMP"
	[ "$icmp2" = "$icmp1" ] || die "plaintext ICMP crossed the router"
	[ "$(spd_xfrm_errors spdA)" = "$st_a" ] || die "xfrm_stat moved on A: $(spd_xfrm_errors spdA)"
	[ "$(spd_xfrm_errors spdB)" = "$st_b" ] || die "xfrm_stat moved on B: $(spd_xfrm_errors spdB)"
	# Only the trigger packets may have been counted (no SA yet); nothing inbound.
	spd_xfrm_errors spdB | grep -q . && die "B has xfrm errors: $(spd_xfrm_errors spdB)"
	spd_xfrm_errors spdA | grep -v '^XfrmOutNoStates' | grep -q . && die "A has xfrm errors"

	spd_ctl a show-sa ipsec || die "racoonctl show-sa ipsec"
	spd_ctl a show-sa ipsec | grep -q "$B" || die "racoonctl does not show the SA"

	# Stopping racoon removes its SAs but leaves the administrator's policies.
	spd_stop a || die "racoon A did not exit cleanly"
	[ "$(spd_count_states spdA esp)" = $extra ] || die "A's SAs left behind after stop"
	if [ -n "$foreign" ]; then
		ip -n spdA xfrm state get src $A dst "$foreign" proto esp spi 0x4242 >/dev/null ||
			die "racoon's stop removed somebody else's SA"
	fi
	[ "$(ip -n spdA xfrm policy | grep -c '^src')" = "$pol_a" ] || die "A's setkey policies were touched"
}

# spd_nd_bypass NS: Neighbor Discovery (ICMPv6 133-137) in clear, at a higher priority
# than any IPsec policy, so policies for whole prefixes cannot break the link.
spd_nd_bypass() {
	local t d
	for t in 133 134 135 136 137; do
		for d in in out; do
			echo "spdadd ::/0 ::/0 icmp6 $t,0 -P $d prio high none;"
		done
	done | ip netns exec "$1" "$SETKEY" -c >/dev/null || fail "setkey ND bypass in $1"
}
