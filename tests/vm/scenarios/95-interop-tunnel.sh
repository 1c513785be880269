#!/bin/bash
# Interop scenario 2 (issue 11): Main Mode PSK, tunnel mode between two LANs behind the
# gateways: iop-lr (203.0.113.1) behind racoon's gateway (192.0.2.1), iop-lc
# (203.0.113.129) behind charon's (198.51.100.1). The router in the middle could route
# the LANs in clear; only the policies (setkey on racoon's side, charon's own) make it
# ESP. First a ping from racoon's LAN triggers the negotiation (ACQUIRE), then, with fresh
# daemons, charon initiates (swanctl --initiate).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
iop_tunnel_cleanup() {
	ip netns del iop-lr 2>/dev/null; ip netns del iop-lc 2>/dev/null
	iop_cleanup
}
trap iop_tunnel_cleanup EXIT
iop_net
NL=203.0.113.0/25 NC=203.0.113.128/25 HL=203.0.113.1 HC=203.0.113.129
for x in r:203.0.113.126:$HL c:203.0.113.254:$HC; do
	IFS=: read -r s gw h <<<"$x"
	ip netns add iop-l$s
	ip -n iop-l$s link set lo up
	ip -n iop-l$s link add eth0 type veth peer name lan0 netns iop-$s
	ip -n iop-l$s addr add $h/25 dev eth0
	ip -n iop-l$s link set eth0 up
	ip -n iop-$s addr add $gw/25 dev lan0
	ip -n iop-$s link set lan0 up
	ip -n iop-l$s route add default via $gw
	ip netns exec iop-$s sysctl -qw net.ipv4.ip_forward=1
done
ip -n iop-m route add $NL via $IOP_R4
ip -n iop-m route add $NC via $IOP_C4
wait_for 25 ip netns exec iop-lr ping -c 1 -W 1 $HC >/dev/null || fail "no plain route between the LANs"

policies() {
	ip netns exec iop-r "$IOP_SETKEY" -c >/dev/null <<-X || iop_fail "setkey tunnel policies"
	spdadd $NL $NC any -P out ipsec esp/tunnel/$IOP_R4-$IOP_C4/require;
	spdadd $NC $NL any -P in ipsec esp/tunnel/$IOP_C4-$IOP_R4/require;
	X
}
IOP_POLICY_FN=policies
iop_conf_mm_psk
IOP_CASE=tunnel IOP_PING_NS=iop-lr IOP_PING=$HC
iop_charon_sub "mode = transport" "mode = tunnel
				local_ts = $NC
				remote_ts = $NL"
IOP_SAPAT=("^($IOP_R4 > $IOP_C4|$IOP_C4 > $IOP_R4) esp spi=0x[0-9a-f]+ mode=tunnel"
	'\[auth-trunc hmac\(sha256\) 0x[0-9a-f]{64} 128\]' '\[enc cbc\(aes\) 0x[0-9a-f]{32}\]')

iop_start_both
iop_log "== tunnel: a ping from racoon's LAN triggers racoon"
iop_ping_until iop-lr $HC || iop_fail "no ping between the LANs passed"
iop_verify
iop_log "== tunnel: racoon initiates: PASS"
iop_reset

iop_start_both
iop_initiate charon
iop_verify
iop_log "== tunnel: charon initiates: PASS"
