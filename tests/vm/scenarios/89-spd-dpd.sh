#!/bin/bash
# Dead Peer Detection (RFC 3706): two racoons (A, B) with dpd_delay 2, dpd_retry 2,
# dpd_maxfail 3 and transport policies both ways; a ping from A brings the SAs up and
# probes are answered. Then B's racoon is frozen (SIGSTOP; its kernel SAs stay): A
# must declare B dead, log it and remove its ISAKMP SA and both ESP SAs (racoonctl
# counts drop). B resumes holding stale SAs; a ping from A negotiates again, and its
# INITIAL-CONTACT makes B drop them: one matching pair crosswise, pings pass.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1
cleanup() {
	[ -n "${RPID[b]:-}" ] && kill -CONT "${RPID[b]}" 2>/dev/null
	spd_stop_all
	spd_cleanup_ns spdA spdB spdR
	rm -rf "$TMP"
}
trap cleanup EXIT
die() { spd_logs; fail "$*"; }
esp_is() { [ "$(spd_count_states "$1" esp)" = "$2" ]; }
# Both kernels hold the same two ESP SAs (A->B and B->A), nothing else.
crosswise() {
	esp_is spdA 2 && esp_is spdB 2 && [ "$(spd_states spdA)" = "$(spd_states spdB)" ]
}

spd_routed_pair
wait_for 25 ip netns exec spdA ping -c 1 -W 1 $B >/dev/null || fail "no plain route A -> B"
echo "[${SECONDS}s] namespaces and route up"
printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
	$A $B $B $A | ip netns exec spdA "$SETKEY" -c || fail "setkey A"
printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
	$B $A $A $B | ip netns exec spdB "$SETKEY" -c || fail "setkey B"
dpd="dpd_delay 2; dpd_retry 2; dpd_maxfail 3;"
spd_write_conf a $A $B "" "$dpd"
spd_write_conf b $B $A "" "$dpd"
echo "[${SECONDS}s] policies and configurations"
spd_start spdA a
spd_start spdB b

echo "[${SECONDS}s] ping $A -> $B (the first packets trigger the negotiation)"
spd_ping_until spdA $B || die "the ping never passed"
wait_for 100 crosswise || die "no matching SA pair: A: $(spd_states spdA) B: $(spd_states spdB)"
echo "[${SECONDS}s] SAs up"
# Probes after 2 s of silence, answered (debug log). Each side's R-U-THERE is the other's
# proof of liveness, so whichever probes first may keep the other quiet.
wait_for 100 grep -q "R-U-THERE-ACK seq [0-9]*: the peer is alive" "$TMP/a.log" "$TMP/b.log" ||
	die "no probe was answered"
grep -q "DPD: peer" "$TMP/a.log" && die "A declared B dead while it answered"

echo "[${SECONDS}s] freeze B's racoon"
kill -STOP "${RPID[b]}"
t0=$SECONDS
# 2 s of silence + 3 probes 2 s apart + 2 s: about 8 s; bounded generously for TCG.
wait_for 300 grep -q "DPD: peer $B\[500\] is dead" "$TMP/a.log" || die "A did not declare B dead"
echo "A declared B dead after about $((SECONDS - t0)) s"
wait_for 50 esp_is spdA 0 || die "A kept ESP SAs: $(spd_states spdA)"
grep -q "ISAKMP-SA deleted .*(dead peer (DPD))" "$TMP/a.log" || die "no ISAKMP-SA deletion logged"
st=$(spd_ctl a status) || die "racoonctl status"
echo "$st"
echo "$st" | grep -q "^ISAKMP-SA: 0 " || die "racoonctl still counts an ISAKMP-SA"
echo "$st" | grep -q "^IPsec-SA:  0 " || die "racoonctl still counts IPsec-SAs"
[ "$(ip -n spdA xfrm policy | grep -c '^src')" -ge 2 ] || die "A's setkey policies went"
esp_is spdB 2 || die "B's kernel SAs changed while its racoon was frozen"

echo "[${SECONDS}s] resume B; traffic brings the tunnel back"
kill -CONT "${RPID[b]}"
spd_ping_until spdA $B || die "the ping never passed after B resumed"
wait_for 150 crosswise || die "not one matching pair: A: $(spd_states spdA) B: $(spd_states spdB)"
# The first Phase 1 and the new one (A forgot B): INITIAL-CONTACT each time.
ic_twice() { [ "$(grep -c "notify INITIAL-CONTACT received" "$TMP/b.log")" = 2 ]; }
wait_for 50 ic_twice || die "B did not get INITIAL-CONTACT with the new Phase 1"
echo "[${SECONDS}s] one pair crosswise again"
ip netns exec spdA ping -c 3 -i 0.2 -W 2 $B >/dev/null || die "ping A -> B over ESP failed"
ip netns exec spdB ping -c 3 -i 0.2 -W 2 $A >/dev/null || die "ping B -> A over ESP failed"
crosswise || die "SAs changed under traffic: A: $(spd_states spdA) B: $(spd_states spdB)"
spd_ctl a status | grep -q "^ISAKMP-SA: 1 (1 established" || die "A does not count one ISAKMP-SA"
echo "[${SECONDS}s] OK"
