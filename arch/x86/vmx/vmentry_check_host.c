/*
 * SDM "Checks on Host-State Area": control registers, MSRs and SSP; segment and
 * descriptor-table registers; address-space size. A failure is VMfailValid with
 * VM-instruction error 8 ("VM entry with invalid host-state field(s)").
 * Also the control-register, canonical and MSR helpers the guest checks share.
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

/* --- control registers (shared with the guest checks) --- */

static void control_register(const struct vmentry_ctx *c, unsigned which, uint64_t *value, uint64_t *fixed0,
                             uint64_t *fixed1)
{
    const struct vmcs_image *v = c->v;
    switch (which) {
    case CR_HOST_CR0:
        *value = v->host_cr0, *fixed0 = c->caps->cr0_fixed0, *fixed1 = c->caps->cr0_fixed1;
        break;
    case CR_HOST_CR4:
        *value = v->host_cr4, *fixed0 = c->caps->cr4_fixed0, *fixed1 = c->caps->cr4_fixed1;
        break;
    case CR_GUEST_CR0:
        *value = v->guest_cr0, *fixed0 = c->caps->cr0_fixed0, *fixed1 = c->caps->cr0_fixed1;
        /* SDM: with "unrestricted guest", PE and PG are not fixed to 1. */
        if (c->unrestricted)
            *fixed0 &= ~(CR0_PE | CR0_PG);
        break;
    case CR_GUEST_CR4:
        *value = v->guest_cr4, *fixed0 = c->caps->cr4_fixed0, *fixed1 = c->caps->cr4_fixed1;
        break;
    case CR_HOST_CR3:
        *value = v->host_cr3, *fixed0 = 0, *fixed1 = ~0ull;
        break;
    default:
        *value = v->guest_cr3, *fixed0 = 0, *fixed1 = ~0ull;
        break;
    }
}

bool vmentry_ok_cr_fixed0(struct vmentry_ctx *c, unsigned which)
{
    uint64_t value, fixed0, fixed1;
    control_register(c, which, &value, &fixed0, &fixed1);
    return (~value & fixed0) == 0;
}

bool vmentry_ok_cr_fixed1(struct vmentry_ctx *c, unsigned which)
{
    uint64_t value, fixed0, fixed1;
    control_register(c, which, &value, &fixed0, &fixed1);
    return (value & ~fixed1) == 0;
}

bool vmentry_ok_cr3_width(struct vmentry_ctx *c, unsigned which)
{
    uint64_t value, fixed0, fixed1;
    control_register(c, which, &value, &fixed0, &fixed1);
    return vmentry_within_width(value, c->phys_width_bits);
}

bool vmentry_ok_cet_needs_wp(struct vmentry_ctx *c, unsigned which)
{
    bool host = which == CR_HOST_CR4;
    uint64_t cr4 = host ? c->v->host_cr4 : c->v->guest_cr4, cr0 = host ? c->v->host_cr0 : c->v->guest_cr0;
    return !(cr4 & CR4_CET) || (cr0 & CR0_WP);
}

/* --- canonical addresses, each under its condition (shared with the guest checks) --- */

static bool canonical_field(const struct vmentry_ctx *c, unsigned which, uint64_t *value)
{
    const struct vmcs_image *v = c->v;
    bool host_cet = c->exit & EXIT_LOAD_CET, guest_cet = c->entry & ENTRY_LOAD_CET;
    switch (which) {
    case CAN_HOST_SYSENTER_ESP:
        return *value = v->host_ia32_sysenter_esp, true;
    case CAN_HOST_SYSENTER_EIP:
        return *value = v->host_ia32_sysenter_eip, true;
    case CAN_HOST_S_CET:
        return *value = v->host_ia32_s_cet, host_cet;
    case CAN_HOST_SSP:
        return *value = v->host_ssp, host_cet;
    case CAN_HOST_ISST:
        return *value = v->host_ia32_interrupt_ssp_table_addr, host_cet;
    case CAN_HOST_FS_BASE:
        return *value = v->host_fs_base, true;
    case CAN_HOST_GS_BASE:
        return *value = v->host_gs_base, true;
    case CAN_HOST_GDTR_BASE:
        return *value = v->host_gdtr_base, true;
    case CAN_HOST_IDTR_BASE:
        return *value = v->host_idtr_base, true;
    case CAN_HOST_TR_BASE:
        return *value = v->host_tr_base, true;
    case CAN_GUEST_SYSENTER_ESP:
        return *value = v->guest_ia32_sysenter_esp, true;
    case CAN_GUEST_SYSENTER_EIP:
        return *value = v->guest_ia32_sysenter_eip, true;
    case CAN_GUEST_BNDCFGS:
        /* The base is bits 63:12; canonical means the address those bits form. */
        return *value = v->guest_ia32_bndcfgs & ~0xfffull, (c->entry & ENTRY_LOAD_BNDCFGS) != 0;
    case CAN_GUEST_S_CET:
        return *value = v->guest_ia32_s_cet, guest_cet;
    case CAN_GUEST_SSP:
        return *value = v->guest_ssp, guest_cet;
    case CAN_GUEST_ISST:
        return *value = v->guest_ia32_interrupt_ssp_table_addr, guest_cet;
    case CAN_GUEST_GDTR_BASE:
        return *value = v->guest_gdtr_base, true;
    default:
        return *value = v->guest_idtr_base, true;
    }
}

bool vmentry_ok_canonical(struct vmentry_ctx *c, unsigned which)
{
    uint64_t value;
    return !canonical_field(c, which, &value) || vmentry_canonical(c, value);
}

