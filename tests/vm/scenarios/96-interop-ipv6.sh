#!/bin/bash
# Interop scenario 9 (issue 11): scenario 1 over IPv6 (2001:db8:1::1 <-> 2001:db8:2::1
# through a router): Main Mode PSK, transport mode, IKE aes128-sha256-modp2048, ESP
# aes128-sha256 (128-bit ICV) against strongSwan's charon; racoon initiates, then charon.
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

iop_conf_mm_psk inet6
IOP_CASE=mm-psk-ipv6
iop_run racoon
iop_run charon
