#!/bin/bash
# SPD-driven tunnel mode through gateways: LAN hosts lanA (192.0.2.10) and lanB
# (192.0.2.130) behind gateways spdA and spdB that run racoon; the WAN crosses the router
# spdR. setkey on each gateway: out/in tunnel policies (setkey adds the fwd twins the
# gateway needs for decrypted traffic it forwards). A ping from lanA to lanB triggers the
# negotiation; both gateways hold the same tunnel SAs; the router sees only ESP between
# the gateways; the XFRM error counters stay still.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1 NA=192.0.2.0/25 NB=192.0.2.128/25 HA=192.0.2.10 HB=192.0.2.130
cleanup() {
	spd_stop_all
	spd_cleanup_ns spdA spdB spdR lanA lanB
	rm -rf "$TMP"
}
trap cleanup EXIT
die() { spd_logs; fail "$*"; }

spd_routed_pair
# lanA -- spdA (gateway), lanB -- spdB (gateway)
for x in A:192.0.2.1:$HA B:192.0.2.129:$HB; do
	IFS=: read -r s gw h <<<"$x"
	ip netns add lan$s; ip -n lan$s link set lo up
	ip -n lan$s link add eth0 type veth peer name lan0 netns spd$s
	ip -n lan$s addr add $h/25 dev eth0; ip -n lan$s link set eth0 up
	ip -n spd$s addr add $gw/25 dev lan0; ip -n spd$s link set lan0 up
	ip -n lan$s route add default via $gw
	ip netns exec spd$s sysctl -qw net.ipv4.ip_forward=1
done
ip -n spdA route add $NB via 198.51.100.254
ip -n spdB route add $NA via 203.0.113.254
# The router could carry the LAN traffic in clear: only the policies prevent it.
ip -n spdR route add $NA via $A
ip -n spdR route add $NB via $B
wait_for 25 ip netns exec lanA ping -c 1 -W 1 $HB >/dev/null || fail "no plain route lanA -> lanB"

cat >"$TMP/a.sk" <<X
spdadd $NA $NB any -P out ipsec esp/tunnel/$A-$B/require;
spdadd $NB $NA any -P in ipsec esp/tunnel/$B-$A/require;
X
cat >"$TMP/b.sk" <<X
spdadd $NB $NA any -P out ipsec esp/tunnel/$B-$A/require;
spdadd $NA $NB any -P in ipsec esp/tunnel/$A-$B/require;
X
ip netns exec spdA "$SETKEY" -f "$TMP/a.sk" || fail "setkey A"
ip netns exec spdB "$SETKEY" -f "$TMP/b.sk" || fail "setkey B"
ip -n spdA xfrm policy | grep -q "dir fwd" || fail "setkey added no fwd policy"

spd_write_conf a $A $B
spd_write_conf b $B $A
spd_start spdA a
spd_start spdB b

spd_ping_until lanA $HB || die "the ping lanA -> lanB never passed"
sa_a=$(spd_states spdA) sa_b=$(spd_states spdB)
echo "A: $sa_a"; echo "B: $sa_b"
[ "$(spd_count_states spdA esp)" = 2 ] || die "gateway A has not exactly 2 ESP SAs"
[ "$sa_a" = "$sa_b" ] || die "the gateways' SAs differ"
echo "$sa_a" | grep -q "^$A $B esp 0x[0-9a-f]* tunnel " || die "no A->B tunnel SA"
echo "$sa_a" | grep -q "^$B $A esp 0x[0-9a-f]* tunnel " || die "no B->A tunnel SA"

st_a=$(spd_xfrm_errors spdA) st_b=$(spd_xfrm_errors spdB)
esp1=$(spd_nft_packets spdR esp_seen) icmp1=$(spd_nft_packets spdR icmp_seen)
ip netns exec lanA ping -c 5 -i 0.2 -W 2 $HB || die "ping lanA -> lanB through the tunnel"
ip netns exec lanB ping -c 3 -i 0.2 -W 2 $HA || die "ping lanB -> lanA through the tunnel"
esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
echo "router: ESP +$((esp2 - esp1)), plaintext ICMP +$((icmp2 - icmp1))"
[ $((esp2 - esp1)) -ge 16 ] || die "too few ESP packets at the router"
[ "$icmp2" = "$icmp1" ] || die "plaintext ICMP crossed the router"
[ "$(spd_xfrm_errors spdA)" = "$st_a" ] || die "xfrm_stat moved on A: $(spd_xfrm_errors spdA)"
[ "$(spd_xfrm_errors spdB)" = "$st_b" ] || die "xfrm_stat moved on B: $(spd_xfrm_errors spdB)"
spd_xfrm_errors spdB | grep -q . && die "B has xfrm errors: $(spd_xfrm_errors spdB)"
spd_stop a || die "racoon A did not exit cleanly"
spd_stop b || die "racoon B did not exit cleanly"
[ "$(spd_count_states spdA esp)$(spd_count_states spdB esp)" = 00 ] || die "SAs left after stop"
echo OK
