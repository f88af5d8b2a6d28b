#!/usr/bin/env bash
# Builds the namespace stage1 image: rootfs/ns/stage1-coreos (our Stage1Namespace binary) with the entrypoint
# links run, enter, gc, stop next to it, and a manifest naming coreos.com/rkt/stage1-coreos with the stage1
# annotations. The binary runs on the host (it sets up the pod's namespaces from outside), so a binary built
# with --static-swift-stdlib needs only the host's libc (plus libcap and libseccomp); a debug build finds the
# toolchain's libraries through its rpath.
# Usage: make-stage1-coreos-aci.sh STAGE1_COREOS_BINARY OUTPUT.aci VERSION
set -euo pipefail
binary=${1:?usage: make-stage1-coreos-aci.sh BINARY OUTPUT.aci VERSION}
output=${2:?usage: make-stage1-coreos-aci.sh BINARY OUTPUT.aci VERSION}
version=${3:?usage: make-stage1-coreos-aci.sh BINARY OUTPUT.aci VERSION}
[ -x "$binary" ] || { echo "make-stage1-coreos-aci: $binary is not an executable" >&2; exit 1; }

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/rootfs/ns" "$staging/rootfs/rkt/status" "$staging/rootfs/opt/stage2"
install -m 0755 -s "$binary" "$staging/rootfs/ns/stage1-coreos"
for entrypoint in run enter gc stop; do
    ln -s stage1-coreos "$staging/rootfs/ns/$entrypoint"
done
"$(dirname "$0")/write-stage1-manifest.sh" "$staging/manifest" coreos ns "$version"
mkdir -p "$(dirname "$output")"
tmp="$output.tmp.$$"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$staging" -cf "$tmp" manifest rootfs
mv "$tmp" "$output"
