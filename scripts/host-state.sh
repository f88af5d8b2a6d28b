#!/usr/bin/env bash
# The leak check around `make test`: `save FILE` records what the suite could leave on the machine; `check FILE`
# compares the machine with it and fails, naming each difference, when something was left:
#   mounts      mount points and filesystem types (/proc/self/mountinfo)
#   netns       named network namespaces (ip netns list) and the nsfs mounts among the mounts
#   links       network interfaces and routes of the machine's own namespace
#   iptables    iptables-save and ip6tables-save rules (counters dropped)
#   cgroups     the cgroup directories below /sys/fs/cgroup (v1 and v2) that rkt or its tests make: a path with a
#               component named rkt* (rkt's default parent, the tests' rkt-test-*) or shaped like a pod UUID
#               (other cgroups on a shared machine come and go with its own work)
#   processes   rkt, rkt-vmm, stage1 entrypoints, pods' processes (anything running from a pod's stage1 rootfs),
#               test sandboxes' holders and L1 QEMUs
# Usage: host-state.sh save FILE | check FILE
set -euo pipefail

section() { printf '### %s\n' "$1"; }

processes() {
    local pid exe cmdline comm
    for pid in /proc/[0-9]*; do
        pid=${pid#/proc/}
        [ "$pid" != $$ ] || continue
        comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
        exe=$(readlink "/proc/$pid/exe" 2>/dev/null || true)
        cmdline=$(tr '\0\n' '  ' < "/proc/$pid/cmdline" 2>/dev/null || true)
        case "$comm:$exe:$cmdline" in
            rkt:*|rkt-vmm:*|stage1-*:*|rkt-guest-init:*|qemu-system-*:*|*/stage1/rootfs/*|*rkt-sandbox*|*rkt-hwvirt*)
                echo "$pid $comm ${cmdline:0:160}" ;;
        esac
    done
}

snapshot() {
    section mounts
    awk '{ for (i = 7; $i != "-"; i++) {}; print $5, $(i + 1) }' /proc/self/mountinfo | sort
    section netns
    { ip netns list 2>/dev/null || true; } | awk '{print $1}' | sort
    section links
    ip -o link show | awk -F': ' '{ split($2, name, "@"); print name[1] }' | sort
    section routes
    ip route show table all 2>/dev/null | sort
    ip -6 route show table all 2>/dev/null | sort
    section iptables
    for save in iptables-save ip6tables-save; do
        command -v "$save" >/dev/null || continue
        { "$save" 2>/dev/null || true; } | { grep -v '^#' || true; } | sed -E 's/\[[0-9]+:[0-9]+\]$//' | sed "s/^/$save /" | sort
    done
    section cgroups
    find /sys/fs/cgroup -mindepth 1 -type d 2>/dev/null \
        | grep -E '/rkt[^/]*(/|$)|/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/|$)' | sort || true
    section processes
    processes | sort -n
}

# Differences of one section: "+ line" left by the suite, "- line" gone during it (reported, not failed).
compare() {
    local before=$1 after=$2 name status=0 added removed
    for name in mounts netns links routes iptables cgroups processes; do
        added=$(comm -13 <(sed -n "/^### $name\$/,/^### /p" "$before" | grep -v '^### ' | sort) \
                         <(sed -n "/^### $name\$/,/^### /p" "$after" | grep -v '^### ' | sort) || true)
        removed=$(comm -23 <(sed -n "/^### $name\$/,/^### /p" "$before" | grep -v '^### ' | sort) \
                           <(sed -n "/^### $name\$/,/^### /p" "$after" | grep -v '^### ' | sort) || true)
        if [ -n "$added" ]; then
            echo "host-state: LEAK: $name left by the test suite:" >&2
            sed 's/^/  + /' <<<"$added" >&2
            status=1
        fi
        [ -z "$removed" ] || { echo "host-state: note: $name gone during the suite:"; sed 's/^/  - /' <<<"$removed"; }
    done
    return $status
}

case "${1:-}:${2:-}" in
    save:?*)
        mkdir -p "$(dirname "$2")"
        snapshot > "$2.tmp" && mv "$2.tmp" "$2"
        echo "host-state: saved $(grep -vc '^###' "$2") entries to $2" ;;
    check:?*)
        [ -f "$2" ] || { echo "host-state: $2: no saved state (run 'host-state.sh save $2' first)" >&2; exit 2; }
        after=$(mktemp "${TMPDIR:-/tmp}/rkt-host-state.XXXXXX")
        trap 'rm -f "$after"' EXIT
        snapshot > "$after"
        if compare "$2" "$after"; then
            echo "host-state: PASS: mounts, netns, links, routes, iptables, cgroups and processes as before the suite"
        else
            echo "host-state: FAIL: the test suite left the state above on this machine" >&2
            exit 1
        fi ;;
    *)
        echo "usage: host-state.sh save FILE | check FILE" >&2
        exit 2 ;;
esac
