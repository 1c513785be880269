#!/bin/sh
# prepare.sh CACHE: make sure CACHE holds a Debian kernel (vmlinuz + modules, depmod'ed)
# and an initramfs built from busybox-static. Each piece is made only when missing, so
# the first run downloads ~70 MB and later runs cost nothing. Prints the kernel version.
# Needs root for nothing but apt-get download's cache; Debian packages only.
set -eu
cache=${1:?usage: prepare.sh CACHE}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$cache"

# The kernel version the generic meta package points at (e.g. 6.1.0-56-amd64).
kver_file="$cache/kernel.version"
if [ ! -s "$kver_file" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "prepare: cannot resolve linux-image-amd64" >&2; exit 1; }
	echo "${pkg#linux-image-}" >"$kver_file.tmp"
	mv "$kver_file.tmp" "$kver_file"
fi
kver=$(cat "$kver_file")
kdir="$cache/kernel"

if [ ! -f "$kdir/boot/vmlinuz-$kver" ] || [ ! -f "$kdir/lib/modules/$kver/modules.dep" ]; then
	rm -rf "$cache/dl" "$kdir"
	mkdir -p "$cache/dl"
	# apt's sandbox user cannot write into root-owned folders: download as root.
	(cd "$cache/dl" && apt-get -q -o APT::Sandbox::User=root download "linux-image-$kver" >&2)
	dpkg -x "$cache"/dl/linux-image-"$kver"_*.deb "$kdir"
	# Debian 13 ships modules under /usr/lib; make both layouts look the same.
	if [ ! -d "$kdir/lib/modules/$kver" ] && [ -d "$kdir/usr/lib/modules/$kver" ]; then
		mkdir -p "$kdir/lib/modules"
		mv "$kdir/usr/lib/modules/$kver" "$kdir/lib/modules/$kver"
	fi
	depmod -b "$kdir" "$kver"
	rm -rf "$cache/dl"
fi

# The initramfs depends on the init script: rebuild when it changed.
initrd="$cache/initrd-$kver.img"
stamp=$(cat "$here/guest-init.sh" "$here/modprobe-helper.sh" | cksum | cut -d' ' -f1)
if [ ! -f "$initrd" ] || [ "$(cat "$initrd.stamp" 2>/dev/null)" != "$stamp" ]; then
	# busybox-static installs /bin/busybox (the dynamic busybox package conflicts).
	busybox=/bin/busybox
	[ -x "$busybox" ] || busybox=$(command -v busybox || true)
	[ -n "$busybox" ] || { echo "prepare: busybox-static is not installed" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/bin" "$tmp/modules" "$tmp/proc" "$tmp/sys" "$tmp/dev" "$tmp/root" \
		"$tmp/lower" "$tmp/upper"
	cp "$busybox" "$tmp/bin/busybox"
	for a in sh mount umount mkdir insmod chroot poweroff ln cat echo grep sed sleep mknod sync; do
		ln -s busybox "$tmp/bin/$a"
	done
	# Only what reaching the 9p shares and the overlay needs, in load order.
	mods="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p overlay"
	n=0
	for m in $mods; do
		f=$(find "$kdir/lib/modules/$kver/kernel" -name "$m.ko*" | head -n 1)
		[ -n "$f" ] || continue
		n=$((n + 1))
		case "$f" in
		*.ko.xz) xz -dc "$f" >"$tmp/modules/$(printf %02d $n)-$m.ko" ;;
		*.ko.zst) zstd -qdc "$f" >"$tmp/modules/$(printf %02d $n)-$m.ko" ;;
		*) cp "$f" "$tmp/modules/$(printf %02d $n)-$m.ko" ;;
		esac
	done
	cp "$here/guest-init.sh" "$tmp/init"
	cp "$here/modprobe-helper.sh" "$tmp/modprobe-helper"
	chmod 755 "$tmp/init" "$tmp/modprobe-helper"
	echo "$kver" >"$tmp/kver"
	(cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
	echo "$stamp" >"$initrd.stamp"
fi
echo "$kver"
