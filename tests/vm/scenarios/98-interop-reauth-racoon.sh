#!/bin/bash
# Interop scenario 7 (issue 11), Phase 1 reauthentication by charon as responder: racoon
# initiates (Main Mode and Quick Mode, sainfo lifetime 120 s); charon (reauth_time 60 s,
# over_time 10 s) reauthenticates with a new Main Mode of its own and deletes the old
# ISAKMP SA at the end of its lifetime. Pings pass all along; both sides settle on one
# ISAKMP SA and one pair of IPsec SAs. Then racoon rekeys its IPsec SA under the new
# ISAKMP SA (the one it was negotiated under is gone): charon takes it as a rekey of its
# CHILD_SA and both settle again (iop_reauth_run in tests/interop/lib.sh).
source "$LAB_SRCDIR/lib.sh"
source "$LAB_SRCDIR/../interop/lib.sh"
trap iop_cleanup EXIT
iop_net
iop_conf_reauth
iop_reauth_run racoon p2rekey
