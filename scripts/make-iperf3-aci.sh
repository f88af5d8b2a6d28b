#!/usr/bin/env bash
# Builds an ACI running Debian's iperf3 as a server (`iperf3 -s -p 5201`): rootfs with the binary, the shared
# libraries ldd names and the dynamic loader, manifest example.com/iperf3 with port `iperf` (tcp 5201).
# Usage: make-iperf3-aci.sh OUTPUT.aci
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/aci-lib.sh"
output=${1:?usage: make-iperf3-aci.sh OUTPUT.aci}
iperf3=/usr/bin/iperf3
[ -x "$iperf3" ] || { echo "make-iperf3-aci: $iperf3 not found (apt-get install iperf3; make bench-net installs it)" >&2; exit 1; }
version=$(dpkg-query -W -f='${Version}' iperf3 | sed 's/^[0-9]*://; s/[^A-Za-z0-9._-]/-/g')

aci_begin
cp --parents "$iperf3" "$aci_rootfs"
# Every library path ldd prints (`name => /path (addr)` or the loader's `/path (addr)`), copied with its directory.
for library in $(ldd "$iperf3" | grep -o '/[^ ]*'); do
    cp --parents -L "$library" "$aci_rootfs"
done
aci_finish "$output" example.com/iperf3 "$version" '    "exec": ["/usr/bin/iperf3", "-s", "-p", "5201", "--forceflush"],
    "user": "0",
    "group": "0",
    "ports": [{"name": "iperf", "protocol": "tcp", "port": 5201}]'
echo "make-iperf3-aci: wrote $output (example.com/iperf3:$version)" >&2
