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

IOP_AF=inet IOP_L=$IOP_R4 IOP_R=$IOP_C4 IOP_PSK_ID=$IOP_C4
conf() { # RACOON_ESP_LINES CHARON_ESP
	IOP_RACOON_BODY="
remote $IOP_C4 {
	exchange_mode main;
	my_identifier address $IOP_R4;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group modp2048;
	}
}
sainfo anonymous {
	$1
	compression_algorithm deflate;
}"
	IOP_CHARON_CONN="
		local_addrs = $IOP_C4
		remote_addrs = $IOP_R4
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
			id = $IOP_C4
		}
		remote {
			auth = psk
			id = $IOP_R4
		}
		children {
			c {
				esp_proposals = $2
				mode = transport
				start_action = none
			}
		}"
}

IOP_CASE=esp-3des-sha1
conf "encryption_algorithm 3des; authentication_algorithm hmac_sha1;" 3des-sha1
IOP_SAPAT=('\[auth-trunc hmac\(sha1\) 0x[0-9a-f]{40} 96\]' '\[enc cbc\(des3_ede\) 0x[0-9a-f]{48}\]')
iop_run racoon
iop_run charon
