#!/bin/bash
# setkey on the host kernel (XFRM, no ESP here), inside a network namespace of our own:
# policies added, updated, deleted and dumped, compared with `ip xfrm policy`; parse
# errors apply nothing; a kernel error mid-script reports exactly what was applied.
# Needs root and iproute2; exits 77 (skip) without them.
set -u
SETKEY=${top_builddir:-.}/setkey
NS=setkey-host-$$
TMP=$(mktemp -d)
fails=0

[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
command -v ip >/dev/null || { echo "SKIP: needs iproute2"; exit 77; }
[ -x "$SETKEY" ] || { echo "ERROR: no setkey at $SETKEY"; exit 99; }
ip netns add "$NS" || { echo "SKIP: cannot create a network namespace"; exit 77; }
trap 'ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT

sk() { ip netns exec "$NS" "$SETKEY" "$@"; }
ipx() { ip netns exec "$NS" ip xfrm "$@"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
expect_eq() { [ "$1" = "$2" ] || fail "$3: got [$1], want [$2]"; }

# One normalised line per policy from `ip xfrm policy`: src dst dir priority action and
# the templates as proto/mode/endpoints/reqid/level, sorted.
norm_ip() {
	ipx policy | awk '
	function flush(   act) {
		if (hdr == "") return
		act = blk ? "discard" : tm != "" ? "ipsec" : "none"
		print hdr " " dir " " pr " " act tm; hdr = ""; tm = ""; blk = 0 }
	/^src / { flush(); hdr = $2 " " $4; next }
	/^\tdir / { dir = $2; for (i = 1; i <= NF; i++) if ($i == "priority") pr = $(i + 1)
		    blk = $0 ~ /action block/; next }
	/^\ttmpl / { ts = $3; td = $5; next }
	/^\t\tproto / { for (i = 1; i <= NF; i++) { if ($i == "reqid") r = $(i + 1); if ($i == "mode") m = $(i + 1) }
			ends = m == "transport" ? "-" : ts "-" td
			tm = tm " " $2 "/" m "/" ends "/" r "/required"; next }
	/^\t\tlevel use/ { sub(/\/required$/, "/use", tm); next }
	END { flush() }' | sort
}
# The same from `setkey -DP` (priorities back to numbers, levels as ip names them).
norm_setkey() {
	awk '
	function prio(base, op, n,   b) {
		b = base == "high" ? 1073741824 : base == "low" ? 3221225472 : 2147483648
		return op == "+" ? b - n : op == "-" ? b + n : b }
	/^[^\t]/ { if (rec != "") print rec; s = $1; d = $2; sub(/\[.*/, "", s); sub(/\[.*/, "", d); rec = s " " d; next }
	/^\t(in|out|fwd) / { p = NF == 6 ? prio($3, $4, $5) : prio($3, "", 0); rec = rec " " $1 " " sprintf("%.0f", p) " " $NF; next }
	/^\t(esp|ah|ipcomp)\// { split(substr($1, 1), t, "/"); lv = t[4]; r = 0
		if (lv ~ /^unique:/) { r = substr(lv, 8); lv = "required" } else if (lv == "require" || lv == "unique") lv = "required"
		ends = t[3] == "" ? "-" : t[3]
		rec = rec " " t[1] "/" t[2] "/" ends "/" r "/" lv; next }
	END { if (rec != "") print rec }
	' | sort
}

compare_dumps() { # $1: what; the SPD as setkey -k shows it must be what ip shows
	local a b
	a=$(sk -k -DP | norm_setkey)
	b=$(norm_ip)
	[ "$a" = "$b" ] || fail "$1: setkey -k -DP and ip xfrm policy differ:
--- setkey
$a
--- ip xfrm policy
$b"
}

# 1. A parse error applies nothing and names file:line:column.
cat >"$TMP/bad.conf" <<'X'
spdadd 192.0.2.0/24 198.51.100.0/24 any -P out none;
spdadd 192.0.2.0/24 198.51.100.0/24 any
	-P out ipsec esp/transport//mandatory;
X
sk -f "$TMP/bad.conf" 2>"$TMP/err"
expect_eq "$?" 1 "exit status after a parse error"
grep -q "bad.conf:3:30: unexpected 'mandatory': expected a level" "$TMP/err" ||
	fail "parse error message: $(cat "$TMP/err")"
expect_eq "$(ipx policy | wc -l)" 0 "policies after a parse error"

# 2. -n checks and applies nothing, even for a good script.
cat >"$TMP/good.conf" <<'X'
# both directions of a tunnel, a bypass, a block, IPv6 with ports and two rules
spdadd 192.0.2.0/24 198.51.100.0/24 any -P out ipsec
	esp/tunnel/203.0.113.1-203.0.113.2/require;
spdadd 198.51.100.0/24 192.0.2.0/24 any -P in prio high + 3 ipsec
	esp/tunnel/203.0.113.2-203.0.113.1/unique:7;
spdadd 192.0.2.1[500] 198.51.100.0/24[any] udp -P out prio low - 7 none;
spdadd 192.0.2.9 198.51.100.9 tcp -P out prio 100 discard;
spdadd 2001:db8::/32[80] 2001:db8:1::/48 tcp -P in ipsec
	esp/transport//use ah/transport//unique:5;
X
sk -n -f "$TMP/good.conf" || fail "-n rejected a good script"
expect_eq "$(ipx policy | wc -l)" 0 "policies after -n"
expect_eq "$(sk -n -v -f "$TMP/good.conf" | wc -l)" 5 "-n -v prints one line per command"

# 3. Applied: 5 policies plus a fwd twin for each of the 2 "in" policies (RFC mode).
sk -f "$TMP/good.conf" || fail "good script failed"
expect_eq "$(ipx policy | grep -c '^src ')" 7 "policies in the kernel"
expect_eq "$(ipx policy | grep -c 'dir fwd')" 2 "fwd twins"
expect_eq "$(sk -DP | grep -c 'spid=')" 5 "setkey -DP hides the twins"
expect_eq "$(sk -k -DP | grep -c 'spid=')" 7 "setkey -k -DP shows them"
compare_dumps "after spdadd"
ipx policy | grep -q 'dir in priority 1073741821' || fail "prio high + 3 is not 1073741821"
ipx policy | grep -q 'proto udp sport 500' || fail "port selector missing"
ipx policy | grep -A1 '^src 192.0.2.9/32' | grep -q 'action block priority 2147483548' ||
	fail "prio 100 discard"
sk -DP | grep -q 'esp/tunnel/203.0.113.2-203.0.113.1/unique:7' || fail "tunnel rule in -DP"

# 4. spdupdate replaces, spddelete of an "in" policy takes its twin too.
printf '%s\n' 'spdupdate 192.0.2.9 198.51.100.9 tcp -P out prio 100 none;' \
	'spddelete 198.51.100.0/24 192.0.2.0/24 any -P in;' | sk -c || fail "update/delete"
ipx policy | grep -A1 '^src 192.0.2.9/32' | grep -q 'action block' && fail "spdupdate kept block"
expect_eq "$(ipx policy | grep -c '^src ')" 5 "policies after spddelete in"
compare_dumps "after spdupdate and spddelete"
sk -f /dev/stdin <<<'spddelete 192.0.2.77 198.51.100.77 any -P out;' 2>"$TMP/err" &&
	fail "deleting a missing policy succeeded"
grep -q ':1:1: spddelete failed: out policy: No such file or directory' "$TMP/err" ||
	fail "missing-policy message: $(cat "$TMP/err")"

# 5. A kernel error mid-script: two spdadds, then an SA this kernel refuses (no ESP).
sk -FP || fail "-FP"
expect_eq "$(ipx policy | wc -l)" 0 "policies after -FP"
cat >"$TMP/mid.conf" <<'X'
spdadd 192.0.2.1 198.51.100.1 any -P out ipsec esp/transport//require;
spdadd 192.0.2.2 198.51.100.2 any -P out ipsec esp/transport//require;
add 192.0.2.1 198.51.100.1 esp 0x1000 -E aes-cbc 0x00112233445566778899aabbccddeeff
	-A hmac-sha256 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff;
spdadd 192.0.2.3 198.51.100.3 any -P out ipsec esp/transport//require;
X
fail_at="mid.conf:3:1: add failed: "
report="mid.conf: applied 2 of 4 commands (lines 1-2); not applied: lines 3-5"
if ip netns exec "$NS" ip xfrm state add src 192.0.2.1 dst 198.51.100.1 proto esp spi 0x1000 \
	enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff 2>/dev/null; then
	echo "note: this kernel has ESP; the mid-script error uses a duplicate SA instead"
	ipx state flush
	sed -i 's/^spdadd 192.0.2.3/add 192.0.2.1 198.51.100.1 esp 0x1000 -E null -A hmac-md5 0x00112233445566778899aabbccddeeff;\nspdadd 192.0.2.3/' "$TMP/mid.conf"
	fail_at="mid.conf:5:1: add failed: File exists"
	report="mid.conf: applied 3 of 5 commands (lines 1-4); not applied: lines 5-6"
fi
sk -f "$TMP/mid.conf" 2>"$TMP/err"
expect_eq "$?" 1 "exit status after a kernel error"
grep -qF "$fail_at" "$TMP/err" || fail "failing line: $(cat "$TMP/err")"
grep -qF "$report" "$TMP/err" ||
	fail "applied-lines report: $(cat "$TMP/err")"
expect_eq "$(ipx policy | grep -c '^src ')" 2 "policies after the failed script"
ipx policy | grep -q '^src 192.0.2.3/32' && fail "a command after the failure was applied"

# 5b. Several files: all are parsed first; the report names each file's fate.
sk -FP
printf 'spdadd 192.0.2.5 198.51.100.5 any -P out none;\n' >"$TMP/f1.conf"
printf '# dup\nspdadd 192.0.2.5 198.51.100.5 any -P out none;\n' >"$TMP/f2.conf"
printf 'spdadd 192.0.2.6 198.51.100.6 any -P out none;\n' >"$TMP/f3.conf"
printf 'spdadd 192.0.2.7 198.51.100.7 any -P out none;\nspdadd 192.0.2.8 x any -P out none;\n' >"$TMP/f4.conf"
sk "$TMP/f1.conf" "$TMP/f4.conf" 2>"$TMP/err" && fail "a parse error in the second file"
grep -qF "f4.conf:2:18: invalid address 'x'" "$TMP/err" || fail "f4 parse error: $(cat "$TMP/err")"
expect_eq "$(ipx policy | wc -l)" 0 "policies after a parse error in a later file"
sk "$TMP/f1.conf" "$TMP/f2.conf" "$TMP/f3.conf" 2>"$TMP/err" && fail "duplicate in f2 accepted"
grep -qF "f1.conf: applied all 1 commands" "$TMP/err" || fail "f1 report: $(cat "$TMP/err")"
grep -qF "f2.conf: applied 0 of 1 commands; not applied: line 2" "$TMP/err" || fail "f2 report"
grep -qF "f3.conf: not applied (an earlier file failed)" "$TMP/err" || fail "f3 report"
expect_eq "$(ipx policy | grep -c '^src ')" 1 "policies after f2 failed"

# 6. -D on a kernel without SAs, -F, and the SAD/SPD empty at the end.
sk -FP && sk -F || fail "flushes"
expect_eq "$(sk -D)" "No SAD entries." "-D output"
expect_eq "$(sk -DP)" "No SPD entries." "-DP output"

# 7. -x prints policy events made by others (ip xfrm) until it is stopped. The monitor
# has no readiness signal: add policies until the first one shows up (bounded).
ip netns exec "$NS" "$SETKEY" -x >"$TMP/mon" 2>&1 &
mon=$!
seen=
for i in $(seq 1 50); do
	ipx policy add src 192.0.2.$i dst 198.51.100.1 dir out action block
	if grep -q '^	out prio ' "$TMP/mon"; then seen=$i; break; fi
	sleep 0.1
done
[ -n "$seen" ] || fail "-x printed no spdadd event"
ipx policy flush
for i in $(seq 1 50); do grep -q ' spdflush$' "$TMP/mon" && break; sleep 0.1; done
grep -q ' spdflush$' "$TMP/mon" || fail "-x printed no spdflush event"
grep -q "^192.0.2.$seen/32\[any\] 198.51.100.1/32\[any\] any$" "$TMP/mon" ||
	fail "-x event selector: $(cat "$TMP/mon")"
kill "$mon"
wait "$mon"
expect_eq "$?" 0 "setkey -x exit status after SIGTERM"

[ "$fails" = 0 ] && echo "PASS: setkey host policies" && exit 0
exit 1
