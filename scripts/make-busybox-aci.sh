#!/usr/bin/env bash
# Builds an ACI from Debian's busybox-static: rootfs with /bin/busybox and its applet links, manifest naming
# example.com/busybox with the package's version. Usage: make-busybox-aci.sh OUTPUT.aci
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/aci-lib.sh"
output=${1:?usage: make-busybox-aci.sh OUTPUT.aci}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-busybox-aci: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' busybox-static | sed 's/^[0-9]*://; s/[^A-Za-z0-9._-]/-/g')

aci_begin
mkdir -p "$aci_rootfs/bin"
cp "$busybox" "$aci_rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$aci_rootfs/bin/$applet"
done
aci_finish "$output" example.com/busybox "$version" '    "exec": ["/bin/sh", "-c", "echo Hello from busybox in rkt"],
    "user": "0",
    "group": "0",
    "environment": [{"name": "PATH", "value": "/bin"}]'
echo "make-busybox-aci: wrote $output (example.com/busybox:$version)" >&2
