#!/usr/bin/env bash
# Builds the fly stage1 image: rootfs/fly/stage1-fly (our Stage1Fly binary) with the entrypoint links
# run, enter, gc, stop next to it, and a manifest naming coreos.com/rkt/stage1-fly with the stage1
# annotations. The binary runs on the host (the fly flavor never chroots stage1 itself), so a binary built
# with --static-swift-stdlib needs only the host's libc; a debug build finds the toolchain's libraries
# through its rpath.
# Usage: make-stage1-fly-aci.sh STAGE1_FLY_BINARY OUTPUT.aci VERSION
set -euo pipefail
binary=${1:?usage: make-stage1-fly-aci.sh BINARY OUTPUT.aci VERSION}
output=${2:?usage: make-stage1-fly-aci.sh BINARY OUTPUT.aci VERSION}
version=${3:?usage: make-stage1-fly-aci.sh BINARY OUTPUT.aci VERSION}
[ -x "$binary" ] || { echo "make-stage1-fly-aci: $binary is not an executable" >&2; exit 1; }

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/rootfs/fly" "$staging/rootfs/rkt/status" "$staging/rootfs/opt/stage2"
install -m 0755 -s "$binary" "$staging/rootfs/fly/stage1-fly"
for entrypoint in run enter gc stop; do
    ln -s stage1-fly "$staging/rootfs/fly/$entrypoint"
done
"$(dirname "$0")/write-stage1-manifest.sh" "$staging/manifest" fly fly "$version"
mkdir -p "$(dirname "$output")"
tmp="$output.tmp.$$"
tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$staging" -cf "$tmp" manifest rootfs
mv "$tmp" "$output"
