#!/bin/bash
# Local address changes (racoon(8), "ADDRESS CHANGES"): A's racoon follows the local
# addresses (no listen {}). A tunnel is up over ESP (transport, `require` both ways);
# then A's address is removed: A's racoon must remove its ISAKMP and IPsec SAs there (and
# their kernel SAs) at once, while B still holds its own. The address comes back, a ping
# from A triggers a new ACQUIRE, A's new Phase 1 carries INITIAL-CONTACT, B drops its
# stale SAs, and both kernels hold exactly one matching pair again; the ping passes over
# ESP only and /proc/net/xfrm_stat shows no error (A may count the trigger packets).
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1
cleanup() {
	spd_stop_all
	spd_cleanup_ns spdA spdB spdR
	rm -rf "$TMP"
}
trap cleanup EXIT
die() { spd_logs; fail "$*"; }

spd_routed_pair
wait_for 25 ip netns exec spdA ping -c 1 -W 1 $B >/dev/null || fail "no plain route A -> B"
icmp0=$(spd_nft_packets spdR icmp_seen)

printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
	$A $B $B $A | ip netns exec spdA "$SETKEY" -c || fail "setkey A"
printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
	$B $A $A $B | ip netns exec spdB "$SETKEY" -c || fail "setkey B"
# setkey's policies (racoon's per-socket bypass policies come and go with its sockets)
spd_policies() { ip -n "$1" xfrm policy | grep -E '^[[:space:]]dir (in|out|fwd) ' | sort | uniq -c; }
pol_a=$(spd_policies spdA)
SPD_FOLLOW=1 spd_write_conf a $A $B
spd_write_conf b $B $A
spd_start spdA a
spd_start spdB b
grep -q "following address changes" "$TMP/a.log" || die "A does not follow addresses"
[ "$(grep -c 'INITIAL-CONTACT received' "$TMP/b.log" || true)" = 0 ] || die "B saw INITIAL-CONTACT too early"

# pair_ok: exactly one ESP pair on each side, the same crosswise.
pair_ok() {
	local sa_a sa_b
	sa_a=$(spd_states spdA) sa_b=$(spd_states spdB)
	echo "A: $sa_a"; echo "B: $sa_b"
	[ "$(spd_count_states spdA esp)" = 2 ] || { echo "A holds $(spd_count_states spdA esp) ESP SAs"; return 1; }
	[ "$(spd_count_states spdB esp)" = 2 ] || { echo "B holds $(spd_count_states spdB esp) ESP SAs"; return 1; }
	[ "$sa_a" = "$sa_b" ] || { echo "the peers' SAs differ"; return 1; }
	echo "$sa_a" | grep -q "^$A $B esp 0x[0-9a-f]* transport " || return 1
	echo "$sa_a" | grep -q "^$B $A esp 0x[0-9a-f]* transport " || return 1
}

echo "ping $A -> $B: the first tunnel"
spd_ping_until spdA $B || die "the first ping never passed"
wait_for 100 grep -q "IPsec-SA established" "$TMP/b.log" || die "B logged no IPsec-SA"
pair_ok || die "first tunnel: SAs do not match"
spi_old=$(spd_states spdB | awk -v a=$B '$1 == a { print $4 }')

echo "A's address goes away"
ip -n spdA addr del $A/24 dev eth0
wait_for 100 grep -q "local address $A removed: 1 ISAKMP-SA and 1 IPsec-SA removed" "$TMP/a.log" ||
	die "A's racoon did not remove the SAs on $A"
wait_for 50 sh -c "[ \$(ip -n spdA xfrm state | grep -c '^src') = 0 ]" || die "A's kernel SAs stayed"
[ "$(spd_count_states spdB esp)" = 2 ] || die "B lost its SAs (nothing could tell it)"
ph1=$(spd_ctl a show-sa isakmp) || die "racoonctl show-sa isakmp on A"
echo "$ph1" | grep -q "$A" && die "A's racoon still shows an ISAKMP-SA on $A: $ph1"
[ "$(spd_policies spdA)" = "$pol_a" ] || die "A's setkey policies were touched"

echo "the address comes back"
ip -n spdA addr add $A/24 dev eth0
ip -n spdA route replace default via 198.51.100.254
wait_for 100 grep -q "$A\[500\] used for ISAKMP" "$TMP/a.log" || die "A did not reopen its socket on $A"
st_b=$(spd_xfrm_errors spdB)
spd_ping_until spdA $B || die "the ping after the address came back never passed"
ic_seen() { [ "$(grep -c 'INITIAL-CONTACT received' "$TMP/b.log")" -ge 2 ]; }
wait_for 100 ic_seen || die "B saw no second INITIAL-CONTACT"
# B purges the stale pair: bounded wait for exactly one pair on each side.
n=0; until pair_ok >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.2; n=$((n + 1)); done
pair_ok || die "after the address came back: SAs do not match"
spi_new=$(spd_states spdB | awk -v a=$B '$1 == a { print $4 }')
[ "$spi_new" != "$spi_old" ] || die "the old SA ($spi_old) is still used"

esp1=$(spd_nft_packets spdR esp_seen)
ip netns exec spdA ping -c 3 -i 0.2 -W 2 $B || die "ping over the new SAs failed"
ip netns exec spdB ping -c 3 -i 0.2 -W 2 $A || die "ping B -> A over the new SAs failed"
esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
echo "router: ESP +$((esp2 - esp1)), plaintext ICMP $icmp0 -> $icmp2"
[ $((esp2 - esp1)) -ge 12 ] || die "the router saw $((esp2 - esp1)) ESP packets for 12 ICMP"
[ "$icmp2" = "$icmp0" ] || die "plaintext ICMP crossed the router"
spd_xfrm_errors spdB | grep -q . && die "B has xfrm errors: $(spd_xfrm_errors spdB)"
spd_xfrm_errors spdA | grep -v '^XfrmOutNoStates' | grep -q . && die "A has xfrm errors: $(spd_xfrm_errors spdA)"
spd_ctl b show-sa ipsec | grep -q "$A" || die "B's racoon shows no IPsec-SA with $A"
pair_ok || die "stale SAs appeared after settling"
echo "OK"
