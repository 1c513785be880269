#!/bin/bash
# Interop scenario 6 (issue 11): Deletes both ways against strongSwan's charon (Main Mode
# PSK, transport, ESP aes128-sha256). racoon initiates, then `racoonctl delete-sa esp`
# must take charon's CHILD_SA and both kernels' ESP SAs away, and `racoonctl delete-sa
# isakmp` charon's IKE SA; then charon initiates, and `swanctl --terminate --child` /
# `--ike` must do the same on racoon's side.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_mm_psk # scenario 1's configuration
IOP_CASE=delete

iop_start_both
iop_initiate racoon
iop_verify
iop_log "racoonctl delete-sa esp"
iop_racoonctl delete-sa esp inet "$IOP_L" "$IOP_R" any >&2 || iop_fail "racoonctl delete-sa esp"
wait_for 250 iop_is 0 iop_charon_count child || iop_fail "charon kept its CHILD_SA after racoon's Delete"
wait_for 100 iop_is 0 iop_esp_count iop-c || iop_fail "ESP SAs left in charon's kernel"
wait_for 100 iop_is 0 iop_esp_count iop-r || iop_fail "ESP SAs left in racoon's kernel"
iop_is 1 iop_charon_count ike || iop_fail "charon lost its IKE SA with the CHILD_SA"
iop_log "racoonctl delete-sa isakmp"
iop_racoonctl delete-sa isakmp inet "$IOP_L" "$IOP_R" >&2 || iop_fail "racoonctl delete-sa isakmp"
wait_for 250 iop_is 0 iop_charon_count ike || iop_fail "charon kept its IKE SA after racoon's Delete"
iop_is 0 iop_racoon_count isakmp || iop_fail "racoon still lists an established ISAKMP SA"

iop_initiate charon
iop_verify
iop_log "swanctl --terminate --child c"
iop_swanctl --terminate --child c --timeout 30 >&2 || iop_fail "swanctl --terminate --child"
wait_for 250 iop_is 0 iop_racoon_count ipsec || iop_fail "racoon kept its IPsec SAs after charon's Delete"
wait_for 100 iop_is 0 iop_esp_count iop-r || iop_fail "ESP SAs left in racoon's kernel"
wait_for 100 iop_is 0 iop_esp_count iop-c || iop_fail "ESP SAs left in charon's kernel"
iop_is 1 iop_racoon_count isakmp || iop_fail "racoon lost its ISAKMP SA with the IPsec SAs"
iop_log "swanctl --terminate --ike t"
iop_swanctl --terminate --ike t --timeout 30 >&2 || iop_fail "swanctl --terminate --ike"
wait_for 250 iop_is 0 iop_racoon_count isakmp || iop_fail "racoon kept its ISAKMP SA after charon's Delete"
iop_log "== delete: PASS"
