#!/usr/bin/env bash
# What the hardware-virtualization lane runs inside L1 (emulated AMD SVM; started by scripts/hwvirt/l1-run.sh
# with RKT_HWVIRT_OUT, settings from RKT_HWVIRT_OUT/lane.env written by scripts/hwvirt/lane.sh):
#   a. /dev/kvm exists, kvm_amd is loaded with npt=Y nested=1;
#   b.+d. scripts/hwvirt/measure.sh: the boot test and a kvm pod, timed (into RKT_HWVIRT_OUT/svm/);
#   c. the PVM-only adaptations are off: CPUID profile passthrough, no rkt_pvm=1 on the guest's command line;
#      VMX/SVM hidden from the guest (the pod's /proc/cpuinfo, checked by measure.sh);
#   e. the XCTest filters in XCTEST_CLASSES (Module.Class or Module.Class/test), straight from the host-built test
#      bundle, one run each bounded by XCTEST_TIMEOUT_S; one "FILTER STATUS EXECUTED SKIPPED FAILURES SECONDS"
#      line each in RKT_HWVIRT_OUT/xctest.
# Each check prints "hwvirt-l1: ok …" or "hwvirt-l1: FAIL …"; exits 1 if any failed.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${RKT_HWVIRT_OUT:?RKT_HWVIRT_OUT is not set (run through scripts/hwvirt/l1-run.sh)}
# shellcheck source=/dev/null
. "$out/lane.env"
failures=0
ok() { echo "hwvirt-l1: ok: $*"; }
fail() { echo "hwvirt-l1: FAIL: $*"; failures=$((failures + 1)); }
cd "$repo" || exit 1

# a. hardware-style KVM
[ -c /dev/kvm ] && ok "/dev/kvm exists" || fail "/dev/kvm missing"
npt=$(cat /sys/module/kvm_amd/parameters/npt 2>/dev/null) nested=$(cat /sys/module/kvm_amd/parameters/nested 2>/dev/null)
[ "$npt" = Y ] && [ "$nested" = 1 ] && ok "kvm_amd npt=$npt nested=$nested" ||
    fail "kvm_amd should be loaded with npt=Y nested=1, got npt='$npt' nested='$nested'"
[ ! -d /sys/module/kvm_pvm ] || fail "kvm_pvm is loaded in L1"

# b., d. boot test and kvm pod
if RKT="$repo/.build/debug/rkt" "$repo/scripts/hwvirt/measure.sh" "$PREP" "$out/svm" 2> "$out/svm-measure.err"; then
    ok "boot test and kvm pod (exit status 7 passed through, output seen, no svm/vmx in the pod's /proc/cpuinfo)"
else
    fail "measure.sh: $(tr '\n' ' ' < "$out/svm-measure.err")"
fi
# c. PVM-only adaptations off
profile=$(sed -n 's/^cpuid_profile=//p' "$out/svm/figures")
cmdline=$(sed -n 's/^guest_cmdline=//p' "$out/svm/figures")
[ "$profile" = passthrough ] && ok "rkt-vmm: CPUID profile: passthrough" || fail "CPUID profile is '$profile', not passthrough"
[ -n "$cmdline" ] && ! grep -qw 'rkt_pvm=1' <<<"$cmdline" && ok "guest command line has no rkt_pvm=1" ||
    fail "guest command line should lack rkt_pvm=1: '$cmdline'"
[ "$(sed -n 's/^nested_virtualization=//p' "$out/svm/figures")" = hidden ] && ok "nested virtualization hidden from the guest" ||
    fail "rkt-vmm did not report nested virtualization as hidden"

# rkt-vmm --nested-virtualization shows SVM to a guest that asks (the default hiding is checked in the pod above)
DISKS_DIR=$PREP/disks-nested EXTRA_ARGS=--nested-virtualization GUEST_ARGS=quiet TIMEOUT_S=180 \
    KEEP_LOG="$out/nested-console.log" "$repo/scripts/vmm-boot-test.sh" > "$out/nested-boot.log" 2>&1
nested_flags=$(tr -d '\r' < "$out/nested-console.log" 2>/dev/null | sed -n 's/^cpu-virt-flags:\[\(.*\)\]$/\1/p')
[ "$nested_flags" = "svm " ] && ok "rkt-vmm --nested-virtualization: the guest's /proc/cpuinfo shows svm" ||
    fail "with --nested-virtualization the guest should see svm, saw '$nested_flags' ($out/nested-boot.log)"

# e. XCTest classes of the kvm flavor
: > "$out/xctest"
for class in $XCTEST_CLASSES; do
    start=$EPOCHREALTIME
    RKT_VMM_TEST_KERNEL=$repo/build/vmlinux timeout "$XCTEST_TIMEOUT_S" "$repo/.build/debug/rktPackageTests.xctest" "$class" \
        > "$out/xctest-${class//\//.}.log" 2>&1 </dev/null
    status=$?
    seconds=$(printf '%.0f' "$(bc <<<"$EPOCHREALTIME - $start")")
    summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?" "$out/xctest-${class//\//.}.log" | tail -n 1)
    executed=$(sed -n 's/.*Executed \([0-9]*\) tests\{0,1\}.*/\1/p' <<<"$summary")
    skipped=$(sed -n 's/.*with \([0-9]*\) tests\{0,1\} skipped.*/\1/p' <<<"$summary")
    failed=$(sed -n 's/.* \([0-9]*\) failures\{0,1\}.*/\1/p' <<<"$summary")
    echo "$class $status ${executed:-?} ${skipped:-0} ${failed:-?} $seconds" >> "$out/xctest"
    if [ "$status" = 0 ] && [ "${failed:-1}" = 0 ]; then
        ok "$class: ${executed} tests, ${skipped:-0} skipped, ${seconds} s"
    else
        fail "$class: exit $status (124: timeout after ${XCTEST_TIMEOUT_S} s), ${failed:-?} failures; $out/xctest-${class//\//.}.log"
        grep -E "error:|failed \(" "$out/xctest-${class//\//.}.log" | head -n 5
    fi
done
echo "hwvirt-l1: $failures failed check(s)"
[ "$failures" = 0 ]
