#!/bin/sh
# The kernel's modprobe in the lab (called as `modprobe -q -- NAME`). Most requests are
# for crypto names no module provides (crypto-cbc(aes)-all, ...); under TCG each real
# modprobe costs ~0.2 s, so unknown names are refused from a list built at boot.
for a; do name=$a; done
n=$(echo "$name" | sed 's/-/_/g')
if ! grep -qxF -e "$name" -e "$n" /known; then
	exit 1
fi
exec chroot /root /sbin/modprobe "$@"
