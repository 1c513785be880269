#!/bin/bash
# The PF_KEY backend alone, through kernel.h (kernel-driver -b pfkey), checked with
# `ip xfrm`: SPI allocation, SAs of every algorithm af_key installs (ICV lengths
# included: Linux gives HMAC-SHA2-256 96 bits over PF_KEY), what we refuse, get, dump,
# delete, NAT-T.
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

# ---- SPI allocation: a larval SA, then UPDATE fills it in ---------------------------
out=$(pk spi 198.51.100.2 $S esp reqid 9)
spi=$(echo "$out" | sed -n 's/^spi \(0x[0-9a-f]*\)$/\1/p')
[ -n "$spi" ] || fail "no SPI: $out"
state | grep -q "spi $spi" || fail "allocated SPI $spi not in the SAD"
pk sa-update 198.51.100.2 $S esp "$spi" mode transport reqid 9 \
	enc aes-cbc 0x$K16 auth hmac-sha1 0x${K16}00112233
state | grep -A3 "spi $spi" | grep -q 'enc cbc(aes)' || fail "UPDATE did not fill $spi"
say "spi $spi allocated and updated"

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
check_sa aes-cbc $K16 hmac-sha1 ${K16}00112233 'cbc(aes)' 'hmac\(sha1\)' 96
check_sa aes-cbc $K32 hmac-sha256 $K32 'cbc(aes)' 'hmac\(sha256\)' 96
pk sa-add $S $D ah 0x2002 auth hmac-sha256 0x$K32
state | grep -A4 'proto ah spi 0x00002002' | grep -qE 'auth-trunc hmac\(sha256\) 0x[0-9a-f]+ 96$' ||
	fail "AH SA: $(state | grep -A4 'spi 0x00002002')"
say "ah hmac-sha256/96"
pk sa-add $S $D comp 0x2003 comp deflate
state | grep -A4 'proto comp spi 0x00002003' | grep -q 'comp deflate' || fail "IPComp SA"
say "ipcomp deflate"
pk sa-add $S $D esp 0x2004 enc aes-cbc 0x$K16 auth hmac-sha1 0x${K16}00112233 encap 4500 4501
state | grep -A6 'spi 0x00002004' | grep -q 'encap type espinudp sport 4500 dport 4501' ||
	fail "NAT-T SA: $(state | grep -A6 'spi 0x00002004')"
say "nat-t encap"

# ---- What PF_KEY cannot install is refused, not installed differently ----------------
refused() { if pk "$@" 2>/dev/null; then fail "accepted: $*"; fi; }
refused sa-add $S $D esp 0x3001 enc aes-cbc 0x$K16 auth hmac-sha256 0x$K32 icv 128
refused sa-add $S $D esp 0x3002 enc aes-gcm-16 0x$K20
refused sa-add $S $D esp 0x3003 enc aes-cbc 0x$K16 auth hmac-sha1 0x${K16}00112233 replay 64
refused sa-add $S $D esp 0x3004 enc aes-cbc 0x$K16 auth hmac-sha1 0x${K16}00112233 esn
for s in 0x3001 0x3002 0x3003 0x3004; do
	! state | grep -q "spi $(printf '0x%08x' $s)" || fail "refused SA $s is in the SAD"
done
say "refusals (sha256/128, gcm, replay 64, esn)"

# ---- GET, DUMP, DELETE ---------------------------------------------------------------
got=$(pk sa-get $D esp 0x1001)
echo "$got" | grep -q '^bytes 0 packets 0 reqid 0$' || fail "sa-get: $got"
pk sa-get $D esp 0x7777 2>/dev/null && fail "sa-get of a missing SA succeeded"
nk=$(state | grep -c '^src ')
nd=$(pk sa-dump | wc -l)
[ "$nd" = "$nk" ] || fail "sa-dump lists $nd SAs, the kernel has $nk"
pk sa-dump | grep -q "192.0.2.1 192.0.2.2 esp spi 0x00001002 transport reqid 0 enc aes-cbc/256 auth hmac-sha256 icv 96" ||
	fail "dump line: $(pk sa-dump | grep 0x00001002)"
pk sa-del $D esp 0x1001
! state | grep -q 'spi 0x00001001' || fail "sa-del left 0x1001"
pk sa-del $D esp 0x1001 2>/dev/null && fail "deleting a missing SA succeeded"
say "get ($nd SAs dumped), delete"

