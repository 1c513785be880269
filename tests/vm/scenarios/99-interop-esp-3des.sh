#!/bin/bash
# Interop scenario 5 (issue 11), second part: ESP 3des-sha1 against strongSwan's charon
# (Main Mode PSK aes128-sha256-modp2048, transport mode); racoon initiates, then charon.
# charon needs openssl for 3DES (Debian's strongSwan has no des plugin). The first part,
# aes256-sha512 and aes128gcm16, is 92-interop-esp-algs.sh.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
IOP_PLUGINS="random nonce openssl aes sha1 sha2 hmac gmp kernel-netlink socket-default vici"

conf() { # CASE RACOON_ESP_LINES CHARON_ESP
	iop_conf_mm_psk
	IOP_CASE=$1
	iop_conf_esp "$2" "$3"
}

conf esp-3des-sha1 "encryption_algorithm 3des; authentication_algorithm hmac_sha1;" 3des-sha1
IOP_SAPAT=('\[auth-trunc hmac\(sha1\) 0x[0-9a-f]{40} 96\]' '\[enc cbc\(des3_ede\) 0x[0-9a-f]{48}\]')
iop_run racoon
iop_run charon
