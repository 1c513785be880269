#!/bin/sh
# racoon -t and -C on real files: exit codes, FILE:LINE errors, a printout that checks.
set -u
racoon="${top_builddir:-.}/racoon"
src="${top_srcdir:-.}"
dir=$(mktemp -d "${TMPDIR:-/tmp}/racoon-t.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
fail=0
check() { # description, condition result
	if [ "$2" -ne 0 ]; then echo "FAIL: $1" >&2; fail=1; else echo "ok: $1"; fi
}

printf '192.0.2.1 sample-secret\n' > "$dir/psk.txt"
chmod 600 "$dir/psk.txt"
sed "s|/etc/racoon/psk.txt|$dir/psk.txt|" "$src/conf/racoon.conf" > "$dir/good.conf"

"$racoon" -t -f "$dir/good.conf" > "$dir/out" 2> "$dir/err"
check "racoon -t accepts the sample (exit $?)" $?
grep -q "configuration OK" "$dir/out"; check "racoon -t says OK" $?

"$racoon" -C -f "$dir/good.conf" > "$dir/printed.conf" 2> "$dir/err"
check "racoon -C prints the sample" $?
grep -q '^remote 198.51.100.1 {' "$dir/printed.conf"; check "racoon -C shows the remote" $?
grep -q 'pfs_group 14;' "$dir/printed.conf"; check "racoon -C shows resolved values" $?
"$racoon" -t -f "$dir/printed.conf" > /dev/null 2>&1
check "the printout passes racoon -t" $?

sed 's/exchange_mode main;/exchange_mode main/' "$dir/good.conf" > "$dir/bad.conf"
"$racoon" -t -f "$dir/bad.conf" > "$dir/out" 2> "$dir/err"
rc=$?
[ "$rc" -eq 1 ]; check "racoon -t rejects a broken file with exit 1 (got $rc)" $?
line=$(grep -n 'exchange_mode main$' "$dir/bad.conf" | cut -d: -f1)
grep -q "$dir/bad.conf:$line: missing ';'" "$dir/err"; check "the error names FILE:LINE" $?

chmod 644 "$dir/psk.txt"
"$racoon" -t -f "$dir/good.conf" > /dev/null 2> "$dir/err"
rc=$?
[ "$rc" -eq 1 ]; check "racoon -t refuses a world-readable psk.txt (exit $rc)" $?
grep -q "chmod 600" "$dir/err"; check "the message says how to fix it" $?

"$racoon" -t -f "$dir/missing.conf" > /dev/null 2> "$dir/err"
rc=$?
[ "$rc" -eq 1 ]; check "racoon -t on a missing file exits 1 (got $rc)" $?
exit $fail
