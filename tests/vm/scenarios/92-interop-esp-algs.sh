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

IOP_CASE=esp-aes256-sha512
conf "encryption_algorithm aes 256; authentication_algorithm hmac_sha512;" aes256-sha512
IOP_SAPAT=('\[auth-trunc hmac\(sha512\) 0x[0-9a-f]{128} 256\]' '\[enc cbc\(aes\) 0x[0-9a-f]{64}\]')
iop_run racoon
iop_run charon

IOP_CASE=esp-aes128gcm16
conf "encryption_algorithm aes_gcm_16 128;" aes128gcm16
IOP_SAPAT=('\[aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 128\]')
iop_run racoon
iop_run charon
