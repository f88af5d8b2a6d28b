#!/usr/bin/env bash
# `make bench-net`: TCP throughput between the host and a pod on the default CNI network (ptp veth), for the
# kvm flavor (virtio-net on a tap joined to the veth by tc redirect, userspace device, no offloads) and the
# namespace flavor (the veth itself), side by side. The pod runs Debian's iperf3 server (scripts/make-iperf3-aci.sh);
# the host runs the iperf3 client against the pod's CNI address, host→pod and pod→host (-R), RUNS times each,
# SECONDS seconds per run; medians in Mbit/s of what the receiver got.
# Environment: RUNS (3), SECONDS_PER_RUN (5), RKT (build/bin/rkt), STAGE1_IMAGES (build/lib/rkt/stage1-images),
# FLAVORS ("kvm coreos"). Needs root, iperf3 and the CNI plugins (make bench-net installs them).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
seconds=${SECONDS_PER_RUN:-5}
rkt=${RKT:-$repo/build/bin/rkt}
images=${STAGE1_IMAGES:-$repo/build/lib/rkt/stage1-images}
[ "$(id -u)" -eq 0 ] || { echo "bench-net: pods on CNI networks need root" >&2; exit 1; }
[ -x "$rkt" ] || { echo "bench-net: $rkt not found (make)" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "bench-net: iperf3 missing (apt-get install iperf3; make bench-net installs it)" >&2; exit 1; }

flavors=()
for flavor in ${FLAVORS:-kvm coreos}; do
    if [ -f "$images/stage1-$flavor.aci" ]; then flavors+=("$flavor"); else echo "bench-net: no $images/stage1-$flavor.aci, skipping $flavor" >&2; fi
done
[ ${#flavors[@]} -gt 0 ] || { echo "bench-net: no stage1 images in $images (make)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-net.XXXXXX")
flags=(--dir="$work/data" --local-config="$work/etc" --system-config="$work/lib" --user-config="$work/user")
pod_pid=
uuid=
# Ends the pod started last: rkt stop --force, then SIGKILL to its stage1 if it is still there after 30 s.
end_pod() {
    local waited
    [ -n "$pod_pid" ] || return 0
    [ -z "$uuid" ] || "$rkt" "${flags[@]}" stop --force "$uuid" >/dev/null 2>&1 || true
    for ((waited = 0; waited < 300; waited++)); do kill -0 "$pod_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pod_pid" 2>/dev/null || true
    wait "$pod_pid" 2>/dev/null || true
    pod_pid=
    "$rkt" "${flags[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
}
cleanup() {
    end_pod
    "$rkt" "${flags[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
"$repo/scripts/make-iperf3-aci.sh" "$work/iperf3.aci" 2>/dev/null
"$rkt" "${flags[@]}" fetch --insecure-options=image "$work/iperf3.aci" >/dev/null

# Starts the iperf3 pod of flavor $1 in the background; sets pod_pid, uuid, address.
start_pod() {
    local flavor=$1 waited=0
    rm -f "$work/uuid"
    "$rkt" "${flags[@]}" run --stage1-path="$images/stage1-$flavor.aci" --uuid-file-save="$work/uuid" \
        example.com/iperf3 >"$work/pod.out" 2>"$work/pod.err" &
    pod_pid=$!
    until grep -q "Server listening" "$work/pod.out" 2>/dev/null; do
        if ! kill -0 "$pod_pid" 2>/dev/null || [ $waited -ge 3000 ]; then
            echo "bench-net: the $flavor pod did not start:" >&2; cat "$work/pod.err" >&2; exit 1
        fi
        sleep 0.1; waited=$((waited + 1))
    done
    uuid=$(cat "$work/uuid")
    address=
    for ((waited = 0; waited < 50 && ${#address} == 0; waited++)); do
        address=$("$rkt" "${flags[@]}" status "$uuid" 2>/dev/null | sed -n 's/^networks=default:ip4=\([0-9.]*\).*/\1/p') || true
        [ -n "$address" ] || sleep 0.1
    done
    [ -n "$address" ] || { echo "bench-net: no address for pod $uuid:" >&2; "$rkt" "${flags[@]}" status "$uuid" >&2; exit 1; }
}

# One iperf3 run against the pod (extra flags: -R for pod→host); prints the receiver's Mbit/s.
# One iperf3 run against the pod (extra flags: -R for pod→host); prints the receiver's Mbit/s. The server
# takes one test at a time and re-opens its socket after each: a refused connect is retried.
measure() {
    local attempt status
    for attempt in 1 2 3 4 5; do
        iperf3 -c "$address" -p 5201 -t "$seconds" -J "$@" >"$work/iperf.json" || true
        status=0
        python3 - "$work/iperf.json" <<'PY' || status=$?
import json, sys
try:
    result = json.load(open(sys.argv[1]))
except ValueError:
    sys.exit(1)
error = result.get("error", "")
if "Connection refused" in error or "busy" in error:
    sys.exit(3)
if error:
    sys.exit(1)
print("%.1f" % (result["end"]["sum_received"]["bits_per_second"] / 1e6))
PY
        [ "$status" = 0 ] && return 0
        [ "$status" = 3 ] && [ "$attempt" -lt 5 ] || break
        sleep 1
    done
    echo "bench-net: iperf3 $* against $address failed:" >&2
    cat "$work/iperf.json" >&2
    exit 1
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

for flavor in "${flavors[@]}"; do
    start_pod "$flavor"
    echo "bench-net: $flavor pod $uuid at $address" >&2
    for ((i = 1; i <= runs; i++)); do
        measure >>"$work/$flavor.in"
        measure -R >>"$work/$flavor.out"
        echo "bench-net: $flavor run $i: host→pod $(tail -n1 "$work/$flavor.in") Mbit/s, pod→host $(tail -n1 "$work/$flavor.out") Mbit/s" >&2
    done
    end_pod
done

echo "bench-net: iperf3 TCP over the default CNI network, ${seconds} s per run, median of $runs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %22s %22s\n' flavor "host→pod (Mbit/s)" "pod→host (Mbit/s)"
for flavor in "${flavors[@]}"; do
    printf '%-10s %20s %22s\n' "$flavor" "$(median <"$work/$flavor.in")" "$(median <"$work/$flavor.out")"
done
