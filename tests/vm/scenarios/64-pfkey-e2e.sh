#!/bin/bash
# Two racoons, both with `kernel_interface pfkey`, in namespaces A -- R -- B (R routes
# and counts). Policies come from `setkey -b pfkey` as a PF_KEY user installs them; a
# ping from A triggers the ACQUIRE (over PF_KEY) -> Main Mode + Quick Mode; both kernels
# then hold the same SAs crosswise (SPI, keys, aes-cbc, hmac-sha1 with its 96-bit ICV),
# pings pass both ways, R sees only ESP, xfrm_stat stays still. Stopping racoon removes
# its SAs over PF_KEY and leaves the policies.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
source "$LAB_SRCDIR/scenarios/pfkey-e2e.bash"
A=198.51.100.1 B=203.0.113.1
spd_scenario_init

spd_routed_up $B
pfk_warm spdA

pfk_policies spdA pfkey $A $B
pfk_policies spdB pfkey $B $A
pol_a=$(ip -n spdA xfrm policy | grep -c '^src')
SA="lifetime time 1 hour; encryption_algorithm aes 128; authentication_algorithm hmac_sha1; compression_algorithm deflate;"
pfk_conf a $A $B pfkey "$SA"
pfk_conf b $B $A pfkey "$SA"
spd_start spdA a
spd_start spdB b
grep -q "kernel backend pfkey opened" "$TMP/a.log" || die "A did not open PF_KEY"
grep -q "kernel backend pfkey opened" "$TMP/b.log" || die "B did not open PF_KEY"
grep -q "policies in the kernel's SPD" "$TMP/a.log" || die "A did not load its SPD copy"

echo "ping $A -> $B (the first packets trigger the negotiation)"
spd_ping_until spdA $B || die "the ping never passed"
wait_for 100 grep -q "IPsec-SA established" "$TMP/b.log" || die "B logged no IPsec-SA"
grep -q "ISAKMP-SA established" "$TMP/a.log" || die "A logged no ISAKMP-SA"
pfk_crosswise sha1 96
pfk_traffic

spd_stop a || die "racoon A did not exit cleanly"
spd_stop b || die "racoon B did not exit cleanly"
[ "$(spd_count_states spdA esp)" = 0 ] || die "A's SAs left behind after stop"
[ "$(spd_count_states spdB esp)" = 0 ] || die "B's SAs left behind after stop"
[ "$(ip -n spdA xfrm policy | grep -c '^src')" = "$pol_a" ] || die "A's setkey policies were touched"
echo "OK"
