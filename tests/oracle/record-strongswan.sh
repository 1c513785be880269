#!/bin/sh
# Record real IKEv1 exchanges between two strongSwan charons (IKE log level 4) as the
# oracle for test_crypto_oakley: charon logs the DH secret, SKEYID*, IVs, HASH_I/R data,
# Quick Mode hashes, KEYMAT and the packets, and extract-fixtures.py turns those logs
# into the small text fixtures next to this script.
#
# Needs root, strongswan-charon, strongswan-swanctl, libcharon-extra-plugins
# (kernel-libipsec: ESP in user space over /dev/net/tun, so Quick Mode completes on a
# kernel without ESP). Runs each charon in its own network and mount namespace with a
# private /run, on a veth pair with 198.51.100.1/.2; deletes everything on exit.
#
# Usage: record-strongswan.sh OUTDIR [SCENARIO...]   (default: all scenarios below)
set -eu

OUT=${1:?usage: $0 OUTDIR [SCENARIO...]}
shift
HERE=$(cd "$(dirname "$0")" && pwd)
CHARON=/usr/lib/ipsec/charon
TAG=rcnor$$
NSA=${TAG}a
NSB=${TAG}b
WORK=$(mktemp -d /tmp/${TAG}.XXXXXX)
PIDS=""
PSK="racoon-oracle-psk-0123456789"

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	sleep 0.5
	for p in $PIDS; do kill -9 "$p" 2>/dev/null || true; done
	ip netns del "$NSA" 2>/dev/null || true
	ip netns del "$NSB" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

# name ike-proposal esp-proposal aggressive(yes/no) auth(psk/rsa)
SCENARIOS="
mm-aes128-sha256-modp2048 aes128-sha256-modp2048 aes128-sha256 no psk
mm-3des-md5-modp1536-pfs 3des-md5-modp1536 3des-md5-modp1536 no psk
mm-aes256-sha512-ecp384-pfs aes256-sha512-ecp384 aes256-sha384-ecp256 no psk
am-aes192-sha1-modp1024-gcm aes192-sha1-modp1024 aes128gcm16 yes psk
am-aes128-sha384-ecp256-pfs aes128-sha384-ecp256 aes256gcm16-ecp521 yes psk
mm-aes256-sha256-ecp521 aes256-sha256-ecp521 aes128-sha1 no psk
mm-aes128-sha1-modp2048-rsa aes128-sha1-modp2048 aes128-sha256 no rsa
"

setup_net() {
	ip netns add "$NSA"
	ip netns add "$NSB"
	ip link add "${TAG}x" netns "$NSA" type veth peer name "${TAG}y" netns "$NSB"
	ip -n "$NSA" addr add 198.51.100.1/24 dev "${TAG}x"
	ip -n "$NSB" addr add 198.51.100.2/24 dev "${TAG}y"
	ip -n "$NSA" link set lo up
	ip -n "$NSB" link set lo up
	ip -n "$NSA" link set "${TAG}x" up
	ip -n "$NSB" link set "${TAG}y" up
}

# A self-signed RSA certificate for an IP identity (SAN IP:ADDR), trusted by both.
make_cert() { # SIDE ADDR
	d=$WORK/$1
	mkdir -p "$d/x509" "$d/rsa" "$WORK/ca"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/O=racoon oracle/CN=$2" \
		-addext "subjectAltName=IP:$2" -keyout "$d/rsa/key.pem" -out "$d/x509/cert.pem" \
		2>/dev/null
	cp "$d/x509/cert.pem" "$WORK/ca/$1.pem"
}

