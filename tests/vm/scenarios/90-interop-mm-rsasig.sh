#!/bin/bash
# Interop: Main Mode with RSA signatures against strongSwan's charon (auth = pubkey):
# X.509 certificates from a test CA made here (tests/vm/mkcert), IDs are the subjects
# (asn1dn), each side sends its certificate and asks for the other's (CR) and verifies it
# against the CA; transport mode, IKE aes128-sha256-modp2048, ESP aes128-sha256. racoon
# initiates (racoonctl establish-sa), then charon does (swanctl --initiate).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

CERTS=$IOP_DIR/certs
mkdir -p "$CERTS"
"$LAB_BUILDDIR/tests/vm/mkcert" "$CERTS" $IOP_R4 $IOP_C4 || iop_fail "mkcert"
IOP_PLUGINS="$IOP_PLUGINS x509 pem pkcs1 pkcs8 pubkey constraints"

IOP_CASE=mm-rsasig IOP_AF=inet IOP_L=$IOP_R4 IOP_R=$IOP_C4
IOP_RACOON_BODY="
path certificate \"$CERTS\";
remote $IOP_C4 {
	exchange_mode main;
	certificate_type x509 \"a.pem\" \"a.key\";
	ca_type x509 \"ca.pem\";
	my_identifier asn1dn;
	peers_identifier asn1dn \"CN=b.lab,O=Racoon Lab\";
	verify_identifier on;
	proposal {
		encryption_algorithm aes 128;
		hash_algorithm sha256;
		authentication_method rsasig;
		dh_group modp2048;
	}
}
sainfo anonymous {
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}"
# strongSwan writes DNs in DER order (the RFC 4514 text reversed).
IOP_CHARON_CONN="
		local_addrs = $IOP_C4
		remote_addrs = $IOP_R4
		proposals = aes128-sha256-modp2048
		local {
			auth = pubkey
			certs = $CERTS/b.pem
		}
		remote {
			auth = pubkey
			id = \"O=Racoon Lab, CN=a.lab\"
			cacerts = $CERTS/ca.pem
		}
		children {
			c {
				esp_proposals = aes128-sha256
				mode = transport
				start_action = none
			}
		}"
IOP_SAPAT=('mode=transport' '\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')
IOP_CHARON_LOG_PAT="authentication of 'O=Racoon Lab, CN=a.lab' with RSA.* successful"

# iop_run with charon's private key (rsa/) and swanctl's certificate plugins added.
run_rsasig() {
	iop_racoon_conf "$IOP_L" "$IOP_RACOON_BODY" ""
	iop_charon_conf "$IOP_CHARON_CONN" "" ""
	sed -i 's/^load = pem$/load = pem pkcs1 pkcs8 x509 gmp pubkey/' "$IOP_DIR/strongswan.conf"
	# swanctl loads every key in rsa/ next to its swanctl.conf
	mkdir -p "$IOP_DIR/rsa"
	cp "$CERTS/b.key" "$IOP_DIR/rsa/b.key"
	iop_start_charon
	iop_start_racoon
	iop_racoon_policies "$IOP_L" "$IOP_R"
	iop_initiate "$1"
	iop_verify
	grep -q "RSA signature is valid (certificate CN=b.lab,O=Racoon Lab, verified against the CA)" \
		"$IOP_DIR/racoon.log" || iop_fail "racoon did not verify charon's certificate"
	iop_log "== $IOP_CASE: $1 initiates: PASS"
	iop_reset
}
run_rsasig racoon
run_rsasig charon
