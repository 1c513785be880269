#!/bin/bash
# Events flooded into a tiny receive buffer: the backend sees ENOBUFS and resynchronises
# from the kernel: our SA that vanished meanwhile is reported as a hard EXPIRE, then a
# RESYNC event with the counts.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add nob
lpid= upid=
tmp=$(mktemp -d)
trap 'set +e; kill $lpid 2>/dev/null; ip netns del nob; rm -rf "$tmp"' EXIT
run() { ip netns exec nob "$KDRV" -s "$tmp" "$@"; }
k16=00112233445566778899aabbccddeeff
for spi in 0x5001 0x5002 0x5003; do
	run sa-add 192.0.2.1 192.0.2.2 esp $spi reqid 4 enc aes-cbc $k16 auth hmac-sha1 ${k16}00112233
done
# The listener subscribes with a 4 KiB buffer, then does not read until $tmp/go exists.
ip netns exec nob "$KDRV" -s "$tmp" events rcvbuf 4096 wait "$tmp/go" timeout 60 >"$tmp/ev" 2>&1 &
lpid=$!
wait_for 100 grep -q ready "$tmp/ev" || fail "listener not ready"
# Behind our back: one of our SAs disappears (no event for that: SA group not joined).
ip -n nob xfrm state delete src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x5002
# Flood: 200 policy additions, far beyond 4 KiB of notifications.
for i in $(seq 1 200); do
	echo "xfrm policy add src 198.51.100.$((i % 250))/32 dst 203.0.113.$((i / 250 + 1))/32 dir out priority $i"
done >"$tmp/batch"
ip -n nob -batch "$tmp/batch"
touch "$tmp/go"
wait_for 150 grep -q '^resync' "$tmp/ev" || { head -5 "$tmp/ev"; fail "no RESYNC"; }
grep -q '^expire hard spi 0x00005002 esp dst 192.0.2.2 reqid 4$' "$tmp/ev" || fail "lost SA not reported"
grep -q '^resync lost 1 present 2$' "$tmp/ev" || { grep resync "$tmp/ev"; fail "resync counts"; }
n=$(grep -c '^policy-added' "$tmp/ev" || true)
echo "policy events delivered before the overflow: $n of 200"
[ "$n" -lt 200 ] || fail "no events were lost: the test did not overflow the buffer"
echo ok
