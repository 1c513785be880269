#!/bin/bash
# Not a scenario: records the kernel's XFRM messages used as unit test fixtures
# (tests/unit/fixtures/kernel/). Run it in the lab and copy the results:
#   RACOON_LAB_KEEP=1 top_builddir=$PWD $srcdir/tests/vm/lab.sh $srcdir/tests/vm/record-fixtures.sh
#   cp /var/tmp/racoon-lab-run.*/fixtures/*.bin $srcdir/tests/unit/fixtures/kernel/
# Everything is installed with `ip xfrm`, not with our backend, so the fixtures show
# what the kernel says about SAs made by someone else.
set -eu
source "$LAB_SRCDIR/lib.sh"
REC=$LAB_BUILDDIR/tests/vm/xfrm-record
out=/lab/fixtures
mkdir -p "$out"
k16=00112233445566778899aabbccddeeff
k20=${k16}01020304
k64=$k16$k16$k16$k16

# record KIND NAME CMD...: run CMD in a fresh namespace, save the dump's only message.
record() {
	local kind=$1 name=$2; shift 2
	local d; d=$(mktemp -d)
	ip netns add rec
	ip netns exec rec "$@"
	ip netns exec rec "$REC" "$kind" "$d"
	ip netns del rec
	[ -f "$d/$kind-0.bin" ] && [ ! -f "$d/$kind-1.bin" ] || fail "$name: expected one message"
	mv "$d/$kind-0.bin" "$out/$kind-$name.bin"
	rm -rf "$d"
}
X="ip xfrm state add src 192.0.2.1 dst 192.0.2.2"
record sa cbc-sha256 $X proto esp spi 0xc0ffee01 reqid 5 mode tunnel replay-window 32 \
	enc 'cbc(aes)' 0x$k16 auth-trunc 'hmac(sha256)' 0x$k16$k16 128 \
	limit time-soft 100 limit time-hard 120 limit byte-hard 1000000
record sa gcm $X proto esp spi 0xc0ffee02 reqid 6 mode transport aead 'rfc4106(gcm(aes))' 0x$k20 128
record sa esn $X proto esp spi 0xc0ffee03 mode transport flag esn replay-window 128 \
	enc 'cbc(aes)' 0x$k16 auth-trunc 'hmac(sha1)' 0x${k16}00112233 96
record sa encap $X proto esp spi 0xc0ffee04 mode tunnel enc 'cbc(aes)' 0x$k16 \
	auth-trunc 'hmac(sha256)' 0x$k16$k16 128 encap espinudp 4500 4500 0.0.0.0
record sa comp $X proto comp spi 0x4001 mode transport comp deflate
record sa ah-sha512 ip xfrm state add src 2001:db8::1 dst 2001:db8::2 proto ah spi 0xc0ffee05 \
	mode transport auth-trunc 'hmac(sha512)' 0x$k64 256
record sa larval ip xfrm state allocspi src 192.0.2.2 dst 192.0.2.1 proto esp reqid 9 mode transport
record policy tunnel ip xfrm policy add src 192.0.2.0/24 dst 198.51.100.0/24 dir out priority 1000 \
	tmpl src 203.0.113.1 dst 203.0.113.2 proto esp reqid 5 mode tunnel
record policy v6-two-tmpl ip xfrm policy add src 2001:db8:1::/48 dst 2001:db8:2::/48 proto tcp \
	dport 443 dir in priority 10 tmpl proto ah mode transport level use \
	tmpl proto esp mode transport reqid 9
record policy block ip xfrm policy add src 192.0.2.7/32 dst 192.0.2.8/32 dir fwd action block

# Events, in one namespace.
ns_pair evA evB
d=$(mktemp -d)
ip netns exec evA "$REC" events "$d" 8 60 >"$d/log" 2>&1 &
pid=$!
wait_for 100 grep -q ready "$d/log" || fail "recorder not ready"
ip -n evA xfrm policy add src 192.0.2.1/32 dst 192.0.2.2/32 proto icmp dir out \
	tmpl proto esp mode transport reqid 21
ip -n evA xfrm policy update src 192.0.2.1/32 dst 192.0.2.2/32 proto icmp dir out priority 5 \
	tmpl proto esp mode transport reqid 21
ip netns exec evA ping -c1 -W1 192.0.2.2 >/dev/null 2>&1 || true
ip -n evA xfrm state add src 192.0.2.1 dst 192.0.2.3 proto esp spi 0x77 reqid 3 mode transport \
	enc 'cbc(aes)' 0x$k16 auth-trunc 'hmac(sha256)' 0x$k16$k16 128 \
	limit time-soft 1 limit time-hard 2
ip -n evA xfrm policy delete src 192.0.2.1/32 dst 192.0.2.2/32 proto icmp dir out
ip -n evA xfrm policy add src 192.0.2.5/32 dst 192.0.2.6/32 dir out limit time-hard 1 \
	tmpl proto esp mode transport
wait $pid || true
ip -n evA xfrm policy flush
ls "$d"
# pick TYPE N: the N-th message of that type, in arrival order.
pick() {
	ls "$d" | sed -n "s/^$1-\([0-9]*\)\.bin$/\1/p" | sort -n | sed -n "${2}p" |
		while read -r n; do echo "$d/$1-$n.bin"; done
}
cp "$(pick acquire 1)" "$out/ev-acquire.bin"
cp "$(pick expire 1)" "$out/ev-expire-soft.bin"
cp "$(pick expire 2)" "$out/ev-expire-hard.bin"
cp "$(pick newpolicy 1)" "$out/ev-newpolicy.bin"
cp "$(pick updpolicy 1)" "$out/ev-updpolicy.bin"
cp "$(pick delpolicy 1)" "$out/ev-delpolicy.bin"
cp "$(pick polexpire 1)" "$out/ev-polexpire.bin"
ip netns del evA; ip netns del evB
ls -la "$out"
