#!/bin/sh
# Integration test: record fresh IKEv1 exchanges from two strongSwan charons (new nonces,
# DH values, cookies and SPIs every run) and replay them through our Oakley code with
# test_crypto_oakley. Needs root, network namespaces and strongSwan (see README.md);
# exits 77 (SKIP) when those are missing, never passes without running.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
if [ "$(id -u)" != 0 ] || [ ! -x /usr/lib/ipsec/charon ] || ! command -v swanctl >/dev/null ||
	! command -v python3 >/dev/null || ! command -v openssl >/dev/null; then
	echo "SKIP: needs root, strongswan-charon, strongswan-swanctl, python3 and openssl" >&2
	exit 77
fi
TMP=$(mktemp -d /tmp/racoon-live-oracle.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
mkdir -p "$TMP/tests/oracle/fixtures"
"$top_srcdir/tests/oracle/record-strongswan.sh" "$TMP/rec" 2>"$TMP/record.err" || {
	grep -v "opening directory" "$TMP/record.err" >&2
	exit 1
}
cp "$TMP"/rec/*.txt "$TMP/tests/oracle/fixtures/"
n=$(ls "$TMP"/tests/oracle/fixtures/*.txt | wc -l)
echo "recorded $n exchanges"
top_srcdir=$TMP "$top_builddir/tests/unit/test_crypto_oakley"
