#!/bin/sh
# Deterministic mutations (truncations, byte flips, deletions) of the sample and fixture
# configurations through the racoon.conf fuzz harness (make check).
set -eu
src="${top_srcdir:-.}"
set -- "$src"/conf/racoon.conf "$src"/tests/conf/*.conf "$src"/tests/conf/include.d/*.conf \
	"$src"/tests/conf/bad/*.conf
n=0
for f in "$@"; do
	[ -f "$f" ] && n=$((n + 1))
done
if [ "$n" -lt 15 ]; then
	echo "mutate_conf: expected the sample configurations under $src, found $n files" >&2
	exit 1
fi
exec "${top_builddir:-.}/tests/fuzz/mutate_conf" -n 400 "$@"
