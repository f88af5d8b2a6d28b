// Constants and types of the KVM API from <linux/kvm.h>, for Swift. No logic lives here.
//
// Plain integer macros (KVM_EXIT_*, KVM_CAP_*, KVM_SYSTEM_EVENT_*, KVM_INTERNAL_ERROR_*, KVM_MEM_*,
// KVM_IRQFD_FLAG_*, KVM_IOEVENTFD_FLAG_*) and the struct types (kvm_run, kvm_regs, kvm_sregs, kvm_fpu,
// kvm_msrs, kvm_cpuid2, kvm_lapic_state, ...) import into Swift straight from the header. The ioctl request
// numbers are built by function-like macros (_IO/_IOR/_IOW/_IOWR) that Swift cannot import, so they are
// re-exported here as constants.
#ifndef CKVM_H
#define CKVM_H

#include <linux/kvm.h>
#include <stddef.h>
// The VMM's event plumbing (irqfd/ioeventfd eventfds, the epoll loop, stop signals): declarations Glibc's module lacks.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>

// System ioctls (on the /dev/kvm fd).
static const unsigned long CKVM_GET_API_VERSION = KVM_GET_API_VERSION;
static const unsigned long CKVM_CREATE_VM = KVM_CREATE_VM;
static const unsigned long CKVM_GET_VCPU_MMAP_SIZE = KVM_GET_VCPU_MMAP_SIZE;
static const unsigned long CKVM_CHECK_EXTENSION = KVM_CHECK_EXTENSION;
static const unsigned long CKVM_GET_SUPPORTED_CPUID = KVM_GET_SUPPORTED_CPUID;
static const unsigned long CKVM_GET_MSR_INDEX_LIST = KVM_GET_MSR_INDEX_LIST;

// VM ioctls.
static const unsigned long CKVM_CREATE_VCPU = KVM_CREATE_VCPU;
static const unsigned long CKVM_SET_USER_MEMORY_REGION = KVM_SET_USER_MEMORY_REGION;
static const unsigned long CKVM_SET_TSS_ADDR = KVM_SET_TSS_ADDR;
static const unsigned long CKVM_SET_IDENTITY_MAP_ADDR = KVM_SET_IDENTITY_MAP_ADDR;
static const unsigned long CKVM_CREATE_IRQCHIP = KVM_CREATE_IRQCHIP;
static const unsigned long CKVM_CREATE_PIT2 = KVM_CREATE_PIT2;
static const unsigned long CKVM_IRQFD = KVM_IRQFD;
static const unsigned long CKVM_IOEVENTFD = KVM_IOEVENTFD;
static const unsigned long CKVM_IRQ_LINE = KVM_IRQ_LINE;

// vCPU ioctls.
static const unsigned long CKVM_RUN = KVM_RUN;
static const unsigned long CKVM_GET_REGS = KVM_GET_REGS;
static const unsigned long CKVM_SET_REGS = KVM_SET_REGS;
static const unsigned long CKVM_GET_SREGS = KVM_GET_SREGS;
static const unsigned long CKVM_SET_SREGS = KVM_SET_SREGS;
static const unsigned long CKVM_GET_FPU = KVM_GET_FPU;
static const unsigned long CKVM_SET_FPU = KVM_SET_FPU;
static const unsigned long CKVM_SET_CPUID2 = KVM_SET_CPUID2;
static const unsigned long CKVM_GET_MSRS = KVM_GET_MSRS;
static const unsigned long CKVM_SET_MSRS = KVM_SET_MSRS;
static const unsigned long CKVM_GET_LAPIC = KVM_GET_LAPIC;
static const unsigned long CKVM_SET_LAPIC = KVM_SET_LAPIC;
static const unsigned long CKVM_GET_MP_STATE = KVM_GET_MP_STATE;

// Flags built from an anonymous enum (imported by Swift as untyped Ints otherwise).
static const unsigned int CKVM_IOEVENTFD_FLAG_DATAMATCH = KVM_IOEVENTFD_FLAG_DATAMATCH;
static const unsigned int CKVM_IOEVENTFD_FLAG_PIO = KVM_IOEVENTFD_FLAG_PIO;

// Sizes of the fixed parts of the variable-length structs (their entries follow).
static const unsigned long CKVM_CPUID2_HEADER_SIZE = sizeof(struct kvm_cpuid2);
static const unsigned long CKVM_CPUID_ENTRY2_SIZE = sizeof(struct kvm_cpuid_entry2);
static const unsigned long CKVM_MSRS_HEADER_SIZE = sizeof(struct kvm_msrs);
static const unsigned long CKVM_MSR_ENTRY_SIZE = sizeof(struct kvm_msr_entry);

// Offsets inside struct kvm_run of the bytes the VMM writes while another thread may touch the struct.
static const unsigned long CKVM_RUN_IMMEDIATE_EXIT_OFFSET = offsetof(struct kvm_run, immediate_exit);
static const unsigned long CKVM_RUN_MMIO_DATA_OFFSET = offsetof(struct kvm_run, mmio.data);

#endif
