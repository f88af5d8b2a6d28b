// Placeholder replaced by the rkt-vmm command below in this branch.
