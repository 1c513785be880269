#!/bin/bash
# One SA per algorithm family, installed through the backend and read back with
# `ip xfrm state` (names, keys and ICV lengths) and with our own dump.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add algs
trap 'ip netns del algs' EXIT
run() { ip netns exec algs "$KDRV" "$@"; }
k8=0011223344556677
k16=00112233445566778899aabbccddeeff
k20=${k16}01020304
k24=$k16$k8
k32=$k16$k16
k48=$k32$k16
k64=$k32$k32
S=192.0.2.1 D=192.0.2.2

# spi | driver options | strings `ip xfrm state` must show
cases=(
"0x1001|enc aes-cbc $k16 auth hmac-sha1 ${k16}00112233|enc cbc(aes) 0x$k16;auth-trunc hmac(sha1) 0x${k16}00112233 96"
"0x1002|enc aes-cbc $k32 auth hmac-sha256 $k32|enc cbc(aes) 0x$k32;auth-trunc hmac(sha256) 0x$k32 128"
"0x1003|enc aes-cbc $k16 auth hmac-sha384 $k48|auth-trunc hmac(sha384) 0x$k48 192"
"0x1004|enc aes-cbc $k16 auth hmac-sha512 $k64|auth-trunc hmac(sha512) 0x$k64 256"
"0x1005|enc 3des-cbc $k24 auth hmac-md5 $k16|enc cbc(des3_ede) 0x$k24;auth-trunc hmac(md5) 0x$k16 96"
"0x1006|enc aes-gcm-16 $k20|aead rfc4106(gcm(aes)) 0x$k20 128"
"0x1007|enc aes-gcm-8 $k20|aead rfc4106(gcm(aes)) 0x$k20 64"
"0x1008|enc aes-ctr $k20 auth hmac-sha256 $k32|enc rfc3686(ctr(aes)) 0x$k20"
"0x1009|enc null  auth hmac-sha256 $k32|enc ecb(cipher_null)"
"0x100a|enc aes-cbc $k16 auth hmac-sha256 $k32 replay 128|replay_window 128"
"0x100b|enc aes-cbc $k16 auth hmac-sha256 $k32 replay 64 esn|flag esn"
"0x100c|enc aes-cbc $k16 auth hmac-sha256 $k32 mode tunnel encap 4500 4500|encap type espinudp sport 4500 dport 4500;mode tunnel"
"0x100d|enc aes-cbc $k16 auth hmac-sha256 $k32 soft-add 100 hard-add 120 soft-bytes 1000000 hard-bytes 2000000 reqid 77|reqid 77"
)
for c in "${cases[@]}"; do
	IFS='|' read -r spi opts want <<<"$c"
	# shellcheck disable=SC2086
	run sa-add $S $D esp "$spi" $opts || fail "sa-add $spi ($opts)"
	st=$(ip -n algs xfrm state get src $S dst $D proto esp spi "$spi")
	IFS=';' read -ra ws <<<"$want"
	for w in "${ws[@]}"; do
		grep -qF -- "$w" <<<"$st" || { echo "$st"; fail "SA $spi lacks '$w'"; }
	done
done
# AH with HMAC-SHA-256 (RFC 4868 ICV) and IPComp.
run sa-add $S $D ah 0x2001 auth hmac-sha256 $k32
ip -n algs xfrm state get src $S dst $D proto ah spi 0x2001 | grep -qF "auth-trunc hmac(sha256) 0x$k32 128" || fail "AH"
run sa-add $S $D comp 0x3001 comp deflate mode tunnel
ip -n algs xfrm state get src $S dst $D proto comp spi 0x3001 | grep -qF "comp deflate" || fail "IPComp"
# Lifetimes as the kernel shows them.
lt=$(ip -n algs -s xfrm state get src $S dst $D proto esp spi 0x100d)
grep -q "expire add: soft 100(sec), hard 120(sec)" <<<"$lt" || { echo "$lt"; fail "lifetimes"; }
grep -q "soft 1000000(bytes), hard 2000000(bytes)" <<<"$lt" || fail "byte limits"

dump=$(run sa-dump)
echo "$dump"
# (IPComp in tunnel mode brings its own IPIP state: count ours only.)
[ "$(grep -cE ' (esp|ah|comp) spi' <<<"$dump")" = $(( ${#cases[@]} + 2 )) ] || fail "dump count"
grep -q "spi 0x00001006 transport reqid 0 enc aes-gcm-16/160 auth null icv 128" <<<"$dump" || fail "dump gcm"
grep -q "spi 0x00001004 .* auth hmac-sha512 icv 256" <<<"$dump" || fail "dump sha512"
grep -q "spi 0x0000100a .* replay 128" <<<"$dump" || fail "dump replay"
grep -q "spi 0x0000100c tunnel .* encap" <<<"$dump" || fail "dump encap"
run sa-get $D esp 0x1002 | grep -q "^bytes 0 packets 0" || fail "counters"
for c in "${cases[@]}"; do run sa-del $D esp "${c%%|*}"; done
run sa-del $D ah 0x2001
run sa-del $D comp 0x3001
! ip -n algs xfrm state list | grep -qE "proto (esp|ah|comp) " || fail "SAs left"
echo ok
