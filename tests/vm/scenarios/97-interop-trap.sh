#!/bin/bash
# Interop scenario 8 (issue 11): traffic starts the negotiation on both sides. racoon's
# side has setkey policies (require) and negotiates on the kernel's ACQUIRE; charon's
# child has start_action = trap (charon installs its policies and negotiates on its own
# ACQUIRE). First a ping from racoon's host starts it, then, with fresh daemons, a ping
# from charon's host. Main Mode PSK, transport, ESP aes128-sha256.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_mm_psk
IOP_CASE=trap
iop_charon_sub "start_action = none" "start_action = trap"

iop_start_both
wait_for 100 iop_esp_policies iop-c || iop_fail "charon installed no trap policies"
iop_log "== trap: a ping from racoon's host"
iop_ping_until iop-r "$IOP_C4" || iop_fail "no ping from racoon's host passed"
iop_verify
iop_log "== trap: racoon's ACQUIRE: PASS"
iop_reset

iop_start_both
wait_for 100 iop_esp_policies iop-c || iop_fail "charon installed no trap policies"
iop_log "== trap: a ping from charon's host"
iop_ping_until iop-c "$IOP_R4" || iop_fail "no ping from charon's host passed"
grep -q -i "acquire" "$IOP_DIR/charon.log" || iop_fail "charon did not negotiate on an acquire"
iop_verify
iop_log "== trap: charon's trap: PASS"
