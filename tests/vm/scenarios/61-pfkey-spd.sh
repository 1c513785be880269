#!/bin/bash
# The PF_KEY backend's SPD calls (kernel-driver -b pfkey) checked with `ip xfrm policy`:
# templates and levels, priorities (the same kernel values as the XFRM backend
# installs), discard, IPv6, dump, update, delete.
set -eu
source "$LAB_SRCDIR/lib.sh"
NS=pfk
ip netns add $NS
ip netns add pfk-x
trap 'ip netns del $NS; ip netns del pfk-x' EXIT
pk() { timeout 60 ip netns exec $NS "$KDRV" -b pfkey "$@"; }
say() { echo "$(date +%T) ok $*"; }

# ---- Policies: templates, levels, priorities (the same kernel values as XFRM) -------
pol_args=(out 192.0.2.0/24 198.51.100.0/24 proto 6 dport 80 prio 1000
	tmpl esp tunnel:192.0.2.1:198.51.100.1 require 7)
pk pol-add "${pol_args[@]}"
ip netns exec pfk-x "$KDRV" -b xfrm pol-add "${pol_args[@]}"
norm() { ip -n "$1" xfrm policy | sed 's/ index [0-9]*//; s/^\s*//' | sort; }
[ "$(norm $NS)" = "$(norm pfk-x)" ] ||
	fail "pfkey and xfrm installed different policies: $(norm $NS) /// $(norm pfk-x)"
ip -n $NS xfrm policy | grep -q 'dir out priority 1000' || fail "priority: $(ip -n $NS xfrm policy)"
ip -n $NS xfrm policy | grep -q 'reqid 7 mode tunnel' || fail "template: $(ip -n $NS xfrm policy)"
pk pol-add in 198.51.100.0/24 192.0.2.0/24 tmpl esp transport use 0 tmpl comp transport require 0
ip -n $NS xfrm policy | grep -A4 'dir in' | grep -q 'level use' || fail "use level"
pk pol-add fwd 203.0.113.0/24 192.0.2.0/24 action discard
ip -n $NS xfrm policy | grep -A2 'src 203.0.113.0/24' | grep -q 'action block' || fail "discard policy"
pk pol-add out 2001:db8:1::/48 2001:db8:2::/48 tmpl ah transport unique 12
ip -n $NS xfrm policy | grep -A3 'src 2001:db8:1::/48' | grep -q 'reqid 12' || fail "IPv6 policy"
pk pol-add out 192.0.2.0/24 198.51.100.0/24 proto 6 dport 80 tmpl esp transport require 0 2>/dev/null &&
	fail "adding an existing policy succeeded"
pk pol-dump >/tmp/pfk-pol.$$
[ "$(wc -l </tmp/pfk-pol.$$)" = 4 ] || fail "pol-dump: $(cat /tmp/pfk-pol.$$)"
grep -q '^out 192.0.2.0/24 198.51.100.0/24 proto 6 prio 1000 ipsec tmpl esp tunnel reqid 7$' /tmp/pfk-pol.$$ ||
	fail "pol-dump line: $(cat /tmp/pfk-pol.$$)"
pk pol-update out 192.0.2.0/24 198.51.100.0/24 proto 6 dport 80 prio 2000 tmpl esp transport require 0
ip -n $NS xfrm policy | grep -q 'dir out priority 2000' || fail "pol-update"
pk pol-del out 192.0.2.0/24 198.51.100.0/24 proto 6 dport 80
! ip -n $NS xfrm policy | grep -q 'priority 2000' || fail "pol-del left the policy"
pk pol-del out 192.0.2.0/24 198.51.100.0/24 proto 6 dport 80 2>/dev/null && fail "deleting twice"
say "policies (add, same as xfrm, levels, discard, IPv6, dump, update, delete)"


# ---- flush-own: exactly what we installed (policy found by dump, SA checked by GET) --
K16=00112233445566778899aabbccddeeff
st=$(mktemp -d)
pk -s "$st" pol-add out 203.0.113.0/24 198.51.100.0/24 prio 5 tmpl esp transport require 0
pk -s "$st" sa-add 192.0.2.1 192.0.2.2 esp 0x6001 reqid 4 enc aes-cbc 0x$K16 \
	auth hmac-sha1 0x${K16}00112233
ip -n $NS xfrm policy add src 203.0.113.0/24 dst 192.0.2.0/24 dir out
ip -n $NS xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x6002 \
	enc 'cbc(aes)' 0x$K16
out=$(pk -s "$st" flush-own)
[ "$out" = "removed 2" ] || fail "flush-own: $out"
! ip -n $NS xfrm state | grep -q 'spi 0x00006001' || fail "flush-own left our SA"
ip -n $NS xfrm state | grep -q 'spi 0x00006002' || fail "flush-own removed a foreign SA"
! ip -n $NS xfrm policy | grep -q 'src 203.0.113.0/24 dst 198.51.100.0/24' ||
	fail "flush-own left our policy"
ip -n $NS xfrm policy | grep -q 'src 203.0.113.0/24 dst 192.0.2.0/24' ||
	fail "flush-own removed a foreign policy"
rm -rf "$st"
say "flush-own removed our SA and policy only"
