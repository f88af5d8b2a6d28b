#!/usr/bin/env bash
# Time from start to exit of a trivial busybox app (/bin/true), median of RUNS (default 20), for:
#   rkt run, fly flavor        (stage1-fly.aci: chroot in a private mount namespace)
#   rkt run, namespace flavor  (stage1-coreos.aci: mount/PID/UTS/IPC/net namespaces, pod init, cgroups, caps, seccomp)
#   runc run / crun run        (an OCI bundle of the same busybox rootfs, `runc spec` defaults)
#   systemd-nspawn             (the same rootfs, --register=no --keep-unit)
# rkt's figures include stage0 (store lookups, pod directory, overlay mounts) and exclude `rkt gc`. The busybox
# image comes from scripts/make-busybox-aci.sh. Needs root; runc, crun and systemd-nspawn come from
# `scripts/deps.sh bench` (missing tools are skipped). On a cgroup v1/v2 hybrid host crun refuses to start
# while the v2 hierarchy holds a controller, so it runs in a mount namespace without /sys/fs/cgroup/unified.
# Usage: bench-ns.sh   (env: RKT, STAGE1_FLY, STAGE1_COREOS, RUNS)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RKT=${RKT:-$root/build/bin/rkt}
STAGE1_FLY=${STAGE1_FLY:-$root/build/lib/rkt/stage1-images/stage1-fly.aci}
STAGE1_COREOS=${STAGE1_COREOS:-$root/build/lib/rkt/stage1-images/stage1-coreos.aci}
RUNS=${RUNS:-20}
[ "$(id -u)" -eq 0 ] || { echo "bench-ns: needs root" >&2; exit 1; }
for file in "$RKT" "$STAGE1_FLY" "$STAGE1_COREOS"; do
    [ -e "$file" ] || { echo "bench-ns: $file missing (make rkt stage1-fly stage1-coreos, or set RKT/STAGE1_*)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/bench-ns.XXXXXX)
cleanup() {
    "$RKT" "${globals[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
    rm -rf "$work"
}
globals=(--dir="$work/data" --local-config="$work/config" --system-config="$work/config" --user-config="$work/config"
         --insecure-options=image)
trap cleanup EXIT
mkdir -p "$work/data" "$work/config"
"$root/scripts/make-busybox-aci.sh" "$work/busybox.aci" >/dev/null
"$RKT" "${globals[@]}" fetch "$work/busybox.aci" >/dev/null 2>&1

bundle=$work/bundle
mkdir -p "$bundle"
tar -xf "$work/busybox.aci" -C "$bundle" rootfs
mkdir -p "$bundle/rootfs/usr/lib" && echo "ID=busybox" > "$bundle/rootfs/usr/lib/os-release" # nspawn wants an OS tree
if command -v runc >/dev/null; then
    (cd "$bundle" && runc spec)
    python3 - "$bundle/config.json" <<'PY'
import json, sys
path = sys.argv[1]
config = json.load(open(path))
config["process"]["terminal"] = False
config["process"]["args"] = ["/bin/true"]
config["root"]["readonly"] = False
json.dump(config, open(path, "w"), indent=1)
PY
fi

now() { date +%s%N; }
# time_runs NAME COMMAND…: runs COMMAND RUNS times (after one untimed warm-up), prints the median and range.
time_runs() {
    local name=$1; shift
    "$@" >/dev/null 2>"$work/warmup.err" || { printf '%-28s failed: %s\n' "$name" "$(tail -1 "$work/warmup.err")"; return; }
    local samples=()
    for ((i = 0; i < RUNS; i++)); do
        local start end
        start=$(now)
        "$@" >/dev/null 2>&1 || { printf '%-28s run %d failed\n' "$name" "$i"; return; }
        end=$(now)
        samples+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${samples[@]}" | sort -n | awk -v name="$name" '
        { v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%-28s median %7.1f ms   min %7.1f   max %7.1f   (n=%d)\n", name, m / 1000, v[1] / 1000, v[NR] / 1000, NR }'
}

counter=0
rkt_run() { "$RKT" "${globals[@]}" run --stage1-path="$1" example.com/busybox --exec /bin/true; }
runc_run() { counter=$((counter + 1)); runc run -b "$bundle" "bench-runc-$$-$counter"; }
crun_run() {
    counter=$((counter + 1))
    if grep -q . /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; then
        unshare -m sh -c "umount /sys/fs/cgroup/unified && exec crun run -b '$bundle' bench-crun-$$-$counter"
    else
        crun run -b "$bundle" "bench-crun-$$-$counter"
    fi
}
nspawn_run() { systemd-nspawn -q --register=no --keep-unit -D "$bundle/rootfs" /bin/true; }

echo "bench-ns: /bin/true in busybox, $RUNS runs each, $(nproc) CPUs, kernel $(uname -r)"
time_runs "rkt run (fly)" rkt_run "$STAGE1_FLY"
"$RKT" "${globals[@]}" gc --grace-period=0s >/dev/null 2>&1
time_runs "rkt run (namespace)" rkt_run "$STAGE1_COREOS"
"$RKT" "${globals[@]}" gc --grace-period=0s >/dev/null 2>&1
if command -v runc >/dev/null; then time_runs "runc run" runc_run; else echo "runc: not installed (scripts/deps.sh bench)"; fi
if command -v crun >/dev/null; then time_runs "crun run" crun_run; else echo "crun: not installed"; fi
if command -v systemd-nspawn >/dev/null; then time_runs "systemd-nspawn" nspawn_run; else echo "systemd-nspawn: not installed"; fi
