#!/bin/bash
# Interop scenario 7 (issue 11), Phase 2 rekeys started by racoon: racoon initiates with a
# short sainfo lifetime (40 s: its soft deadline, 30-32 s, starts each rekey); charon's
# child lifetimes are longer (rekey_time 120 s, life_time 150 s) so that charon never
# rekeys first. Across two rekeys started by racoon, charon must detect each as a rekey
# of its CHILD_SA, pings pass over ESP only with no XFRM errors, the replaced SAs go on
# both sides by racoon's Delete, and at the end both kernels hold one matching pair.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_mm_psk
IOP_CASE=rekey-racoon
iop_sainfo_add "lifetime time 40 sec;"
iop_child_add "rekey_time = 120s
				life_time = 150s
				rand_time = 0s"

rekeys() { iop_log_count "$IOP_DIR/racoon.log" "soft lifetime reached: rekeying"; }
detected() { iop_log_count "$IOP_DIR/charon.log" "detected rekeying of CHILD_SA"; }
deletes() { iop_log_count "$IOP_DIR/charon.log" "received DELETE for ESP CHILD_SA"; }

iop_start_both
iop_initiate racoon
iop_verify
for n in 1 2; do
	iop_log "waiting for Phase 2 rekey $n (racoon's)"
	# Due about 31 s after the last one; allow several times that under emulation.
	wait_for 900 iop_at_least $n detected || iop_fail "charon saw no rekey $n from racoon"
	grep -E "detected rekeying|CHILD_SA c\{[0-9]+\} established" "$IOP_DIR/charon.log" | tail -n 2 >&2
	iop_at_least $n rekeys || iop_fail "racoon logged no rekey $n of its own"
	wait_for 150 iop_racoon_established 1 1 || iop_fail "racoon has no IPsec SA after rekey $n"
	iop_check_traffic iop-r "$IOP_R" 3
	# The replaced pair goes by racoon's Delete (at its hard lifetime at the latest).
	wait_for 300 iop_at_least $n deletes || iop_fail "charon got no Delete for the SA replaced by rekey $n"
done
# One pair once the old ones are gone (polled: the next rekey may be under way).
wait_for 300 iop_settled || iop_fail "the kernels never settled on one pair of SAs (old SAs left?)"
iop_check_kernel_sas 2 "${IOP_SAPAT[@]}"
# Every Quick Mode was racoon's: charon answered them all and started none.
[ "$(iop_log_count "$IOP_DIR/charon.log" "initiating Quick Mode")" = 0 ] ||
	iop_fail "charon started a Quick Mode of its own"
iop_log "== rekey-racoon: PASS"
