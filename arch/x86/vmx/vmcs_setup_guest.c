/*
 * The guest-state area (SDM: "Guest-State Area"), one helper per entry mode
 * and one for segments. CR0 and CR4 get the VMX fixed bits (SDM: "VMX-Fixed
 * Bits in CR0" and "in CR4"; with unrestricted guest PE and PG may be 0);
 * the read shadows keep what the guest's loader would have left, so the
 * guest never sees the bits vmxroot owns (CR0.NE, CR4.VMXE).
 */
#include "arch/x86/vmx/vmcs_setup.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"
#include "arch/x86/rflags.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

#define DR7_INIT 0x400ull
#define PAT_POWER_ON 0x0007040600070406ull /* SDM: "IA32_PAT MSR", its value at reset */

/* Segment types (SDM: "Code- and Data-Segment Types", "System Descriptor Types"). */
#define SEGMENT_DATA_RW_ACCESSED 0x3
#define SEGMENT_CODE_RX_ACCESSED 0xB
#define SEGMENT_TSS_BUSY 0xB

uint32_t vmcs_access_rights(uint32_t type, bool code_or_data, bool long_mode, bool default_32,
                            bool granularity)
{
    return (type & 0xf) | (code_or_data ? 1u << 4 : 0) | (1u << 7) /* present, DPL 0 */ |
           (long_mode ? 1u << 13 : 0) | (default_32 ? 1u << 14 : 0) | (granularity ? 1u << 15 : 0);
}

/* ES, CS, SS, DS, FS, GS, LDTR, TR: the field encodings step by 2 from ES in each group. */
enum segment_register { SEG_ES = 0, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR };

static void set_segment(struct vmcs_image *image, enum segment_register reg, struct vmcs_segment seg)
{
    uint32_t step = 2 * (uint32_t)reg;
    vmcs_image_set(image, VMCS_GUEST_ES_SELECTOR + step, seg.selector);
    vmcs_image_set(image, VMCS_GUEST_ES_BASE + step, seg.base);
    vmcs_image_set(image, VMCS_GUEST_ES_LIMIT + step, seg.limit);
    vmcs_image_set(image, VMCS_GUEST_ES_ACCESS_RIGHTS + step, seg.access_rights);
}

static void set_code_and_data(struct vmcs_image *image, struct vmcs_segment code, struct vmcs_segment data)
{
    set_segment(image, SEG_CS, code);
    set_segment(image, SEG_ES, data);
    set_segment(image, SEG_SS, data);
    set_segment(image, SEG_DS, data);
    set_segment(image, SEG_FS, data);
    set_segment(image, SEG_GS, data);
}

/* 16-bit real mode: 64 KiB segments at base 0, the real-mode IVT at 0. */
static void setup_real_mode(struct vmcs_image *image, const struct vmcs_guest_entry *entry)
{
    struct vmcs_segment code = { 0, 0, 0xffff,
                                 vmcs_access_rights(SEGMENT_CODE_RX_ACCESSED, true, false, false, false) };
    struct vmcs_segment data = { 0, 0, 0xffff,
                                 vmcs_access_rights(SEGMENT_DATA_RW_ACCESSED, true, false, false, false) };
    set_code_and_data(image, code, data);
    vmcs_image_set(image, VMCS_GUEST_IDTR_BASE, 0);
    vmcs_image_set(image, VMCS_GUEST_IDTR_LIMIT, 0x3ff);
}

/* 32-bit flat protected mode, paging off: what the Multiboot specification promises a kernel. */
static void setup_protected32(struct vmcs_image *image, const struct vmcs_guest_entry *entry)
{
    struct vmcs_segment code = { entry->code_selector, 0, 0xffffffffu,
                                 vmcs_access_rights(SEGMENT_CODE_RX_ACCESSED, true, false, true, true) };
    struct vmcs_segment data = { entry->data_selector, 0, 0xffffffffu,
                                 vmcs_access_rights(SEGMENT_DATA_RW_ACCESSED, true, false, true, true) };
    set_code_and_data(image, code, data);
    vmcs_image_set(image, VMCS_GUEST_IDTR_BASE, 0);
    vmcs_image_set(image, VMCS_GUEST_IDTR_LIMIT, 0);
}

/* 64-bit mode: a 64-bit code segment (L=1, D=0), flat data, paging with the caller's CR3. */
static void setup_long64(struct vmcs_image *image, const struct vmcs_guest_entry *entry)
{
    struct vmcs_segment code = { entry->code_selector, 0, 0xffffffffu,
                                 vmcs_access_rights(SEGMENT_CODE_RX_ACCESSED, true, true, false, true) };
    struct vmcs_segment data = { entry->data_selector, 0, 0xffffffffu,
                                 vmcs_access_rights(SEGMENT_DATA_RW_ACCESSED, true, false, true, true) };
    set_code_and_data(image, code, data);
    vmcs_image_set(image, VMCS_GUEST_IDTR_BASE, 0);
    vmcs_image_set(image, VMCS_GUEST_IDTR_LIMIT, 0);
}

