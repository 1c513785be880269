#!/bin/bash
# One racoon on XFRM (A), one on PF_KEY (B), A -- R -- B; each host's policies come from
# setkey over its own interface. Round 1: aes-cbc/hmac-sha1, A's ping triggers. Round 2:
# aes-cbc/hmac-sha512, B's ping triggers (the PF_KEY side initiates). Each round: the
# two kernels hold the same SAs crosswise with the same ICV length (96, then RFC 4868's
# 256 bits, read from `ip xfrm state` on both), pings pass both ways, R sees only ESP,
# xfrm_stat stays still; stopping both racoons removes their SAs.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
source "$LAB_SRCDIR/scenarios/pfkey-e2e.bash"
A=198.51.100.1 B=203.0.113.1
spd_scenario_init

spd_routed_up $B
pfk_warm spdB
pfk_policies spdA xfrm $A $B
pfk_policies spdB pfkey $B $A

# round AUTH-CONF AUTH-KERNEL ICV FROM-NS TO-ADDR
round() {
	local sa="lifetime time 1 hour; encryption_algorithm aes 128; authentication_algorithm $1;"
	echo "==== $1: ping from $4"
	rm -f "$TMP"/*.log
	pfk_conf a $A $B xfrm "$sa"
	pfk_conf b $B $A pfkey "$sa"
	spd_start spdA a
	spd_start spdB b
	grep -q "kernel backend xfrm opened" "$TMP/a.log" || die "A is not on XFRM"
	grep -q "kernel backend pfkey opened" "$TMP/b.log" || die "B is not on PF_KEY"
	spd_ping_until "$4" "$5" || die "$1: the ping never passed"
	wait_for 100 grep -q "IPsec-SA established" "$TMP/a.log" || die "A logged no IPsec-SA"
	wait_for 100 grep -q "IPsec-SA established" "$TMP/b.log" || die "B logged no IPsec-SA"
	pfk_crosswise "$2" "$3"
	pfk_traffic
	spd_stop a || die "racoon A did not exit cleanly"
	spd_stop b || die "racoon B did not exit cleanly"
	[ "$(spd_count_states spdA esp)" = 0 ] || die "A's SAs left behind after stop"
	[ "$(spd_count_states spdB esp)" = 0 ] || die "B's SAs left behind after stop"
}
round hmac_sha1 sha1 96 spdA $B
round hmac_sha512 sha512 256 spdB $A
echo "OK"
