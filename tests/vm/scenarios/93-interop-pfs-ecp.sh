#!/bin/bash
# Interop scenario 4 (issue 11): Phase 1 modp3072 with PFS modp2048, and Phase 1 ecp384
# with PFS ecp256 (RFC 5903 groups 20 and 19), against strongSwan's charon (its openssl
# plugin provides ECP); transport mode, ESP aes128-sha256. Each way round.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
IOP_PLUGINS="random nonce openssl aes sha1 sha2 hmac gmp kernel-netlink socket-default vici"

conf() { # P1_GROUP PFS_GROUP (the same names in both)
	iop_conf_mm_psk
	IOP_CASE=$1-pfs-$2
	iop_racoon_sub "dh_group modp2048;" "dh_group $1;"
	iop_sainfo_add "pfs_group $2;"
	iop_charon_sub "proposals = aes128-sha256-modp2048" "proposals = aes128-sha256-$1"
	iop_charon_sub "esp_proposals = aes128-sha256" "esp_proposals = aes128-sha256-$2"
}

conf modp3072 modp2048
IOP_CHARON_LOG_PAT='selected proposal: ESP:.*/MODP_2048'
iop_run racoon
iop_run charon

conf ecp384 ecp256
IOP_CHARON_LOG_PAT='selected proposal: ESP:.*/ECP_256'
iop_run racoon
iop_run charon
