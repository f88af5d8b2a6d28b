#!/usr/bin/env bash
# The figures the hardware-virtualization lane compares, measured on whatever /dev/kvm this runs on (the host's,
# or L1's kvm_amd under emulated SVM): scripts/vmm-boot-test.sh on prebuilt disks, then the same kvm pod run twice
# with `rkt run` (the first builds the image's disk, the second reuses it). Checks what it measures and writes
# KEY=VALUE lines to OUT/figures; exits non-zero if a check failed (each failure is a "FAIL:" line on stderr).
#
# usage: measure.sh PREP_DIR OUT_DIR
#   PREP_DIR: disks/ (vmm-boot-test.sh --make-disks), stage1-kvm.aci, busybox.aci, from scripts/hwvirt/lane.sh
# Environment: RKT (default .build/debug/rkt), RKT_VMM (.build/debug/rkt-vmm), KERNEL (build/vmlinux).
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
prep=$1 out=$2
rkt=${RKT:-$repo/.build/debug/rkt}
vmm=${RKT_VMM:-$repo/.build/debug/rkt-vmm}
mkdir -p "$out"
: > "$out/figures"
failures=0
figure() { echo "$1=$2" >> "$out/figures"; }
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The boot test, with --debug for the CPUID profile and the command line, `quiet` so the guest kernel's log does
# not go through the (emulated) serial port.
DISKS_DIR=$prep/disks RKT_VMM=$vmm KERNEL=${KERNEL:-$repo/build/vmlinux} TIMEOUT_S=180 EXTRA_ARGS=--debug \
    GUEST_ARGS=quiet KEEP_LOG="$out/boot-console.log" KEEP_ERR="$out/boot-vmm.err" \
    "$repo/scripts/vmm-boot-test.sh" > "$out/boot.log" 2>&1
boot_status=$?
[ "$boot_status" = 0 ] || fail "vmm-boot-test.sh exited with $boot_status (see $out/boot.log)"
figure boot_status "$boot_status"
figure boot_wall_s "$(sed -n 's/^vmm-boot-test: wall \([0-9.]*\) s.*/\1/p' "$out/boot.log")"
figure boot_guest_init_s "$(tr -d '\r' < "$out/boot-console.log" 2>/dev/null | sed -n 's/^rkt-test-init: uptime \([0-9.]*\) s$/\1/p' | head -n 1)"
figure cpuid_profile "$(sed -n 's/^rkt-vmm: CPUID profile: //p' "$out/boot-vmm.err" 2>/dev/null)"
figure nested_virtualization "$(sed -n 's/^rkt-vmm: nested virtualization: \([a-z]*\).*/\1/p' "$out/boot-vmm.err" 2>/dev/null)"
figure guest_cmdline "$(sed -n 's/^rkt-vmm: kernel command line: //p' "$out/boot-vmm.err" 2>/dev/null)"

# The kvm pod: output, exit status 7 passed through, and the virtualization flags the guest's CPU shows.
data=$(mktemp -d "${TMPDIR:-/tmp}/rkt-hwvirt-pod.XXXXXX")
# The pods' cgroups go below a parent of this run's own, removed after gc (make test's leak check looks for it).
export RKT_CGROUP_PARENT=rkt-hwvirt-$$
flags=(--dir="$data/data" --local-config="$data/etc" --system-config="$data/lib" --user-config="$data/user"
       --insecure-options=image)
# shellcheck disable=SC2016
script='echo hello-from-the-kvm-pod; echo "cpu-virt-flags:[$(grep -owE "svm|vmx" /proc/cpuinfo | sort -u | tr "\n" " ")] hypervisor-lines:$(grep -cw hypervisor /proc/cpuinfo)"; exit 7'
for run in 1 2; do
    start=$EPOCHREALTIME
    timeout 300 "$rkt" "${flags[@]}" run --stage1-path="$prep/stage1-kvm.aci" --net=none "$prep/busybox.aci" \
        --exec /bin/sh -- -c "$script" > "$out/pod$run.out" 2> "$out/pod$run.err" </dev/null
    status=$?
    figure "pod${run}_wall_s" "$(printf '%.1f' "$(bc <<<"$EPOCHREALTIME - $start")")"
    figure "pod${run}_status" "$status"
    output=$(tr -d '\r' < "$out/pod$run.out")
    [ "$status" = 7 ] || fail "pod run $run exited with $status, not the app's 7 (124: timeout; see $out/pod$run.err)"
    grep -qx hello-from-the-kvm-pod <<<"$output" || fail "pod run $run did not print its app's output ($out/pod$run.out)"
    virt=$(sed -n 's/^cpu-virt-flags:\[\(.*\)\] hypervisor-lines:\([0-9]*\)$/\1|\2/p' <<<"$output")
    flags_seen=${virt%|*}
    figure "pod${run}_cpu_virt_flags" "${flags_seen:-none}"
    [ -n "$virt" ] && [ -z "${virt%|*}" ] && [ "${virt#*|}" -ge 1 ] ||
        fail "pod run $run: the guest's /proc/cpuinfo should show the hypervisor flag and neither svm nor vmx, got '$virt'"
done
timeout 120 "$rkt" "${flags[@]}" gc --grace-period=0s > /dev/null 2>&1
for cgroup in /sys/fs/cgroup/"$RKT_CGROUP_PARENT" /sys/fs/cgroup/*/"$RKT_CGROUP_PARENT"; do
    [ ! -d "$cgroup" ] || rmdir "$cgroup" || fail "cgroup $cgroup still holds a pod after gc"
done
rm -rf "$data"
figure failures "$failures"
[ "$failures" = 0 ]
