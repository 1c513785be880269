#!/bin/bash
# setkey over the PF_KEY backend (-b pfkey) in the guest kernel: SAs and policies read
# back with `ip xfrm`; what PF_KEY cannot install as written is refused before anything
# changes: HMAC-SHA-256 with the RFC 4868 ICV (PF_KEY gives 96 bits) and AES-GCM.
set -eu
source "$LAB_SRCDIR/lib.sh"
SK="$LAB_BUILDDIR/setkey"
[ -x "$SK" ] || fail "no setkey at $SK"
NS=setkey-pfkey
ip netns add $NS
TMP=$(mktemp -d)
trap 'ip netns del $NS; rm -rf "$TMP"' EXIT
sk() { ip netns exec $NS "$SK" -b pfkey "$@"; }
state() { ip -n $NS xfrm state get src "$1" dst "$2" proto "$3" spi "$4"; }
k16=00112233445566778899aabbccddeeff
k20=${k16}01020304
k24=${k16}0011223344556677
k32=$k16$k16
S=192.0.2.1 D=192.0.2.2

cat >"$TMP/ok.conf" <<X
add $S $D esp 0x1001 -E aes-cbc 0x$k16 -A hmac-sha1 0x$k20;
add $S $D esp 0x1002 -m tunnel -u 9 -E aes-cbc 0x$k32 -A hmac-sha256-96 0x$k32;
add $S $D esp 0x1003 -E 3des-cbc 0x$k24 -A hmac-md5 0x$k16;
add $S $D ah 0x2001 -A hmac-sha1 0x$k20;
spdadd 192.0.2.0/24 198.51.100.0/24 any -P out prio high ipsec esp/tunnel/$S-$D/unique:9;
spdadd 198.51.100.0/24 192.0.2.0/24 tcp -P in ipsec esp/transport//require;
X
sk -f "$TMP/ok.conf" || fail "the PF_KEY script failed"
state $S $D esp 0x1001 | grep -qF "auth-trunc hmac(sha1) 0x$k20 96" || fail "sha1"
st=$(state $S $D esp 0x1002)
grep -qF "auth-trunc hmac(sha256) 0x$k32 96" <<<"$st" || { echo "$st"; fail "sha256-96"; }
grep -qF "mode tunnel" <<<"$st" || fail "tunnel mode"
grep -qF "reqid 9" <<<"$st" || fail "reqid"
state $S $D esp 0x1003 | grep -qF "enc cbc(des3_ede) 0x$k24" || fail "3des"
state $S $D ah 0x2001 | grep -qF "auth-trunc hmac(sha1) 0x$k20 96" || fail "ah"
pol=$(ip -n $NS xfrm policy)
echo "$pol"
[ "$(grep -c '^src' <<<"$pol")" = 3 ] || fail "policies (out, in and its fwd twin)"
grep -q "dir out priority 1073741824" <<<"$pol" || fail "prio high"
grep -q "proto esp reqid 9 mode tunnel" <<<"$pol" || fail "tunnel template"
sk -D | grep -q "A: hmac-sha256-96  " || fail "-D names the 96-bit SA"
[ "$(sk -DP | grep -c 'spid=')" = 2 ] || fail "-DP hides the twin"

# Refused before any kernel call: the line says why; nothing after it ran.
cat >"$TMP/refused.conf" <<X
spdadd 203.0.113.0/24 198.51.100.0/24 any -P out none;
add $S $D esp 0x1004 -E aes-cbc 0x$k16 -A hmac-sha256 0x$k32;
spdadd 203.0.113.1 198.51.100.1 any -P out none;
X
if sk -f "$TMP/refused.conf" 2>"$TMP/err"; then fail "RFC 4868 SHA-256 accepted over PF_KEY"; fi
cat "$TMP/err"
grep -qF "refused.conf:2:1: add failed: the pfkey backend installs hmac-sha256 with a 96-bit ICV, not 128 bits" "$TMP/err" ||
	fail "sha256 refusal message"
grep -qF "applied 1 of 3 commands (line 1); not applied: lines 2-3" "$TMP/err" || fail "applied report"
state $S $D esp 0x1004 2>/dev/null && fail "the refused SA is installed"
if sk -c <<<"add $S $D esp 0x1005 -E aes-gcm-16 0x$k20;" 2>"$TMP/err"; then fail "GCM over PF_KEY"; fi
grep -qF "cannot install aes-gcm-16" "$TMP/err" || fail "gcm refusal: $(cat "$TMP/err")"

sk -F && sk -FP || fail "flushes"
[ -z "$(ip -n $NS xfrm state)" ] || fail "SAD not empty"
[ -z "$(ip -n $NS xfrm policy)" ] || fail "SPD not empty"
echo "setkey PF_KEY scenario passed"
