#!/usr/bin/env bash
# `make bench-boot`'s second column set, run inside L1 (emulated AMD SVM; scripts/hwvirt/l1-run.sh): the same
# scripts/bench-boot.sh on L1's kvm_amd, from the disks the host run left in RKT_HWVIRT_OUT/disks (building them
# in L1 is slow), raw results into RKT_HWVIRT_OUT/results for the host to tabulate. Settings: RKT_HWVIRT_OUT/bench.env.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${RKT_HWVIRT_OUT:?RKT_HWVIRT_OUT is not set (run through scripts/hwvirt/l1-run.sh)}
set -a
# shellcheck source=/dev/null
. "$out/bench.env"
set +a
DISKS_DIR=$out/disks RESULTS_DIR=$out/results HWVIRT=0 \
    HOST_KIND="emulated AMD SVM in L1 under QEMU TCG (emulation, not hardware figures)" "$repo/scripts/bench-boot.sh"
