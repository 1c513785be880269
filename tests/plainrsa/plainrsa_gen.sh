#!/bin/sh
# plainrsa-gen end to end (make check): the key file's format and numbers (check_prsa),
# mode 0600 whatever the umask, no overwriting, and option errors (usage, exit 1, no file).
set -eu
b="${top_builddir:-.}"
gen="$b/plainrsa-gen"
check="$b/tests/plainrsa/check_prsa"
d=$(mktemp -d /tmp/plainrsa_gen.XXXXXX)
trap 'rm -rf "$d"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# A 1024-bit key with e=3 (the reference's default) under umask 000: still 0600.
(umask 000 && "$gen" -b 1024 -e 3 -f "$d/k3") || bad "-b 1024 -e 3 -f failed"
[ "$(stat -c %a "$d/k3")" = 600 ] && ok "file mode 0600 under umask 000" || bad "mode $(stat -c %a "$d/k3")"
"$check" "$d/k3" 1024 3 && ok "1024 bits, e=3 consistent" || bad "check_prsa k3"

# Defaults: 2048 bits, e=65537; -e in hex.
"$gen" -f "$d/k" && "$check" "$d/k" 2048 65537 && ok "defaults: 2048 bits, e=65537" || bad "defaults"
"$gen" -b 1536 -e 0x10001 >"$d/stdout" && "$check" "$d/stdout" 1536 65537 &&
	ok "stdout, -e 0x10001" || bad "stdout output"

# Never overwrite: the old key stays as it was.
sum=$(md5sum <"$d/k")
if "$gen" -b 1024 -f "$d/k" 2>"$d/err"; then bad "overwrote an existing file"; fi
[ "$(md5sum <"$d/k")" = "$sum" ] && grep -q "exists" "$d/err" && ok "existing file refused, kept" ||
	bad "existing file changed or no message"
ln -s "$d/elsewhere" "$d/link"
if "$gen" -b 1024 -f "$d/link" 2>/dev/null || [ -e "$d/elsewhere" ]; then bad "followed a symlink"; else ok "symlink refused"; fi

# Option errors: a message, exit 1, no file.
refuse() { # what expect-in-stderr args...
	what=$1 want=$2
	shift 2
	rc=0
	"$gen" -f "$d/none" "$@" >"$d/out" 2>"$d/err" || rc=$?
	if [ "$rc" -eq 1 ] && grep -q -- "$want" "$d/err" && [ ! -e "$d/none" ] && [ ! -s "$d/out" ]; then
		ok "$what refused"
	else
		bad "$what: rc=$rc stderr: $(cat "$d/err")"
	fi
}
refuse "-b 512" "1024 to 16384" -b 512
refuse "-b 1023" "1024 to 16384" -b 1023
refuse "-b 99999" "1024 to 16384" -b 99999
refuse "-b abc" "bits must be" -b abc
refuse "-b -2048" "bits must be" -b -2048
refuse "-e 4 (even)" "must be odd" -e 4
refuse "-e 1" "must be odd" -e 1
refuse "-e 0x100000001" "must be odd" -e 0x100000001
refuse "unknown flag -x" "usage: plainrsa-gen" -x
refuse "missing -b value" "usage: plainrsa-gen" -b
refuse "extra argument" "usage: plainrsa-gen" -b 1024 extra
"$gen" -h >"$d/out" && grep -q "usage: plainrsa-gen" "$d/out" && ok "-h prints usage, exit 0" || bad "-h"

[ "$fails" -eq 0 ] || { echo "plainrsa_gen: $fails failure(s)" >&2; exit 1; }
echo "plainrsa_gen: all passed"
