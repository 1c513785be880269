#!/bin/bash
# Interop scenario 7 (issue 11), Phase 1 reauthentication by charon (reauth_time 60 s,
# over_time 10 s, rand_time 0): charon initiates; at reauth_time it runs a new Main Mode
# with racoon as responder and deletes the old ISAKMP SA when its lifetime ends. Pings pass
# all along (each answered, ESP only, XFRM error counters still); racoon drops the old
# ISAKMP SA and both sides settle on one ISAKMP SA and one pair of IPsec SAs, matching
# crosswise (iop_reauth_run in tests/interop/lib.sh).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_reauth
iop_reauth_run charon
