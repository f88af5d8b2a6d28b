#!/usr/bin/env bash
# `make bench-boot`: boots the same kernel and disks with our rkt-vmm and with QEMU's microvm machine, RUNS times
# each (interleaved, so host load hits both alike), and prints side by side the medians of
#   time-to-init: host wall seconds from starting the VMM to the test /init's first line on the console,
#   time-to-exit: host wall seconds until the VMM exited after the guest rebooted (i8042, reboot=k),
#   peak RSS:     the VMM process's maximum resident set (GNU time %M).
# The guest is kernel/'s build/vmlinux with a busybox root on virtio-blk (scripts/make-test-disk.sh); /init reads
# a second disk, writes a marker and reboots. Environment: RUNS (3), KERNEL, RKT_VMM (build/bin/rkt-vmm),
# MEM_MIB (256), TIMEOUT_S (300).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
kernel=${KERNEL:-$repo/build/vmlinux}
vmm=${RKT_VMM:-$repo/build/bin/rkt-vmm}
mem=${MEM_MIB:-256}
timeout_s=${TIMEOUT_S:-300}

[ -c /dev/kvm ] && [ -w /dev/kvm ] || { echo "bench-boot: /dev/kvm is not usable" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench-boot: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-boot: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -f "$kernel" ] || { echo "bench-boot: kernel $kernel not found (make kernel)" >&2; exit 1; }
[ -x "$vmm" ] || { echo "bench-boot: $vmm not found (make rkt-vmm)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-boot.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "bench-input" > "$work/input"
"$repo/scripts/make-test-disk.sh" "$work/root.img" >/dev/null
"$repo/scripts/make-test-disk.sh" "$work/data.img" --no-busybox --add "$work/input:/input" >/dev/null

# Hosts without VMX/SVM (PVM) need the conservative CPU model and our kernel's workaround switch; rkt-vmm
# detects this itself, QEMU is told the same by hand.
guest_params="root=/dev/vda rootfstype=ext4 rw init=/init"
qemu_cpu=host
qemu_params="console=ttyS0 reboot=k panic=-1 tsc=reliable no_timer_check noreplace-smp quiet"
if [ -d /sys/module/kvm_pvm ] || ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
    host_kind="no VMX/SVM (guest kernel emulated)"
    qemu_cpu="max,-arch-capabilities,-smap,-popcnt,-xsave,-kvm-pv-ipi,-kvm-pv-unhalt,-kvm-pv-sched-yield,-kvm-pv-tlb-flush"
    qemu_params="$qemu_params rkt_pvm=1 noxsave rodata=off"
else
    host_kind="hardware virtualization"
fi

# run_one NAME: boots once with fresh copies of the disks; appends "init exit rss_kib" to $work/NAME.results.
run_one() {
    local name=$1 log="$work/$1.log" start status
    cp --sparse=always "$work/root.img" "$work/run-root.img"
    cp --sparse=always "$work/data.img" "$work/run-data.img"
    local command
    if [ "$name" = rkt-vmm ]; then
        command=("$vmm" --kernel "$kernel" --memory "${mem}M" --cpus 1 --disk "$work/run-root.img"
                 --disk "$work/run-data.img" --cmdline "$guest_params" --console stdio)
    else
        command=(qemu-system-x86_64 -M microvm,acpi=off,x-option-roms=off,rtc=off -enable-kvm -cpu "$qemu_cpu"
                 -m "$mem" -smp 1 -nodefaults -no-user-config -nographic -serial stdio -no-reboot -device i8042
                 -kernel "$kernel" -append "$qemu_params $guest_params"
                 -drive "id=root,file=$work/run-root.img,format=raw,if=none" -device virtio-blk-device,drive=root
                 -drive "id=data,file=$work/run-data.img,format=raw,if=none" -device virtio-blk-device,drive=data)
    fi
    start=$EPOCHREALTIME
    set +e
    timeout "$timeout_s" /usr/bin/time -f "%M" -o "$work/rss" "${command[@]}" </dev/null 2>&1 |
        while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"; done > "$log"
    status=${PIPESTATUS[0]}
    set -e
    local end=$EPOCHREALTIME
    local init_at
    init_at=$(awk '/rkt-test-init: started/ { print $1; exit }' "$log")
    if [ "$status" != 0 ] || [ -z "$init_at" ] || ! grep -q "rkt-test-init: done" "$log"; then
        echo "bench-boot: $name run failed (status $status); console:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    printf '%s %s %s\n' "$(bc <<<"$init_at - $start")" "$(bc <<<"$end - $start")" "$(tail -n 1 "$work/rss")" \
        >> "$work/$name.results"
    printf 'bench-boot: %-8s run: time-to-init %6.2f s, time-to-exit %6.2f s, peak RSS %6.1f MiB\n' "$name" \
        "$(bc <<<"$init_at - $start")" "$(bc <<<"$end - $start")" "$(bc -l <<<"$(tail -n 1 "$work/rss") / 1024")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench-boot: kernel $kernel ($(du -h --apparent-size "$kernel" | cut -f1)), ${mem} MiB, 1 vCPU, $runs runs each, host: $host_kind"
for _ in $(seq "$runs"); do
    run_one rkt-vmm
    run_one qemu
done

printf '\n%-22s %16s %16s %16s\n' "VMM (median of $runs)" "time-to-init s" "time-to-exit s" "peak RSS MiB"
for name in rkt-vmm qemu; do
    init=$(cut -d' ' -f1 "$work/$name.results" | median)
    total=$(cut -d' ' -f2 "$work/$name.results" | median)
    rss=$(cut -d' ' -f3 "$work/$name.results" | median)
    label=$name
    [ "$name" = qemu ] && label="qemu -M microvm"
    printf '%-22s %16.2f %16.2f %16.1f\n' "$label" "$init" "$total" "$(bc -l <<<"$rss / 1024")"
done
