#!/bin/bash
# Interop scenario 3 (issue 11): Aggressive Mode PSK with FQDN identities against
# strongSwan's charon (which refuses Aggressive Mode PSK as responder unless
# i_dont_care_about_security_and_use_aggressive_mode_psk = yes); transport mode,
# ESP aes128-sha256. racoon initiates, then charon does.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

IOP_CASE=am-fqdn IOP_AF=inet IOP_L=$IOP_R4 IOP_R=$IOP_C4
IOP_PSK_ID="gw-charon.example.net $IOP_C4"
IOP_RACOON_BODY="
remote $IOP_C4 {
	exchange_mode aggressive;
	my_identifier fqdn \"gw-racoon.example.net\";
	peers_identifier fqdn \"gw-charon.example.net\";
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
		aggressive = yes
		local_addrs = $IOP_C4
		remote_addrs = $IOP_R4
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
			id = fqdn:gw-charon.example.net
		}
		remote {
			auth = psk
			id = fqdn:gw-racoon.example.net
		}
		children {
			c {
				esp_proposals = aes128-sha256
				mode = transport
				start_action = none
			}
		}"
IOP_CHARON_SECRETS="id-1 = fqdn:gw-racoon.example.net"
IOP_SAPAT=('mode=transport' '\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')
iop_run racoon
iop_run charon
