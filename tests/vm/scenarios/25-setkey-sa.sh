#!/bin/bash
# setkey in the guest kernel (XFRM backend): a script adds SAs of every algorithm family
# and policies; `ip xfrm state` / `ip xfrm policy` must show the same (algorithms, keys,
# ICV lengths, modes, reqids, encapsulation), and so must `setkey -D` read back. Then
# get/delete/deleteall/flush/getspi, and a kernel error mid-script.
set -eu
source "$LAB_SRCDIR/lib.sh"
SK="$LAB_BUILDDIR/setkey"
[ -x "$SK" ] || fail "no setkey at $SK"
NS=setkey-sa
ip netns add $NS
TMP=$(mktemp -d)
trap 'ip netns del $NS; rm -rf "$TMP"' EXIT
sk() { ip netns exec $NS "$SK" "$@"; }
state() { ip -n $NS xfrm state get src "$1" dst "$2" proto "$3" spi "$4"; }
k16=00112233445566778899aabbccddeeff
k20=${k16}01020304
k24=${k16}0011223344556677
k32=$k16$k16
k48=$k32$k16
k64=$k32$k32
S=192.0.2.1 D=192.0.2.2

cat >"$TMP/sa.conf" <<X
# one SA per algorithm family; hmac-sha2 ICVs per RFC 4868 unless -96
add $S $D esp 0x1001 -E aes-cbc 0x$k16 -A hmac-sha1 0x${k16}00112233;
add $S $D esp 0x1002 -m tunnel -u 12 -E aes-cbc 0x$k32 -A hmac-sha256 0x$k32;
add $S $D esp 0x1003 -E aes-cbc 0x$k16 -A hmac-sha256-96 0x$k32;
add $S $D esp 0x1004 -E aes-cbc 0x$k16 -A hmac-sha384 0x$k48;
add $S $D esp 0x1005 -E aes-cbc 0x$k16 -A hmac-sha512 0x$k64;
add $S $D esp 0x1006 -E aes-gcm-16 0x$k20;
add $S $D esp 0x1007 -E 3des-cbc 0x$k24 -A hmac-md5 0x$k16;
add $S $D esp 0x1008 -E null -A hmac-sha256 0x$k32;
add $S $D esp 0x1009 -r 64 -lh 120 -ls 100 -E aes-ctr 0x$k20 -A hmac-sha256 0x$k32;
add $S[4501] $D[4502] esp-udp 0x100a -m tunnel -E aes-cbc 0x$k16 -A hmac-sha256 0x$k32;
add 2001:db8::1 2001:db8::2 esp 0x100b -E aes-cbc "0123456789abcdef" -A hmac-sha1 "01234567890123456789";
add $S $D ah 0x2001 -A hmac-sha256 0x$k32;
add $S $D ipcomp 0x3001 -m tunnel -C deflate;
spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec esp/tunnel/$S-$D/unique:12;
spdadd 198.51.100.0/24 192.0.2.0/24 any -P in ipsec esp/tunnel/$D-$S/require;
X
sk -f "$TMP/sa.conf" || fail "the SA script failed"

# spi | proto | strings `ip xfrm state` must show
cases=(
"0x1001|esp|enc cbc(aes) 0x$k16;auth-trunc hmac(sha1) 0x${k16}00112233 96;mode transport"
"0x1002|esp|enc cbc(aes) 0x$k32;auth-trunc hmac(sha256) 0x$k32 128;mode tunnel;reqid 12"
"0x1003|esp|auth-trunc hmac(sha256) 0x$k32 96"
"0x1004|esp|auth-trunc hmac(sha384) 0x$k48 192"
"0x1005|esp|auth-trunc hmac(sha512) 0x$k64 256"
"0x1006|esp|aead rfc4106(gcm(aes)) 0x$k20 128"
"0x1007|esp|enc cbc(des3_ede) 0x$k24;auth-trunc hmac(md5) 0x$k16 96"
"0x1008|esp|enc ecb(cipher_null);auth-trunc hmac(sha256) 0x$k32 128"
"0x1009|esp|enc rfc3686(ctr(aes)) 0x$k20;replay_window 64"
"0x100a|esp|encap type espinudp sport 4501 dport 4502;mode tunnel"
"0x2001|ah|auth-trunc hmac(sha256) 0x$k32 128"
"0x3001|comp|comp deflate;mode tunnel"
)
for c in "${cases[@]}"; do
	IFS='|' read -r spi proto want <<<"$c"
	st=$(state $S $D "$proto" "$spi") || fail "SA $spi missing"
	IFS=';' read -ra ws <<<"$want"
	for w in "${ws[@]}"; do
		grep -qF -- "$w" <<<"$st" || { echo "$st"; fail "SA $spi lacks '$w'"; }
	done
