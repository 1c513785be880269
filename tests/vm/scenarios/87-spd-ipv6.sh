#!/bin/bash
# SPD-driven transport mode over IPv6: as 85 (two racoons on either side of a router,
# setkey `require` policies both ways, a ping triggers MM + QM, crosswise SA comparison,
# ESP only at the router, XFRM counters still), with the Neighbor Discovery bypass
# (ICMPv6 133-137 in clear at a higher priority) that the docs recommend installed first.
set -eu
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/scenarios/spd-lib.bash"
A=2001:db8:1::1 B=2001:db8:2::1
spd_scenario_init

spd_routed_up $B
esp0=$(spd_nft_packets spdR esp_seen)
icmp0=$(spd_nft_packets spdR icmp_seen)

# ND in clear first (higher priority than the IPsec policies), then the policies.
spd_nd_bypass spdA
spd_nd_bypass spdB
spd_require_transport spdA $A $B
spd_require_transport spdB $B $A

spd_transport_e2e
echo "OK"
