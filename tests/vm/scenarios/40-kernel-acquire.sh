#!/bin/bash
# Traffic hitting a `require` policy makes the kernel send an ACQUIRE; we allocate the
# inbound SPI (with the ACQUIRE's seq), install both SAs the way the IKE engine will
# (inbound by sa-update, outbound by sa-add) on both peers, and ping passes over ESP.
set -eu
source "$LAB_SRCDIR/lib.sh"
ns_pair acqA acqB
lpid= upid=
tmp=$(mktemp -d)
trap 'set +e; kill $lpid 2>/dev/null; ip netns del acqA; ip netns del acqB; rm -rf "$tmp"' EXIT
A() { ip netns exec acqA "$KDRV" "$@"; }
B() { ip netns exec acqB "$KDRV" "$@"; }

for d in out in; do
	[ $d = out ] && s=192.0.2.1 t=192.0.2.2 || s=192.0.2.2 t=192.0.2.1
	A pol-add $d $s/32 $t/32 proto 1 tmpl esp transport require 21
	[ $d = out ] && s=192.0.2.2 t=192.0.2.1 || s=192.0.2.1 t=192.0.2.2
	B pol-add $d $s/32 $t/32 proto 1 tmpl esp transport require 21
done

ip netns exec acqA "$KDRV" events count 1 timeout 60 >"$tmp/ev" 2>&1 &
lpid=$!
wait_for 100 grep -q ready "$tmp/ev" || fail "listener not ready"
ip netns exec acqA ping -c1 -W1 192.0.2.2 >/dev/null 2>&1 && fail "ping passed without SAs"
wait_for 100 grep -q '^acquire' "$tmp/ev" || { cat "$tmp/ev"; fail "no ACQUIRE"; }
cat "$tmp/ev"
line=$(grep '^acquire' "$tmp/ev")
grep -q "src 192.0.2.1 dst 192.0.2.2 proto esp reqid 21 policy out 192.0.2.1/32 192.0.2.2/32 proto 1" <<<"$line" ||
	fail "ACQUIRE fields"
seq=$(sed -n 's/^acquire seq \([0-9]*\) .*/\1/p' <<<"$line")
[ "$seq" -gt 0 ] || fail "ACQUIRE seq"

# Inbound SPIs on both sides; A's with the ACQUIRE's seq.
ain=$(A spi 192.0.2.2 192.0.2.1 esp seq "$seq" reqid 21); ain=${ain#spi }
bin=$(B spi 192.0.2.1 192.0.2.2 esp reqid 21); bin=${bin#spi }
k1=00112233445566778899aabbccddeeff0f0e0d0c
k2=ffeeddccbbaa99887766554433221100a0b0c0d0
A sa-update 192.0.2.2 192.0.2.1 esp "$ain" reqid 21 enc aes-gcm-16 $k1 replay 32
A sa-add 192.0.2.1 192.0.2.2 esp "$bin" reqid 21 enc aes-gcm-16 $k2
B sa-update 192.0.2.1 192.0.2.2 esp "$bin" reqid 21 enc aes-gcm-16 $k2 replay 32
B sa-add 192.0.2.2 192.0.2.1 esp "$ain" reqid 21 enc aes-gcm-16 $k1
ip -n acqA xfrm state
# The outbound larval state was replaced: one state per direction.
[ "$(ip -n acqA xfrm state list | grep -c '^src')" = 2 ] || fail "larval state left over"
ip netns exec acqA ping -c3 -i0.2 -W2 192.0.2.2 >/dev/null || fail "ping over ESP"
pk=$(A sa-get 192.0.2.2 esp "$bin" | sed -n 's/.*packets \([0-9]*\).*/\1/p')
[ "$pk" -ge 3 ] || fail "outbound SA counted $pk packets"
pk=$(B sa-get 192.0.2.2 esp "$bin" | sed -n 's/.*packets \([0-9]*\).*/\1/p')
[ "$pk" -ge 3 ] || fail "peer's inbound SA counted $pk packets"
echo ok
