#!/bin/sh
# Deterministic mutations of setkey scripts through the fuzz harness (make check).
set -eu
corpus="${top_srcdir:-.}/tests/setkey/corpus"
[ -f "$corpus/sa.conf" ] && [ -f "$corpus/spd.conf" ] ||
	{ echo "mutate_setkey: no seed corpus in $corpus" >&2; exit 1; }
exec "${top_builddir:-.}/tests/setkey/mutate_setkey" -n 3000 "$corpus"/*.conf
