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
eval "$(sed -n '/^IOP_CASE=/,/^IOP_SAPAT=/p' "$LAB_SRCDIR/scenarios/90-interop-mm-psk.sh")"
IOP_CASE=rekey
IOP_RACOON_BODY=${IOP_RACOON_BODY/compression_algorithm deflate;/compression_algorithm deflate;
	lifetime time 40 sec;}
IOP_CHARON_CONN=${IOP_CHARON_CONN/start_action = none/start_action = none
				rekey_time = 30s
				life_time = 40s
				rand_time = 0s}

children() { grep -c "CHILD_SA c{[0-9]*} established" "$IOP_DIR/charon.log"; }
at_least() { [ "$("${@:2}")" -ge "$1" ]; }

iop_start_both
iop_initiate charon
iop_verify
for n in 2 3; do
	iop_log "waiting for Phase 2 rekey $((n - 1))"
	# A rekey is due after 30 s; allow several times that under emulation.
	wait_for 900 at_least $n children || iop_fail "no Phase 2 rekey $((n - 1))"
	grep "CHILD_SA c{[0-9]*} established" "$IOP_DIR/charon.log" | tail -n 1 >&2
	wait_for 150 iop_racoon_established 1 1 || iop_fail "racoon has no IPsec SA after the rekey"
	iop_check_traffic iop-r "$IOP_R" 3
done
# Both sides agree on one pair once the old SAs are deleted (polled: the next rekey may
# be under way at any moment).
settled() {
	[ "$(iop_esp_count iop-r)" = 2 ] && [ "$(iop_esp_count iop-c)" = 2 ] &&
		[ "$(iop_sas iop-r)" = "$(iop_sas iop-c)" ]
}
wait_for 150 settled || iop_fail "the kernels never settled on one pair of SAs (old SAs left?)"
iop_check_kernel_sas 2 "${IOP_SAPAT[@]}"
iop_log "== rekey: PASS"
