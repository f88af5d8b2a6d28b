#!/usr/bin/env bash
# Stage 2 of L1 (after scripts/hwvirt/l1-init.sh's switch_root; the host's / with a tmpfs overlay): loopback, a
# dummy interface with 192.0.2.10/24 (tests that want a global address), then the step script named by
# rkt_hwvirt_step= with `timeout` rkt_hwvirt_step_timeout= seconds, its output in OUT/step.log and its exit
# status in OUT/status (OUT: rkt_hwvirt_out=, the results share mounted at the same path as on the host).
# Then L1 reboots, which ends QEMU (-no-reboot).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/swift/usr/bin HOME=/root LANG=C.UTF-8
out= step= step_timeout=600
for word in $(cat /proc/cmdline); do
    case "$word" in
        rkt_hwvirt_out=*) out=${word#*=} ;;
        rkt_hwvirt_step=*) step=${word#*=} ;;
        rkt_hwvirt_step_timeout=*) step_timeout=${word#*=} ;;
    esac
done
finish() { sync; /bin/busybox reboot -f; sleep 10; }
trap finish EXIT
echo "hwvirt-l1: stage 2 at uptime $(cut -d' ' -f1 /proc/uptime) s"
hostname rkt-hwvirt-l1
ip link set lo up
ip link show dummy0 >/dev/null 2>&1 || ip link add dummy0 type dummy  # the dummy module makes one itself
ip addr add 192.0.2.10/24 dev dummy0 && ip link set dummy0 up
echo "$(cut -d' ' -f1 /proc/uptime)" > "$out/l1-uptime-at-step"
status=0
RKT_HWVIRT_OUT=$out timeout "$step_timeout" "$step" > "$out/step.log" 2>&1 </dev/null || status=$?
echo "$status" > "$out/status"
echo "hwvirt-l1: step $step exited with $status at uptime $(cut -d' ' -f1 /proc/uptime) s"
