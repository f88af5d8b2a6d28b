# Shared steps of the scripts that build small test ACIs (make-busybox-aci.sh, make-iperf3-aci.sh); source it.
#   aci_begin                      staging directory with a root-only rootfs skeleton: $aci_rootfs (removed at exit)
#   aci_finish OUT NAME VERSION APP   writes the manifest (NAME, version/os/arch labels, APP: the lines inside
#                                  "app": {...}) and packs manifest + rootfs into OUT deterministically, via a temp file

aci_begin() {
    aci_staging=$(mktemp -d)
    trap 'rm -rf "$aci_staging"' EXIT
    aci_rootfs="$aci_staging/rootfs"
    mkdir -p "$aci_rootfs/etc" "$aci_rootfs/tmp" "$aci_rootfs/proc" "$aci_rootfs/sys" "$aci_rootfs/dev"
    echo "root:x:0:0:root:/root:/bin/sh" > "$aci_rootfs/etc/passwd"
    echo "root:x:0:" > "$aci_rootfs/etc/group"
    chmod 1777 "$aci_rootfs/tmp"
}

aci_finish() {
    local output=$1 name=$2 version=$3 app=$4
    cat > "$aci_staging/manifest" <<JSON
{
  "acKind": "ImageManifest",
  "acVersion": "0.8.11",
  "name": "$name",
  "labels": [
    {"name": "version", "value": "$version"},
    {"name": "os", "value": "linux"},
    {"name": "arch", "value": "amd64"}
  ],
  "app": {
$app
  }
}
JSON
    local tmp="$output.tmp.$$"
    tar --sort=name --numeric-owner --owner=0 --group=0 -C "$aci_staging" -cf "$tmp" manifest rootfs
    mv "$tmp" "$output"
}
