#!/usr/bin/env bash
# `make bench-pod`: how long a trivial pod takes in each stage1 flavor, side by side, RUNS times each
# (interleaved, so host load hits every flavor alike), medians of
#   to output: host wall seconds from starting `rkt run` to the app's first line on rkt's stdout,
#   total:     host wall seconds until `rkt run` exited.
# The app is busybox's `sh -c 'echo ready'` from scripts/make-busybox-aci.sh, fetched into a fresh store.
# Flavors: every stage1 image found in build/lib/rkt/stage1-images (kvm, coreos = namespaces, fly).
# Environment: RUNS (5), RKT (build/bin/rkt), STAGE1_IMAGES (build/lib/rkt/stage1-images). Needs root.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-5}
rkt=${RKT:-$repo/build/bin/rkt}
images=${STAGE1_IMAGES:-$repo/build/lib/rkt/stage1-images}
[ "$(id -u)" -eq 0 ] || { echo "bench-pod: running pods needs root" >&2; exit 1; }
[ -x "$rkt" ] || { echo "bench-pod: $rkt not found (make)" >&2; exit 1; }

flavors=()
for flavor in kvm coreos fly; do
    if [ -f "$images/stage1-$flavor.aci" ]; then flavors+=("$flavor"); else echo "bench-pod: no $images/stage1-$flavor.aci, skipping $flavor" >&2; fi
done
[ ${#flavors[@]} -gt 0 ] || { echo "bench-pod: no stage1 images in $images (make)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-pod.XXXXXX")
trap 'rm -rf "$work"' EXIT
flags=(--dir="$work/data" --local-config="$work/etc" --system-config="$work/lib" --user-config="$work/user")
"$repo/scripts/make-busybox-aci.sh" "$work/busybox.aci" >/dev/null
"$rkt" "${flags[@]}" fetch --insecure-options=image "$work/busybox.aci" >/dev/null

# One pod: prints "<seconds to first output line> <seconds total> <exit status>".
run_pod() {
    local flavor=$1 start first end status
    start=$EPOCHREALTIME
    first=$( { "$rkt" "${flags[@]}" run --stage1-path="$images/stage1-$flavor.aci" example.com/busybox \
                 --exec /bin/sh -- -c 'echo ready' 2>"$work/stderr"; echo "status $?" >"$work/status"; } |
             { read -r _ && echo "$EPOCHREALTIME"; cat >/dev/null; } )
    end=$EPOCHREALTIME
    status=$(cut -d' ' -f2 "$work/status")
    [ -n "$first" ] || first=$end
    echo "$(bc <<<"$first - $start") $(bc <<<"$end - $start") $status"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# A first pod per flavor builds what later pods reuse (the kvm flavor's image disk): not measured.
for flavor in "${flavors[@]}"; do run_pod "$flavor" >/dev/null; done
for ((i = 1; i <= runs; i++)); do
    for flavor in "${flavors[@]}"; do
        result=$(run_pod "$flavor")
        echo "$result" >>"$work/$flavor.results"
        read -r _ _ status <<<"$result"
        [ "$status" = 0 ] || { echo "bench-pod: $flavor run $i exited with $status:" >&2; cat "$work/stderr" >&2; exit 1; }
    done
    "$rkt" "${flags[@]}" gc --grace-period=0s >/dev/null 2>&1 || true
done

echo "bench-pod: busybox 'echo ready', median of $runs runs each; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %14s %12s\n' flavor "to output (s)" "total (s)"
for flavor in "${flavors[@]}"; do
    printf '%-10s %14.2f %12.2f\n' "$flavor" "$(cut -d' ' -f1 "$work/$flavor.results" | median)" \
        "$(cut -d' ' -f2 "$work/$flavor.results" | median)"
done
