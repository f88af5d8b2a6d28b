#!/usr/bin/env bash
# `make bench-web`: a stock Debian nginx image (scripts/make-debian-nginx-image.sh) as a pod with --port, in the kvm
# and namespace flavors side by side: the time from `rkt run` to the first successful HTTP response on the forwarded
# port, and `wrk -t1 -c10 -d10s` requests/s through it. Runs in network and mount namespaces of its own (the
# script re-runs itself under unshare; /var/lib is a private overlay there, so CNI's leases and portmap's chains
# never reach the machine's own). Environment: RKT (build/bin/rkt), STAGE1_IMAGES (build/lib/rkt/stage1-images),
# FLAVORS ("kvm coreos"), WRK_SECONDS (10), PROFILE_DIR (kvm pods write RKT_KVM_GUEST_PROFILE files there).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rkt=${RKT:-$repo/build/bin/rkt}
images=${STAGE1_IMAGES:-$repo/build/lib/rkt/stage1-images}
[ "$(id -u)" -eq 0 ] || { echo "bench-web: pods on CNI networks need root" >&2; exit 1; }
[ -x "$rkt" ] || { echo "bench-web: $rkt not found (make)" >&2; exit 1; }
for tool in wrk curl unshare; do
    command -v "$tool" >/dev/null || { echo "bench-web: $tool missing (make bench-web installs it)" >&2; exit 1; }
done
layout=$("$repo/scripts/make-debian-nginx-image.sh")

if [ -z "${RKT_BENCH_WEB_SANDBOX:-}" ]; then
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-web-ns.XXXXXX")
    status=0
    RKT_BENCH_WEB_SANDBOX=$scratch unshare --net --mount --propagation private -- "$0" "$@" || status=$?
    rm -rf "$scratch"
    exit $status
fi
mount -t tmpfs tmpfs "$RKT_BENCH_WEB_SANDBOX"
mkdir "$RKT_BENCH_WEB_SANDBOX/upper" "$RKT_BENCH_WEB_SANDBOX/work"
mount -t overlay -o "lowerdir=/var/lib,upperdir=$RKT_BENCH_WEB_SANDBOX/upper,workdir=$RKT_BENCH_WEB_SANDBOX/work" bench-web /var/lib
ip link set lo up

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-web.XXXXXX")
# The pods' cgroups go below a parent of this run's own, removed at the end (cgroups are not namespaced).
export RKT_CGROUP_PARENT=rkt-bench-web-$$
flags=(--dir="$work/data" --local-config="$work/etc" --system-config="$work/lib" --user-config="$work/user")
pod_pid=
cleanup() {
    [ -z "$pod_pid" ] || { kill "$pod_pid" 2>/dev/null || true; wait "$pod_pid" 2>/dev/null || true; }
    "$rkt" "${flags[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
    for cgroup in /sys/fs/cgroup/"$RKT_CGROUP_PARENT" /sys/fs/cgroup/*/"$RKT_CGROUP_PARENT"; do
        [ ! -d "$cgroup" ] || rmdir "$cgroup" || echo "bench-web: $cgroup still holds a pod" >&2
    done
    rm -rf "$work"
}
trap cleanup EXIT
image=$("$rkt" "${flags[@]}" fetch --insecure-options=image "oci-layout:$layout:1" 2>/dev/null)
url=http://127.0.0.1:18380/

printf '%-10s %-30s %s\n' flavor "rkt run -> first HTTP 200 (s)" "wrk -t1 -c10 requests/s"
for flavor in ${FLAVORS:-kvm coreos}; do
    [ -f "$images/stage1-$flavor.aci" ] || { echo "bench-web: no $images/stage1-$flavor.aci (make)" >&2; continue; }
    profile=()
    [ -z "${PROFILE_DIR:-}" ] || [ "$flavor" != kvm ] || { mkdir -p "$PROFILE_DIR"; profile=(env "RKT_KVM_GUEST_PROFILE=$(realpath "$PROFILE_DIR")/kvm-nginx.profile"); }
    start=$EPOCHREALTIME
    rm -f "$work/uuid"
    "${profile[@]}" "$rkt" "${flags[@]}" run --stage1-path="$images/stage1-$flavor.aci" --uuid-file-save="$work/uuid" \
        --port=80-tcp:18380 "$image" \
        >"$work/pod.out" 2>"$work/pod.err" &
    pod_pid=$!
    first=
    for ((attempt = 0; attempt < 6000; attempt++)); do
        if curl --silent --fail --max-time 2 -o /dev/null "$url"; then first=$(bc <<<"$EPOCHREALTIME - $start"); break; fi
        kill -0 "$pod_pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ -z "$first" ]; then
        echo "bench-web: the $flavor pod never answered:" >&2; tail -n 20 "$work/pod.err" >&2
        kill "$pod_pid" 2>/dev/null || true; wait "$pod_pid" 2>/dev/null || true; pod_pid=; continue
    fi
    wrk -t1 -c10 -d"${WRK_SECONDS:-10}s" "$url" > "$work/wrk.out" 2>&1 || true
    rate=$(sed -n 's/^Requests\/sec: *//p' "$work/wrk.out")
    if grep -qE "Non-2xx|Socket errors" "$work/wrk.out"; then rate="$rate (errors: $(grep -E "Non-2xx|Socket errors" "$work/wrk.out" | tr -s " " | tr "\n" " "))"; fi
    printf '%-10s %-30.1f %s\n' "$flavor" "$first" "${rate:-?}"
    "$rkt" "${flags[@]}" stop "$(cat "$work/uuid")" >/dev/null 2>&1 || true
    wait "$pod_pid" 2>/dev/null || true
    pod_pid=
    "$rkt" "${flags[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
done
