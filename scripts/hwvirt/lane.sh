#!/usr/bin/env bash
# `make test-hwvirt`: the kvm flavor on hardware-style virtualization, on a host without any. Boots L1, Debian's
# stock kernel under QEMU TCG, which emulates an AMD CPU with SVM and nested paging, so L1's /dev/kvm is kvm_amd
# (scripts/hwvirt/l1-*.sh); runs scripts/hwvirt/l1-steps.sh there (kvm_amd checks, the boot test, a kvm pod, the
# PVM adaptations off, the kvm flavor's XCTest classes); runs the same boot test and pod on the host's /dev/kvm;
# prints both sets of figures side by side. Emulated SVM is a correctness lane: its times are not hardware's.
#
# Needs the host builds (`swift build --build-tests`, build/vmlinux; the Makefile target makes them), root and
# qemu-system-x86_64; exits 77 (skipped) without root or QEMU. Results under build/hwvirt/run/.
# Environment: XCTEST_CLASSES (XCTest filters, Module.Class or Module.Class/test, run one by one; default: every
#   class of VMMTests and Stage1KvmTests and the essential kvm pod tests, see below; "all": KvmPodTests and
#   KvmPodNetworkTests whole; "none"), XCTEST_TIMEOUT_S (600 per filter), L1_STEP_TIMEOUT_S
#   (1800), L1_MEMORY, L1_CPUS (scripts/hwvirt/l1-run.sh), HWVIRT_HOST=0 (skip the host's figures).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
lane_start=$EPOCHREALTIME
elapsed() { printf '%.0f' "$(bc <<<"$EPOCHREALTIME - $1")"; }
say() { echo "hwvirt: $*"; }
# `lane.sh --check`: only whether the lane can run here (exit 0), or the reason on stdout and exit 77 (for the
# Makefile's SKIPPED line, before it builds anything).
check_only=0
[ "${1:-}" = --check ] && check_only=1
skip() {
    if [ "$check_only" = 1 ]; then echo "$*"; else echo "hwvirt: SKIP: $*" >&2; fi
    exit 77
}

[ "$(id -u)" = 0 ] || skip "needs root (the 9p share of the host's /, kvm pods in L1)"
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (make deps installs qemu-system-x86)"
for tool in cpio python3 bc /bin/busybox mkfs.erofs debugfs; do
    command -v "$tool" >/dev/null || skip "$tool missing (make deps)"
done
[ "$check_only" = 0 ] || exit 0
bin=$repo/.build/debug
for file in "$bin/rkt" "$bin/rkt-vmm" "$bin/stage1-kvm" "$bin/rkt-guest-init" "$bin/rktPackageTests.xctest" "$repo/build/vmlinux"; do
    [ -e "$file" ] || { echo "hwvirt: $file is missing (swift build --build-tests; make kernel)" >&2; exit 1; }
done

run=$repo/build/hwvirt/run
prep=$repo/build/hwvirt/prep
rm -rf "$run" "$prep"
mkdir -p "$run/l1" "$prep"
step_start=$EPOCHREALTIME
l1=$("$here/l1-image.sh") || { echo "hwvirt: building L1 failed" >&2; exit 1; }
say "L1: $(cat "$l1/kernel-package") from $l1 ($(elapsed "$step_start") s)"
step_start=$EPOCHREALTIME
"$repo/scripts/vmm-boot-test.sh" --make-disks "$prep/disks" || exit 1
# The same disks with a hook in the root that prints the guest CPU's virtualization flags (--nested-virtualization).
"$repo/scripts/vmm-boot-test.sh" --make-disks "$prep/disks-nested" || exit 1
printf '#!/bin/sh\necho "cpu-virt-flags:[$(grep -owE "svm|vmx" /proc/cpuinfo | sort -u | tr "\\n" " ")]"\n' > "$prep/virt-flags"
chmod +x "$prep/virt-flags"
"$repo/scripts/make-test-disk.sh" "$prep/disks-nested/root.img" --add "$prep/virt-flags:/etc/rkt-test.d/virt-flags" >/dev/null || exit 1
"$repo/scripts/make-busybox-aci.sh" "$prep/busybox.aci" >/dev/null || exit 1
"$repo/scripts/make-stage1-kvm-aci.sh" "$bin/stage1-kvm" "$bin/rkt-vmm" "$bin/rkt-guest-init" "$repo/build/vmlinux" \
    "$prep/stage1-kvm.aci" 0.0.0-hwvirt || exit 1
say "disks, busybox.aci and stage1-kvm.aci built on the host ($(elapsed "$step_start") s)"

# Every class of VMMTests and Stage1KvmTests (seconds in L1); of the kvm pod classes, whose tests take 25-80 s each
# in L1 (each packs its stage1 image there, emulated), the essential ones: a pod's output and exit status, the
# running VMM's jail and seccomp filter on kvm_amd, a pod on the default network reached by address and host port.
# XCTEST_CLASSES=all runs KvmPodTests and KvmPodNetworkTests whole (about 6 minutes more).
vmm_classes=$("$bin/rktPackageTests.xctest" --list-tests 2>/dev/null |
    sed -n 's|^\(VMMTests\.[A-Za-z]*\)/.*|\1|p; s|^\(Stage1KvmTests\.[A-Za-z]*\)/.*|\1|p' | sort -u | tr '\n' ' ')
