#!/bin/bash
# Local address changes (racoon(8), "ADDRESS CHANGES"): A's racoon follows the local
# addresses (no listen {}). A tunnel is up over ESP (transport, `require` both ways);
# then A's address is removed: A's racoon must remove its ISAKMP and IPsec SAs there (and
# their kernel SAs) at once, while B still holds its own. The address comes back, a ping
# from A triggers a new ACQUIRE, A's new Phase 1 carries INITIAL-CONTACT, B drops its
# stale SAs, and both kernels hold exactly one matching pair again; the ping passes over
# ESP only and /proc/net/xfrm_stat shows no error (A may count the trigger packets).
# Then A moves to a new address and the administrator updates the policies on both
# hosts: A's SAs on the old address go, a ping brings the tunnel up from the new one.
# B keeps its SAs for the old address (nothing can tie them to the new ISAKMP SA; they
# expire, racoon(8)), and nothing else is stale.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
A=198.51.100.1 B=203.0.113.1 A2=198.51.100.7
spd_scenario_init

spd_routed_up $B
icmp0=$(spd_nft_packets spdR icmp_seen)

spd_require_transport spdA $A $B
spd_require_transport spdB $B $A
# setkey's policies (racoon's per-socket bypass policies come and go with its sockets)
spd_policies() { ip -n "$1" xfrm policy | grep -E '^[[:space:]]dir (in|out|fwd) ' | sort | uniq -c; }
pol_a=$(spd_policies spdA)
SPD_FOLLOW=1 spd_write_conf a $A $B
sed -i '/my_identifier/d' "$TMP/a.conf" # its address, whichever it has
spd_write_conf b $B $A
# B also knows A at its next address (the same remote {} and key).
sed -n "/^remote $A {/,/^}/p" "$TMP/b.conf" | sed "s/^remote $A {/remote $A2 {/" >>"$TMP/b.conf"
printf '%s shared-secret-lab\n' $A2 >>"$TMP/b.psk"
"$RACOON" -t -f "$TMP/b.conf" >/dev/null || fail "b: bad config"
spd_start spdA a
spd_start spdB b
grep -q "following address changes" "$TMP/a.log" || die "A does not follow addresses"
[ "$(grep -c 'INITIAL-CONTACT received' "$TMP/b.log" || true)" = 0 ] || die "B saw INITIAL-CONTACT too early"

# pair_ok [ADDR [B-EXTRA]]: A holds exactly one ESP pair (with A at ADDR, default $A), B
# the same crosswise plus B-EXTRA (default 0) other ESP SAs.
pair_ok() {
	local a=${1:-$A} extra=${2:-0} sa_a sa_b
	sa_a=$(spd_states spdA) sa_b=$(spd_states spdB | grep -F "$a " || true)
	echo "A: $sa_a"; echo "B: $sa_b"
	[ "$(spd_count_states spdA esp)" = 2 ] || { echo "A holds $(spd_count_states spdA esp) ESP SAs"; return 1; }
	[ "$(spd_count_states spdB esp)" = $((2 + extra)) ] || { echo "B holds $(spd_count_states spdB esp) ESP SAs"; return 1; }
	[ "$sa_a" = "$sa_b" ] || { echo "the peers' SAs differ"; return 1; }
	echo "$sa_a" | grep -q "^$a $B esp 0x[0-9a-f]* transport " || return 1
	echo "$sa_a" | grep -q "^$B $a esp 0x[0-9a-f]* transport " || return 1
}

# protected_both_ways A-ADDR: pings both ways pass as ESP only at the router (no new
# plaintext ICMP since the start), and neither kernel counts XFRM errors.
protected_both_ways() {
	local a=$1 esp1 esp2 icmp2
	esp1=$(spd_nft_packets spdR esp_seen)
	ip netns exec spdA ping -c 3 -i 0.2 -W 2 $B || die "ping from $a to $B over ESP failed"
	ip netns exec spdB ping -c 3 -i 0.2 -W 2 $a || die "ping B -> $a over ESP failed"
	esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
	echo "router: ESP +$((esp2 - esp1)), plaintext ICMP $icmp0 -> $icmp2"
	[ $((esp2 - esp1)) -ge 12 ] || die "the router saw $((esp2 - esp1)) ESP packets for 12 ICMP"
	[ "$icmp2" = "$icmp0" ] || die "plaintext ICMP crossed the router"
	! spd_xfrm_errors spdB | grep -q . || die "B has xfrm errors: $(spd_xfrm_errors spdB)"
	! spd_xfrm_errors spdA | grep -v '^XfrmOutNoStates' | grep -q . ||
		die "A has xfrm errors: $(spd_xfrm_errors spdA)"
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

protected_both_ways $A
spd_ctl b show-sa ipsec | grep -q "$A" || die "B's racoon shows no IPsec-SA with $A"
pair_ok || die "stale SAs appeared after settling"

echo "A moves to $A2; the administrator updates the policies on both hosts"
gone_logged() { [ "$(grep -c "local address $A removed: 1 ISAKMP-SA and 1 IPsec-SA removed" "$TMP/a.log")" -ge 2 ]; }
ip -n spdA addr del $A/24 dev eth0
wait_for 100 gone_logged || die "A's racoon did not remove the SAs on $A (second time)"
wait_for 50 sh -c "[ \$(ip -n spdA xfrm state | grep -c '^src') = 0 ]" || die "A's kernel SAs stayed"
ip -n spdA addr add $A2/24 dev eth0
ip -n spdA route replace default via 198.51.100.254
printf 'spddelete %s %s any -P out;\nspddelete %s %s any -P in;\n' $A $B $B $A |
	ip netns exec spdA "$SETKEY" -c || die "setkey A: spddelete"
spd_require_transport spdA $A2 $B
printf 'spddelete %s %s any -P out;\nspddelete %s %s any -P in;\n' $B $A $A $B |
	ip netns exec spdB "$SETKEY" -c || die "setkey B: spddelete"
spd_require_transport spdB $B $A2
wait_for 100 grep -q "$A2\[500\] used for ISAKMP" "$TMP/a.log" || die "A did not open a socket on $A2"
spd_ping_until spdA $B || die "the ping from $A2 never passed"
n=0; until pair_ok $A2 2 >/dev/null 2>&1 || [ $n -ge 50 ]; do sleep 0.2; n=$((n + 1)); done
pair_ok $A2 2 || die "from $A2: SAs do not match"
# B's two others are its old pair with $A (the documented limit), nothing else.
[ "$(spd_states spdB | grep -c "^$A $B esp \|^$B $A esp ")" = 2 ] || die "B's other SAs are not its old pair"
protected_both_ways $A2
spd_ctl a show-sa ipsec | grep -q "$A2" || die "A's racoon shows no IPsec-SA from $A2"
echo "OK"
