#!/bin/bash
# The PF_KEY backend's events (kernel-driver -b pfkey events: REGISTER, then the loop):
# an ACQUIRE for traffic hitting a require policy, completed with the policy and its
# template (X_SPDGET), and the soft then hard EXPIRE of an SA with short lifetimes.
set -eu
source "$LAB_SRCDIR/lib.sh"
EVPID=
trap 'if [ -n "$EVPID" ]; then kill $EVPID 2>/dev/null; fi; ip netns del pfk-a 2>/dev/null; ip netns del pfk-b 2>/dev/null; true' EXIT
say() { echo "$(date +%T) ok $*"; }
K16=00112233445566778899aabbccddeeff
# line FILE PATTERN PID: wait until the event reader wrote a matching line, or died.
# The first reader of a boot waits for REGISTER, which makes the kernel probe every
# algorithm (59-pfkey-register.sh takes that cost). Bounded: 150 s.
line() {
	local i
	for i in $(seq 150); do
		grep -qE "$2" "$1" && return 0
		if ! kill -0 "$3" 2>/dev/null; then
			grep -qE "$2" "$1" && return 0
			fail "event reader ended without '$2': $(cat "$1")"
		fi
		sleep 1
	done
	fail "no '$2' from the event reader: $(cat "$1")"
}

# ---- ACQUIRE: traffic hits a require policy; the event names policy and template ----
ns_pair pfk-a pfk-b
ev=/tmp/pfk-acquire.$$
# Two events: our own policy (an SPD change, by another process) and the ACQUIRE.
ip netns exec pfk-a "$KDRV" -b pfkey events count 2 timeout 120 >$ev 2>&1 &
EVPID=$!
line $ev '^ready' $EVPID
ip netns exec pfk-a "$KDRV" -b pfkey pol-add out 192.0.2.1/32 192.0.2.2/32 \
	tmpl esp transport unique 21
ip netns exec pfk-a ping -c 1 -W 1 192.0.2.2 >/dev/null 2>&1 || true
line $ev '^acquire' $EVPID
grep -q '^policy-added out 192.0.2.1/32 192.0.2.2/32 proto 0 prio 0 ipsec tmpl esp transport reqid 21$' $ev ||
	fail "SPD change event: $(cat $ev)"
grep -qE '^acquire seq [1-9][0-9]* src 192.0.2.1 dst 192.0.2.2 proto esp reqid 21 policy out 192.0.2.1/32 192.0.2.2/32 proto 0 prio 0 ipsec tmpl esp transport reqid 21$' $ev ||
	fail "ACQUIRE contents: $(cat $ev)"
wait $EVPID || fail "event reader failed"
EVPID=
say "acquire: $(grep '^acquire' $ev)"

# ---- EXPIRE: soft, then hard, for an SA with short lifetimes ------------------------
# 10 s between them: a late kernel timer (TCG under load) that finds both passed sends
# only the hard one.
ev=/tmp/pfk-expire.$$
ip netns exec pfk-b "$KDRV" -b pfkey events count 2 timeout 120 >$ev 2>&1 &
EVPID=$!
line $ev '^ready' $EVPID
ip netns exec pfk-b "$KDRV" -b pfkey sa-add 192.0.2.1 192.0.2.2 esp 0x5005 reqid 33 \
	enc aes-cbc 0x$K16 auth hmac-sha1 0x${K16}00112233 soft-add 2 hard-add 12
wait $EVPID || fail "EXPIRE events missing: $(cat $ev)"
EVPID=
sed -n 1p $ev | grep -q '^ready' || fail "events: $(cat $ev)"
sed -n 2p $ev | grep -q '^expire soft spi 0x00005005 esp dst 192.0.2.2 reqid 33$' || fail "soft: $(cat $ev)"
sed -n 3p $ev | grep -q '^expire hard spi 0x00005005 esp dst 192.0.2.2 reqid 33$' || fail "hard: $(cat $ev)"
! ip -n pfk-b xfrm state | grep -q 'spi 0x00005005' || fail "hard-expired SA still there"
say "expire soft + hard"
