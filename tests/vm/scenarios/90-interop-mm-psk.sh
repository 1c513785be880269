#!/bin/bash
# Interop scenario 1 (issue 11): Main Mode PSK, transport mode, IKE aes128-sha256-modp2048,
# ESP aes128-sha256 with RFC 4868's 128-bit ICV, against strongSwan's charon; racoon
# initiates (racoonctl establish-sa), then charon does (swanctl --initiate).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net

iop_conf_mm_psk
iop_run racoon
iop_run charon
