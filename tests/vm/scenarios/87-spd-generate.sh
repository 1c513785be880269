#!/bin/bash
# generate_policy on a real kernel: responder B has no policies of its own, only
# `generate_policy on`. First A's policy names its whole subnet (198.51.100.0/24): B must
# refuse (not A's own address) and generate nothing, and A must say the kernel holds
# the traffic back for ~30 s. Then A's policies name its own address: B generates in/out
# policies, the ping passes over ESP both ways, and stopping B removes the generated
# policies and its SAs.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1
cleanup() { spd_stop_all; spd_cleanup_ns spdA spdB spdR; rm -rf "$TMP"; }
trap cleanup EXIT
die() { spd_logs; fail "$*"; }
npol() { ip -n "$1" xfrm policy | grep -cE '^\s+dir (in|out|fwd) ' || true; } # not IKE's socket policies

spd_routed_pair
printf 'spdadd 198.51.100.0/24 %s any -P out ipsec esp/transport//require;\nspdadd %s 198.51.100.0/24 any -P in ipsec esp/transport//require;\n' \
	$B $B | ip netns exec spdA "$SETKEY" -c || fail "setkey A"
spd_write_conf a $A $B
echo 'timer { phase2 8 sec; }' >>"$TMP/a.conf" # give up on the refused QM soon
"$RACOON" -t -f "$TMP/a.conf" >/dev/null || fail "A's config"
spd_write_conf b $B $A "" "generate_policy on;"
spd_start spdA a
spd_start spdB b
[ "$(npol spdB)" = 0 ] || fail "B starts with policies"

echo "A asks for its whole subnet: B must refuse"
ip netns exec spdA ping -c 1 -W 1 $B >/dev/null 2>&1 && die "a ping passed without SA"
wait_for 150 grep -q "not its own address: refused" "$TMP/b.log" || die "B did not refuse the broad ID"
wait_for 300 grep -q "xfrm_acq_expires" "$TMP/a.log" || die "A did not explain the 30 s hold"
[ "$(npol spdB)" = 0 ] || die "B generated policies for a broad ID"
[ "$(spd_count_states spdB esp)" = 0 ] || die "B installed SAs for a refused Quick Mode"

echo "A asks for its own address: B generates policies"
ip netns exec spdA "$SETKEY" -FP
ip -n spdA xfrm state flush # the larval state would hold the next ACQUIRE back 30 s
printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
	$A $B $B $A | ip netns exec spdA "$SETKEY" -c || fail "setkey A"
spd_ping_until spdA $B || die "the ping never passed"
grep -q "generated policies for" "$TMP/b.log" || die "B logged no generated policy"
[ "$(npol spdB)" = 2 ] || die "B has $(npol spdB) policies, want in + out"
[ "$(spd_states spdA)" = "$(spd_states spdB)" ] || die "the peers' SAs differ"
esp1=$(spd_nft_packets spdR esp_seen) icmp1=$(spd_nft_packets spdR icmp_seen)
ip netns exec spdA ping -c 3 -i 0.2 -W 2 $B >/dev/null || die "ping over ESP"
[ "$(spd_nft_packets spdR icmp_seen)" = "$icmp1" ] || die "plaintext ICMP crossed the router"
[ $(( $(spd_nft_packets spdR esp_seen) - esp1 )) -ge 6 ] || die "too few ESP packets"

spd_stop b || die "racoon B did not exit cleanly"
[ "$(npol spdB)" = 0 ] || die "generated policies left after stop: $(ip -n spdB xfrm policy)"
[ "$(spd_count_states spdB esp)" = 0 ] || die "B's SAs left after stop"
echo OK
