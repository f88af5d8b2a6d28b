#!/usr/bin/env bash
# Builds an ACI from Debian's busybox-static: rootfs with /bin/busybox and its applet links, manifest naming
# example.com/busybox with the package's version. Usage: make-busybox-aci.sh OUTPUT.aci
set -euo pipefail
output=${1:?usage: make-busybox-aci.sh OUTPUT.aci}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-busybox-aci: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' busybox-static | sed 's/^[0-9]*://; s/[^A-Za-z0-9._-]/-/g')

staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/rootfs/bin" "$staging/rootfs/etc" "$staging/rootfs/tmp" "$staging/rootfs/proc" \
         "$staging/rootfs/sys" "$staging/rootfs/dev"
cp "$busybox" "$staging/rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$staging/rootfs/bin/$applet"
done
echo "root:x:0:0:root:/root:/bin/sh" > "$staging/rootfs/etc/passwd"
echo "root:x:0:" > "$staging/rootfs/etc/group"
chmod 1777 "$staging/rootfs/tmp"
cat > "$staging/manifest" <<JSON
{
  "acKind": "ImageManifest",
  "acVersion": "0.8.11",
  "name": "example.com/busybox",
  "labels": [
    {"name": "version", "value": "$version"},
    {"name": "os", "value": "linux"},
    {"name": "arch", "value": "amd64"}
  ],
  "app": {
    "exec": ["/bin/sh", "-c", "echo Hello from busybox in rkt"],
    "user": "0",
    "group": "0",
    "environment": [{"name": "PATH", "value": "/bin"}]
  }
}
JSON
tmp="$output.tmp.$$"
tar --sort=name --numeric-owner --owner=0 --group=0 -C "$staging" -cf "$tmp" manifest rootfs
mv "$tmp" "$output"
echo "make-busybox-aci: wrote $output (example.com/busybox:$version)" >&2
