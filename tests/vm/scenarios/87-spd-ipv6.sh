#!/bin/bash
# SPD-driven transport mode over IPv6: as 85 (two racoons on either side of a router,
# setkey `require` policies both ways, a ping triggers MM + QM, crosswise SA comparison,
# ESP only at the router, XFRM counters still), with the Neighbor Discovery bypass
# (ICMPv6 133-137 in clear at a higher priority) that the docs recommend installed first.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
A=2001:db8:1::1 B=2001:db8:2::1
spd_scenario_init

spd_routed_up $B
esp0=$(spd_nft_packets spdR esp_seen)
icmp0=$(spd_nft_packets spdR icmp_seen)

# ND in clear first (higher priority than the IPsec policies), then the policies.
spd_nd_bypass spdA
spd_nd_bypass spdB
spd_require_transport spdA $A $B
spd_require_transport spdB $B $A

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
sa_a=$(spd_states spdA) sa_b=$(spd_states spdB)
echo "A: $sa_a"; echo "B: $sa_b"
[ "$(spd_count_states spdA esp)" = 2 ] || die "A has not exactly 2 ESP SAs"
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
[ "$(spd_count_states spdA esp)" = 0 ] || die "A's SAs left behind after stop"
[ "$(ip -n spdA xfrm policy | grep -c '^src')" = "$pol_a" ] || die "A's setkey policies were touched"
echo "OK"
