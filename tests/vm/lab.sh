#!/bin/sh
# lab.sh [SCENARIO...]: boot the kernel lab guest once and run scenarios in it.
#
# Without arguments every tests/vm/scenarios/*.sh runs, in name order. Prints one line
# per scenario (PASS/FAIL, seconds) and exits non-zero when a scenario failed or the
# guest did not report. Exit 77 (skip) without root or qemu.
# Environment: top_builddir (where the test programs were built, default: cwd),
# RACOON_LAB_CACHE (default /var/tmp/racoon-lab), RACOON_LAB_TIMEOUT (whole guest,
# seconds, default 3600: the lab's share of the 90-minute CI budget), LAB_SCENARIO_TIMEOUT (each scenario, default 300),
# RACOON_LAB_KEEP=1 keeps the results folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
builddir=$(cd "${top_builddir:-.}" && pwd)
cache=${RACOON_LAB_CACHE:-/var/tmp/racoon-lab}
qemu=$(command -v qemu-system-x86_64 || true)
if [ "$(id -u)" != 0 ] || [ -z "$qemu" ]; then
	echo "lab: needs root and qemu-system-x86_64 (scripts/install-deps.sh)" >&2
	exit 77
fi

kver=$("$here/prepare.sh" "$cache")
kdir="$cache/kernel"
results=$(mktemp -d /var/tmp/racoon-lab-run.XXXXXX)
chmod 755 "$results"
cleanup() { [ "${RACOON_LAB_KEEP:-0}" = 1 ] || rm -rf "$results"; }
trap cleanup EXIT

if [ $# -gt 0 ]; then
	for s; do (cd "$(dirname "$s")" && echo "$(pwd)/$(basename "$s")"); done
else
	ls "$here"/scenarios/*.sh 2>/dev/null | sort
fi >"$results/list"
[ -s "$results/list" ] || { echo "lab: no scenarios" >&2; exit 1; }
{
	echo "export LAB_SRCDIR='$here'"
	echo "export LAB_BUILDDIR='$builddir'"
	echo "export KDRV='$builddir/tests/vm/kernel-driver'"
	echo "export LAB_SCENARIO_TIMEOUT='${LAB_SCENARIO_TIMEOUT:-300}'"
} >"$results/env"
echo "$here/guest-run.sh" >"$results/runner"

start=$(date +%s)
share="security_model=none,multidevs=remap"
# no_timer_check: under a loaded TCG host the kernel's IO-APIC timer check can fail and
# panic the boot ("IO-APIC + timer doesn't work").
boot() {
	timeout -k 10 "${RACOON_LAB_TIMEOUT:-3600}" "$qemu" \
		-accel tcg,thread=multi -cpu max -m 1024 -smp 2 \
		-display none -no-reboot -nic none -monitor none \
		-serial "file:$results/console.log" \
		-kernel "$kdir/boot/vmlinuz-$kver" -initrd "$cache/initrd-$kver.img" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 no_timer_check" \
		-virtfs "local,path=/,mount_tag=host,readonly=on,$share" \
		-virtfs "local,path=$kdir/lib/modules/$kver,mount_tag=modules,readonly=on,$share" \
		-virtfs "local,path=$results,mount_tag=results,$share" \
		</dev/null || echo "lab: qemu exited with $?" >&2
}
boot
# A panic before any scenario ran is the emulator's, not ours: boot once more.
if [ ! -s "$results/results" ] && grep -q "Kernel panic" "$results/console.log" 2>/dev/null; then
	echo "lab: the guest kernel panicked while booting; booting again" >&2
	tail -n 5 "$results/console.log" >&2
	boot
fi
echo "lab: guest ran $(( $(date +%s) - start ))s, $(cat "$results/warmup" 2>/dev/null || echo 'no warmup')"

cat "$results/results" 2>/dev/null || true
fail=0
for s in $(cat "$results/list"); do
	name=$(basename "$s" .sh)
	if ! grep -q "^PASS $name " "$results/results" 2>/dev/null; then
		fail=1
		echo "---- $name.log ----"
		tail -n 60 "$results/$name.log" 2>/dev/null || echo "(no log)"
	fi
done
if [ "$(cat "$results/status" 2>/dev/null)" != DONE ]; then
	echo "lab: the guest did not finish; console and runner log:" >&2
	tail -n 40 "$results/console.log" >&2 || true
	tail -n 40 "$results/runner.log" >&2 2>/dev/null || true
	exit 1
fi
exit $fail
