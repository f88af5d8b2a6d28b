#!/usr/bin/env bash
# Builds the rkt guest kernel from Debian's linux-source-6.1 package:
#   extract (once) -> apply kernel/patches/*.patch -> tinyconfig + kernel/rkt.config -> olddefconfig
#   -> vmlinux + bzImage -> build/vmlinux, build/bzImage (and build/kernel.config).
# Everything is skipped when the stamp (sha256 of config fragment, patches, this script and the
# linux-source package version) matches the last successful build.
#
# Environment: BUILD_DIR (default <repo>/build), LINUX_SOURCE_TARBALL, JOBS (default nproc),
#              KERNEL_VERBOSE=1 streams make's output instead of keeping it in build/kernel/*.log.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kernel_dir="$repo/kernel"
out=${BUILD_DIR:-$repo/build}
work="$out/kernel"
src="$work/src"
obj="$work/obj"
tarball=${LINUX_SOURCE_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
package=linux-source-6.1
jobs=${JOBS:-$(nproc)}
fragment="$kernel_dir/rkt.config"
make_args=(ARCH=x86_64 O="$obj" KBUILD_BUILD_USER=rkt KBUILD_BUILD_HOST=rkt)

started=$(date +%s)
current_step="start"
elapsed() { local s=$(( $(date +%s) - started )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
step() { current_step=$1; echo "kernel: [$(elapsed)] $1"; }
fail() { echo "kernel: FAILED in step '$current_step' after $(elapsed): $*" >&2; reported=1; exit 1; }
reported=0
trap 'rc=$?; [ $rc -eq 0 ] || [ $reported = 1 ] || echo "kernel: FAILED in step '\''$current_step'\'' after $(elapsed) (exit $rc)" >&2' EXIT

# Runs a command with its output in a per-step log; on failure shows the log's tail.
logged() {
    local log="$work/$1.log"; shift
    if [ "${KERNEL_VERBOSE:-0}" = 1 ]; then
        "$@" 2>&1 | tee "$log"; return "${PIPESTATUS[0]}"
    fi
    if ! "$@" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "kernel: full log: $log" >&2
        return 1
    fi
}

step "checking inputs"
[ -r "$tarball" ] || fail "kernel source tarball $tarball is missing (install Debian package $package: make deps)"
[ -r "$fragment" ] || fail "config fragment $fragment is missing"
for tool in make gcc bc bison flex sha256sum patch lz4; do
    command -v "$tool" >/dev/null || fail "required tool '$tool' not found (make deps installs the build dependencies)"
done
package_version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
[ -n "$package_version" ] || package_version="tarball:$(stat -c '%s:%Y' "$tarball")"
shopt -s nullglob
patches=("$kernel_dir"/patches/*.patch)
shopt -u nullglob

stamp_key=$( {
    echo "package $package $package_version"
    echo "== rkt.config"; cat "$fragment"
    for p in "${patches[@]}"; do echo "== patch $(basename "$p")"; cat "$p"; done
    echo "== build.sh"; cat "${BASH_SOURCE[0]}"
} | sha256sum | cut -d' ' -f1)
mkdir -p "$work"
if [ -f "$work/stamp" ] && [ "$(cat "$work/stamp")" = "$stamp_key" ] \
    && [ -f "$out/vmlinux" ] && [ -f "$out/bzImage" ]; then
    echo "kernel: up to date (stamp $stamp_key): $out/vmlinux, $out/bzImage"
    exit 0
fi
rm -f "$work/stamp"

# The source tree stays across builds so that make rebuilds only what changed; the patches applied
# to it are remembered (applied/) and reversed before a different set is applied.
if [ -f "$src/.rkt-source-version" ] && [ "$(cat "$src/.rkt-source-version")" != "$package_version" ]; then
    step "source package changed; discarding old tree"
    rm -rf "$src" "$obj" "$work/applied"
fi
if [ ! -f "$src/.rkt-source-version" ]; then
    step "extracting $tarball"
    rm -rf "$src" "$src.tmp" "$obj" "$work/applied"
    mkdir -p "$src.tmp"
    nice tar -xJf "$tarball" -C "$src.tmp" --strip-components=1 || fail "cannot extract $tarball"
    echo "$package_version" > "$src.tmp/.rkt-source-version"
    mv "$src.tmp" "$src"
fi

step "applying patches"
same_patches=1
applied=()
if [ -d "$work/applied" ]; then
    shopt -s nullglob; applied=("$work/applied"/*.patch); shopt -u nullglob
fi
if [ ${#applied[@]} -ne ${#patches[@]} ]; then same_patches=0; fi
for i in "${!patches[@]}"; do
    [ $same_patches = 1 ] || break
    cmp -s "${patches[$i]}" "${applied[$i]}" || same_patches=0
done
if [ $same_patches = 0 ]; then
    for (( i=${#applied[@]}-1; i>=0; i-- )); do
        echo "kernel:   reverting $(basename "${applied[$i]}")"
        if ! patch -d "$src" -p1 -R -s --dry-run < "${applied[$i]}" >/dev/null 2>&1; then
            fail "cannot revert $(basename "${applied[$i]}") from $src; delete $work and rebuild"
        fi
        patch -d "$src" -p1 -R -s < "${applied[$i]}"
        rm -f "${applied[$i]}"
    done
    mkdir -p "$work/applied"
    for p in "${patches[@]}"; do
        echo "kernel:   applying $(basename "$p")"
        patch -d "$src" -p1 -s --dry-run < "$p" >/dev/null || fail "patch $p does not apply to $package $package_version"
        patch -d "$src" -p1 -s < "$p"
        cp "$p" "$work/applied/"
    done
else
    echo "kernel:   ${#patches[@]} patch(es) already applied"
fi

step "configuring (tinyconfig + $(basename "$fragment") + olddefconfig)"
mkdir -p "$obj"
logged config make -C "$src" "${make_args[@]}" tinyconfig \
    || fail "make tinyconfig"
merge_fragment() { (cd "$src" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m -O "$obj" "$obj/.config" "$fragment"); }
logged merge merge_fragment \
    || fail "merge_config.sh with $fragment"
logged olddefconfig make -C "$src" "${make_args[@]}" olddefconfig \
    || fail "make olddefconfig"

# Every option the fragment names must survive olddefconfig; a dropped one means a missing dependency.
mismatches=()
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=*) option=${line%%=*}; want="$line" ;;
        "# CONFIG_"*" is not set") option=${line#\# }; option=${option%% *}; want="$line" ;;
        *) continue ;;
    esac
    got=$(grep -E "^(${option}=|# ${option} is not set)" "$obj/.config" || true)
    if [ "$got" != "$want" ]; then
        if [ -z "$got" ] && [ "${want#\#}" != "$want" ]; then continue; fi # "not set" and absent agree
        mismatches+=("$option: wanted '$want', got '${got:-absent}'")
    fi
done < "$fragment"
if [ ${#mismatches[@]} -ne 0 ]; then
    printf 'kernel:   %s\n' "${mismatches[@]}" >&2
    fail "${#mismatches[@]} option(s) of $fragment did not survive olddefconfig"
fi

step "building vmlinux and bzImage with -j$jobs"
logged build nice make -C "$src" "${make_args[@]}" -j"$jobs" vmlinux bzImage \
    || fail "make vmlinux bzImage"

step "installing into $out"
install -m 0644 "$obj/vmlinux" "$out/vmlinux.tmp" && mv "$out/vmlinux.tmp" "$out/vmlinux"
install -m 0644 "$obj/arch/x86/boot/bzImage" "$out/bzImage.tmp" && mv "$out/bzImage.tmp" "$out/bzImage"
install -m 0644 "$obj/.config" "$out/kernel.config"
echo "$stamp_key" > "$work/stamp"
step "done: vmlinux $(stat -c %s "$out/vmlinux") bytes, bzImage $(stat -c %s "$out/bzImage") bytes"
