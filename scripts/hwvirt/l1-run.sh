#!/usr/bin/env bash
# Boots L1 (scripts/hwvirt/l1-image.sh's kernel and initramfs) under QEMU TCG, which emulates an AMD CPU with SVM
# and nested paging, so that L1's /dev/kvm is kvm_amd: hardware-style virtualization on a host without any.
# L1 sees the host's / read-only (9p, with a tmpfs overlay) and OUT_DIR read-write at the same path, runs
# STEP (a host path; run as `STEP` with RKT_HWVIRT_OUT=OUT_DIR, bounded by STEP_TIMEOUT_S) and reboots.
# Leaves OUT_DIR/console.log (L1's serial console), OUT_DIR/step.log, OUT_DIR/status; exits with STEP's status,
# 124 if STEP timed out, or 125 if L1 never reported one (boot failure, QEMU timeout: see console.log).
#
# usage: l1-run.sh OUT_DIR STEP [STEP_TIMEOUT_S (default 600)]
# Environment: L1_MEMORY (6G), L1_CPUS (2: TCG is slow with more vCPUs than host cores), L1_DIR (a prebuilt
#   l1-image.sh directory), QEMU_TIMEOUT_S (STEP_TIMEOUT_S + 180: the bound on the whole L1 boot).
# Exit status 77: this host cannot run the lane (no qemu-system-x86_64, not root).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -ge 2 ] || { echo "usage: l1-run.sh OUT_DIR STEP [STEP_TIMEOUT_S]" >&2; exit 2; }
out=$(realpath "$1") step=$(realpath "$2") step_timeout=${3:-600}
skip() { echo "hwvirt: SKIP: $*" >&2; exit 77; }
[ "$(id -u)" = 0 ] || skip "needs root (9p share of the host's /, kvm pods in L1)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (apt-get install qemu-system-x86)"
[ -x "$step" ] || { echo "hwvirt: step $step is not executable" >&2; exit 2; }
repo=$(cd "$here/../.." && pwd)
case "$out" in "$repo"/*) ;; *)
    echo "hwvirt: OUT_DIR $out must lie in the repository ($repo), which L1 keeps at its path; use one under build/" >&2; exit 2 ;;
esac
l1=${L1_DIR:-$("$here/l1-image.sh")}
mkdir -p "$out"
rm -f "$out/status" "$out/step.log" "$out/console.log" "$out/l1-uptime-at-step"

append="console=ttyS0 quiet panic=-1 rdinit=/init rkt_hwvirt_stage2=$here/l1-stage2.sh rkt_hwvirt_out=$out rkt_hwvirt_repo=$repo"
append+=" rkt_hwvirt_step=$step rkt_hwvirt_step_timeout=$step_timeout"
qemu_status=0
timeout "${QEMU_TIMEOUT_S:-$((step_timeout + 180))}" qemu-system-x86_64 -accel tcg -cpu max -smp "${L1_CPUS:-2}" \
    -m "${L1_MEMORY:-6G}" -M pc -display none -no-reboot -serial "file:$out/console.log" -monitor none -nic none \
    -kernel "$l1/vmlinuz" -initrd "$l1/initramfs.cpio" -append "$append" \
    -virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out,mount_tag=out,security_model=none,multidevs=remap" \
    </dev/null >"$out/qemu.log" 2>&1 || qemu_status=$?
if [ ! -f "$out/status" ]; then
    echo "hwvirt: L1 reported no step status (qemu exit $qemu_status; 124: timeout); console:" >&2
    tail -n 40 "$out/console.log" | tr -d '\r' >&2
    cat "$out/qemu.log" >&2
    exit 125
fi
exit "$(cat "$out/status")"
