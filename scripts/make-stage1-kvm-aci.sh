#!/usr/bin/env bash
# Builds the kvm stage1 image, coreos.com/rkt/stage1-kvm: rootfs/kvm/stage1-kvm (our Stage1Kvm binary) with
# the entrypoint links run, enter, gc, stop next to it, the VMM (rkt-vmm), the guest kernel (vmlinux) and
# guest.img, an erofs disk whose /init is GuestInit (a static binary). The stage1 binaries run on the host
# from the pod's stage1 rootfs, so release builds use --static-swift-stdlib; a debug build finds the
# toolchain's libraries through its rpath.
# Usage: make-stage1-kvm-aci.sh STAGE1_KVM RKT_VMM GUEST_INIT VMLINUX OUTPUT.aci VERSION
set -euo pipefail
usage="usage: make-stage1-kvm-aci.sh STAGE1_KVM RKT_VMM GUEST_INIT VMLINUX OUTPUT.aci VERSION"
[ $# -eq 6 ] || { echo "$usage" >&2; exit 2; }
stage1=$1 vmm=$2 guest_init=$3 kernel=$4 output=$5 version=$6
for file in "$stage1" "$vmm" "$guest_init"; do
    [ -x "$file" ] || { echo "make-stage1-kvm-aci: $file is not an executable" >&2; exit 1; }
done
[ -f "$kernel" ] || { echo "make-stage1-kvm-aci: kernel $kernel not found (make kernel)" >&2; exit 1; }
command -v mkfs.erofs >/dev/null || { echo "make-stage1-kvm-aci: mkfs.erofs not found (make deps installs erofs-utils)" >&2; exit 1; }

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/rootfs/kvm" "$staging/rootfs/rkt/status" "$staging/rootfs/opt/stage2" "$staging/guest"
install -m 0755 -s "$stage1" "$staging/rootfs/kvm/stage1-kvm"
install -m 0755 -s "$vmm" "$staging/rootfs/kvm/rkt-vmm"
install -m 0644 "$kernel" "$staging/rootfs/kvm/vmlinux"
for entrypoint in run enter gc stop; do
    ln -s stage1-kvm "$staging/rootfs/kvm/$entrypoint"
done

# The guest's root: GuestInit and the mount points it uses; everything else it builds on tmpfs at /run.
install -m 0755 -s "$guest_init" "$staging/guest/init"
mkdir -m 0755 "$staging/guest/proc" "$staging/guest/sys" "$staging/guest/dev" "$staging/guest/run"
mkfs.erofs -T0 --all-root "$staging/rootfs/kvm/guest.img" "$staging/guest" >/dev/null

"$(dirname "$0")/write-stage1-manifest.sh" "$staging/manifest" kvm kvm "$version" rkt.swift/stage1/app-root-disk=erofs
mkdir -p "$(dirname "$output")"
tmp="$output.tmp.$$"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$staging" -cf "$tmp" manifest rootfs
mv "$tmp" "$output"
