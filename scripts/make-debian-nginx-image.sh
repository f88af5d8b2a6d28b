#!/usr/bin/env bash
# A stock distribution image for the real-image tests and benchmarks (issue 21): Debian bookworm from Debian's own
# packages with `debootstrap --variant=minbase --include=nginx-light,curl`, device nodes in /dev as debootstrap
# leaves them, made into an OCI image layout with umoci (one layer; Entrypoint nginx -g 'daemon off;', port
# 80/tcp). Debian's default site listens on 80 and [::]:80 and serves "Welcome to nginx!".
# Cached under build/images/ keyed by this script, the suite, the package list and debootstrap's version: the
# first build takes a few minutes (downloads from the Debian mirror apt uses), later ones nothing.
# Prints the OCI layout's directory (tag `1`) on stdout; progress on stderr.
# Environment: DEBIAN_MIRROR (default: the first deb.debian.org-style URI of apt's sources), BUILD_DIR.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BUILD_DIR:-$repo/build}/images
suite=bookworm
packages=nginx-light,curl
say() { echo "make-debian-nginx-image: $*" >&2; }
for tool in debootstrap umoci; do
    command -v "$tool" >/dev/null || { say "$tool is missing (make deps installs it)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { say "debootstrap needs root"; exit 77; }
mirror=${DEBIAN_MIRROR:-$( { sed -n 's/^URIs: *\(http[^ ]*\/debian\)$/\1/p; s/^deb \(http[^ ]*\/debian\) .*/\1/p' \
    /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
key=$( { cat "${BASH_SOURCE[0]}"; echo "$suite $packages"; dpkg-query -W -f='${Version}' debootstrap; } | sha256sum | cut -c1-12)
layout=$out/debian-nginx-$key
if [ -f "$layout/index.json" ]; then echo "$layout"; exit 0; fi

mkdir -p "$out"
staging=$(mktemp -d "$out/.debian-nginx.XXXXXX")
trap 'rm -rf "$staging"' EXIT
start=$(date +%s)
say "debootstrap $suite (minbase + $packages) from $mirror …"
if ! debootstrap --variant=minbase --include="$packages" "$suite" "$staging/rootfs" "$mirror" > "$staging/debootstrap.log" 2>&1; then
    tail -n 20 "$staging/debootstrap.log" >&2
    say "debootstrap failed (log above)"; exit 1
fi
rm -rf "$staging/rootfs/var/cache/apt/archives/"*.deb "$staging/rootfs/var/lib/apt/lists/"*
[ -n "$(find "$staging/rootfs/dev" -type c | head -n 1)" ] || { say "no device nodes under /dev: not the image the tests need"; exit 1; }
say "rootfs ready ($(( $(date +%s) - start )) s); packing with umoci …"
umoci init --layout "$staging/oci"
umoci new --image "$staging/oci:1"
umoci unpack --image "$staging/oci:1" "$staging/bundle" >/dev/null
cp -a "$staging/rootfs/." "$staging/bundle/rootfs/"
umoci repack --image "$staging/oci:1" "$staging/bundle"
umoci config --image "$staging/oci:1" --config.entrypoint nginx --config.cmd=-g --config.cmd="daemon off;" \
    --config.exposedports 80/tcp --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci gc --layout "$staging/oci"
mv "$staging/oci" "$layout"
say "done in $(( $(date +%s) - start )) s: $layout"
echo "$layout"
