#!/usr/bin/env python3
"""Names the functions in a guest profile written by `rkt-vmm --guest-profile FILE`.

usage: guest-profile.py PROFILE [VMLINUX] [--top N]

PROFILE holds "COUNT 0xADDRESS" lines (one sample per vCPU per millisecond); VMLINUX (default build/vmlinux)
gives the symbols through `nm -n`. Prints the N (default 40) functions with the most samples, their share
of all samples and the running total. Addresses outside the kernel's text (guest user code, the idle loop's
HLT exits included) are grouped as "[user]" or "[unknown]".
"""
import bisect
import os
import subprocess
import sys


def fail(message):
    print(f"guest-profile: {message}", file=sys.stderr)
    sys.exit(1)


def main(argv):
    args = [a for a in argv if not a.startswith("--top")]
    top = 40
    for a in argv:
        if a.startswith("--top="):
            top = int(a.split("=", 1)[1])
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    profile = args[0]
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    vmlinux = args[1] if len(args) > 1 else os.path.join(repo, "build", "vmlinux")
    if not os.path.isfile(profile):
        fail(f"profile {profile} not found")
    if not os.path.isfile(vmlinux):
        fail(f"kernel {vmlinux} not found")
    try:
        nm = subprocess.run(["nm", "-n", vmlinux], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        fail(f"nm {vmlinux}: {error}")
    addresses, names = [], []
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            addresses.append(int(parts[0], 16))
            names.append(parts[2])
    if not addresses:
        fail(f"{vmlinux} has no text symbols")
    text_end = addresses[-1] + 0x10000

    by_function = {}
    total = 0
    with open(profile) as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2:
                fail(f"{profile}:{number}: expected 'COUNT 0xADDRESS', got {line.strip()!r}")
            count, rip = int(parts[0]), int(parts[1], 16)
            total += count
            if rip < 0x8000_0000_0000:
                name = "[user]"
            elif rip < addresses[0] or rip >= text_end:
                name = "[unknown]"
            else:
                name = names[bisect.bisect_right(addresses, rip) - 1]
            by_function[name] = by_function.get(name, 0) + count
    if total == 0:
        fail(f"{profile} holds no samples")
    print(f"{total} samples ({profile}, symbols from {vmlinux})")
    print(f"{'samples':>8} {'share':>6} {'total':>6}  function")
    running = 0
    for name, count in sorted(by_function.items(), key=lambda item: (-item[1], item[0]))[:top]:
        running += count
        print(f"{count:8d} {100 * count / total:5.1f}% {100 * running / total:5.1f}%  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
