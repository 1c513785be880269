#!/bin/bash
# ALLOCSPI through the XFRM backend: the SPI arrives by callback; the larval state it
# creates becomes the real SA only through sa-update (sa-add gives EEXIST).
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add spi
trap 'ip netns del spi' EXIT
run() { ip netns exec spi "$KDRV" "$@"; }

out=$(run spi 192.0.2.2 192.0.2.1 esp reqid 11)
spi=${out#spi }
[ "$spi" != 0x00000000 ] || fail "SPI 0"
ip -n spi xfrm state list | grep -q "proto esp spi $spi reqid 11" || fail "no larval state for $spi"
cpi=$(run spi 192.0.2.2 192.0.2.1 comp); cpi=${cpi#spi }
[ $((cpi)) -ge 256 ] && [ $((cpi)) -le 65535 ] || fail "CPI $cpi out of range"

k16=00112233445566778899aabbccddeeff
k32=$k16$k16
if run sa-add 192.0.2.2 192.0.2.1 esp "$spi" reqid 11 enc aes-cbc $k16 auth hmac-sha256 $k32 2>/dev/null; then
	fail "sa-add over a larval state succeeded"
fi
run sa-update 192.0.2.2 192.0.2.1 esp "$spi" reqid 11 enc aes-cbc $k16 auth hmac-sha256 $k32 replay 32
st=$(ip -n spi xfrm state get src 192.0.2.2 dst 192.0.2.1 proto esp spi "$spi")
echo "$st"
grep -q "auth-trunc hmac(sha256) 0x$k32 128" <<<"$st" || fail "sha256 not installed with 128-bit ICV"
grep -q "replay-window 32" <<<"$st" || fail "replay window"
run sa-get 192.0.2.1 esp "$spi" | grep -q "reqid 11" || fail "sa-get"
run sa-del 192.0.2.1 esp "$spi"
if ip -n spi xfrm state get src 192.0.2.2 dst 192.0.2.1 proto esp spi "$spi" 2>/dev/null; then
	fail "SA still there after sa-del"
fi
if run sa-del 192.0.2.1 esp "$spi" 2>/dev/null; then fail "deleting twice succeeded"; fi
echo ok
