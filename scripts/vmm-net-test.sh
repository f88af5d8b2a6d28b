#!/usr/bin/env bash
# Boots build/vmlinux in rkt-vmm with a virtio-net interface on a host tap device and checks that the guest
# and the host reach each other: the host gives the tap 10.213.0.1/24, the guest's /init gives eth0
# 10.213.0.2/24, pings the host, and fetches a file from a busybox httpd on the host. The "host" is a network
# namespace of the test's own (the script re-runs itself under `unshare --net`): the tap, its address and the
# server never touch the machine's own namespace, and go with the test. Needs root, /dev/kvm and /dev/net/tun;
# exits 77 (skipped) without them.
# Environment: KERNEL (default build/vmlinux), RKT_VMM (default: the debug build's rkt-vmm), TIMEOUT_S (300).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel=${KERNEL:-$repo/build/vmlinux}
vmm=${RKT_VMM:-$(cd "$repo" && swift build --show-bin-path)/rkt-vmm}
timeout_s=${TIMEOUT_S:-300}
skip() { echo "vmm-net-test: SKIP: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "a tap device needs root"
[ -c /dev/kvm ] && [ -w /dev/kvm ] || skip "/dev/kvm is not usable"
[ -c /dev/net/tun ] || skip "/dev/net/tun is missing"
command -v ip >/dev/null || skip "ip (iproute2) is missing"
command -v unshare >/dev/null || skip "unshare (util-linux) is missing"
if [ -z "${RKT_VMM_NET_TEST_NETNS:-}" ]; then
    RKT_VMM_NET_TEST_NETNS=1 exec unshare --net -- "$0" "$@"
fi
ip link set lo up
[ -f "$kernel" ] || { echo "vmm-net-test: kernel $kernel not found (make kernel)" >&2; exit 1; }
[ -x "$vmm" ] || { echo "vmm-net-test: $vmm not found (swift build --product rkt-vmm)" >&2; exit 1; }

tap="rktnet$$"
tap=${tap:0:15}
work=$(mktemp -d "${TMPDIR:-/tmp}/rkt-vmm-net-test.XXXXXX")
cleanup() {
    [ -z "${httpd_pid:-}" ] || kill "$httpd_pid" 2>/dev/null || true
    ip link del "$tap" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
ip tuntap add dev "$tap" mode tap
ip addr add 10.213.0.1/24 dev "$tap"
ip link set "$tap" up
mkdir -p "$work/www"
token="rkt-net-test-$$-$RANDOM"
echo "$token" > "$work/www/token"
busybox httpd -f -p 10.213.0.1:18081 -h "$work/www" &
httpd_pid=$!

cat > "$work/init" <<'INIT'
#!/bin/sh
mount -t proc proc /proc
ifconfig lo up
ifconfig eth0 10.213.0.2 netmask 255.255.255.0 up
if ping -c 2 -W 10 10.213.0.1 >/dev/null; then echo "rkt-net-test: ping ok"; fi
# busybox wget segfaults in this static build when resolving; nc speaks HTTP/1.0 well enough.
echo "rkt-net-test: fetched $(printf 'GET /token HTTP/1.0\r\n\r\n' | nc -w 20 10.213.0.1 18081 | tail -n 1)"
reboot -f
INIT
"$repo/scripts/make-test-disk.sh" "$work/root.img" --init-script "$work/init" >/dev/null

set +e
timeout "$timeout_s" "$vmm" --kernel "$kernel" --memory 128M --disk "$work/root.img" --net "$tap" --seccomp kill \
    --cmdline "root=/dev/vda rootfstype=ext4 rw init=/init" --console "file:$work/console.log" </dev/null 2>"$work/vmm.err"
status=$?
set -e
tr -d '\r' < "$work/console.log" > "$work/console.txt"
ok=1
grep -q "rkt-net-test: ping ok" "$work/console.txt" || { echo "vmm-net-test: FAIL: the guest could not ping the host" >&2; ok=0; }
grep -q "rkt-net-test: fetched $token" "$work/console.txt" || { echo "vmm-net-test: FAIL: the guest did not fetch the host's file" >&2; ok=0; }
[ "$status" = 0 ] || { echo "vmm-net-test: FAIL: rkt-vmm exited with $status" >&2; ok=0; }
if [ "$ok" != 1 ]; then
    tail -n 30 "$work/console.txt" >&2
    cat "$work/vmm.err" >&2
    exit 1
fi
echo "vmm-net-test: PASS ($(grep -c . "$work/console.txt") console lines)"
