#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need. Idempotent: apt runs only when a package is missing.
set -euo pipefail

# Usage: deps.sh [bench]   (bench: what `make bench-boot` and `make bench-ns` compare against and measure with)
packages=(
    libarchive-dev libseccomp-dev libcap-dev libfdt-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev
    busybox-static xz-utils bzip2 zstd cpio e2fsprogs python3
    linux-source-6.1 bc bison flex libelf-dev patch lz4
    qemu-system-x86
    gnupg gpgv erofs-utils
    docker-registry skopeo umoci apache2-utils
    containernetworking-plugins iptables curl util-linux iproute2 debootstrap
)
if [ "${1:-}" = bench ]; then
    packages=(qemu-system-x86 time bc curl runc crun systemd-container docker-registry skopeo umoci iperf3 wrk debootstrap)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages: ${missing[*]}; run 'make deps' as root" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