/* IA32_S_CET: bits 9:6 reserved; SUPPRESS (10) and TRACKER (11) not both set (SDM: "IA32_U_CET/IA32_S_CET"). */
bool vmentry_ok_s_cet_reserved(struct vmentry_ctx *c, unsigned which)
{
    bool host = which == CET_HOST;
    if (!(host ? (c->exit & EXIT_LOAD_CET) : (c->entry & ENTRY_LOAD_CET)))
        return true;
    uint64_t s_cet = host ? c->v->host_ia32_s_cet : c->v->guest_ia32_s_cet;
    return (s_cet & 0x3c0) == 0 && (s_cet & 0xc00) != 0xc00;
}

bool vmentry_ok_ssp_aligned(struct vmentry_ctx *c, unsigned which)
{
    bool host = which == CET_HOST;
    if (!(host ? (c->exit & EXIT_LOAD_CET) : (c->entry & ENTRY_LOAD_CET)))
        return true;
    return ((host ? c->v->host_ssp : c->v->guest_ssp) & 3) == 0;
}

/* --- MSR fields with reserved bits, each under its load control (shared with the guest checks) --- */

bool vmentry_ok_msr_reserved(struct vmentry_ctx *c, unsigned which)
{
    const struct vmcs_image *v = c->v;
    switch (which) {
    case MSR_HOST_PERF_GLOBAL_CTRL:
        return !(c->exit & EXIT_LOAD_PERF_GLOBAL_CTRL) ||
               (v->host_ia32_perf_global_ctrl & ~c->cpu->perf_global_ctrl_allowed_bits) == 0;
    case MSR_HOST_EFER:
        return !(c->exit & EXIT_LOAD_IA32_EFER) || (v->host_ia32_efer & ~c->cpu->efer_allowed_bits) == 0;
    case MSR_HOST_PKRS:
        return !(c->exit & EXIT_LOAD_PKRS) || (v->host_ia32_pkrs >> 32) == 0;
    case MSR_GUEST_DEBUGCTL:
        return !(c->entry & ENTRY_LOAD_DEBUG_CONTROLS) ||
               (v->guest_ia32_debugctl & ~c->cpu->debugctl_allowed_bits) == 0;
    case MSR_GUEST_PERF_GLOBAL_CTRL:
        return !(c->entry & ENTRY_LOAD_PERF_GLOBAL_CTRL) ||
               (v->guest_ia32_perf_global_ctrl & ~c->cpu->perf_global_ctrl_allowed_bits) == 0;
    case MSR_GUEST_EFER:
        return !(c->entry & ENTRY_LOAD_IA32_EFER) || (v->guest_ia32_efer & ~c->cpu->efer_allowed_bits) == 0;
    case MSR_GUEST_BNDCFGS:
        return !(c->entry & ENTRY_LOAD_BNDCFGS) || (v->guest_ia32_bndcfgs & 0xffcull) == 0;
    default:
        return !(c->entry & ENTRY_LOAD_PKRS) || (v->guest_ia32_pkrs >> 32) == 0;
    }
}

bool vmentry_ok_pat_memory_types(struct vmentry_ctx *c, unsigned which)
{
    if (which == PAT_HOST)
        return !(c->exit & EXIT_LOAD_IA32_PAT) || vmentry_pat_valid(c->v->host_ia32_pat);
    return !(c->entry & ENTRY_LOAD_IA32_PAT) || vmentry_pat_valid(c->v->guest_ia32_pat);
}

bool vmentry_ok_host_efer_mode_bit(struct vmentry_ctx *c, unsigned bit)
{
    return !(c->exit & EXIT_LOAD_IA32_EFER) || (((c->v->host_ia32_efer >> bit) & 1) != 0) == c->host_64;
}

/* --- host segment and descriptor-table registers --- */

static uint64_t host_selector(const struct vmentry_ctx *c, unsigned index)
{
    const struct vmcs_image *v = c->v;
    const uint64_t selectors[7] = { v->host_es_selector, v->host_cs_selector, v->host_ss_selector,
                                    v->host_ds_selector, v->host_fs_selector, v->host_gs_selector,
                                    v->host_tr_selector };
    return selectors[index < 7 ? index : 6];
}

bool vmentry_ok_host_selector_rpl_ti(struct vmentry_ctx *c, unsigned index)
{
    return (host_selector(c, index) & 7) == 0;
}

bool vmentry_ok_host_selector_nonzero(struct vmentry_ctx *c, unsigned index)
{
    return host_selector(c, index) != 0;
}

bool vmentry_ok_host_ss_selector_nonzero(struct vmentry_ctx *c, unsigned unused)
{
    return c->host_64 || c->v->host_ss_selector != 0;
}

/* --- address-space size (SDM: "Checks Related to Address-Space Size") --- */

bool vmentry_ok_host_mode(struct vmentry_ctx *c, unsigned which)
{
    bool ia32e = c->cpu->host_ia32e_mode;
    const struct vmcs_image *v = c->v;
    switch (which) {
    case HOST_IA32E_NEEDS_64:
        return !ia32e || c->host_64;
    case HOST_LEGACY_NO_IA32E_GUEST:
        return ia32e || !c->ia32e_guest;
    case HOST_LEGACY_NO_64:
        return ia32e || !c->host_64;
    case HOST_32_NO_PCIDE:
        return c->host_64 || !(v->host_cr4 & CR4_PCIDE);
    case HOST_32_RIP:
        return c->host_64 || (v->host_rip >> 32) == 0;
    case HOST_64_PAE:
        return !c->host_64 || (v->host_cr4 & CR4_PAE);
    default:
        return !c->host_64 || vmentry_canonical(c, v->host_rip);
    }
}
