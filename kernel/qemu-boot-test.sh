#!/usr/bin/env bash
# Boots build/vmlinux (or KERNEL=...) under QEMU microvm with a busybox test disk as /dev/vda and a data
# disk as /dev/vdb, checks that the default test /init ran (read vdb's input, wrote the marker, rebooted
# through the i8042 with reboot=k), and prints host wall-clock times to "Run /init" and to the end.
# Needs /dev/kvm and qemu-system-x86_64; exits 77 (skipped) without them.
#
# Environment: KERNEL (default build/vmlinux), MEM_MIB (256), TIMEOUT_S (300), QEMU_CPU
#   (max,-arch-capabilities,-smap,-popcnt,-xsave), QEMU_MACHINE (microvm,acpi=off,x-option-roms=off,
#   rtc=off; a bzImage needs x-option-roms=on), EXTRA_APPEND (added to the kernel command line),
#   KEEP_LOG=FILE (keep the console log), PROBE=1 (also run kernel/tests/syscall-fault-probe.S in the
#   guest: hand-made SYSCALL faults with hostile IOPL and return address; needs binutils).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${KERNEL:-$repo/build/vmlinux}
mem=${MEM_MIB:-256}
timeout_s=${TIMEOUT_S:-300}
cpu=${QEMU_CPU:-max,-arch-capabilities,-smap,-popcnt,-xsave}
append="console=ttyS0 rkt_pvm=1 noxsave reboot=k panic=-1 root=/dev/vda rootfstype=ext4 rw init=/init ${EXTRA_APPEND:-}"

[ -c /dev/kvm ] && [ -w /dev/kvm ] || { echo "qemu-boot-test: SKIP: /dev/kvm is not usable" >&2; exit 77; }
command -v qemu-system-x86_64 >/dev/null || { echo "qemu-boot-test: SKIP: qemu-system-x86_64 not installed" >&2; exit 77; }
[ -f "$kernel" ] || { echo "qemu-boot-test: kernel $kernel not found (make kernel)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-boot-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
token="rkt-boot-test-$$-$RANDOM"
echo "$token" > "$work/input"
probe_args=()
if [ "${PROBE:-0}" = 1 ]; then
    entry=$(nm "$kernel" 2>/dev/null | awk '$3 == "entry_SYSCALL_64" { a = $1 } END { print a }')
    [ -n "$entry" ] || { echo "qemu-boot-test: no entry_SYSCALL_64 symbol in $kernel (PROBE=1 needs an unstripped vmlinux)" >&2; exit 1; }
    as --defsym ENTRY=0x"$entry" -o "$work/probe.o" "$repo/kernel/tests/syscall-fault-probe.S"
    ld -static -o "$work/probe" "$work/probe.o"
    probe_args=(--add "$work/probe:/etc/rkt-test.d/10-syscall-fault-probe")
fi
"$repo/scripts/make-test-disk.sh" "$work/root.img" "${probe_args[@]}" >/dev/null
"$repo/scripts/make-test-disk.sh" "$work/data.img" --no-busybox --add "$work/input:/input" >/dev/null

echo "qemu-boot-test: kernel $kernel, ${mem} MiB, cmdline: $append"
start=$EPOCHREALTIME
set +e
timeout "$timeout_s" /usr/bin/time -f "%U %S" -o "$work/cpu" qemu-system-x86_64 \
    -M "${QEMU_MACHINE:-microvm,acpi=off,x-option-roms=off,rtc=off}" -enable-kvm -cpu "$cpu" -m "$mem" -smp 1 \
    -nodefaults -no-user-config -nographic -serial stdio -no-reboot -device i8042 \
    -kernel "$kernel" -append "$append" \
    -drive id=root,file="$work/root.img",format=raw,if=none -device virtio-blk-device,drive=root \
    -drive id=data,file="$work/data.img",format=raw,if=none -device virtio-blk-device,drive=data \
    </dev/null 2>&1 | while IFS= read -r line; do
        now=$EPOCHREALTIME
        printf '%8.3f %s\n' "$(bc <<<"$now - $start")" "${line%$'\r'}"
    done > "$work/console.log"
status=${PIPESTATUS[0]}
set -e
[ -z "${KEEP_LOG:-}" ] || cp "$work/console.log" "$KEEP_LOG"

at() { awk -v pat="$1" 'index($0, pat) { print $1; exit }' "$work/console.log"; }
init_at=$(at "Run /init as init process")
started_at=$(at "rkt-test-init: started")
end_at=$(at "reboot: machine restart")
ok=1
grep -q "^ *[0-9.]* $token\$" "$work/console.log" || { echo "qemu-boot-test: FAIL: /init did not print vdb's input" >&2; ok=0; }
grep -q "rkt-test-init: done" "$work/console.log" || { echo "qemu-boot-test: FAIL: /init did not finish" >&2; ok=0; }
if [ "$ok" = 1 ] && ! debugfs -R "cat /marker" "$work/data.img" 2>/dev/null | grep -q "rkt-test-marker ok"; then
    echo "qemu-boot-test: FAIL: no marker on the data disk" >&2; ok=0
fi
if [ "${PROBE:-0}" = 1 ]; then
    if grep -q "probe: FAIL" "$work/console.log" || ! grep -q "probe: done" "$work/console.log" \
        || [ "$(grep -c "probe: ok" "$work/console.log")" != 3 ]; then
        echo "qemu-boot-test: FAIL: syscall-fault probe" >&2; ok=0
    fi
    grep "probe:" "$work/console.log" | cut -c10- || true
fi
[ "$status" = 0 ] || { echo "qemu-boot-test: FAIL: qemu exited with $status (124: timeout after ${timeout_s}s)" >&2; ok=0; }
cpu_s=$(awk 'NF == 2 { printf "%.1f (user %s, sys %s)", $1 + $2, $1, $2 }' "$work/cpu" 2>/dev/null || true)
echo "qemu-boot-test: wall s: Run /init ${init_at:-?}, /init script started ${started_at:-?}, reboot ${end_at:-?}; qemu cpu s: ${cpu_s:-?}; load $(cut -d' ' -f1 /proc/loadavg)"
if [ "$ok" != 1 ]; then
    tail -n 30 "$work/console.log" >&2
    exit 1
fi
echo "qemu-boot-test: PASS"
