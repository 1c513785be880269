#!/bin/bash
# Soft and hard EXPIRE by time, and a hard POLEXPIRE, reach the event callback.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add exp
lpid= upid=
tmp=$(mktemp -d)
trap 'set +e; kill $lpid 2>/dev/null; ip netns del exp; rm -rf "$tmp"' EXIT
run() { ip netns exec exp "$KDRV" "$@"; }
ip netns exec exp "$KDRV" events timeout 60 >"$tmp/ev" 2>&1 &
lpid=$!
wait_for 100 grep -q ready "$tmp/ev" || fail "listener not ready"
k16=00112233445566778899aabbccddeeff
run sa-add 192.0.2.1 192.0.2.2 esp 0x4242 reqid 3 enc aes-cbc $k16 auth hmac-sha256 $k16$k16 \
	soft-add 1 hard-add 3
run pol-add out 192.0.2.9/32 192.0.2.10/32 hard-add 2 tmpl esp transport require 0
wait_for 150 grep -q '^expire hard' "$tmp/ev" || { cat "$tmp/ev"; fail "no hard EXPIRE"; }
wait_for 150 grep -q '^polexpire' "$tmp/ev" || { cat "$tmp/ev"; fail "no POLEXPIRE"; }
cat "$tmp/ev"
grep -q '^expire soft spi 0x00004242 esp dst 192.0.2.2 reqid 3$' "$tmp/ev" || fail "soft EXPIRE"
grep -q '^expire hard spi 0x00004242 esp dst 192.0.2.2 reqid 3$' "$tmp/ev" || fail "hard EXPIRE"
[ "$(grep -n '^expire' "$tmp/ev" | head -1 | grep -c soft)" = 1 ] || fail "soft after hard"
grep -q '^policy-added out 192.0.2.9/32 192.0.2.10/32' "$tmp/ev" || fail "policy event"
grep -q '^polexpire out 192.0.2.9/32 192.0.2.10/32' "$tmp/ev" || fail "POLEXPIRE fields"
[ -z "$(ip -n exp xfrm state list)" ] || fail "SA still there after hard expiry"
[ -z "$(ip -n exp xfrm policy list)" ] || fail "policy still there after POLEXPIRE"
echo ok
