#!/usr/bin/env bash
# `make bench-boot`: boots the same kernel and disks with our rkt-vmm and with QEMU's microvm machine, RUNS times
# each (interleaved, so host load hits both alike), and prints side by side the medians of
#   time-to-init: host wall seconds from starting the VMM to the test /init's first line on the console
#                 (printed with shell builtins before anything else, see scripts/make-test-disk.sh),
#   CPU-to-init:  CPU seconds (user + system) the VMM process had used by then; on hosts without VMX/SVM the
#                 guest kernel is emulated in the VMM's vCPU thread, so this follows the guest's work and
#                 varies less with the load of other processes than wall time does,
#   guest clock:  the guest's /proc/uptime read by /init right after mounting /proc,
#   time-to-exit: host wall seconds until the VMM exited after the guest rebooted (i8042, reboot=k),
#   peak RSS:     the VMM process's maximum resident set (GNU time %M).
# The guest is kernel/'s build/vmlinux with a busybox root on virtio-blk (scripts/make-test-disk.sh); /init reads
# a second disk, writes a marker and reboots. Environment: RUNS (3), KERNEL, RKT_VMM (build/bin/rkt-vmm),
# MEM_MIB (128, the kvm flavor's default guest RAM), TIMEOUT_S (300).
#
# A second column set: the same boots inside L1, Debian's stock kernel under QEMU TCG, which emulates AMD SVM
# (scripts/hwvirt/: L1's /dev/kvm is kvm_amd). That is emulation, not a hardware figure: it shows the kvm flavor
# on hardware-style KVM, not hardware speed. HWVIRT=0 leaves it out; where L1 cannot run (not root, no QEMU, no
# L1 kernel package) the reason is printed and the host columns stay. Used by scripts/hwvirt/bench-boot-step.sh
# inside L1: DISKS_DIR (boot copies of DIR/root.img and DIR/data.img instead of building them), RESULTS_DIR
# (keep the raw results there), HOST_KIND (the label of the host).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=${RUNS:-3}
kernel=${KERNEL:-$repo/build/vmlinux}
vmm=${RKT_VMM:-$repo/build/bin/rkt-vmm}
mem=${MEM_MIB:-128}
timeout_s=${TIMEOUT_S:-300}

[ -c /dev/kvm ] && [ -w /dev/kvm ] || { echo "bench-boot: /dev/kvm is not usable" >&2; exit 1; }
command -v qemu-system-x86_64 >/dev/null || { echo "bench-boot: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-boot: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -f "$kernel" ] || { echo "bench-boot: kernel $kernel not found (make kernel)" >&2; exit 1; }
[ -x "$vmm" ] || { echo "bench-boot: $vmm not found (make rkt-vmm)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-bench-boot.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -n "${DISKS_DIR:-}" ]; then
    cp --sparse=always "$DISKS_DIR/root.img" "$DISKS_DIR/data.img" "$work/"
else
    echo "bench-input" > "$work/input"
    "$repo/scripts/make-test-disk.sh" "$work/root.img" >/dev/null
    "$repo/scripts/make-test-disk.sh" "$work/data.img" --no-busybox --add "$work/input:/input" >/dev/null
fi

# Hosts without VMX/SVM (PVM) need the conservative CPU model and our kernel's workaround switch; rkt-vmm
# detects this itself, QEMU is told the same by hand.
guest_params="root=/dev/vda rootfstype=ext4 rw init=/init"
qemu_cpu=host
qemu_params="console=ttyS0 reboot=k panic=-1 tsc=reliable no_timer_check noreplace-smp quiet"
if [ -d /sys/module/kvm_pvm ] || ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
    host_kind="no VMX/SVM (guest kernel emulated)"
    qemu_cpu="max,-arch-capabilities,-smap,-popcnt,-xsave,-kvm-pv-ipi,-kvm-pv-unhalt,-kvm-pv-sched-yield,-kvm-pv-tlb-flush"
    qemu_params="$qemu_params rkt_pvm=1 noxsave rodata=off percpu_alloc=page clocksource=kvm-clock"
else
    host_kind="hardware virtualization"
fi
host_kind=${HOST_KIND:-$host_kind}

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
    ( echo "$BASHPID" > "$work/pid"; exec timeout "$timeout_s" /usr/bin/time -f "%M" -o "$work/rss" "${command[@]}" ) \
        </dev/null 2>&1 |
        while IFS= read -r line; do
            printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"
            [[ $line == *"rkt-test-init: started"* ]] && printf 'cpu-ticks %s\n' "$(vmm_cpu_ticks "$(cat "$work/pid")")"
        done > "$log"
    status=${PIPESTATUS[0]}
    set -e
    local end=$EPOCHREALTIME
    local init_at cpu guest
    init_at=$(awk '/rkt-test-init: started/ { print $1; exit }' "$log")
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '/^cpu-ticks [0-9]+$/ { printf "%.2f", $2 / hz; exit }' "$log")
    guest=$(awk '/rkt-test-init: uptime/ { print $(NF - 1); exit }' "$log")
    # The VMM may be gone before its CPU time is read (a boot of a second or so, as under hardware-style KVM).
    [ -n "$cpu" ] || cpu=NA
    if [ "$status" != 0 ] || [ -z "$init_at" ] || [ -z "$guest" ] || ! grep -q "rkt-test-init: done" "$log"; then
        echo "bench-boot: $name run failed (status $status); console:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    printf '%s %s %s %s %s\n' "$(bc <<<"$init_at - $start")" "$(bc <<<"$end - $start")" "$(tail -n 1 "$work/rss")" \
        "$cpu" "$guest" >> "$work/$name.results"
    printf 'bench-boot: %-8s run: time-to-init %6.2f s (CPU %5s s, guest clock %5.2f s), time-to-exit %6.2f s, peak RSS %6.1f MiB, load %s\n' \
        "$name" "$(bc <<<"$init_at - $start")" "$cpu" "$guest" "$(bc <<<"$end - $start")" \
        "$(bc -l <<<"$(tail -n 1 "$work/rss") / 1024")" "$(cut -d' ' -f1 /proc/loadavg)"
}

