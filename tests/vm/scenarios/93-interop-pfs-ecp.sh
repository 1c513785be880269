#!/bin/bash
# Interop scenario 4 (issue 11): Phase 1 modp3072 with PFS modp2048, and Phase 1 ecp384
# with PFS ecp256 (RFC 5903 groups 20 and 19), against strongSwan's charon (its openssl
# plugin provides ECP); transport mode, ESP aes128-sha256. Each way round.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
IOP_PLUGINS="random nonce openssl aes sha1 sha2 hmac gmp kernel-netlink socket-default vici"

IOP_AF=inet IOP_L=$IOP_R4 IOP_R=$IOP_C4 IOP_PSK_ID=$IOP_C4
conf() { # RACOON_P1_GROUP RACOON_PFS_GROUP CHARON_P1_GROUP CHARON_PFS_GROUP
	IOP_RACOON_BODY="
remote $IOP_C4 {
	exchange_mode main;
	my_identifier address $IOP_R4;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method pre_shared_key;
		dh_group $1;
	}
}
sainfo anonymous {
	pfs_group $2;
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}"
	IOP_CHARON_CONN="
		local_addrs = $IOP_C4
		remote_addrs = $IOP_R4
		proposals = aes128-sha256-$3
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
				esp_proposals = aes128-sha256-$4
				mode = transport
				start_action = none
			}
		}"
}
IOP_SAPAT=('\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')

IOP_CASE=modp3072-pfs-modp2048
conf modp3072 modp2048 modp3072 modp2048
IOP_CHARON_LOG_PAT='selected proposal: ESP:.*/MODP_2048'
iop_run racoon
iop_run charon

IOP_CASE=ecp384-pfs-ecp256
conf ecp384 ecp256 ecp384 ecp256
IOP_CHARON_LOG_PAT='selected proposal: ESP:.*/ECP_256'
iop_run racoon
iop_run charon
