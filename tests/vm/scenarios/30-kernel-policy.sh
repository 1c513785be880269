#!/bin/bash
# Policies in, out and fwd with priorities and templates; update; delete; dump.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add pol
trap 'ip netns del pol' EXIT
run() { ip netns exec pol "$KDRV" "$@"; }
run pol-add out 192.0.2.0/24 198.51.100.0/24 prio 1000 tmpl esp tunnel:203.0.113.1:203.0.113.2 require 5
run pol-add in 198.51.100.0/24 192.0.2.0/24 prio 1000 tmpl esp tunnel:203.0.113.2:203.0.113.1 require 5
run pol-add fwd 198.51.100.0/24 192.0.2.0/24 prio 1000 tmpl esp tunnel:203.0.113.2:203.0.113.1 use 5
run pol-add out 2001:db8:1::/48 2001:db8:2::/48 proto 6 dport 443 prio 10 tmpl ah transport require 0 tmpl esp transport unique 9
run pol-add out 192.0.2.7/32 192.0.2.8/32 action discard prio 3
if run pol-add out 192.0.2.0/24 198.51.100.0/24 prio 1 tmpl esp transport require 0 2>/dev/null; then
	fail "duplicate policy accepted"
fi
p=$(ip -n pol xfrm policy list)
echo "$p"
grep -A3 "dir fwd priority 1000" <<<"$p" | grep -q "level use" || fail "fwd use level"
grep -q "src 2001:db8:1::/48 dst 2001:db8:2::/48 proto tcp dport 443" <<<"$p" || fail "v6 selector"
grep -q "dir out action block priority 3" <<<"$p" || fail "discard"
run pol-update out 192.0.2.0/24 198.51.100.0/24 prio 1500 tmpl esp tunnel:203.0.113.1:203.0.113.2 require 6
ip -n pol xfrm policy get dir out src 192.0.2.0/24 dst 198.51.100.0/24 | grep -q "priority 1500" || fail "update"
d=$(run pol-dump)
echo "$d"
[ "$(grep -c . <<<"$d")" = 5 ] || fail "dump count"
grep -q "^out 2001:db8:1::/48 2001:db8:2::/48 proto 6 prio 10 ipsec tmpl ah transport reqid 0 tmpl esp transport reqid 9$" <<<"$d" || fail "dump v6"
grep -q "^out 192.0.2.0/24 198.51.100.0/24 proto 0 prio 1500 ipsec tmpl esp tunnel reqid 6$" <<<"$d" || fail "dump update"
run pol-del out 192.0.2.0/24 198.51.100.0/24
run pol-del out 2001:db8:1::/48 2001:db8:2::/48 proto 6 dport 443
if run pol-del out 192.0.2.0/24 198.51.100.0/24 2>/dev/null; then fail "double delete"; fi
[ "$(run pol-dump | grep -c .)" = 3 ] || fail "after delete"
echo ok