# CPU ticks (user + system) used so far by the VMM: the innermost process under PID (timeout → time → VMM).
vmm_cpu_ticks() {
    local pid=$1 child stat
    while child=$(awk '{ print $1 }' "/proc/$pid/task/$pid/children" 2>/dev/null) && [ -n "$child" ]; do pid=$child; done
    read -r -a stat 2>/dev/null < "/proc/$pid/stat" || return 0
    echo $(( stat[13] + stat[14] ))
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "bench-boot: kernel $kernel ($(du -h --apparent-size "$kernel" | cut -f1)), ${mem} MiB, 1 vCPU, $runs runs each, host: $host_kind"
for _ in $(seq "$runs"); do
    run_one rkt-vmm
    run_one qemu
done

[ -z "${RESULTS_DIR:-}" ] || { mkdir -p "$RESULTS_DIR"; cp "$work"/*.results "$RESULTS_DIR/"; }

# The same boots in L1 under emulated SVM (see the header), from copies of these disks in the results share.
l1_results="" l1_note=""
if [ "${HWVIRT:-1}" != 0 ]; then
    l1_out=$repo/build/hwvirt/bench-boot
    rm -rf "$l1_out"
    mkdir -p "$l1_out/disks"
    cp --sparse=always "$work/root.img" "$work/data.img" "$l1_out/disks/"
    printf 'RUNS=%s\nKERNEL=%s\nRKT_VMM=%s\nMEM_MIB=%s\n' "$runs" "$kernel" "$vmm" "$mem" > "$l1_out/bench.env"
    echo "bench-boot: the same boots in L1 under QEMU TCG (emulated AMD SVM, scripts/hwvirt/) …"
    l1_status=0
    "$repo/scripts/hwvirt/l1-run.sh" "$l1_out" "$repo/scripts/hwvirt/bench-boot-step.sh" $(( runs * 2 * 120 + 60 )) \
        > "$l1_out/l1-run.log" 2>&1 || l1_status=$?
    sed -n 's/^bench-boot: /bench-boot (L1): /p' "$l1_out/step.log" 2>/dev/null | grep ' run: ' || true
    if [ "$l1_status" = 0 ] && [ -s "$l1_out/results/rkt-vmm.results" ] && [ -s "$l1_out/results/qemu.results" ]; then
        l1_results=$l1_out/results
    elif [ "$l1_status" = 77 ]; then
        l1_note="not measured: $(sed -n 's/^hwvirt: SKIP: //p' "$l1_out/l1-run.log")"
    else
        l1_note="not measured: the L1 run failed (status $l1_status; $l1_out/l1-run.log, $l1_out/step.log)"
    fi
else
    l1_note="not measured (HWVIRT=0)"
fi

# cells DIR NAME FIELDS…: the medians of the given result columns (1 init, 2 exit, 3 RSS, 4 CPU, 5 guest clock).
cells() {
    local dir=$1 name=$2 field value
    shift 2
    for field in "$@"; do
        if cut -d' ' -f"$field" "$dir/$name.results" | grep -qx NA; then
            printf ' %14s' n/a  # some run ended before its CPU time could be read
            continue
        fi
        value=$(cut -d' ' -f"$field" "$dir/$name.results" | median)
        [ "$field" = 3 ] && value=$(bc -l <<<"$value / 1024")
        printf ' %14.2f' "$value"
    done
}
echo
printf '%-22s %-74s' "" "host: $host_kind"
[ -z "$l1_results" ] || printf ' | %s' "emulated AMD SVM in L1 under QEMU TCG (emulation, not hardware figures)"
printf '\n%-22s %14s %14s %14s %14s %14s' "VMM (median of $runs)" "time-to-init s" "CPU-to-init s" "guest clock s" \
    "time-to-exit s" "peak RSS MiB"
[ -z "$l1_results" ] || printf ' | %14s %14s %14s %14s' "time-to-init s" "CPU-to-init s" "guest clock s" "time-to-exit s"
echo
for name in rkt-vmm qemu; do
    label=$name
    [ "$name" = qemu ] && label="qemu -M microvm"
    printf '%-22s%s' "$label" "$(cells "$work" "$name" 1 4 5 2 3)"
    [ -z "$l1_results" ] || printf ' | %s' "$(cells "$l1_results" "$name" 1 4 5 2)"
    echo
done
[ -z "$l1_note" ] || echo "emulated AMD SVM in L1: $l1_note"
