#!/bin/bash
# What PF_KEY cannot install correctly is refused, with a message that says to use XFRM:
# - `racoon -t`: hmac_sha256 (Linux af_key gives it a 96-bit ICV, RFC 4868 says 128)
#   and aes_gcm_16 (af_key has no AEAD) under kernel_interface pfkey, FILE:LINE: message;
# - at proposal time: an XFRM racoon (A) offering only hmac-sha256 to a PF_KEY racoon (B)
#   gets NO-PROPOSAL-CHOSEN; B logs why, and installs no SA.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
source "$LAB_SRCDIR/scenarios/pfkey-e2e.bash"
A=198.51.100.1 B=203.0.113.1
spd_scenario_init

# ---- racoon -t ------------------------------------------------------------------------
# refused NAME SAINFO-BODY TEXT: valid under XFRM, refused under PF_KEY with TEXT.
refused() {
	spd_write_conf "$1" $A $B "$2"
	sed -i '1i kernel_interface pfkey;' "$TMP/$1.conf"
	if "$RACOON" -t -f "$TMP/$1.conf" >"$TMP/$1.t" 2>&1; then fail "$1: racoon -t accepted it"; fi
	cat "$TMP/$1.t"
	grep -qE "$TMP/$1.conf:[0-9]+: .*$3" "$TMP/$1.t" || fail "$1: no FILE:LINE: $3"
}
refused sha256 "encryption_algorithm aes; authentication_algorithm hmac_sha256;" \
	"96-bit ICV, not the RFC 4868 128 bits peers expect; use kernel_interface xfrm"
refused gcm "encryption_algorithm aes_gcm_16;" \
	"AES-GCM needs kernel_interface xfrm \(PF_KEY has no AEAD algorithms\)"

# ---- Proposal time ----------------------------------------------------------------------
spd_routed_up $B
pfk_warm spdB
pfk_policies spdA xfrm $A $B
pfk_policies spdB pfkey $B $A
pfk_conf a $A $B xfrm "lifetime time 1 hour; encryption_algorithm aes 128; authentication_algorithm hmac_sha256;"
pfk_conf b $B $A pfkey "lifetime time 1 hour; encryption_algorithm aes 128; authentication_algorithm hmac_sha1, hmac_sha512;"
spd_start spdA a
spd_start spdB b
ip netns exec spdA ping -c 1 -W 1 $B >/dev/null 2>&1 || true # the trigger
wait_for 150 grep -q "notify NO-PROPOSAL-CHOSEN received" "$TMP/a.log" ||
	die "A got no NO-PROPOSAL-CHOSEN"
msg="NO-PROPOSAL-CHOSEN: the peer offered what the pfkey backend cannot install: hmac-sha256: the pfkey backend installs it with a 96-bit ICV, not the 128 bits the RFC and the peer use; use kernel_interface xfrm"
grep -qF "$msg" "$TMP/b.log" || die "B did not explain the refusal"
grep -F "$msg" "$TMP/b.log"
grep -q "sending notify NO-PROPOSAL-CHOSEN" "$TMP/b.log" || die "B sent no NO-PROPOSAL-CHOSEN"
grep -q "IPsec-SA established" "$TMP/a.log" "$TMP/b.log" && die "an IPsec SA was established"
[ "$(spd_count_states spdB esp)" = 0 ] || die "B installed an SA: $(ip -n spdB xfrm state)"
ip -n spdA xfrm state | grep -q "auth-trunc" && die "A installed a keyed SA"
ip netns exec spdA ping -c 1 -W 1 $B >/dev/null 2>&1 && die "traffic passed without SAs"
echo "OK"
