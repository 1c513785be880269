#!/bin/bash
# NAT-T: an ESP-in-UDP packet arriving from another source port than the SA's makes the
# kernel send a MAPPING event with the old and new address/port.
set -eu
source "$LAB_SRCDIR/lib.sh"
ns_pair mapA mapB
lpid= upid=
tmp=$(mktemp -d)
trap 'set +e; kill $lpid $upid 2>/dev/null; ip netns del mapA; ip netns del mapB; rm -rf "$tmp"' EXIT
A() { ip netns exec mapA "$KDRV" "$@"; }
B() { ip netns exec mapB "$KDRV" "$@"; }
k20=00112233445566778899aabbccddeeff01020304
# A sends from UDP port 4501, but B's SA expects the peer at 4500.
A pol-add out 192.0.2.1/32 192.0.2.2/32 proto 17 dport 9 tmpl esp transport require 31
A sa-add 192.0.2.1 192.0.2.2 esp 0x8001 reqid 31 enc aes-gcm-16 $k20 encap 4501 4500
B sa-add 192.0.2.1 192.0.2.2 esp 0x8001 reqid 31 enc aes-gcm-16 $k20 encap 4500 4500 replay 32
# B's NAT-T socket: UDP 4500 with UDP_ENCAP_ESPINUDP, opened through the backend's
# kernel_socket_udp_encap().
ip netns exec mapB "$KDRV" udp-encap 192.0.2.2 4500 120 >"$tmp/udp" 2>&1 &
upid=$!
ip netns exec mapB "$KDRV" events count 1 timeout 60 >"$tmp/ev" 2>&1 &
lpid=$!
wait_for 100 grep -q ready "$tmp/ev" || fail "listener not ready"
wait_for 100 grep -q ready "$tmp/udp" || { cat "$tmp/udp"; fail "no NAT-T socket"; }
for i in 1 2 3; do
	ip netns exec mapA bash -c 'echo x >/dev/udp/192.0.2.2/9' 2>/dev/null || true
	grep -q '^mapping' "$tmp/ev" && break
	sleep 0.5
done
wait_for 50 grep -q '^mapping' "$tmp/ev" || { cat "$tmp/ev"; ip -n mapB -s xfrm state; fail "no MAPPING"; }
cat "$tmp/ev"
grep -q '^mapping spi 0x00008001 old 192.0.2.1\[4500\] new 192.0.2.1\[4501\]$' "$tmp/ev" ||
	fail "MAPPING fields"
echo ok
