#!/usr/bin/env bash
# Builds a guest test disk without root: an ext4 image made by `mke2fs -d` from a staging directory.
#
# usage: make-test-disk.sh OUT.img [options]
#   --init-script FILE   install FILE as /init (default: a built-in script, see below)
#   --add SRC:DEST       copy host file or directory SRC to DEST inside the image (repeatable)
#   --no-busybox         data disk: no busybox, no /init, only what --add puts there
#   --size MIB           image size (default: contents + 8 MiB, at least 16 MiB)
#   --label NAME         ext4 volume label
#
# With busybox (the default) the image holds /bin/busybox (static, from Debian's busybox-static) and a
# link for every applet at its usual path (/bin/sh, /bin/mount, /sbin/reboot, ...), the directories a
# kernel and init expect (/dev /proc /sys /tmp /mnt /run /etc), /sbin/init -> /init, and /init.
# Boot it with root=/dev/vda rootfstype=ext4 (init=/init optional).
#
# The built-in /init prints "rkt-test-init: started" first (shell builtins only, so the line marks init's
# start), mounts proc, prints "rkt-test-init: uptime N s" (guest clock at init), mounts sys and dev, runs
# each executable in /etc/rkt-test.d/ (add them with --add), and if
# /dev/vdb exists mounts it on /mnt, prints /mnt/input (if any) between "rkt-test-data-begin" and
# "rkt-test-data-end", writes "rkt-test-marker ok" to /mnt/marker, unmounts it, prints
# "rkt-test-init: done" and reboots with `reboot -f` (boot with reboot=k).
# Data disks are made with: make-test-disk.sh data.img --no-busybox --add input.txt:/input
#
# The image is created without a journal and with its inode tables initialised, so the guest kernel
# neither replays a journal nor starts ext4's lazy inode-table zeroing (both slow when emulated).
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }
fail() { echo "make-test-disk: $*" >&2; exit 1; }

[ $# -ge 1 ] || usage
out=$1; shift
case "$out" in -*) usage ;; esac
init_script=""
adds=()
with_busybox=1
size_mib=""
label=""
while [ $# -gt 0 ]; do
    case "$1" in
        --init-script) [ $# -ge 2 ] || fail "--init-script needs a FILE"; init_script=$2; shift 2 ;;
        --add) [ $# -ge 2 ] || fail "--add needs SRC:DEST"; adds+=("$2"); shift 2 ;;
        --no-busybox) with_busybox=0; shift ;;
        --size) [ $# -ge 2 ] || fail "--size needs MIB"; size_mib=$2; shift 2 ;;
        --label) [ $# -ge 2 ] || fail "--label needs NAME"; label=$2; shift 2 ;;
        -h|--help) usage ;;
        *) fail "unknown argument '$1' (see --help)" ;;
    esac
done
if [ -n "$size_mib" ] && ! [[ "$size_mib" =~ ^[1-9][0-9]{0,5}$ ]]; then
    fail "--size must be a whole number of MiB, got '$size_mib'"
fi
[ -z "$init_script" ] || [ -f "$init_script" ] || fail "init script '$init_script' is not a file"
[ -z "$init_script" ] || [ $with_busybox = 1 ] || fail "--init-script needs busybox (drop --no-busybox)"

mke2fs=$(command -v mke2fs || command -v /sbin/mke2fs || true)
[ -n "$mke2fs" ] || fail "mke2fs not found (install e2fsprogs)"
busybox=${BUSYBOX:-/bin/busybox}

staging=$(mktemp -d "${TMPDIR:-/tmp}/rkt-test-disk.XXXXXX")
trap 'rm -rf "$staging"' EXIT
root="$staging/root"
mkdir -p "$root"

