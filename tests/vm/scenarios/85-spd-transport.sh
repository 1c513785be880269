#!/bin/bash
# SPD-driven transport mode, IPv4: two racoons (A, B) in namespaces on either side of a
# router namespace R. setkey installs `require` policies both ways on both hosts; a ping
# from A triggers the ACQUIRE -> Main Mode + Quick Mode; both kernels must then hold the
# same SAs crosswise (SPI, mode, algorithms, keys, ICV length), the ping must pass, R's
# nftables counters must see ESP and no plaintext ICMP, and /proc/net/xfrm_stat must not
# move while the protected traffic flows. Stopping racoon removes its SAs.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
A=198.51.100.1 B=203.0.113.1
spd_scenario_init

spd_routed_up $B
esp0=$(spd_nft_packets spdR esp_seen)
icmp0=$(spd_nft_packets spdR icmp_seen)

spd_require_transport spdA $A $B
spd_require_transport spdB $B $A

# Somebody else's SA (setkey, by hand): racoon must leave it alone at stop.
k16=00112233445566778899aabbccddeeff
echo "add $A 192.0.2.99 esp 0x4242 -E aes-cbc 0x$k16 -A hmac-sha256 0x$k16$k16;" |
	ip netns exec spdA "$SETKEY" -c || fail "setkey add"
spd_transport_e2e 192.0.2.99
echo "OK"
