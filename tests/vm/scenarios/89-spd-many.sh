#!/bin/bash
# Many policies at once: A holds 50 policies towards each of two peers (B, C), one per UDP
# port; one datagram per policy is sent in a burst, so ~100 ACQUIREs arrive together.
# Expected: exactly 2 ISAKMP SAs (one per peer: the Quick Modes queue behind the pending
# Phase 1) and one Quick Mode per policy (2 ESP SAs per policy on A). The policies are
# `unique:N`: with one reqid for all, the kernel keeps a single ACQUIRE in flight per
# peer and lets one SA pair carry every flow, as it should. Every SA carries its
# policy's reqid on both sides (the responder takes it from its own policy).
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
N=50
A1=198.51.100.1 B=198.51.100.2 A2=203.0.113.1 C=203.0.113.2
cleanup() { spd_stop_all; spd_cleanup_ns spdA spdB spdC; rm -rf "$TMP"; }
trap cleanup EXIT
die() { spd_logs; fail "$*"; }

for n in spdA spdB spdC; do ip netns add $n; ip -n $n link set lo up; done
ip -n spdA link add b0 type veth peer name eth0 netns spdB
ip -n spdA link add c0 type veth peer name eth0 netns spdC
ip -n spdA addr add $A1/24 dev b0; ip -n spdA addr add $A2/24 dev c0
ip -n spdB addr add $B/24 dev eth0; ip -n spdC addr add $C/24 dev eth0
for l in "spdA b0" "spdA c0" "spdB eth0" "spdC eth0"; do set -- $l; ip -n $1 link set $2 up; done

: >"$TMP/a.sk"
for i in $(seq 1 $N); do
	p=$((20000 + i))
	for x in "$A1 $B b $i" "$A2 $C c $((100 + i))"; do
		set -- $x
		u="esp/transport//unique:$4"
		echo "spdadd $1 $2[$p] udp -P out ipsec $u;" >>"$TMP/a.sk"
		echo "spdadd $2[$p] $1 udp -P in ipsec $u;" >>"$TMP/a.sk"
		echo "spdadd $2[$p] $1 udp -P out ipsec $u;" >>"$TMP/$3.sk"
		echo "spdadd $1 $2[$p] udp -P in ipsec $u;" >>"$TMP/$3.sk"
	done
done
ip netns exec spdA "$SETKEY" -f "$TMP/a.sk" || fail "setkey A"
ip netns exec spdB "$SETKEY" -f "$TMP/b.sk" || fail "setkey B"
ip netns exec spdC "$SETKEY" -f "$TMP/c.sk" || fail "setkey C"

spd_write_conf b $B $A1
spd_write_conf c $C $A2
# A talks to both peers.
spd_write_conf a $A1 $B
printf '%s shared-secret-lab\n%s shared-secret-lab\n' $B $C >"$TMP/a.psk"
sed -i "s/^listen { isakmp $A1 \[500\]; }/listen { isakmp $A1 [500]; isakmp $A2 [500]; }/" "$TMP/a.conf"
sed -n '/^remote/,/^}/p' "$TMP/a.conf" | sed "s/$B/$C/g; s/$A1/$A2/g" >"$TMP/a2.conf"
cat "$TMP/a2.conf" >>"$TMP/a.conf"
"$RACOON" -t -f "$TMP/a.conf" >/dev/null || fail "A's config"
spd_start spdB b
spd_start spdC c
spd_start spdA a

echo "burst: one datagram per policy ($((2 * N)) policies)"
ip netns exec spdA bash -c "for i in \$(seq 1 $N); do
	echo x >/dev/udp/$B/\$((20000 + i)); echo x >/dev/udp/$C/\$((20000 + i)); done" 2>/dev/null || true
want=$((4 * N))
# Bounded by count (each poll lists every SA: slow under TCG), with progress.
for i in $(seq 1 45); do
	have=$(spd_count_states spdA esp)
	[ "$have" -ge "$want" ] && break
	[ $((i % 5)) = 0 ] && echo "  $have of $want ESP SAs on A"
	sleep 2
done
[ "$(spd_count_states spdA esp)" -ge "$want" ] || die "A has $(spd_count_states spdA esp) ESP SAs, want $want"
[ "$(spd_count_states spdA esp)" = "$want" ] || die "A has $(spd_count_states spdA esp) ESP SAs, want exactly $want"
ph1=$(spd_ctl a show-sa isakmp | grep -c -E "$B|$C" || true)
echo "ISAKMP SAs on A: $ph1; ESP SAs on A: $(spd_count_states spdA esp)"
spd_ctl a show-sa isakmp
[ "$ph1" = 2 ] || die "want exactly 2 ISAKMP SAs, have $ph1"
qm=$(grep -c "quick-I1-sent -> established" "$TMP/a.log" || true)
[ "$qm" = $((2 * N)) ] || die "want $((2 * N)) Quick Modes, the log shows $qm"
[ "$(spd_count_states spdB esp)" = $((2 * N)) ] || die "B has not $((2 * N)) ESP SAs"
for r in 1 $N $((100 + N)); do
	[ "$(ip -n spdA xfrm state | grep -c "reqid $r mode")" = 2 ] || die "A: not 2 SAs with reqid $r"
done
[ "$(ip -n spdB xfrm state | grep -c "reqid $N mode")" = 2 ] || die "B: not 2 SAs with reqid $N"
echo OK
