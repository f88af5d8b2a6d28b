#!/usr/bin/env bash
# Writes a stage1 image manifest: coreos.com/rkt/stage1-FLAVOR with version/os/arch labels and the stage1
# entrypoint annotations run/enter/gc/stop at /DIR/NAME, interface version 1, plus any extra NAME=VALUE
# annotations. Used by make-stage1-*-aci.sh.
# Usage: write-stage1-manifest.sh OUTPUT FLAVOR DIR VERSION [ANNOTATION=VALUE…]
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: write-stage1-manifest.sh OUTPUT FLAVOR DIR VERSION [ANNOTATION=VALUE…]" >&2; exit 2; }
output=$1 flavor=$2 dir=$3 version=$4
shift 4
annotations=""
for entrypoint in run enter gc stop; do
    annotations+="    {\"name\": \"coreos.com/rkt/stage1/$entrypoint\", \"value\": \"/$dir/$entrypoint\"},"$'\n'
done
annotations+='    {"name": "coreos.com/rkt/stage1/interface-version", "value": "1"}'
for extra in "$@"; do
    annotations+=$',\n'"    {\"name\": \"${extra%%=*}\", \"value\": \"${extra#*=}\"}"
done
cat > "$output" <<JSON
{
  "acKind": "ImageManifest",
  "acVersion": "0.8.11",
  "name": "coreos.com/rkt/stage1-$flavor",
  "labels": [
    {"name": "version", "value": "$version"},
    {"name": "os", "value": "linux"},
    {"name": "arch", "value": "amd64"}
  ],
  "annotations": [
$annotations
  ]
}
JSON
