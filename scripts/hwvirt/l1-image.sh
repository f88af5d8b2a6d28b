#!/usr/bin/env bash
# Builds L1's kernel and initramfs for the hardware-virtualization lane from Debian packages only: the stock
# kernel image package that linux-image-amd64 depends on (apt-get download + dpkg-deb -x) and busybox-static,
# with the modules named in l1-modules.list (and their dependencies) decompressed into the initramfs.
# Cached under build/hwvirt/l1-VERSION-KEY/ (VERSION: the kernel package's, KEY: a hash of this script, the
# init script, the module list and modules-closure.py), so a second run rebuilds nothing.
# Prints the cache directory (holding vmlinuz, initramfs.cpio, kernel-package) on stdout.
# Environment: L1_KERNEL_PACKAGE (default: what linux-image-amd64 depends on).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=$repo/build/hwvirt
log() { echo "hwvirt-l1-image: $*" >&2; }

package=${L1_KERNEL_PACKAGE:-}
if [ -z "$package" ]; then
    if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] || { log "apt knows no linux-image-amd64 and only root can run apt-get update"; exit 1; }
        apt-get update -qq >&2
    fi
    package=$(apt-cache depends linux-image-amd64 | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
    [ -n "$package" ] || { log "cannot tell which kernel package linux-image-amd64 depends on (apt-cache depends)"; exit 1; }
fi
version=$(apt-cache policy "$package" | awk '$1 == "Candidate:" { print $2 }')
[ -n "$version" ] && [ "$version" != "(none)" ] || { log "apt offers no version of $package"; exit 1; }
key=$(cat "$here/l1-image.sh" "$here/l1-init.sh" "$here/l1-modules.list" "$here/modules-closure.py" | sha256sum | cut -c1-12)
dir=$cache/l1-$version-$key
if [ -f "$dir/ready" ]; then
    echo "$dir"
    exit 0
fi

log "building L1 from $package $version into $dir"
mkdir -p "$cache/debs"
deb=$(find "$cache/debs" -maxdepth 1 -name "${package}_$(sed 's/:/%3a/' <<<"$version")_amd64.deb" | head -n 1)
if [ -z "$deb" ]; then
    (cd "$cache/debs" && apt-get download -q "$package=$version" >&2) ||
        { log "apt-get download $package=$version failed"; exit 1; }
    deb=$(find "$cache/debs" -maxdepth 1 -name "${package}_*_amd64.deb" -newer "$here/l1-image.sh" | head -n 1)
    [ -n "$deb" ] || deb=$(ls -t "$cache/debs/${package}"_*_amd64.deb | head -n 1)
fi
command -v cpio >/dev/null || { log "cpio missing (apt-get install cpio)"; exit 1; }
[ -x /bin/busybox ] || { log "/bin/busybox missing (apt-get install busybox-static)"; exit 1; }

staging=$(mktemp -d "$cache/staging.XXXXXX")
trap 'rm -rf "$staging"' EXIT
dpkg-deb -x "$deb" "$staging/pkg"
modules_dir=$(find "$staging/pkg/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -n 1)
[ -n "$modules_dir" ] || { log "$deb holds no lib/modules/VERSION"; exit 1; }
root=$staging/initramfs
mkdir -p "$root"/{bin,dev,proc,sys,modules}
install -m 0755 /bin/busybox "$root/bin/busybox"
install -m 0755 "$here/l1-init.sh" "$root/init"
python3 "$here/modules-closure.py" "$modules_dir" "$here/l1-modules.list" "$root/modules" >&2
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --owner=0:0 --quiet) > "$staging/initramfs.cpio"

rm -rf "$dir.tmp"
mkdir -p "$dir.tmp"
cp "$staging"/pkg/boot/vmlinuz-* "$dir.tmp/vmlinuz"
mv "$staging/initramfs.cpio" "$dir.tmp/initramfs.cpio"
echo "$package $version" > "$dir.tmp/kernel-package"
touch "$dir.tmp/ready"
rm -rf "$dir"
mv "$dir.tmp" "$dir"
find "$cache" -maxdepth 1 -name "l1-*" ! -name "$(basename "$dir")" -exec rm -rf {} +  # older inputs
echo "$dir"