# write_conf SIDE LOCAL REMOTE IKE ESP AGGR AUTH
write_conf() {
	d=$WORK/$1
	mkdir -p "$d"
	cat >"$d/strongswan.conf" <<EOC
charon {
	load = random nonce openssl aes sha1 sha2 md5 hmac gmp gcm kdf x509 pem pkcs1 pkcs8 pubkey constraints kernel-libipsec kernel-netlink socket-default vici
	install_routes = no
	# Aggressive Mode with a PSK is refused by default; this is a test rig.
	i_dont_care_about_security_and_use_aggressive_mode_psk = yes
	install_virtual_ip = no
	retransmit_tries = 2
	filelog {
		oracle {
			path = $d/charon.log
			default = 1
			ike = 4
			chd = 4
			enc = 4
			net = 4
			cfg = 1
			knl = 1
			lib = 1
			flush_line = yes
		}
	}
	plugins {
		vici { socket = unix://$d/vici }
		kernel-libipsec { allow_peer_ts = yes }
	}
}
EOC
	cat >"$d/swanctl.conf" <<EOC
connections {
	t {
		version = 1
		aggressive = $6
		local_addrs = $2
		remote_addrs = $3
		proposals = $4
		$([ "$7" = pubkey ] && echo "send_cert = always")
		local {
			auth = $7
			id = $2
			$([ "$7" = pubkey ] && echo "certs = cert.pem")
		}
		remote {
			auth = $7
			id = $3
		}
		children {
			c {
				esp_proposals = $5
				mode = tunnel
				local_ts = $2/32
				remote_ts = $3/32
				start_action = none
			}
		}
	}
}
secrets {
	ike-1 {
		secret = "$PSK"
	}
}
EOC
}

start_charon() { # SIDE NS
	d=$WORK/$1
	ip netns exec "$2" unshare -m sh -c "mount -t tmpfs rcn /run && exec env STRONGSWAN_CONF=$d/strongswan.conf $CHARON" \
		>"$d/stdout" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while [ ! -S "$d/vici" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { echo "charon $1 did not start" >&2; cat "$d/stdout" >&2; return 1; }
		sleep 0.1
	done
	ip netns exec "$2" swanctl --load-all --uri "unix://$d/vici" --file "$d/swanctl.conf" >/dev/null
}

stop_charons() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
		kill -9 "$p" 2>/dev/null || true
	done
	PIDS=""
}

run_scenario() { # NAME IKE ESP AGGR AUTH
	echo "== $1" >&2
	rm -rf "$WORK/i" "$WORK/r" "$WORK/ca"
	auth=psk
	if [ "$5" = rsa ]; then
		auth=pubkey
		make_cert i 198.51.100.1
		make_cert r 198.51.100.2
		# each side trusts both self-signed certificates as CAs
		for s in i r; do mkdir -p "$WORK/$s/x509ca" && cp "$WORK"/ca/*.pem "$WORK/$s/x509ca/"; done
	fi
	write_conf i 198.51.100.1 198.51.100.2 "$2" "$3" "$4" "$auth"
	write_conf r 198.51.100.2 198.51.100.1 "$2" "$3" "$4" "$auth"
	start_charon r "$NSB"
	start_charon i "$NSA"
	ip netns exec "$NSA" timeout 30 swanctl --initiate --uri "unix://$WORK/i/vici" --child c --timeout 20 >"$WORK/initiate.out" 2>&1 ||
		{ echo "initiate failed:" >&2; cat "$WORK/initiate.out" >&2; }
	# An informational exchange: the initiator deletes the CHILD and the IKE SA.
	ip netns exec "$NSA" timeout 20 swanctl --terminate --uri "unix://$WORK/i/vici" --ike t --timeout 10 >/dev/null 2>&1 || true
	sleep 1
	stop_charons
	mkdir -p "$OUT/logs"
	cp "$WORK/i/charon.log" "$OUT/logs/$1.initiator.log"
	cp "$WORK/r/charon.log" "$OUT/logs/$1.responder.log"
	certs=""
	if [ "$5" = rsa ]; then
		cp "$WORK/i/x509/cert.pem" "$OUT/logs/$1.initiator.pem"
		cp "$WORK/r/x509/cert.pem" "$OUT/logs/$1.responder.pem"
		certs="--cert-i $OUT/logs/$1.initiator.pem --cert-r $OUT/logs/$1.responder.pem"
	fi
	[ -n "${NO_EXTRACT:-}" ] || python3 "$HERE/extract-fixtures.py" --psk "$PSK" --name "$1" \
		--ike "$2" --esp "$3" --aggressive "$4" --auth "$5" $certs \
		"$OUT/logs/$1.initiator.log" "$OUT/logs/$1.responder.log" >"$OUT/$1.txt"
}

mkdir -p "$OUT"
setup_net
while read -r name ike esp aggr auth; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	run_scenario "$name" "$ike" "$esp" "$aggr" "$auth"
done <<EOS
$SCENARIOS
EOS
