# Helpers for the PF_KEY end-to-end scenarios (64-66), on top of spd-lib.bash: racoon
# peers whose kernel_interface is pfkey or xfrm, with policies installed by setkey over
# the same interface (as a PF_KEY user would). Sourced, never run.

# pfk_warm NS: open PF_KEY with events once. The kernel answers the first SADB_REGISTER
# of a boot only after probing every algorithm (minutes under a loaded TCG guest, see
# 59-pfkey-register), and racoon sends one at start-up: pay for it here, bounded.
pfk_warm() {
	timeout 280 ip netns exec "$1" "$KDRV" -b pfkey events count 0 >/dev/null 2>&1 ||
		fail "PF_KEY REGISTER in $1 failed"
}

# pfk_conf NAME ME PEER BACKEND SAINFO-BODY: spd_write_conf, then kernel_interface;
# `racoon -t` must accept the result.
pfk_conf() {
	spd_write_conf "$1" "$2" "$3" "$5"
	sed -i "1i kernel_interface $4;" "$TMP/$1.conf"
	"$RACOON" -t -f "$TMP/$1.conf" >/dev/null || fail "$1: kernel_interface $4 refused the config"
}

# pfk_policies NS BACKEND ME PEER: transport `require` both ways, by setkey -b BACKEND.
pfk_policies() { spd_require_transport "$1" "$3" "$4" -b "$2"; }

# pfk_sa NS SRC DST: the spd_states line of the SA SRC -> DST.
pfk_sa() { spd_states "$1" | grep "^$2 $3 esp "; }

# pfk_traffic: ping both ways over the SAs; the router must see ESP only and
# /proc/net/xfrm_stat must not move on either host. Needs A, B, die.
pfk_traffic() {
	local st_a st_b esp1 esp2 icmp1 icmp2
	st_a=$(spd_xfrm_errors spdA) st_b=$(spd_xfrm_errors spdB)
	icmp1=$(spd_nft_packets spdR icmp_seen) esp1=$(spd_nft_packets spdR esp_seen)
	ip netns exec spdA ping -c 5 -i 0.2 -W 2 $B || die "ping A -> B over ESP failed"
	ip netns exec spdB ping -c 3 -i 0.2 -W 2 $A || die "ping B -> A over ESP failed"
	esp2=$(spd_nft_packets spdR esp_seen) icmp2=$(spd_nft_packets spdR icmp_seen)
	echo "router: ESP $esp1 -> $esp2 packets, plaintext ICMP $icmp1 -> $icmp2"
	[ $((esp2 - esp1)) -ge 16 ] || die "the router saw $((esp2 - esp1)) ESP packets for 16 ICMP"
	[ "$icmp2" = "$icmp1" ] || die "plaintext ICMP crossed the router"
	[ "$(spd_xfrm_errors spdA)" = "$st_a" ] || die "xfrm_stat moved on A: $(spd_xfrm_errors spdA)"
	[ "$(spd_xfrm_errors spdB)" = "$st_b" ] || die "xfrm_stat moved on B: $(spd_xfrm_errors spdB)"
	# Only trigger packets (before the SAs) may count, as XfrmOutNoStates; no input errors.
	spd_xfrm_errors spdA | grep -v '^XfrmOutNoStates' | grep -q . && die "A: $(spd_xfrm_errors spdA)"
	spd_xfrm_errors spdB | grep -v '^XfrmOutNoStates' | grep -q . && die "B: $(spd_xfrm_errors spdB)"
	return 0
}

# pfk_crosswise ALG ICV: both kernels hold the same two SAs (SPI, mode, keys, algorithms,
# ICV length), transport, aes-cbc, auth-trunc ALG with ICV bits. Needs A, B, die.
pfk_crosswise() {
	local alg=$1 icv=$2 sa_a sa_b
	sa_a=$(spd_states spdA) sa_b=$(spd_states spdB)
	echo "A: $sa_a"; echo "B: $sa_b"
	[ "$(spd_count_states spdA esp)" = 2 ] || die "A has not exactly 2 ESP SAs"
	[ "$(spd_count_states spdB esp)" = 2 ] || die "B has not exactly 2 ESP SAs"
	[ "$sa_a" = "$sa_b" ] || die "the peers' SAs differ"
	local d
	for d in "$A $B" "$B $A"; do
		set -- $d
		pfk_sa spdA "$1" "$2" |
			grep -q "transport .*\[auth-trunc hmac($alg) 0x[0-9a-f]* $icv\].*\[enc cbc(aes) " ||
			die "$1 -> $2 is not transport/aes-cbc/hmac($alg) with a $icv-bit ICV"
	done
}
