#!/usr/bin/env bash
# `make demo`: what a newcomer sees first. Builds a real ACI from Debian's busybox-static, fetches it into a
# fresh store under build/demo, lists it, shows its manifest, and (as root) runs it as a pod in a micro-VM (the
# default kvm stage1) and with the fly stage1.
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

# Real pods: first in a micro-VM with the default kvm stage1 (needs /dev/kvm), then with the fly stage1
# (chroot + exec in a private mount namespace). Both need root for their mounts.
if [ "$(id -u)" -ne 0 ]; then
    echo "(skipping the pods: stage1s need root)"
    exit 0
fi
if [ -w /dev/kvm ]; then
    echo "+ rkt run example.com/busybox --exec /bin/sh -- -c 'echo hi from a kvm pod; uname -r; exit 3'   (default stage1: kvm)"
    status=0
    time "$rkt" "${flags[@]}" run example.com/busybox --exec /bin/sh -- -c 'echo hi from a kvm pod; uname -r; exit 3' || status=$?
    echo "(exit status $status)"
    [ "$status" = 3 ] || { echo "demo: the kvm pod should have passed its app's exit status 3 through" >&2; exit 1; }
else
    echo "(skipping the kvm pod: /dev/kvm is not usable here)"
fi
echo "+ rkt run --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox --exec /bin/sh -- -c 'echo hi from a fly pod; exit 7'"
status=0
"$rkt" "${flags[@]}" run --stage1-name=coreos.com/rkt/stage1-fly example.com/busybox \
    --exec /bin/sh -- -c 'echo hi from a fly pod; exit 7' || status=$?
echo "(exit status $status)"
[ "$status" = 7 ] || { echo "demo: the fly pod should have passed its app's exit status 7 through" >&2; exit 1; }
echo "+ rkt list"
"$rkt" "${flags[@]}" list
echo "+ rkt gc --grace-period=0s"
"$rkt" "${flags[@]}" gc --grace-period=0s
