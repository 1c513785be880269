#!/bin/bash
# After a SIGKILL, a restart with the same state folder removes exactly the SAs and
# policies racoon installed; those added with `ip xfrm` (also one reusing a SPI we once
# had, with another reqid) stay.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add own
kpid=
tmp=$(mktemp -d)
trap 'set +e; kill -9 $kpid 2>/dev/null; ip netns del own; rm -rf "$tmp"' EXIT
run() { ip netns exec own "$KDRV" -s "$tmp" "$@"; }
k16=00112233445566778899aabbccddeeff
sa() { echo "$1 $2 esp $3 reqid $4 enc aes-cbc $k16 auth hmac-sha256 $k16$k16"; }

# racoon's: three SAs, two policies; the last SA added by a process we then kill -9.
run sa-add $(sa 192.0.2.1 192.0.2.2 0x6001 8)
run sa-add $(sa 192.0.2.2 192.0.2.1 0x6002 8)
run pol-add out 192.0.2.1/32 192.0.2.2/32 prio 50 tmpl esp transport require 8
run pol-add in 192.0.2.2/32 192.0.2.1/32 prio 50 tmpl esp transport require 8
run sa-add $(sa 192.0.2.1 192.0.2.2 0x6005 8)
ip netns exec own "$KDRV" -s "$tmp" -k sa-add $(sa 192.0.2.1 192.0.2.3 0x6003 8) &
kpid=$!
wait_for 100 ip -n own xfrm state get src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x6003 >/dev/null ||
	fail "SA of the killed process"
kill -9 $kpid
wait $kpid 2>/dev/null || true

# Someone else's: an SA and policies added with ip xfrm, and SPI 0x6005 replaced.
ip -n own xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x7001 reqid 8 mode transport \
	enc 'cbc(aes)' 0x$k16 auth-trunc 'hmac(sha256)' 0x$k16$k16 128
ip -n own xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x6005
ip -n own xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x6005 reqid 99 mode transport \
	enc 'cbc(aes)' 0x$k16 auth-trunc 'hmac(sha256)' 0x$k16$k16 128
ip -n own xfrm policy add src 192.0.2.1/32 dst 192.0.2.9/32 dir out priority 60 \
	tmpl proto esp mode transport reqid 8
ip -n own xfrm policy update src 192.0.2.2/32 dst 192.0.2.1/32 dir in priority 70 \
	tmpl proto esp mode transport reqid 8

cat "$tmp/kernel-owned"
out=$(run flush-own)
echo "$out"
[ "$out" = "removed 4" ] || fail "expected 4 removals (3 SAs, 1 policy)"
st=$(ip -n own xfrm state list)
pol=$(ip -n own xfrm policy list)
echo "$st"; echo "$pol"
for spi in 0x00006001 0x00006002 0x00006003; do
	grep -q "spi $spi" <<<"$st" && fail "our SA $spi survived"
done
grep -q "spi 0x00007001" <<<"$st" || fail "foreign SA removed"
grep -q "spi 0x00006005 reqid 99" <<<"$st" || fail "replaced SA removed"
grep -q "src 192.0.2.1/32 dst 192.0.2.2/32" <<<"$pol" && fail "our policy survived"
grep -q "src 192.0.2.1/32 dst 192.0.2.9/32" <<<"$pol" || fail "foreign policy removed"
grep -q "priority 70" <<<"$pol" || fail "replaced policy removed"
# Nothing is left on record: a second run removes nothing.
[ "$(run flush-own)" = "removed 0" ] || fail "second flush"
echo ok
