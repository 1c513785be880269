#!/bin/bash
# Runs inside the lab guest (chrooted into the overlay of the host's /): loads the
# modules the scenarios need, warms up the crypto, then runs every scenario listed in
# /lab/list with a per-scenario timeout, writing "PASS|FAIL name seconds" lines to
# /lab/results and "DONE" to /lab/status at the end.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
. /lab/env
res=/lab/results
: >"$res"
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

t0=$(now)
for m in xfrm_user esp4 esp6 ah4 ah6 xfrm_ipcomp ipcomp ipcomp6 af_key veth \
	authenc authencenc echainiv seqiv gcm ghash-generic cbc ctr des_generic \
	sha512_generic; do
	modprobe -q "$m" 2>/dev/null
done
# The first SA of an algorithm combination instantiates and self-tests its crypto
# templates (seconds under TCG): do it once here, not inside timed scenarios.
ip netns add lab-warm
for a in "enc cbc(aes) 0x00112233445566778899aabbccddeeff auth-trunc hmac(sha256) 0x00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff 128" \
	"aead rfc4106(gcm(aes)) 0x00112233445566778899aabbccddeeff01020304 128"; do
	ip -n lab-warm xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1000 \
		mode transport $a >/dev/null 2>&1
	ip -n lab-warm xfrm state flush
done
ip netns del lab-warm
echo "warmup $(elapsed "$t0" "$(now)")s" >/lab/warmup

while read -r s; do
	[ -n "$s" ] || continue
	name=$(basename "$s" .sh)
	t=$(now)
	timeout -k 5 "${LAB_SCENARIO_TIMEOUT:-300}" bash "$s" >"/lab/$name.log" 2>&1
	rc=$?
	d=$(elapsed "$t" "$(now)")
	# Scenarios must not leak namespaces into the next one.
	for ns in $(ip netns list 2>/dev/null | cut -d' ' -f1); do ip netns del "$ns"; done
	if [ $rc -eq 0 ]; then
		echo "PASS $name ${d}s" >>"$res"
	else
		echo "FAIL $name ${d}s (exit $rc)" >>"$res"
	fi
done </lab/list
echo DONE >/lab/status
sync
