#!/bin/bash
# Bundles negotiated from the SPD: AH+ESP, then ESP+IPComp (IPComp at level `use`: the
# kernel sends small packets uncompressed, without an IPComp header). Each time a ping
# triggers one Quick Mode for the whole bundle, proposed in the templates' order
# reversed (outermost first); both kernels hold the same SAs crosswise and traffic
# passes with the XFRM counters still.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1
cleanup() { spd_stop_all; spd_cleanup_ns spdA spdB spdR; rm -rf "$TMP"; }
trap cleanup EXIT
die() { spd_logs; fail "$*"; }

spd_routed_pair
spd_write_conf a $A $B
spd_write_conf b $B $A

# bundle RULES: policies on both sides, both racoons, a ping, the checks.
bundle() {
	local rules=$1 x
	for x in "spdA $A $B" "spdB $B $A"; do
		set -- $x
		printf 'spdadd %s %s any -P out ipsec %s;\nspdadd %s %s any -P in ipsec %s;\n' \
			$2 $3 "$rules" $3 $2 "$rules" | ip netns exec $1 "$SETKEY" -c ||
			fail "setkey $1: $rules"
	done
	spd_start spdA a
	spd_start spdB b
	spd_ping_until spdA $B || die "$rules: the ping never passed"
	[ "$(spd_states spdA)" = "$(spd_states spdB)" ] || die "$rules: the peers' SAs differ"
	st_a=$(spd_xfrm_errors spdA) st_b=$(spd_xfrm_errors spdB)
	ip netns exec spdA ping -c 3 -i 0.2 -W 2 $B >/dev/null || die "$rules: small pings"
	ip netns exec spdA ping -c 3 -i 0.2 -W 2 -s 1200 -p 00 $B >/dev/null ||
		die "$rules: large pings"
	[ "$(spd_xfrm_errors spdA)" = "$st_a" ] || die "$rules: xfrm_stat moved on A"
	[ "$(spd_xfrm_errors spdB)" = "$st_b" ] || die "$rules: xfrm_stat moved on B"
	echo "$rules:"; spd_states spdA
}
reset() {
	spd_stop a || die "racoon A did not exit cleanly"
	spd_stop b || die "racoon B did not exit cleanly"
	local n
	for n in spdA spdB; do
		ip netns exec $n "$SETKEY" -FP
		[ "$(ip -n $n xfrm state | grep -c '^src' || true)" = 0 ] || die "$n: SAs left"
	done
}

# order WANT: both racoons list the bundle in this order (the proposal's: outermost
# first, the reverse of the policy's templates; racoon(8), "Bundles from the policy").
order() {
	local n out
	for n in a b; do
		out=$(spd_ctl $n show-sa ipsec) || die "racoonctl show-sa ipsec on $n"
		echo "$out" | grep -q "$1" || die "$n: bundle not in the order '$1': $out"
	done
}
hex='[0-9a-f]*'

bundle "esp/transport//require ah/transport//require"
[ "$(spd_count_states spdA esp)" = 2 ] || die "AH+ESP: not 2 ESP SAs"
[ "$(spd_count_states spdA ah)" = 2 ] || die "AH+ESP: not 2 AH SAs"
order " ah in:$hex out:$hex esp in:"
reset

bundle "ipcomp/transport//use esp/transport//require"
[ "$(spd_count_states spdA esp)" = 2 ] || die "ESP+IPComp: not 2 ESP SAs"
[ "$(spd_count_states spdA comp)" = 2 ] || die "ESP+IPComp: not 2 IPComp SAs"
order " esp in:$hex out:$hex ipcomp in:"
reset
echo OK
