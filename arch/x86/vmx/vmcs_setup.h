/*
 * Building a VMCS image (arch/x86/vmx/vmcs_image.h) by SDM area: the
 * VM-execution, VM-exit and VM-entry control fields (vmcs_setup_controls.c),
 * the host-state area (vmcs_setup_host.c) and the guest-state area with one
 * helper per entry mode (vmcs_setup_guest.c). Pure code: the inputs are
 * plain structs, so the whole image is host-testable and goes through the
 * software VM-entry check before any VMLAUNCH. vmcs_load.c writes it.
 */
#ifndef ARCH_X86_VMX_VMCS_SETUP_H
#define ARCH_X86_VMX_VMCS_SETUP_H

#include "arch/x86/vmx/vmcs_image.h"
#include "arch/x86/vmx/vmx_controls.h"

/* Where the control fields point, per vCPU. */
struct vmcs_control_params {
    uint64_t io_bitmap_a_phys, io_bitmap_b_phys, msr_bitmap_phys;
    uint64_t ept_pointer;
    uint16_t vpid;                   /* 0: no VPID (the control stays off) */
    uint32_t preemption_timer_value; /* used when the pin-based control is on */
    uint32_t exception_bitmap;       /* exceptions that exit (bit per vector) */
    uint64_t cr0_guest_host_mask, cr4_guest_host_mask;
};

/* vmxroot's own state on this CPU, as the VM exit must restore it (SDM: "Host-State Area"). */
struct vmcs_host_state {
    uint64_t cr0, cr3, cr4;
    uint16_t cs, ss, ds, es, fs, gs, tr;
    uint64_t fs_base, gs_base, tr_base, gdtr_base, idtr_base;
    uint64_t rsp, rip;
    uint64_t efer, pat;
    uint32_t sysenter_cs;
    uint64_t sysenter_esp, sysenter_eip;
};

/* The ways a guest can be entered (one helper each in vmcs_setup_guest.c). */
enum vmcs_entry_mode {
    VMCS_ENTRY_REAL_MODE = 0, /* 16-bit real mode: needs unrestricted guest */
    VMCS_ENTRY_PROTECTED32 =
        1,                 /* 32-bit flat, paging off, as a multiboot loader leaves it: unrestricted guest */
    VMCS_ENTRY_LONG64 = 2, /* 64-bit mode with paging */
    VMCS_ENTRY_MODE_COUNT
};

struct vmcs_guest_entry {
    enum vmcs_entry_mode mode;
    uint64_t rip, rsp, rflags_extra; /* rflags_extra: bits beyond the fixed bit 1 */
    uint64_t cr3;                    /* LONG64: the guest's PML4 */
    uint64_t gdtr_base;
    uint32_t gdtr_limit;
    uint16_t code_selector, data_selector; /* PROTECTED32 / LONG64 */
    uint64_t rax, rbx;                     /* PROTECTED32: the loader's EAX/EBX (multiboot magic, info) */
};

/* "real mode", "32-bit protected mode (paging off)", "64-bit mode" */
const char *vmcs_entry_mode_name(enum vmcs_entry_mode mode);

/*
 * Control fields: the boot's control words with the per-vCPU choices (VPID
 * only when vpid != 0, IA-32e mode guest from the entry mode), link pointer
 * ~0, the bitmaps, EPTP, masks. 0 or E_NOTSUP when the entry mode needs
 * IA-32e mode guest and the CPU does not allow it (why says so).
 */
int vmcs_setup_controls(struct vmcs_image *image, const struct vmx_controls *controls,
                        const struct vmcs_control_params *params, enum vmcs_entry_mode mode, char *why,
                        size_t why_bytes);

/* Host-state fields from state; the EFER/PAT fields only when the exit controls load them. */
void vmcs_setup_host(struct vmcs_image *image, const struct vmx_controls *controls,
                     const struct vmcs_host_state *state);

/*
 * Guest-state fields for entry->mode, CR0/CR4 with the VMX fixed bits
 * applied (SDM: "VMX-Fixed Bits in CR0/CR4"; PE and PG relaxed only with
 * unrestricted guest), and the read shadows: what the guest sees of the bits
 * vmxroot owns (CR0.NE as the mode's loader leaves it, CR4.VMXE clear).
 * E_NOTSUP naming the mode and "unrestricted guest" when the mode needs it
 * and the controls do not have it.
 */
int vmcs_setup_guest(struct vmcs_image *image, const struct vmx_caps *caps,
                     const struct vmx_controls *controls, const struct vmcs_guest_entry *entry, char *why,
                     size_t why_bytes);

/* Access-rights values (SDM: "Guest Segment Registers"; bit 16 = unusable). */
#define VMCS_AR_UNUSABLE (1u << 16)
struct vmcs_segment {
    uint16_t selector;
    uint64_t base;
    uint32_t limit;
    uint32_t access_rights;
};
/*
 * The one segment helper: type (4 bits), S, DPL 0, present, L, D/B, G from
 * the arguments; code_or_data false makes a system segment (TR, LDTR).
 */
uint32_t vmcs_access_rights(uint32_t type, bool code_or_data, bool long_mode, bool default_32,
                            bool granularity);

#endif
