#!/usr/bin/env bash
# make bench-fetch: `rkt fetch` + `rkt image render` of a multi-layer image (default 4 layers of 50 MiB of
# incompressible data, about 200 MiB) from Debian's docker-registry on 127.0.0.1, beside `skopeo copy` +
# `umoci unpack` of the same image. Prints wall time and peak RSS (GNU time) of each step.
# Usage: bench-fetch.sh [RKT]   (default: build/bin/rkt); LAYERS and LAYER_MIB override the image shape.
set -euo pipefail
rkt=${1:-$(dirname "$0")/../build/bin/rkt}
layers=${LAYERS:-4}
layer_mib=${LAYER_MIB:-50}
for tool in docker-registry skopeo umoci /usr/bin/time curl python3; do
    command -v "$tool" >/dev/null || { echo "bench-fetch: $tool missing (scripts/deps.sh bench)" >&2; exit 1; }
done
[ -x "$rkt" ] || { echo "bench-fetch: $rkt is not built (make rkt)" >&2; exit 1; }

work=$(mktemp -d)
registry_pid=
cleanup() {
    if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "bench-fetch: building a $layers-layer image of ${layer_mib} MiB per layer with umoci"
umoci init --layout "$work/src" >/dev/null
umoci new --image "$work/src:bench" >/dev/null
for i in $(seq "$layers"); do
    umoci unpack --image "$work/src:bench" "$work/bundle" >/dev/null
    mkdir -p "$work/bundle/rootfs/data$i"
    head -c "$((layer_mib << 20))" /dev/urandom > "$work/bundle/rootfs/data$i/blob"
    umoci repack --image "$work/src:bench" "$work/bundle" >/dev/null
    rm -rf "$work/bundle"
done
umoci config --image "$work/src:bench" --config.cmd=/bin/true >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/registry.yml" <<YAML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $work/registry}}
http: {addr: "127.0.0.1:$port", secret: bench}
YAML
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
registry_pid=$!
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.05; done
skopeo --insecure-policy copy -q --dest-tls-verify=false "oci:$work/src:bench" "docker://127.0.0.1:$port/bench/image:1"
size=$(du -sm "$work/registry" | cut -f1)
echo "bench-fetch: registry holds ${size} MiB"

measure() {  # label, command...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r seconds kib < "$work/time"
    printf '%-34s %7.2f s  %7d KiB peak RSS\n' "$label" "$seconds" "$kib"
}

flags=(--dir="$work/data" --local-config="$work/local" --system-config="$work/system" --insecure-options=image,http)
measure "rkt fetch docker://" "$rkt" "${flags[@]}" fetch "docker://127.0.0.1:$port/bench/image:1"
key=$("$rkt" "${flags[@]}" image list --no-legend --full --fields=id | head -1)
measure "rkt image render" "$rkt" "${flags[@]}" image render "$key" "$work/rendered"
measure "skopeo copy docker:// -> oci:" skopeo --insecure-policy copy -q --src-tls-verify=false \
    "docker://127.0.0.1:$port/bench/image:1" "oci:$work/copy:bench"
measure "umoci unpack" umoci unpack --image "$work/copy:bench" "$work/unpacked"
