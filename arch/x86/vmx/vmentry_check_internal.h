/*
 * Shared by the VM-entry check's files: the decoded context every predicate
 * reads, the control bits the checks name, the params of shared predicates
 * and small helpers (canonical form, physical-address width, segment fields).
 * Not for use outside vmentry_check*.c.
 */
#ifndef ARCH_X86_VMX_VMENTRY_CHECK_INTERNAL_H
#define ARCH_X86_VMX_VMENTRY_CHECK_INTERNAL_H

#include "arch/x86/vmx/vmentry_check.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"
#include "arch/x86/rflags.h"

/* The control bits are arch/x86/vmx/vmx_controls.h's, the register bits cr.h's, msr.h's and rflags.h's. */
#define BIT_VMFUNC_EPTP_SWITCHING (1ull << 0)

/* Segment access rights (SDM: "Format of the Guest-State Area", access-rights table). */
#define AR_TYPE(ar) ((uint32_t)(ar)&0xfu)
#define AR_S (1u << 4)
#define AR_DPL(ar) (((uint32_t)(ar) >> 5) & 3u)
#define AR_P (1u << 7)
#define AR_L (1u << 13)
#define AR_DB (1u << 14)
#define AR_G (1u << 15)
#define AR_UNUSABLE (1u << 16)

/* VM-entry interruption information (SDM: "VM-Entry Controls for Event Injection"). */
#define EVENT_VALID (1u << 31)
#define EVENT_DELIVER_ERROR_CODE (1u << 11)
#define EVENT_TYPE(info) (((info) >> 8) & 7u)
#define EVENT_VECTOR(info) ((info)&0xffu)
enum event_type {
    EVENT_EXTERNAL_INTERRUPT = 0,
    EVENT_NMI = 2,
    EVENT_HARDWARE_EXCEPTION = 3,
    EVENT_SOFTWARE_INTERRUPT = 4,
    EVENT_PRIVILEGED_SOFTWARE_EXCEPTION = 5,
    EVENT_SOFTWARE_EXCEPTION = 6,
    EVENT_OTHER = 7,
};

/* Guest activity and interruptibility states (SDM: "Guest Non-Register State"). */
enum guest_activity {
    ACTIVITY_ACTIVE = 0,
    ACTIVITY_HLT = 1,
    ACTIVITY_SHUTDOWN = 2,
    ACTIVITY_WAIT_FOR_SIPI = 3
};
#define BLOCKING_BY_STI (1u << 0)
#define BLOCKING_BY_MOV_SS (1u << 1)
#define BLOCKING_BY_SMI (1u << 2)
#define BLOCKING_BY_NMI (1u << 3)
#define ENCLAVE_INTERRUPTION (1u << 4)

