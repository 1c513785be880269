#!/bin/bash
# Interop scenario 1 (issue 11): Main Mode PSK, transport mode, IKE aes128-sha256-modp2048,
# ESP aes128-sha256 with RFC 4868's 128-bit ICV, against strongSwan's charon; racoon
# initiates (racoonctl establish-sa), then charon does (swanctl --initiate).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

IOP_CASE=mm-psk IOP_AF=inet IOP_L=$IOP_R4 IOP_R=$IOP_C4 IOP_PSK_ID=$IOP_C4
IOP_RACOON_BODY="
remote $IOP_C4 {
	exchange_mode main;
	my_identifier address $IOP_R4;
	peers_identifier address $IOP_C4;
	verify_identifier on;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group modp2048;
	}
}
sainfo anonymous {
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
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
				esp_proposals = aes128-sha256
				mode = transport
				start_action = none
			}
		}"
IOP_SAPAT=('mode=transport' '\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')
iop_run racoon
iop_run charon
