#!/bin/bash
# Interop scenario 7 (issue 11), Phase 2 part: short CHILD_SA lifetimes on both sides
# (charon rekey_time 30 s, life_time 40 s; racoon's sainfo lifetime 40 s); charon
# initiates, then two Phase 2 rekeys must happen (whoever starts them); after each, pings
# pass over ESP only with no XFRM errors, and at the end both kernels hold the same single
# pair of SAs (the old ones were deleted). Main Mode PSK, transport, ESP aes128-sha256.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_mm_psk
IOP_CASE=rekey
iop_sainfo_add "lifetime time 40 sec;"
iop_child_add "rekey_time = 30s
				life_time = 40s
				rand_time = 0s"

children() { iop_log_count "$IOP_DIR/charon.log" "CHILD_SA c\{[0-9]+\} established"; }

iop_start_both
iop_initiate charon
iop_verify
for n in 2 3; do
	iop_log "waiting for Phase 2 rekey $((n - 1))"
	# A rekey is due after 30 s; allow several times that under emulation.
	wait_for 900 iop_at_least $n children || iop_fail "no Phase 2 rekey $((n - 1))"
	grep "CHILD_SA c{[0-9]*} established" "$IOP_DIR/charon.log" | tail -n 1 >&2
	wait_for 150 iop_racoon_established 1 1 || iop_fail "racoon has no IPsec SA after the rekey"
	iop_check_traffic iop-r "$IOP_R" 3
done
# Both sides agree on one pair once the old SAs are deleted (polled: the next rekey may
# be under way at any moment).
wait_for 150 iop_settled || iop_fail "the kernels never settled on one pair of SAs (old SAs left?)"
iop_check_kernel_sas 2 "${IOP_SAPAT[@]}"
iop_log "== rekey: PASS"
