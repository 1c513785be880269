#!/bin/bash
# Host test of the XFRM backend (no ESP needed): policies added, updated, dumped and
# deleted through the backend in a namespace of our own; POLICY events; SPI allocation;
# flush-own removes only our policies. Exit 77 (skip) without root or iproute2.
set -eu
drv=${top_builddir:-.}/tests/vm/kernel-driver
if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || [ ! -x "$drv" ]; then
	echo "xfrm-policy: needs root, iproute2 and $drv" >&2
	exit 77
fi
drv=$(cd "$(dirname "$drv")" && pwd)/kernel-driver
ns=racoon-xfrm-$$
tmp=$(mktemp -d)
lpid=
cleanup() { set +e; [ -z "$lpid" ] || kill "$lpid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
ip netns add "$ns"
run() { ip netns exec "$ns" "$drv" "$@"; }
wait_for() { local n=$1; shift; while [ "$n" -gt 0 ]; do "$@" && return 0; n=$((n - 1)); sleep 0.1; done; return 1; }

ip netns exec "$ns" "$drv" events count 3 timeout 30 >"$tmp/ev" 2>&1 &
lpid=$!
wait_for 100 grep -q ready "$tmp/ev" || fail "listener"

run -s "$tmp" pol-add out 192.0.2.0/24 198.51.100.0/24 prio 100 tmpl esp tunnel:203.0.113.1:203.0.113.2 require 5
run -s "$tmp" pol-add in 198.51.100.0/24 192.0.2.0/24 prio 100 tmpl esp tunnel:203.0.113.2:203.0.113.1 require 5
run -s "$tmp" pol-add fwd 2001:db8:1::/48 2001:db8:2::/48 proto 17 sport 500 prio 7 tmpl esp transport use 0
ip -n "$ns" xfrm policy add src 203.0.113.0/24 dst 198.51.100.0/24 dir out priority 9 \
	tmpl proto esp mode transport reqid 3
run pol-add out 192.0.2.0/24 198.51.100.0/24 tmpl esp transport require 0 2>/dev/null && fail "duplicate"

p=$(ip -n "$ns" xfrm policy list)
grep -q "src 192.0.2.0/24 dst 198.51.100.0/24 *$" <<<"$p" || fail "out policy missing"
grep -A4 "dir out priority 100" <<<"$p" | grep -q "tmpl src 203.0.113.1 dst 203.0.113.2" || fail "tunnel tmpl"
grep -q "src 2001:db8:1::/48 dst 2001:db8:2::/48 proto udp sport 500" <<<"$p" || fail "v6 selector"
grep -A4 "dir fwd priority 7" <<<"$p" | grep -q "level use" || fail "use level"

d=$(run pol-dump)
[ "$(grep -c . <<<"$d")" = 4 ] || { echo "$d"; fail "dump count"; }
grep -qx "out 192.0.2.0/24 198.51.100.0/24 proto 0 prio 100 ipsec tmpl esp tunnel reqid 5" <<<"$d" || fail "dump"
run -s "$tmp" pol-update in 198.51.100.0/24 192.0.2.0/24 prio 200 action discard
ip -n "$ns" xfrm policy get dir in src 198.51.100.0/24 dst 192.0.2.0/24 | grep -q "action block priority 200" || fail "update"

wait_for 100 grep -q '^policy-added .*by' "$tmp/ev" || true
wait_for 100 test "$(grep -c '^policy-added' "$tmp/ev")" -ge 3 || { cat "$tmp/ev"; fail "policy events"; }
grep -q '^policy-added out 192.0.2.0/24 198.51.100.0/24 proto 0 prio 100 ipsec tmpl esp tunnel reqid 5$' "$tmp/ev" ||
	fail "policy event content"

# SPI allocation works without ESP (the larval state needs no transform).
spi=$(run spi 192.0.2.2 192.0.2.1 esp reqid 5)
ip -n "$ns" xfrm state list | grep -q "spi ${spi#spi } reqid 5" || fail "allocspi"

# Only ours go; the one added with ip xfrm stays.
[ "$(run -s "$tmp" flush-own)" = "removed 3" ] || fail "flush-own count"
d=$(run pol-dump)
[ "$(grep -c . <<<"$d")" = 1 ] || { echo "$d"; fail "flush-own left"; }
grep -q "^out 203.0.113.0/24 198.51.100.0/24" <<<"$d" || fail "foreign policy removed"
run pol-del out 203.0.113.0/24 198.51.100.0/24
run pol-del out 203.0.113.0/24 198.51.100.0/24 2>/dev/null && fail "double delete"
[ -z "$(ip -n "$ns" xfrm policy list)" ] || fail "policies left"
echo "xfrm-policy: ok"