done
ip -n $NS -s xfrm state get src $S dst $D proto esp spi 0x1009 | grep -qF "expire add: soft 100(sec), hard 120(sec)" || fail "lifetimes"
state 2001:db8::1 2001:db8::2 esp 0x100b |
	grep -qF "enc cbc(aes) 0x30313233343536373839616263646566" || fail "quoted key"

# setkey -D and ip xfrm state agree on each SA's SPI, ICV length and integrity key.
sk -D >"$TMP/dump"
n=$(grep -c 'mode=' "$TMP/dump")
[ "$n" = 13 ] || { ip -n $NS xfrm state | grep -E '^src|proto'; grep -E 'mode=' "$TMP/dump"; fail "setkey -D count $n"; }
from_setkey=$(awk '/ mode=/ { split($3, a, "[()]"); spi = a[2] }
	/^\tA: / { $1 = ""; $2 = ""; gsub(/ /, ""); key = $0 }
	/^\ticv=/ { split($1, b, "="); print spi " " b[2] " " key; key = "" }' "$TMP/dump" | sort)
from_ip=$(ip -n $NS xfrm state | awk '
	function flush() { if (spi != "") print spi " " icv " " key; spi = ""; key = ""; icv = 0 }
	BEGIN { icv = 0 }
	/^src / { flush(); next }
	/^\tproto 4 / { next } # the IPComp tunnel helper state: setkey does not show it
	/^\tproto / { spi = $4 }
	/^\tauth-trunc / { key = substr($3, 3); icv = $4 }
	/^\taead / { icv = $4 }
	END { flush() }' | sort)
[ "$from_setkey" = "$from_ip" ] || fail "setkey -D vs ip xfrm state:
$from_setkey
---
$from_ip"
grep -q "A: hmac-sha256-96 " "$TMP/dump" || fail "the -96 SA is shown as such"

# Policies: the in policy got its fwd twin; tmpl reqid 12 on the out policy.
[ "$(ip -n $NS xfrm policy | grep -c '^src')" = 3 ] || fail "policy count"
ip -n $NS xfrm policy | grep -q "proto esp reqid 12 mode tunnel" || fail "unique:12"
sk -DP | grep -q "esp/tunnel/$S-$D/unique:12" || fail "-DP rule"

# get, delete, deleteall, flush per protocol, getspi.
sk -c <<<"get $S $D esp 0x1006;" | grep -q "E: aes-gcm-16  00112233 44556677 8899aabb ccddeeff 01020304" ||
	fail "get gcm"
sk -c <<<"delete $S $D esp 0x1001;" || fail "delete"
state $S $D esp 0x1001 2>/dev/null && fail "0x1001 still there"
sk -c <<<"deleteall $S $D ah;" || fail "deleteall"
state $S $D ah 0x2001 2>/dev/null && fail "AH SA still there"
sk -c <<<"flush ipcomp;" || fail "flush ipcomp"
[ "$(ip -n $NS xfrm state | grep -cE '^	proto (esp|ah|comp) ')" = 10 ] || fail "after the deletions"
[ "$(sk -D | grep -c 'mode=')" = 10 ] || fail "setkey -D after the deletions"
sk -c <<<"getspi 198.51.100.7 $S esp 0x5000 -u 3;" || fail "getspi"
ip -n $NS xfrm state | grep -q "spi 0x00005000" || fail "getspi state"

# A kernel error mid-script (the SA exists) stops there and says what was applied.
cat >"$TMP/mid.conf" <<X
spdadd 203.0.113.0/24 198.51.100.0/24 any -P out none;
add $S $D esp 0x1002 -E aes-cbc 0x$k16;
spdadd 203.0.113.0/24 198.51.100.1 any -P out none;
X
if sk -f "$TMP/mid.conf" 2>"$TMP/err"; then fail "duplicate SA accepted"; fi
cat "$TMP/err"
grep -qF "mid.conf:2:1: add failed: File exists" "$TMP/err" || fail "mid-script error line"
grep -qF "applied 1 of 3 commands (line 1); not applied: lines 2-3" "$TMP/err" || fail "applied report"
ip -n $NS xfrm policy | grep -q "^src 203.0.113.0/24 dst 198.51.100.1/32" && fail "line 3 applied"

sk -F && sk -FP || fail "flushes"
[ -z "$(ip -n $NS xfrm state)" ] || fail "SAD not empty"
[ -z "$(ip -n $NS xfrm policy)" ] || fail "SPD not empty"
echo "setkey SA scenario passed"
