#!/bin/bash
# Interop scenario 5 (issue 11), first part: ESP aes256-sha512 and aes128gcm16 against
# strongSwan's charon (Main Mode PSK aes128-sha256-modp2048, transport mode); for each,
# racoon initiates and then charon does. charon needs its gcm plugin for AES-GCM. The
# second part, 3des-sha1, is 99-interop-esp-3des.sh (split to stay within the lab's
# per-scenario timeout).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
IOP_PLUGINS="random nonce aes sha1 sha2 hmac gmp gcm kernel-netlink socket-default vici"

conf() { # CASE RACOON_ESP_LINES CHARON_ESP
	iop_conf_mm_psk
	IOP_CASE=$1
	iop_conf_esp "$2" "$3"
}

conf esp-aes256-sha512 "encryption_algorithm aes 256; authentication_algorithm hmac_sha512;" aes256-sha512
IOP_SAPAT=('\[auth-trunc hmac\(sha512\) 0x[0-9a-f]{128} 256\]' '\[enc cbc\(aes\) 0x[0-9a-f]{64}\]')
iop_run racoon
iop_run charon

conf esp-aes128gcm16 "encryption_algorithm aes_gcm_16 128;" aes128gcm16
IOP_SAPAT=('\[aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 128\]')
iop_run racoon
iop_run charon
