#!/bin/bash
# The demo (scripts/demo.sh runs it): two racoon peers, "left" 198.51.100.1 and "right"
# 198.51.100.2, in two network namespaces joined by a veth. setkey installs the policies
# users write; a ping triggers the kernel's ACQUIRE, racoon negotiates Main Mode and
# Quick Mode, both kernels get the SAs, and the ping passes over ESP. Narrated on stdout;
# every step is also checked (exit non-zero on failure).
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
L=198.51.100.1 R=198.51.100.2
cleanup() { spd_stop_all; spd_cleanup_ns left right; rm -rf "$TMP"; }
trap cleanup EXIT
die() { spd_logs; fail "$*"; }
say() { printf '\n=== %s\n' "$*"; }

say "two hosts: left ($L) and right ($R), joined by a veth"
ip netns add left; ip netns add right
ip -n left link add eth0 type veth peer name eth0 netns right
ip -n left addr add $L/24 dev eth0; ip -n right addr add $R/24 dev eth0
for n in left right; do ip -n $n link set eth0 up; ip -n $n link set lo up; done

say "setkey: traffic between them must be ESP-protected (require), both directions"
for side in "left $L $R" "right $R $L"; do
	set -- $side
	cat >"$TMP/$1.setkey" <<X
spdadd $2 $3 any -P out ipsec esp/transport//require;
spdadd $3 $2 any -P in ipsec esp/transport//require;
X
	echo "--- $1: setkey -f"; cat "$TMP/$1.setkey"
	ip netns exec "$1" "$SETKEY" -f "$TMP/$1.setkey" || die "setkey on $1"
done

say "racoon on both sides (pre-shared key, AES + HMAC-SHA256)"
spd_write_conf left $L $R
spd_write_conf right $R $L
sed -n '/^remote/,$p' "$TMP/left.conf"
spd_start left left
spd_start right right
echo "both racoons listen on UDP 500; no SA yet:"
ip -n left xfrm state | grep -c "^src" | sed 's/^/  SAs on left: /'

say "ping $R from left: the first packets trigger the ACQUIRE and the negotiation"
spd_ping_until left $R || die "the ping never passed"
grep -h "info: ike: .*established" "$TMP/left.log" | sed 's/^.*info: ike: /  left racoon: /' | head -3

say "the SAs in both kernels (ip xfrm state)"
for n in left right; do echo "--- $n"; ip -n $n xfrm state | grep -E "^src|proto|enc|auth"; done
[ "$(spd_states left)" = "$(spd_states right)" ] || die "the two kernels' SAs differ"
[ "$(spd_count_states left esp)" = 2 ] || die "left has not exactly 2 ESP SAs"
echo "=> same SPIs, algorithms and keys on both sides, crosswise"

say "racoonctl show-sa ipsec"
for n in left right; do echo "--- $n"; spd_ctl $n show-sa ipsec || die "racoonctl on $n"; done

say "ping over ESP"
ip netns exec left ping -c 3 -i 0.3 -W 2 $R || die "ping over ESP failed"
echo "ESP counters on left (ip -s xfrm state):"
ip -n left -s xfrm state | awk '/^src/ { s = $2 " -> " $4 } /^\t  [0-9]+\(bytes\)/ { sub(/^\t */, ""); print "  " s ": " $0 }' 
spd_stop left || die "racoon left did not exit cleanly"
[ "$(spd_count_states left esp)" = 0 ] || die "left's SAs were not removed at stop"
say "racoon stopped: its SAs are gone, the setkey policies stay. Demo passed."
