/*
 * SDM "Checks on Guest Non-Register State" (activity state, interruptibility
 * state, pending debug exceptions, VMCS link pointer) and "Checks on Guest
 * Page-Directory-Pointer-Table Entries". A failure is a VM exit with reason 33;
 * its exit qualification is 2 for the PDPTEs, 3 for an NMI injected under STI
 * blocking and 4 for the VMCS link pointer (SDM: "VM-Entry Failures During or
 * After Loading Guest State").
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

#define QUALIFICATION_PDPTE 2
#define QUALIFICATION_NMI_STI_BLOCKING 3
#define QUALIFICATION_LINK_POINTER 4

static bool injecting(const struct vmentry_ctx *c, unsigned *type, unsigned *vector)
{
    uint32_t info = (uint32_t)c->v->vm_entry_interruption_info;
    *type = EVENT_TYPE(info);
    *vector = EVENT_VECTOR(info);
    return (info & EVENT_VALID) != 0;
}

static uint32_t interruptibility(const struct vmentry_ctx *c)
{
    return (uint32_t)c->v->guest_interruptibility_state;
}

static uint64_t activity(const struct vmentry_ctx *c) { return c->v->guest_activity_state; }

/* --- activity state --- */

bool vmentry_ok_guest_activity_range(struct vmentry_ctx *c, unsigned unused) { return activity(c) <= 3; }

bool vmentry_ok_guest_activity_supported(struct vmentry_ctx *c, unsigned unused)
{
    /* IA32_VMX_MISC bit 6: HLT, bit 7: shutdown, bit 8: wait-for-SIPI. */
    uint64_t state = activity(c);
    return state == ACTIVITY_ACTIVE || state > 3 || ((c->caps->misc >> (5 + state)) & 1);
}

bool vmentry_ok_guest_activity_hlt_ss_dpl(struct vmentry_ctx *c, unsigned unused)
{
    return activity(c) != ACTIVITY_HLT || AR_DPL(c->seg[SEG_SS].access_rights) == 0;
}

bool vmentry_ok_guest_activity_blocking_active(struct vmentry_ctx *c, unsigned unused)
{
    return !(interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) || activity(c) == ACTIVITY_ACTIVE;
}

/* The events each inactive state lets through (SDM: "Guest Non-Register State", activity state). */
bool vmentry_ok_guest_activity_event(struct vmentry_ctx *c, unsigned state)
{
    unsigned type, vector;
    if (!injecting(c, &type, &vector) || activity(c) != state)
        return true;
    switch (state) {
    case ACTIVITY_HLT:
        return type == EVENT_EXTERNAL_INTERRUPT || type == EVENT_NMI ||
               (type == EVENT_HARDWARE_EXCEPTION && (vector == 1 || vector == 18)) ||
               (type == EVENT_OTHER && vector == 0);
    case ACTIVITY_SHUTDOWN:
        return type == EVENT_NMI || (type == EVENT_HARDWARE_EXCEPTION && vector == 18);
    default:
        return false;
    }
}

bool vmentry_ok_guest_activity_wait_for_sipi_smm(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->entry & ENTRY_TO_SMM) || activity(c) != ACTIVITY_WAIT_FOR_SIPI;
}

/* --- interruptibility state --- */

bool vmentry_ok_guest_interruptibility_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return (c->v->guest_interruptibility_state & ~0x1full) == 0;
}

bool vmentry_ok_guest_interruptibility_sti_and_mov_ss(struct vmentry_ctx *c, unsigned unused)
{
    return (interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) !=
           (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS);
}

bool vmentry_ok_guest_interruptibility_sti_needs_if(struct vmentry_ctx *c, unsigned unused)
{
    return !(interruptibility(c) & BLOCKING_BY_STI) || (c->v->guest_rflags & RFLAGS_IF);
}

bool vmentry_ok_guest_interruptibility_external_interrupt(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type, vector;
    return !injecting(c, &type, &vector) || type != EVENT_EXTERNAL_INTERRUPT ||
           !(interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS));
}

bool vmentry_ok_guest_interruptibility_nmi_mov_ss(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type, vector;
    return !injecting(c, &type, &vector) || type != EVENT_NMI || !(interruptibility(c) & BLOCKING_BY_MOV_SS);
}

bool vmentry_ok_guest_interruptibility_smi_outside_smm(struct vmentry_ctx *c, unsigned unused)
{
    return c->cpu->in_smm || !(interruptibility(c) & BLOCKING_BY_SMI);
}

bool vmentry_ok_guest_interruptibility_smi_entry_to_smm(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->entry & ENTRY_TO_SMM) || (interruptibility(c) & BLOCKING_BY_SMI);
}

/* "A processor may require" this one; vmxroot checks it so no guest relies on a processor that does not. */
bool vmentry_ok_guest_interruptibility_nmi_sti(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type, vector;
    if (!injecting(c, &type, &vector) || type != EVENT_NMI || !(interruptibility(c) & BLOCKING_BY_STI))
        return true;
    c->qualification = QUALIFICATION_NMI_STI_BLOCKING;
    return false;
}

bool vmentry_ok_guest_interruptibility_virtual_nmi_blocking(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type, vector;
    return !(c->pin & PIN_VIRTUAL_NMIS) || !injecting(c, &type, &vector) || type != EVENT_NMI ||
           !(interruptibility(c) & BLOCKING_BY_NMI);
}