if [ $with_busybox = 1 ]; then
    [ -x "$busybox" ] || fail "busybox not found at $busybox (install busybox-static or set BUSYBOX)"
    if ! file_info=$(LC_ALL=C readelf -d "$busybox" 2>&1) || grep -q NEEDED <<<"$file_info"; then
        fail "$busybox is not a static executable (install busybox-static)"
    fi
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,mnt,run,etc,root}
    chmod 1777 "$root/tmp"
    install -m 0755 "$busybox" "$root/bin/busybox"
    # One link per applet, at the path busybox itself names (bin/sh, sbin/reboot, usr/bin/env...).
    while IFS= read -r applet; do
        [ -n "$applet" ] || continue
        case "$applet" in /*|*..*) fail "busybox named an odd applet path '$applet'" ;; esac
        [ "$applet" != bin/busybox ] || continue
        mkdir -p "$root/$(dirname "$applet")"
        relative=$(realpath --relative-to="$root/$(dirname "$applet")" "$root/bin/busybox")
        ln -sf "$relative" "$root/$applet"
    done < <("$busybox" --list-full)
    [ -L "$root/bin/sh" ] || fail "busybox at $busybox has no sh applet"
    ln -sf ../init "$root/sbin/init"
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\n' > "$root/etc/group"
    if [ -n "$init_script" ]; then
        install -m 0755 "$init_script" "$root/init"
    else
        cat > "$root/init" <<'EOF'
#!/bin/sh
# rkt test disk: default /init (see scripts/make-test-disk.sh).
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# First line with shell builtins only (each fork+exec costs ~1 s in an emulated guest): the host times init's
# start by this line, the guest clock at init is the uptime on it.
echo "rkt-test-init: started"
mount -t proc proc /proc
read -r uptime _ < /proc/uptime
echo "rkt-test-init: uptime $uptime s"
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
for hook in /etc/rkt-test.d/*; do
    [ -x "$hook" ] && "$hook"
done
if [ -b /dev/vdb ]; then
    if mount -t ext4 /dev/vdb /mnt; then
        if [ -f /mnt/input ]; then
            echo rkt-test-data-begin
            cat /mnt/input
            echo rkt-test-data-end
        fi
        echo "rkt-test-marker ok" > /mnt/marker
        sync
        umount /mnt
    else
        echo "rkt-test-init: cannot mount /dev/vdb"
    fi
fi
read -r uptime _ < /proc/uptime
echo "rkt-test-init: done, uptime $uptime s"
reboot -f
EOF
        chmod 0755 "$root/init"
    fi
fi

for spec in "${adds[@]}"; do
    case "$spec" in *:*) ;; *) fail "--add wants SRC:DEST, got '$spec'" ;; esac
    src=${spec%%:*}; dest=${spec#*:}
    [ -e "$src" ] || fail "--add source '$src' does not exist"
    case "$dest" in /*) ;; *) fail "--add destination '$dest' must be absolute" ;; esac
    case "/$dest/" in */../*) fail "--add destination '$dest' must not contain '..'" ;; esac
    mkdir -p "$root$(dirname "$dest")"
    cp -a "$src" "$root$dest"
done

used_kib=$(du -sk "$root" | cut -f1)
if [ -z "$size_mib" ]; then
    size_mib=$(( used_kib / 1024 + 8 ))
    [ "$size_mib" -ge 16 ] || size_mib=16
elif [ $(( size_mib * 1024 )) -lt $(( used_kib + 2048 )) ]; then
    fail "--size ${size_mib} MiB is too small for ${used_kib} KiB of contents"
fi

rm -f "$out"
mkdir -p "$(dirname "$out")"
label_args=()
[ -z "$label" ] || label_args=(-L "$label")
if ! "$mke2fs" -q -F -t ext4 -O ^has_journal -m 0 -b 4096 \
        -E lazy_itable_init=0,root_owner=0:0 "${label_args[@]}" \
        -d "$root" "$out" "${size_mib}M" >"$staging/mke2fs.err" 2>&1; then
    cat "$staging/mke2fs.err" >&2
    rm -f "$out"
    fail "mke2fs failed for $out"
fi
echo "make-test-disk: $out (${size_mib} MiB, $(( used_kib / 1024 )) MiB of files, busybox: $([ $with_busybox = 1 ] && echo yes || echo no))"
