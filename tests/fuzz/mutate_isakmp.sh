#!/bin/sh
# Deterministic mutations of the ISAKMP seed corpus through the fuzz harness (make check).
set -eu
corpus="${top_srcdir:-.}/tests/fuzz/corpus/isakmp"
n=0
for f in "$corpus"/*.bin; do
	[ -f "$f" ] && n=$((n + 1))
done
if [ "$n" -lt 15 ]; then
	echo "mutate_isakmp: expected the seed corpus in $corpus, found $n files" >&2
	exit 1
fi
exec "${top_builddir:-.}/tests/fuzz/mutate_isakmp" -n 1500 "$corpus"/*.bin
