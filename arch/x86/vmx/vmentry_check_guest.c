/*
 * SDM "Checks on Guest-State Area", the register parts: control registers,
 * debug registers and MSRs; descriptor-table registers; RIP and RFLAGS. (The
 * CR fixed-bit, canonical and reserved-MSR predicates are shared with the host
 * checks in vmentry_check_host.c.) A failure is a VM exit with basic reason 33.
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

bool vmentry_ok_guest_cr0_pg_needs_pe(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->v->guest_cr0 & CR0_PG) || (c->v->guest_cr0 & CR0_PE);
}

bool vmentry_ok_guest_ia32e_needs_pg(struct vmentry_ctx *c, unsigned unused)
{
    return !c->ia32e_guest || (c->v->guest_cr0 & CR0_PG);
}

bool vmentry_ok_guest_ia32e_needs_pae(struct vmentry_ctx *c, unsigned unused)
{
    return !c->ia32e_guest || (c->v->guest_cr4 & CR4_PAE);
}

bool vmentry_ok_guest_legacy_pcide(struct vmentry_ctx *c, unsigned unused)
{
    return c->ia32e_guest || !(c->v->guest_cr4 & CR4_PCIDE);
}

bool vmentry_ok_guest_dr7_high(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->entry & ENTRY_LOAD_DEBUG_CONTROLS) || (c->v->guest_dr7 >> 32) == 0;
}

bool vmentry_ok_guest_efer_lma(struct vmentry_ctx *c, unsigned unused)
{
    return !(c->entry & ENTRY_LOAD_IA32_EFER) || ((c->v->guest_ia32_efer & EFER_LMA) != 0) == c->ia32e_guest;
}

bool vmentry_ok_guest_efer_lme(struct vmentry_ctx *c, unsigned unused)
{
    uint64_t efer = c->v->guest_ia32_efer;
    return !(c->entry & ENTRY_LOAD_IA32_EFER) || !(c->v->guest_cr0 & CR0_PG) ||
           ((efer & EFER_LME) != 0) == ((efer & EFER_LMA) != 0);
}

/* --- descriptor-table registers --- */

bool vmentry_ok_guest_table_limit(struct vmentry_ctx *c, unsigned idtr)
{
    return ((idtr ? c->v->guest_idtr_limit : c->v->guest_gdtr_limit) & 0xffff0000u) == 0;
}

/* --- RIP and RFLAGS (SDM: "Checks on Guest RIP, RFLAGS, and SSP") --- */

static bool guest_64_bit_mode(const struct vmentry_ctx *c)
{
    return c->ia32e_guest && (c->seg[SEG_CS].access_rights & AR_L);
}

bool vmentry_ok_guest_rip_high(struct vmentry_ctx *c, unsigned unused)
{
    return guest_64_bit_mode(c) || (c->v->guest_rip >> 32) == 0;
}

bool vmentry_ok_guest_rip_canonical(struct vmentry_ctx *c, unsigned unused)
{
    return !guest_64_bit_mode(c) || vmentry_canonical(c, c->v->guest_rip);
}

bool vmentry_ok_guest_rflags_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return (c->v->guest_rflags & 0xffffffffffc08028ull) == 0;
}

bool vmentry_ok_guest_rflags_bit1(struct vmentry_ctx *c, unsigned unused)
{
    return (c->v->guest_rflags & 2) != 0;
}

/* param 0: VM with "IA-32e mode guest"; param 1: VM with CR0.PE 0. */
bool vmentry_ok_guest_rflags_vm(struct vmentry_ctx *c, unsigned real_mode)
{
    bool applies = real_mode ? !(c->v->guest_cr0 & CR0_PE) : c->ia32e_guest;
    return !applies || !c->v8086;
}

bool vmentry_ok_guest_rflags_if_external_interrupt(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t info = (uint32_t)c->v->vm_entry_interruption_info;
    return !(info & EVENT_VALID) || EVENT_TYPE(info) != EVENT_EXTERNAL_INTERRUPT ||
           (c->v->guest_rflags & RFLAGS_IF);
}
