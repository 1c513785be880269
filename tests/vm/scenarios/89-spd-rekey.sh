#!/bin/bash
# Phase 2 rekey on a real kernel: sainfo lifetime 12 s, traffic all along. Across two
# rekeys the byte counters move from the old outbound SA to the new one (the kernel
# uses the newest), old SAs stop counting, and /proc/net/xfrm_stat stays still.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
TMP=$(mktemp -d)
A=198.51.100.1 B=203.0.113.1
cleanup() { spd_stop_all; spd_cleanup_ns spdA spdB spdR; rm -rf "$TMP"; }
trap cleanup EXIT
die() { spd_logs; ip -n spdA -s xfrm state; fail "$*"; }

spd_routed_pair
for x in "spdA $A $B" "spdB $B $A"; do
	set -- $x
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$2 $3 $3 $2 | ip netns exec $1 "$SETKEY" -c || fail "setkey $1"
done
sainfo="lifetime time 12 sec; encryption_algorithm aes 128; authentication_algorithm hmac_sha256; compression_algorithm deflate;"
spd_write_conf a $A $B "$sainfo"
spd_write_conf b $B $A "$sainfo"
spd_start spdA a
spd_start spdB b
spd_ping_until spdA $B || die "the first ping never passed"
st_a=$(spd_xfrm_errors spdA) st_b=$(spd_xfrm_errors spdB)

# bytes SPI: the counters of A's outbound SA with that SPI ("" when gone).
out_spis() { ip -n spdA xfrm state list src $A dst $B | awk '/proto esp/ { print $4 }'; }
bytes() {
	ip -n spdA -s xfrm state get src $A dst $B proto esp spi "$1" 2>/dev/null |
		awk '/lifetime current:/ { getline; sub(/\(bytes\),?/, "", $1); print $1; exit }'
}
newest_used() { # the SPI that counts traffic now: ping once, see whose bytes moved
	local s before=() i=0 spis=($(out_spis))
	for s in "${spis[@]}"; do before[i]=$(bytes "$s"); i=$((i + 1)); done
	ip netns exec spdA ping -c 1 -W 1 $B >/dev/null || return 1
	i=0
	for s in "${spis[@]}"; do
		[ "$(bytes "$s")" != "${before[i]}" ] && { echo "$s"; return 0; }
		i=$((i + 1))
	done
	return 1
}

first=$(newest_used) || die "no outbound SA counts the ping"
echo "outbound SA in use: $first"
used=("$first")
for round in 1 2; do
	cur=${used[-1]}
	n=150 # x 0.2 s plus a ping each: far beyond the 12 s lifetime
	next=""
	while [ $n -gt 0 ]; do
		next=$(newest_used) || true
		[ -n "$next" ] && [ "$next" != "$cur" ] && break
		sleep 0.2; n=$((n - 1))
	done
	[ -n "$next" ] && [ "$next" != "$cur" ] || die "rekey $round: traffic never moved off $cur"
	old=$(bytes "$cur")
	ip netns exec spdA ping -c 3 -i 0.2 -W 1 $B >/dev/null || die "ping after rekey $round"
	[ -z "$old" ] || [ "$(bytes "$cur")" = "$old" ] || [ -z "$(bytes "$cur")" ] ||
		die "rekey $round: the old SA $cur still counts traffic"
	echo "rekey $round: traffic moved from $cur to $next"
	used+=("$next")
done
[ "$(spd_xfrm_errors spdA)" = "$st_a" ] || die "xfrm_stat moved on A: $(spd_xfrm_errors spdA)"
[ "$(spd_xfrm_errors spdB)" = "$st_b" ] || die "xfrm_stat moved on B: $(spd_xfrm_errors spdB)"
grep -q "rekeying" "$TMP/a.log" || die "A logged no rekey"
echo OK
