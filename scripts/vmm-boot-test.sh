#!/usr/bin/env bash
# Boots build/vmlinux (or KERNEL=...) in our own VMM (rkt-vmm) with a busybox test disk as /dev/vda and a
# data disk as /dev/vdb, and checks that the default test /init ran: printed vdb's input, wrote the marker,
# rebooted through the i8042 (rkt-vmm exit status 0). The same check as kernel/qemu-boot-test.sh, so the
# two can be compared. Needs /dev/kvm, scripts/make-test-disk.sh (kernel/) and debugfs; exits 77 (skipped)
# without them.
#
# Environment: KERNEL (default build/vmlinux), RKT_VMM (default: the debug build's rkt-vmm), MEMORY (256M),
#   CPUS (1), TIMEOUT_S (300), EXTRA_ARGS (added to rkt-vmm's arguments, e.g. "--seccomp kill --debug"),
#   KEEP_LOG=FILE (keep the console log).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${KERNEL:-$repo/build/vmlinux}
vmm=${RKT_VMM:-$(cd "$repo" && swift build --show-bin-path)/rkt-vmm}
timeout_s=${TIMEOUT_S:-300}

skip() { echo "vmm-boot-test: SKIP: $*" >&2; exit 77; }
[ -c /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not usable"
[ -x "$repo/scripts/make-test-disk.sh" ] || skip "scripts/make-test-disk.sh (from kernel/) is missing"
command -v debugfs >/dev/null || skip "debugfs (e2fsprogs) is not installed"
[ -f "$kernel" ] || { echo "vmm-boot-test: kernel $kernel not found (make kernel)" >&2; exit 1; }
[ -x "$vmm" ] || { echo "vmm-boot-test: $vmm not found (swift build --product rkt-vmm)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-vmm-boot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
token="rkt-vmm-boot-test-$$-$RANDOM"
echo "$token" > "$work/input"
"$repo/scripts/make-test-disk.sh" "$work/root.img" >/dev/null
"$repo/scripts/make-test-disk.sh" "$work/data.img" --no-busybox --add "$work/input:/input" >/dev/null

args=(--kernel "$kernel" --memory "${MEMORY:-256M}" --cpus "${CPUS:-1}" --disk "$work/root.img" --disk "$work/data.img"
      --cmdline "root=/dev/vda rootfstype=ext4 rw init=/init" --console "file:$work/console.log")
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
