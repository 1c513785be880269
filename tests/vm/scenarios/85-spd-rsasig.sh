#!/bin/bash
# SPD-driven Main Mode with RSA signatures: two racoons (A, B) in namespaces on either
# side of a router R, each with an X.509 certificate from a test CA made here
# (tests/vm/mkcert), sending its certificate and asking for the peer's (CR), verifying
# it against the CA and checking the peer's DN (peers_identifier asn1dn). setkey installs
# host-to-host tunnel policies; a ping from A triggers the negotiation; both kernels must
# hold the same tunnel SAs crosswise, and the router must see only ESP.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
A=198.51.100.1 B=203.0.113.1
spd_scenario_init

mkdir "$TMP/certs"
"$LAB_BUILDDIR/tests/vm/mkcert" "$TMP/certs" $A $B || fail "mkcert"
[ "$(stat -c %a "$TMP/certs/a.key")" = 600 ] || fail "key file mode"

# rsasig_conf NAME ME PEER PEERNAME
rsasig_conf() {
	local name=$1 me=$2 peer=$3 peername=$4
	mkdir -p "$TMP/$name.state"
	cat >"$TMP/$name.conf" <<EOF
path certificate "$TMP/certs";
log debug;
listen { isakmp $me [500]; }
remote $peer {
	exchange_mode main;
	certificate_type x509 "$name.pem" "$name.key";
	ca_type x509 "ca.pem";
	my_identifier asn1dn;
	peers_identifier asn1dn "CN=$peername.lab,O=Racoon Lab";
	verify_identifier on;
	verify_cert on;
	send_cert on;
	send_cr on;
	lifetime time 1 hour;
	proposal {
		encryption_algorithm aes;
		hash_algorithm sha256;
		authentication_method rsasig;
		dh_group modp2048;
	}
}
sainfo anonymous {
	lifetime time 1 hour;
	encryption_algorithm aes 128;
	authentication_algorithm hmac_sha256;
	compression_algorithm deflate;
}
EOF
	"$RACOON" -t -f "$TMP/$name.conf" >/dev/null || fail "$name: bad config"
}

spd_routed_up $B
esp0=$(spd_nft_packets spdR esp_seen)
icmp0=$(spd_nft_packets spdR icmp_seen)

printf 'spdadd %s %s any -P out ipsec esp/tunnel/%s-%s/require;\nspdadd %s %s any -P in ipsec esp/tunnel/%s-%s/require;\n' \
	$A $B $A $B $B $A $B $A >"$TMP/a.sk"
printf 'spdadd %s %s any -P out ipsec esp/tunnel/%s-%s/require;\nspdadd %s %s any -P in ipsec esp/tunnel/%s-%s/require;\n' \
	$B $A $B $A $A $B $A $B >"$TMP/b.sk"
ip netns exec spdA "$SETKEY" -f "$TMP/a.sk" || fail "setkey A"
ip netns exec spdB "$SETKEY" -f "$TMP/b.sk" || fail "setkey B"

rsasig_conf a $A $B b
rsasig_conf b $B $A a
spd_start spdA a
spd_start spdB b

echo "ping $A -> $B (the first packets trigger the negotiation)"
spd_ping_until spdA $B || die "the ping never passed"
wait_for 100 grep -q "IPsec-SA established" "$TMP/b.log" || die "B logged no IPsec-SA"
grep -q "ISAKMP-SA established" "$TMP/a.log" || die "A logged no ISAKMP-SA"
grep -q "RSA signature is valid (certificate CN=b.lab,O=Racoon Lab, verified against the CA)" \
	"$TMP/a.log" || die "A did not verify B's certificate"
grep -q "RSA signature is valid (certificate CN=a.lab,O=Racoon Lab, verified against the CA)" \
	"$TMP/b.log" || die "B did not verify A's certificate"

# The SAs, crosswise: both kernels hold the same two tunnel SAs.
sa_a=$(spd_states spdA) sa_b=$(spd_states spdB)
echo "A: $sa_a"; echo "B: $sa_b"
[ "$(spd_count_states spdA esp)" = 2 ] || die "A has not exactly 2 ESP SAs"
[ "$sa_a" = "$sa_b" ] || die "the peers' SAs differ"
echo "$sa_a" | grep -q "^$A $B esp 0x[0-9a-f]* tunnel " || die "no A->B tunnel SA"
echo "$sa_a" | grep -q "^$B $A esp 0x[0-9a-f]* tunnel " || die "no B->A tunnel SA"

# Protected traffic: only ESP crosses the router.
icmp1=$(spd_nft_packets spdR icmp_seen) esp1=$(spd_nft_packets spdR esp_seen)
ip netns exec spdA ping -c 5 -i 0.2 -W 2 $B || die "ping over ESP failed"
esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
echo "router: ESP $esp0 -> $esp2 packets, plaintext ICMP $icmp0 -> $icmp2"
[ $((esp2 - esp1)) -ge 10 ] || die "the router saw $((esp2 - esp1)) ESP packets for 10 ICMP"
[ "$icmp2" = "$icmp1" ] || die "plaintext ICMP crossed the router"

spd_stop a || die "racoon A did not exit cleanly"
[ "$(spd_count_states spdA esp)" = 0 ] || die "A's SAs left behind after stop"
echo "OK"
