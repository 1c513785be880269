#!/bin/bash
# The PF_KEY backend installs SAs of every other algorithm af_key knows (60-pfkey-sa.sh
# has AES-CBC with SHA-1 and SHA-256), checked with `ip xfrm state`: cipher, key, and the
# ICV length Linux gives each integrity algorithm over PF_KEY (96, 192, 256).
set -eu
source "$LAB_SRCDIR/lib.sh"
NS=pfk
ip netns add $NS
trap 'ip netns del $NS' EXIT
pk() { timeout 60 ip netns exec $NS "$KDRV" -b pfkey "$@"; }
state() { ip -n $NS xfrm state; }
say() { echo "$(date +%T) ok $*"; }
K16=00112233445566778899aabbccddeeff
K20=${K16}01020304
K24=${K16}0011223344556677
K32=${K16}${K16}
K48=${K32}${K16}
K64=${K32}${K32}
S=192.0.2.1
D=192.0.2.2

# ---- SAs of every algorithm, with the ICV Linux installs ----------------------------
n=0x1000
check_sa() { # ENC EKEY AUTH AKEY XFRM_ENC XFRM_AUTH ICV
	n=$(printf '0x%x' $((n + 1)))
	pk sa-add $S $D esp $n enc "$1" 0x"$2" auth "$3" 0x"$4" replay 32 ||
		fail "sa-add $1/$3 refused"
	local st; st=$(state | grep -A6 "spi $(printf '0x%08x' $n)")
	echo "$st" | grep -qF "enc $5 0x$2" || fail "$1: enc not '$5': $st"
	echo "$st" | grep -qE "auth-trunc $6 0x$4 $7\$" || fail "$3: not '$6' with $7-bit ICV: $st"
	echo "$st" | grep -q "replay-window 32" || fail "$1: replay window: $st"
	say "esp $1 + $3 -> $5 + $6/$7"
}
check_sa 3des-cbc $K24 hmac-md5 $K16 'cbc(des3_ede)' 'hmac\(md5\)' 96
check_sa des-cbc 0011223344556677 hmac-sha384 $K48 'cbc(des)' 'hmac\(sha384\)' 192
check_sa blowfish-cbc $K16 hmac-sha512 $K64 'cbc(blowfish)' 'hmac\(sha512\)' 256
check_sa cast128-cbc $K16 hmac-sha1 ${K16}00112233 'cbc(cast5)' 'hmac\(sha1\)' 96
check_sa camellia-cbc $K32 hmac-sha256 $K32 'cbc(camellia)' 'hmac\(sha256\)' 96
check_sa twofish-cbc $K16 hmac-sha512 $K64 'cbc(twofish)' 'hmac\(sha512\)' 256
check_sa aes-ctr $K20 hmac-sha1 ${K16}00112233 'rfc3686(ctr(aes))' 'hmac\(sha1\)' 96
pk sa-add $S $D esp 0x2001 enc null 0x auth hmac-sha1 0x${K16}00112233
state | grep -A4 'spi 0x00002001' | grep -q 'cipher_null' || fail "null cipher SA"
say "esp null + hmac-sha1"
