#!/bin/bash
# Opening the PF_KEY backend with events sends SADB_REGISTER and reads the kernel's
# answer (the algorithms it can install). The kernel probes every IPsec algorithm for
# it, loading modules and self-testing templates: minutes under a loaded TCG the first
# time in a boot, so this runs before the event scenarios, with its own budget.
set -eu
source "$LAB_SRCDIR/lib.sh"
ip netns add pfk-r
trap 'ip netns del pfk-r' EXIT
t0=$(date +%s)
out=$(timeout 280 ip netns exec pfk-r "$KDRV" -b pfkey events count 0 2>&1) ||
	fail "open with events (REGISTER) failed: $out"
[ "$out" = ready ] || fail "unexpected output: $out"
echo "$(date +%T) ok REGISTER answered after $(( $(date +%s) - t0 ))s"
# A second open registers again (the probe finds the modules loaded by now).
out=$(timeout 120 ip netns exec pfk-r "$KDRV" -b pfkey events count 0 2>&1) ||
	fail "second open failed: $out"
echo "$(date +%T) ok second REGISTER answered"
