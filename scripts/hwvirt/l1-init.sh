#!/bin/busybox sh
# PID 1 of L1, the Linux that the hardware-virtualization lane boots under QEMU TCG (emulated AMD SVM; see
# docs/kvm.md, "Hardware virtualization lane"). Loads the modules, makes the host's / (9p share "host", read-only) the
# root with a tmpfs overlay on top so L1 can write, tmpfs on /run and /tmp (pods in L1 put overlayfs upper layers
# there, which an overlay cannot hold), the repository named by rkt_hwvirt_repo= kept visible at its host path even
# when it lies below /tmp or /run, the results share ("out") at the host path named by rkt_hwvirt_out=, then switch_root (not chroot: absolute paths stay those of the host) into the stage-2 script
# named by rkt_hwvirt_stage2= (a host path). Any failure here powers L1 off with the reason on the console.
/bin/busybox --install -s /bin
export PATH=/bin
fail() { echo "hwvirt-l1-init: FAIL: $*"; poweroff -f; sleep 5; }
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r module params; do
    insmod "/modules/$module" $params || fail "insmod $module $params"
done < /modules/load-order
out= stage2= repo=
for word in $(cat /proc/cmdline); do
    case "$word" in
        rkt_hwvirt_out=*) out=${word#*=} ;;
        rkt_hwvirt_stage2=*) stage2=${word#*=} ;;
        rkt_hwvirt_repo=*) repo=${word#*=} ;;
    esac
done
[ -n "$out" ] && [ -n "$stage2" ] && [ -n "$repo" ] || fail "the kernel command line names no rkt_hwvirt_out=, rkt_hwvirt_stage2= or rkt_hwvirt_repo="
mkdir -p /host /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=1048576 host /host || fail "mounting the host's / (9p)"
mount -t tmpfs -o mode=0755 tmpfs /rw || fail "tmpfs for the overlay"
mkdir -p /rw/upper /rw/work
mount -t overlay overlay -o lowerdir=/host,upperdir=/rw/upper,workdir=/rw/work /newroot || fail "overlay on the host's /"
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup
mkdir -p /rw/repo
mount --bind "/newroot$repo" /rw/repo || fail "keeping the repository $repo"
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mkdir -p "/newroot$repo" && mount --move /rw/repo "/newroot$repo" || fail "the repository back at $repo"
mkdir -p "/newroot$out" || fail "making the results mount point $out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576 out "/newroot$out" || fail "mounting the results share on $out"
ln -sf /proc/self/fd /newroot/dev/fd
ln -sf /proc/self/fd/0 /newroot/dev/stdin
ln -sf /proc/self/fd/1 /newroot/dev/stdout
ln -sf /proc/self/fd/2 /newroot/dev/stderr
[ -x "/newroot$stage2" ] || fail "stage 2 $stage2 is not an executable on the host"
exec switch_root /newroot "$stage2"
