/*
 * SDM "Loading MSRs": the VM-entry MSR-load area, processed entry by entry
 * after the guest state is loaded. A failing entry ends VM entry with basic
 * exit reason 34; the exit qualification is the entry's number, from 1. The
 * driver (vmentry_check.c) reads each 16-byte entry into the context before
 * running the per-entry predicates below.
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

#define MSR_IA32_SMM_MONITOR_CTL 0x9bu
#define MSR_IA32_FS_BASE 0xc0000100u
#define MSR_IA32_GS_BASE 0xc0000101u

/*
 * SDM ("VM-Entry Control Fields"): a count above 512 * (N + 1), N from
 * IA32_VMX_MISC bits 27:25, may lead to unpredictable behaviour including a
 * machine check; vmxroot refuses such a list rather than risk it. The verdict
 * names the first entry past the maximum.
 */
bool vmentry_ok_msr_load_count_maximum(struct vmentry_ctx *c, unsigned unused)
{
    uint64_t maximum = 512 * (((c->caps->misc >> 25) & 7) + 1);
    uint64_t count = c->v->vm_entry_msr_load_count & 0xffffffffull;
    if (count <= maximum)
        return true;
    c->msr_entry_number = (uint32_t)(maximum + 1);
    return false;
}

bool vmentry_ok_msr_load_entry_reserved(struct vmentry_ctx *c, unsigned unused)
{
    return (c->msr_entry_index_qw >> 32) == 0;
}

bool vmentry_ok_msr_load_entry_fs_gs_base(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t msr = (uint32_t)c->msr_entry_index_qw;
    return msr != MSR_IA32_FS_BASE && msr != MSR_IA32_GS_BASE;
}

bool vmentry_ok_msr_load_entry_x2apic(struct vmentry_ctx *c, unsigned unused)
{
    return ((uint32_t)c->msr_entry_index_qw >> 8) != 0x8;
}

bool vmentry_ok_msr_load_entry_smm_only(struct vmentry_ctx *c, unsigned unused)
{
    return c->cpu->in_smm || (uint32_t)c->msr_entry_index_qw != MSR_IA32_SMM_MONITOR_CTL;
}

/* Which MSRs WRMSR accepts, with which values, is the processor's model: the caller's callback knows it. */
bool vmentry_ok_msr_load_entry_wrmsr(struct vmentry_ctx *c, unsigned unused)
{
    return c->in->msr_writable == NULL ||
           c->in->msr_writable(c->in->ctx, (uint32_t)c->msr_entry_index_qw, c->msr_entry_value);
}
