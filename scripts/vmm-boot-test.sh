#!/usr/bin/env bash
# Boots build/vmlinux (or KERNEL=...) in our own VMM (rkt-vmm) with a busybox test disk as /dev/vda and a
# data disk as /dev/vdb, and checks that the default test /init ran: printed vdb's input, wrote the marker,
# rebooted through the i8042 (rkt-vmm exit status 0). The same check as kernel/qemu-boot-test.sh, so the
# two can be compared. Needs /dev/kvm, scripts/make-test-disk.sh (kernel/) and debugfs; exits 77 (skipped)
# without them.
#
# Environment: KERNEL (default build/vmlinux), RKT_VMM (default: the debug build's rkt-vmm), MEMORY (256M),
#   CPUS (1), TIMEOUT_S (300), EXTRA_ARGS (added to rkt-vmm's arguments, e.g. "--seccomp kill --debug"),
#   KEEP_LOG=FILE (keep the console log), KEEP_ERR=FILE (keep rkt-vmm's stderr), GUEST_ARGS (kernel parameters
#   added to the test's own, e.g. "quiet" with --debug), DISKS_DIR=DIR (boot copies of the disks that
#   `vmm-boot-test.sh --make-disks DIR` built: root.img, data.img and the token in input, instead of building
#   them here; for hosts where building them is slow, e.g. the emulated L1 of scripts/hwvirt/).
# usage: vmm-boot-test.sh                  boot and check
#        vmm-boot-test.sh --make-disks DIR only build the disks into DIR
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${KERNEL:-$repo/build/vmlinux}
timeout_s=${TIMEOUT_S:-300}

skip() { echo "vmm-boot-test: SKIP: $*" >&2; exit 77; }
[ -x "$repo/scripts/make-test-disk.sh" ] || skip "scripts/make-test-disk.sh (from kernel/) is missing"

# make_disks DIR: the busybox root disk, and a data disk holding a fresh token in /input (also in DIR/input).
make_disks() {
    mkdir -p "$1"
    echo "rkt-vmm-boot-test-$$-$RANDOM" > "$1/input"
    "$repo/scripts/make-test-disk.sh" "$1/root.img" >/dev/null
    "$repo/scripts/make-test-disk.sh" "$1/data.img" --no-busybox --add "$1/input:/input" >/dev/null
}
if [ "${1:-}" = --make-disks ]; then
    [ $# = 2 ] || { echo "usage: vmm-boot-test.sh --make-disks DIR" >&2; exit 2; }
    make_disks "$2"
    exit 0
fi

vmm=${RKT_VMM:-$(cd "$repo" && swift build --show-bin-path)/rkt-vmm}
[ -c /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not usable"
command -v debugfs >/dev/null || skip "debugfs (e2fsprogs) is not installed"
[ -f "$kernel" ] || { echo "vmm-boot-test: kernel $kernel not found (make kernel)" >&2; exit 1; }
[ -x "$vmm" ] || { echo "vmm-boot-test: $vmm not found (swift build --product rkt-vmm)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-vmm-boot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "${DISKS_DIR:-}" ]; then
    for file in root.img data.img input; do
        [ -f "$DISKS_DIR/$file" ] || { echo "vmm-boot-test: DISKS_DIR has no $file ($DISKS_DIR/$file)" >&2; exit 1; }
        cp --sparse=always "$DISKS_DIR/$file" "$work/$file"
    done
else
    make_disks "$work"
fi
token=$(cat "$work/input")

args=(--kernel "$kernel" --memory "${MEMORY:-256M}" --cpus "${CPUS:-1}" --disk "$work/root.img" --disk "$work/data.img"
      --cmdline "root=/dev/vda rootfstype=ext4 rw init=/init${GUEST_ARGS:+ $GUEST_ARGS}" --console "file:$work/console.log")
# shellcheck disable=SC2206
args+=(${EXTRA_ARGS:-})
echo "vmm-boot-test: $vmm ${args[*]}"
start=$EPOCHREALTIME
set +e
timeout "$timeout_s" "$vmm" "${args[@]}" </dev/null 2>"$work/vmm.err"
status=$?
set -e
wall=$(bc <<<"$EPOCHREALTIME - $start")
[ -z "${KEEP_LOG:-}" ] || cp "$work/console.log" "$KEEP_LOG"
[ -z "${KEEP_ERR:-}" ] || cp "$work/vmm.err" "$KEEP_ERR"
tr -d '\r' < "$work/console.log" > "$work/console.txt"  # the guest tty writes CR LF

ok=1
grep -qx "$token" "$work/console.txt" || { echo "vmm-boot-test: FAIL: /init did not print vdb's input" >&2; ok=0; }
grep -q "rkt-test-init: done" "$work/console.txt" || { echo "vmm-boot-test: FAIL: /init did not finish" >&2; ok=0; }
if [ "$ok" = 1 ] && ! debugfs -R "cat /marker" "$work/data.img" 2>/dev/null | grep -q "rkt-test-marker ok"; then
    echo "vmm-boot-test: FAIL: no marker on the data disk" >&2; ok=0
fi
[ "$status" = 0 ] || { echo "vmm-boot-test: FAIL: rkt-vmm exited with $status (124: timeout after ${timeout_s}s)" >&2; ok=0; }
printf 'vmm-boot-test: wall %.1f s; %s; load %s\n' "$wall" "$(grep -h 'rkt-test-init: done' "$work/console.txt" || echo 'no /init')" \
    "$(cut -d' ' -f1 /proc/loadavg)"
if [ "$ok" != 1 ]; then
    tail -n 30 "$work/console.txt" >&2
    cat "$work/vmm.err" >&2
    exit 1
fi
echo "vmm-boot-test: PASS"
