#!/bin/bash
# Interop scenario 3 (issue 11): Aggressive Mode PSK with FQDN identities against
# strongSwan's charon (which refuses Aggressive Mode PSK as responder unless
# i_dont_care_about_security_and_use_aggressive_mode_psk = yes); transport mode,
# ESP aes128-sha256. racoon initiates, then charon does.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

iop_conf_mm_psk
IOP_CASE=am-fqdn IOP_PSK_ID="gw-charon.example.net $IOP_C4"
iop_racoon_sub "exchange_mode main;
	my_identifier address $IOP_R4;
	peers_identifier address $IOP_C4;" "exchange_mode aggressive;
	my_identifier fqdn \"gw-racoon.example.net\";
	peers_identifier fqdn \"gw-charon.example.net\";"
iop_conn_add "aggressive = yes"
iop_charon_sub "id = $IOP_C4" "id = fqdn:gw-charon.example.net"
iop_charon_sub "id = $IOP_R4" "id = fqdn:gw-racoon.example.net"
IOP_CHARON_SECRETS="id-1 = fqdn:gw-racoon.example.net"
iop_run racoon
iop_run charon