essential_pod_tests="Stage0Tests.KvmPodTests/testAppOutputAndExitStatusPassThrough
    Stage0Tests.KvmPodTests/testRunningPodsVMMIsJailedWithoutCapabilitiesUnderSeccomp
    Stage0Tests.KvmPodNetworkTests/testWebPodAnswersAtItsAddressAndHostPortAnotherPodReachesItAndGcReleasesEverything"
case "${XCTEST_CLASSES:-}" in
    "") classes="$vmm_classes $essential_pod_tests" ;;
    all) classes="$vmm_classes Stage0Tests.KvmPodTests Stage0Tests.KvmPodNetworkTests" ;;
    none) classes="" ;;
    *) classes=$XCTEST_CLASSES ;;
esac
classes=$(echo $classes)  # one line, single spaces
cat > "$run/l1/lane.env" <<ENV
PREP=$prep
XCTEST_CLASSES="$classes"
XCTEST_TIMEOUT_S=${XCTEST_TIMEOUT_S:-600}
ENV

# The host's own /dev/kvm first (the comparison column); its failures are reported, not the lane's.
host_kind="host /dev/kvm"
if [ -d /sys/module/kvm_pvm ]; then host_kind="host /dev/kvm (PVM)"
elif grep -qwE 'vmx|svm' /proc/cpuinfo; then host_kind="host /dev/kvm (VMX/SVM hardware)"; fi
host_note=""
if [ "${HWVIRT_HOST:-1}" = 0 ]; then
    host_note="not measured (HWVIRT_HOST=0)"
elif [ ! -w /dev/kvm ]; then
    host_note="not measured (no usable /dev/kvm)"
else
    step_start=$EPOCHREALTIME
    say "boot test and kvm pod on the $host_kind …"
    if ! "$here/measure.sh" "$prep" "$run/host" 2> "$run/host-measure.err"; then
        host_note="WARNING: failed on the host: $(tr '\n' ' ' < "$run/host-measure.err")"
        say "$host_note"
    fi
    say "host figures measured ($(elapsed "$step_start") s)"
fi

step_start=$EPOCHREALTIME
say "booting L1 under QEMU TCG (emulated SVM) for the steps in scripts/hwvirt/l1-steps.sh …"
l1_status=0
L1_DIR=$l1 "$here/l1-run.sh" "$run/l1" "$here/l1-steps.sh" "${L1_STEP_TIMEOUT_S:-1800}" || l1_status=$?
l1_seconds=$(elapsed "$step_start")
cat "$run/l1/step.log" 2>/dev/null

value() { sed -n "s/^$2=//p" "$1/figures" 2>/dev/null | head -n 1; }
row() {  # LABEL KEY UNIT
    local svm host
    svm=$(value "$run/l1/svm" "$2"); host=$(value "$run/host" "$2")
    printf '  %-42s %-24s %s\n' "$1" "${svm:--}${svm:+$3}" "${host:--}${host:+$3}"
}
echo
say "figures (the same boot test and pod, measured in this run)"
printf '  %-42s %-24s %s\n' "" "emulated SVM under" "$host_kind"
printf '  %-42s %-24s %s\n' "" "QEMU TCG (correctness" ""
printf '  %-42s %-24s %s\n' "" "lane, not a hardware" ""
printf '  %-42s %-24s %s\n' "" "speed figure)" ""
row "boot test: guest clock at /init" boot_guest_init_s " s"
row "boot test: wall, rkt-vmm start to exit" boot_wall_s " s"
row "kvm pod (rkt run, exit 7): first run" pod1_wall_s " s"
row "kvm pod: second run (image disk cached)" pod2_wall_s " s"
row "CPUID profile" cpuid_profile ""
row "VMX/SVM in the pod's /proc/cpuinfo" pod1_cpu_virt_flags ""
[ -z "$host_note" ] || say "host column: $host_note"
l1_up=$(cat "$run/l1/l1-uptime-at-step" 2>/dev/null)
say "L1 (QEMU TCG, ${L1_CPUS:-2} vCPUs): uptime at its first step ${l1_up:-?} s; L1 run ${l1_seconds} s in all"
if [ -s "$run/l1/xctest" ]; then
    say "XCTest classes in L1 (class, exit status, executed, skipped, failures, seconds):"
    sed 's/^/  /' "$run/l1/xctest"
    awk '{ e += $3; s += $4; f += $5 } END { printf "hwvirt: XCTest in L1: %d executed, %d skipped, %d failures\n", e, s, f }' "$run/l1/xctest"
fi
say "lane took $(elapsed "$lane_start") s; logs in $run"
case "$l1_status" in
    0) say "PASS" ;;
    125) say "FAIL: L1 did not finish its steps (see $run/l1/console.log)"; exit 1 ;;
    *) say "FAIL: a check in L1 failed (status $l1_status)"; exit 1 ;;
esac
