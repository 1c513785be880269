#!/bin/bash
# Interop scenario 9 (issue 11): scenario 1 over IPv6 (2001:db8:1::1 <-> 2001:db8:2::1
# through a router): Main Mode PSK, transport mode, IKE aes128-sha256-modp2048, ESP
# aes128-sha256 (128-bit ICV) against strongSwan's charon; racoon initiates, then charon.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

IOP_CASE=mm-psk-ipv6 IOP_AF=inet6 IOP_L=$IOP_R6 IOP_R=$IOP_C6 IOP_PSK_ID=$IOP_C6
IOP_RACOON_BODY="
remote $IOP_C6 {
	exchange_mode main;
	my_identifier address $IOP_R6;
	peers_identifier address $IOP_C6;
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
		local_addrs = $IOP_C6
		remote_addrs = $IOP_R6
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
			id = $IOP_C6
		}
		remote {
			auth = psk
			id = $IOP_R6
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
