#!/bin/sh
# /init of the kernel lab's initramfs (busybox): mount the host's / read-only over 9p
# with a tmpfs overlay on top, the kernel modules and the results share, then run the
# scenario runner chrooted into that root and power off. The host reads the outcome
# from the results share (qemu cannot return the guest's exit status).
export PATH=/bin
R=/root
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in /modules/*.ko; do insmod "$m" 2>/dev/null; done
kver=$(cat /kver)

opts=trans=virtio,version=9p2000.L,msize=262144
fail() { echo "lab-init: $*"; poweroff -f; }
mount -t 9p -o "$opts,ro" host /lower || fail "cannot mount the host root"
mount -t tmpfs -o size=512m upper /upper || fail "tmpfs"
mkdir -p /upper/u /upper/w
mount -t overlay overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w $R ||
	fail "overlay"
mkdir -p $R/lib/modules/$kver $R/lab
mount -t 9p -o "$opts,ro" modules $R/lib/modules/$kver || fail "modules share"
mount -t 9p -o "$opts" results $R/lab || fail "results share"
mount -t proc proc $R/proc
mount -t sysfs sys $R/sys
mount -t devtmpfs dev $R/dev
mkdir -p $R/dev/pts $R/dev/shm
mount -t devpts devpts $R/dev/pts
# /tmp stays on the overlay: build trees often live in the host's /tmp.
mount -t tmpfs run $R/run
mount -t tmpfs shm $R/dev/shm
mkdir -p $R/run/netns $R/var/lib/racoon
# devtmpfs has no /dev/fd: bash process substitution and /dev/stdin need these.
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr

# Module requests from the kernel (crypto templates, xfrm types) run in the initramfs
# root: answer "no" at once for names no module provides, else modprobe in the chroot.
grep '^alias ' $R/lib/modules/$kver/modules.alias 2>/dev/null |
	while read -r _ a _; do echo "$a"; done >/known
sed -n 's@^.*/\([^/]*\)\.ko[^:]*:.*@\1@p' $R/lib/modules/$kver/modules.dep >>/known
echo /modprobe-helper >/proc/sys/kernel/modprobe

echo "lab-init: running scenarios"
chroot $R /bin/bash "$(cat $R/lab/runner)" >$R/lab/runner.log 2>&1
echo "lab-init: done"
sync
poweroff -f