bool vmentry_ok_guest_interruptibility_enclave_needs_sgx(struct vmentry_ctx *c, unsigned unused)
{
    return !(interruptibility(c) & ENCLAVE_INTERRUPTION) || c->cpu->sgx;
}

bool vmentry_ok_guest_interruptibility_enclave_mov_ss(struct vmentry_ctx *c, unsigned unused)
{
    return !(interruptibility(c) & ENCLAVE_INTERRUPTION) || !(interruptibility(c) & BLOCKING_BY_MOV_SS);
}

/* --- pending debug exceptions --- */

#define PENDING_DEBUG_BS (1ull << 14)
#define PENDING_DEBUG_RTM (1ull << 16)

bool vmentry_ok_guest_pending_debug_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return (c->v->guest_pending_debug_exceptions & 0xfffffffffffeaff0ull) == 0;
}

/* param 1: the "BS must be 1" rule; param 0: the "BS must be 0" rule. */
bool vmentry_ok_guest_pending_debug_bs(struct vmentry_ctx *c, unsigned must_be_set)
{
    if (!(interruptibility(c) & (BLOCKING_BY_STI | BLOCKING_BY_MOV_SS)) && activity(c) != ACTIVITY_HLT)
        return true;
    bool single_step = (c->v->guest_rflags & RFLAGS_TF) && !(c->v->guest_ia32_debugctl & DEBUGCTL_BTF);
    bool bs = (c->v->guest_pending_debug_exceptions & PENDING_DEBUG_BS) != 0;
    return must_be_set ? !single_step || bs : single_step || !bs;
}

bool vmentry_ok_guest_pending_debug_rtm_support(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->v->guest_pending_debug_exceptions & PENDING_DEBUG_RTM) || c->cpu->rtm;
}

bool vmentry_ok_guest_pending_debug_rtm_form(struct vmentry_ctx *c, unsigned unused)
{
    uint64_t pending = c->v->guest_pending_debug_exceptions;
    return !(pending & PENDING_DEBUG_RTM) ||
           ((pending & 0xfff) == 0 && (pending & (1u << 12)) && !(interruptibility(c) & BLOCKING_BY_MOV_SS));
}

/* --- VMCS link pointer --- */

bool vmentry_ok_guest_link_pointer(struct vmentry_ctx *c, unsigned rule)
{
    uint64_t link = c->v->vmcs_link_pointer;
    if (link == ~0ull)
        return true;
    bool ok;
    uint32_t revision = 0;
    switch (rule) {
    case LINK_ALIGNED:
        ok = (link & 0xfff) == 0;
        break;
    case LINK_WIDTH:
        ok = vmentry_within_width(link, c->vmcs_phys_width_bits);
        break;
    case LINK_REVISION:
        if (!vmentry_read(c, link, &revision, sizeof revision))
            return true;
        ok = (revision & 0x7fffffffu) == vmx_basic_revision_id(c->caps->basic);
        break;
    case LINK_SHADOW:
        if (!vmentry_read(c, link, &revision, sizeof revision))
            return true;
        ok = ((revision >> 31) != 0) == ((c->proc2 & PROC2_VMCS_SHADOWING) != 0);
        break;
    default:
        ok = (c->cpu->in_smm && !(c->entry & ENTRY_TO_SMM)) || link != c->cpu->current_vmcs_phys;
        break;
    }
    if (!ok)
        c->qualification = QUALIFICATION_LINK_POINTER;
    return ok;
}

/* --- PDPTEs (PAE paging: CR0.PG 1, CR4.PAE 1, not "IA-32e mode guest") --- */

static bool pae_paging(const struct vmentry_ctx *c)
{
    return !c->ia32e_guest && (c->v->guest_cr0 & CR0_PG) && (c->v->guest_cr4 & CR4_PAE);
}

/* A present PDPTE has bits 2:1 and 8:5 reserved, and the bits beyond the physical-address width. */
static bool pdpte_valid(const struct vmentry_ctx *c, uint64_t pdpte)
{
    return !(pdpte & 1) || ((pdpte & 0x1e6) == 0 && vmentry_within_width(pdpte, c->phys_width_bits));
}

bool vmentry_ok_guest_pdpte_field(struct vmentry_ctx *c, unsigned index)
{
    if (!pae_paging(c) || !c->ept)
        return true;
    const uint64_t fields[4] = { c->v->guest_pdpte0, c->v->guest_pdpte1, c->v->guest_pdpte2,
                                 c->v->guest_pdpte3 };
    if (pdpte_valid(c, fields[index & 3]))
        return true;
    c->qualification = QUALIFICATION_PDPTE;
    return false;
}

bool vmentry_ok_guest_pdpte_memory(struct vmentry_ctx *c, unsigned index)
{
    if (!pae_paging(c) || c->ept)
        return true;
    /* In PAE paging CR3 bits 31:5 locate the page-directory-pointer table. */
    uint64_t pdpte = 0;
    if (!vmentry_read(c, (c->v->guest_cr3 & 0xffffffe0ull) + (uint64_t)(index & 3) * 8, &pdpte, sizeof pdpte))
        return true;
    if (pdpte_valid(c, pdpte))
        return true;
    c->qualification = QUALIFICATION_PDPTE;
    return false;
}