/* Params of the shared predicates (the param column of vmentry_check_list.h). */
enum { CTL_PIN, CTL_PROC, CTL_PROC2, CTL_EXIT, CTL_ENTRY };
enum {
    ADDR_IO_BITMAP_A,
    ADDR_IO_BITMAP_B,
    ADDR_MSR_BITMAP,
    ADDR_VIRTUAL_APIC,
    ADDR_APIC_ACCESS,
    ADDR_POSTED_DESCRIPTOR,
    ADDR_EPTP,
    ADDR_PML,
    ADDR_SPPTP,
    ADDR_EPTP_LIST,
    ADDR_VMREAD_BITMAP,
    ADDR_VMWRITE_BITMAP,
    ADDR_VE_INFORMATION,
};
enum { AREA_EXIT_STORE, AREA_EXIT_LOAD, AREA_ENTRY_LOAD };
enum { CR_HOST_CR0, CR_HOST_CR3, CR_HOST_CR4, CR_GUEST_CR0, CR_GUEST_CR3, CR_GUEST_CR4 };
enum {
    CAN_HOST_SYSENTER_ESP,
    CAN_HOST_SYSENTER_EIP,
    CAN_HOST_S_CET,
    CAN_HOST_SSP,
    CAN_HOST_ISST,
    CAN_HOST_FS_BASE,
    CAN_HOST_GS_BASE,
    CAN_HOST_GDTR_BASE,
    CAN_HOST_IDTR_BASE,
    CAN_HOST_TR_BASE,
    CAN_GUEST_SYSENTER_ESP,
    CAN_GUEST_SYSENTER_EIP,
    CAN_GUEST_BNDCFGS,
    CAN_GUEST_S_CET,
    CAN_GUEST_SSP,
    CAN_GUEST_ISST,
    CAN_GUEST_GDTR_BASE,
    CAN_GUEST_IDTR_BASE,
};
enum { CET_HOST, CET_GUEST };
enum { PAT_HOST, PAT_GUEST };
enum {
    MSR_HOST_PERF_GLOBAL_CTRL,
    MSR_HOST_EFER,
    MSR_HOST_PKRS,
    MSR_GUEST_DEBUGCTL,
    MSR_GUEST_PERF_GLOBAL_CTRL,
    MSR_GUEST_EFER,
    MSR_GUEST_BNDCFGS,
    MSR_GUEST_PKRS,
};
enum {
    HOST_IA32E_NEEDS_64,
    HOST_LEGACY_NO_IA32E_GUEST,
    HOST_LEGACY_NO_64,
    HOST_32_NO_PCIDE,
    HOST_32_RIP,
    HOST_64_PAE,
    HOST_64_RIP,
};
/* Guest segments in encoding order (ES, CS, SS, DS, FS, GS, LDTR, TR). */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT };
enum { CS_DPL_DATA, CS_DPL_NONCONFORMING, CS_DPL_CONFORMING };
enum { LINK_ALIGNED, LINK_WIDTH, LINK_REVISION, LINK_SHADOW, LINK_CURRENT };

/* One guest segment register, gathered from its four fields. */
struct vmentry_segment {
    uint64_t selector, base;
    uint32_t limit, access_rights;
    bool usable;
};

/* What every predicate reads: the input, decoded once. */
struct vmentry_ctx {
    const struct vmcs_image *v;
    const struct vmx_caps *caps;
    const struct vmentry_cpu *cpu;
    const struct vmentry_check_input *in;
    uint32_t pin, proc, proc2, exit, entry;          /* proc2 is 0 unless "activate secondary controls" */
    uint64_t pin_msr, proc_msr, exit_msr, entry_msr; /* TRUE_* when IA32_VMX_BASIC bit 55 is set */
    uint32_t phys_width_bits;                        /* for CR3 and PDPTEs */
    uint32_t vmcs_phys_width_bits;                   /* for addresses in VMCS fields: 32 with BASIC bit 48 */
    bool ia32e_guest, host_64, unrestricted, ept, v8086;
    struct vmentry_segment seg[SEG_COUNT];
    /* Written by predicates: */
    int read_error;              /* a memory read failed */
    uint64_t qualification;      /* exit qualification for a guest-state failure */
    uint32_t msr_entry_number;   /* MSR_ENTRY checks: the entry being checked, from 1 */
    uint64_t msr_entry_index_qw; /* its first quadword (index and reserved bits) */
    uint64_t msr_entry_value;    /* its second quadword */
};

/* Every predicate: true when the check passes or does not apply. */
#define VMENTRY_CHECK_DECLARE(area, id, predicate, param, field, name)                                       \
    bool vmentry_ok_##predicate(struct vmentry_ctx *c, unsigned param_);
VMENTRY_CHECK_LIST(VMENTRY_CHECK_DECLARE)
#undef VMENTRY_CHECK_DECLARE

/* Canonical for the linear-address width: bits 63:N-1 all equal. */
static inline bool vmentry_canonical(const struct vmentry_ctx *c, uint64_t address)
{
    unsigned shift = 64u - c->cpu->linear_address_width_bits;
    return (uint64_t)((int64_t)(address << shift) >> shift) == address;
}

/* No bit set at or above width_bits. */
static inline bool vmentry_within_width(uint64_t address, uint32_t width_bits)
{
    return width_bits >= 64 || (address >> width_bits) == 0;
}

/* Reads guest/host physical memory through the input's callback; a failure is remembered in c->read_error. */
bool vmentry_read(struct vmentry_ctx *c, uint64_t phys, void *buffer, size_t bytes);

/* IA32_PAT (host or guest): every byte one of UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7. */
bool vmentry_pat_valid(uint64_t pat);

#endif