int vmcs_setup_guest(struct vmcs_image *image, const struct vmx_caps *caps,
                     const struct vmx_controls *controls, const struct vmcs_guest_entry *entry, char *why,
                     size_t why_bytes)
{
    bool unrestricted = controls->value[VMX_CONTROL_SECONDARY] & PROC2_UNRESTRICTED_GUEST;
    uint64_t cr0_loader, cr4_loader, efer = 0;
    switch (entry->mode) {
    case VMCS_ENTRY_REAL_MODE:
        cr0_loader = CR0_ET;
        cr4_loader = 0;
        break;
    case VMCS_ENTRY_PROTECTED32:
        cr0_loader = CR0_PE | CR0_ET;
        cr4_loader = 0;
        break;
    case VMCS_ENTRY_LONG64:
        cr0_loader = CR0_PE | CR0_ET | CR0_NE | CR0_PG;
        cr4_loader = CR4_PAE;
        efer = (EFER_LME | EFER_LMA);
        break;
    default:
        format(why, why_bytes, "unknown entry mode %u", (unsigned)entry->mode);
        return E_INVAL;
    }
    if (!(cr0_loader & CR0_PG) && !unrestricted) {
        format(why, why_bytes, "%s needs the secondary control 'unrestricted guest', which this CPU lacks",
               vmcs_entry_mode_name(entry->mode));
        return E_NOTSUP;
    }
    uint64_t cr0_fixed0 = caps->cr0_fixed0 & ~(unrestricted ? CR0_PE | CR0_PG : 0);
    uint64_t cr0 = (cr0_loader | cr0_fixed0) & caps->cr0_fixed1;
    uint64_t cr4 = (cr4_loader | caps->cr4_fixed0) & caps->cr4_fixed1;
    vmcs_image_set(image, VMCS_GUEST_CR0, cr0);
    vmcs_image_set(image, VMCS_GUEST_CR4, cr4);
    vmcs_image_set(image, VMCS_CR0_READ_SHADOW, cr0_loader);
    vmcs_image_set(image, VMCS_CR4_READ_SHADOW, cr4_loader);
    vmcs_image_set(image, VMCS_GUEST_CR3, entry->mode == VMCS_ENTRY_LONG64 ? entry->cr3 : 0);

    switch (entry->mode) {
    case VMCS_ENTRY_REAL_MODE:
        setup_real_mode(image, entry);
        break;
    case VMCS_ENTRY_PROTECTED32:
        setup_protected32(image, entry);
        break;
    default:
        setup_long64(image, entry);
        break;
    }
    set_segment(image, SEG_LDTR, (struct vmcs_segment){ 0, 0, 0, VMCS_AR_UNUSABLE });
    /* SDM: TR must be usable, a busy TSS; the guest's own TSS replaces it once it loads one. */
    set_segment(image, SEG_TR,
                (struct vmcs_segment){ 0, 0, 0x67,
                                       vmcs_access_rights(SEGMENT_TSS_BUSY, false, false, false, false) });
    vmcs_image_set(image, VMCS_GUEST_GDTR_BASE, entry->gdtr_base);
    vmcs_image_set(image, VMCS_GUEST_GDTR_LIMIT, entry->gdtr_limit);

    vmcs_image_set(image, VMCS_GUEST_RIP, entry->rip);
    vmcs_image_set(image, VMCS_GUEST_RSP, entry->rsp);
    vmcs_image_set(image, VMCS_GUEST_RFLAGS, RFLAGS_FIXED_1 | entry->rflags_extra);
    vmcs_image_set(image, VMCS_GUEST_DR7, DR7_INIT);
    vmcs_image_set(image, VMCS_GUEST_IA32_DEBUGCTL, 0);
    vmcs_image_set(image, VMCS_GUEST_PENDING_DEBUG_EXCEPTIONS, 0);
    vmcs_image_set(image, VMCS_GUEST_INTERRUPTIBILITY_STATE, 0);
    vmcs_image_set(image, VMCS_GUEST_ACTIVITY_STATE, 0); /* active */
    vmcs_image_set(image, VMCS_GUEST_IA32_SYSENTER_CS, 0);
    vmcs_image_set(image, VMCS_GUEST_IA32_SYSENTER_ESP, 0);
    vmcs_image_set(image, VMCS_GUEST_IA32_SYSENTER_EIP, 0);
    if (controls->value[VMX_CONTROL_ENTRY] & ENTRY_LOAD_IA32_EFER)
        vmcs_image_set(image, VMCS_GUEST_IA32_EFER, efer);
    if (controls->value[VMX_CONTROL_ENTRY] & ENTRY_LOAD_IA32_PAT)
        vmcs_image_set(image, VMCS_GUEST_IA32_PAT, PAT_POWER_ON);
    return 0;
}
