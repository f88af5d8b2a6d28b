#!/usr/bin/env bash
# `make demo`: what a newcomer sees first. Builds a real ACI from Debian's busybox-static, fetches it into a
# fresh store under build/demo, lists it, and shows its manifest. (Running it as a pod arrives with the stage1
# flavors.)
set -euo pipefail
cd "$(dirname "$0")/.."
rkt=build/bin/rkt
demo=build/demo
rm -rf "$demo"
mkdir -p "$demo"
scripts/make-busybox-aci.sh "$demo/busybox.aci"
flags=(--dir="$demo/data" --local-config="$demo/etc" --system-config="$demo/lib" --user-config="$demo/user")

echo "+ rkt fetch --insecure-options=image $demo/busybox.aci"
"$rkt" "${flags[@]}" fetch --insecure-options=image "$demo/busybox.aci"
echo "+ rkt fetch (again: the store already has it)"
"$rkt" "${flags[@]}" fetch --insecure-options=image "$demo/busybox.aci"
echo "+ rkt image list"
"$rkt" "${flags[@]}" image list
echo "+ rkt image cat-manifest --pretty-print example.com/busybox"
"$rkt" "${flags[@]}" image cat-manifest --pretty-print example.com/busybox
echo "+ rkt image render example.com/busybox $demo/rendered"
"$rkt" "${flags[@]}" image render example.com/busybox "$demo/rendered"
echo "rendered: $(ls "$demo/rendered/rootfs/bin" | wc -l) entries in $demo/rendered/rootfs/bin"
