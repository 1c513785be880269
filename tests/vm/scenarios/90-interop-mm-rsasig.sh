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

iop_conf_mm_psk
IOP_CASE=mm-rsasig
iop_racoon_sub "remote $IOP_C4 {" "path certificate \"$CERTS\";
remote $IOP_C4 {"
iop_racoon_sub "my_identifier address $IOP_R4;
	peers_identifier address $IOP_C4;" "certificate_type x509 \"a.pem\" \"a.key\";
	ca_type x509 \"ca.pem\";
	my_identifier asn1dn;
	peers_identifier asn1dn \"CN=b.lab,O=Racoon Lab\";"
iop_racoon_sub "authentication_method pre_shared_key;" "authentication_method rsasig;"
# strongSwan writes DNs in DER order (the RFC 4514 text reversed).
iop_charon_sub "auth = psk
			id = $IOP_C4" "auth = pubkey
			certs = $CERTS/b.pem"
iop_charon_sub "auth = psk
			id = $IOP_R4" "auth = pubkey
			id = \"O=Racoon Lab, CN=a.lab\"
			cacerts = $CERTS/ca.pem"
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
