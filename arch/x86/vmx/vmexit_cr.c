/*
 * Control-register accesses (exit 28; SDM: "Exit Qualification for
 * Control-Register Accesses"). CR0 and CR4 exit only for the bits in their
 * guest/host masks, the bits vmxroot owns: CR0.NE (VMX fixes it at 1, a
 * multiboot or INIT state has it 0) and CR4.VMXE (set under the guest,
 * hidden from it), plus any bit the VMX fixed-bit MSRs pin. The guest's
 * value goes to the read shadow; the CPU's copy gets the fixed bits. A
 * write that sets CR4.VMXE gets #GP, as on a CPU without VMX.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"

#define VECTOR_GP 13
#define CS_LONG_MODE (1ull << 13) /* access rights: L */

static enum vmexit_action guest_write_cr0(struct vcpu *vcpu, uint64_t value)
{
    const struct vmx_caps *caps = vmx_boot_caps();
    bool unrestricted = vcpu->controls->value[VMX_CONTROL_SECONDARY] & PROC2_UNRESTRICTED_GUEST;
    /* SDM "MOV to CR0": #GP for bits 63:32, PG without PE, NW without CD. */
    if ((value >> 32) || ((value & CR0_PG) && !(value & CR0_PE)) ||
        ((value & (1ull << 29)) && !(value & (1ull << 30)))) {
        vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
        return VMEXIT_RESUME;
    }
    /* SDM "IA-32e Mode Operation": paging is turned off only from compatibility mode, never from 64-bit code. */
    if (!(value & CR0_PG) && (vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER) & EFER_LMA) &&
        (vcpu_read_field(vcpu, VMCS_GUEST_CS_ACCESS_RIGHTS) & CS_LONG_MODE)) {
        vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
        return VMEXIT_RESUME;
    }
    uint64_t fixed0 = caps->cr0_fixed0 & ~(unrestricted ? CR0_PE | CR0_PG : 0);
    uint64_t old = vcpu_read_field(vcpu, VMCS_GUEST_CR0);
    vcpu_write_field(vcpu, VMCS_CR0_READ_SHADOW, value);
    vcpu_write_field(vcpu, VMCS_GUEST_CR0, (value | fixed0) & caps->cr0_fixed1);
    /* Paging switched by this (emulated) write: long mode follows EFER.LME (SDM: "IA-32e Mode Operation"). */
    if ((old ^ value) & CR0_PG) {
        uint64_t efer = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER);
        uint64_t entry = vcpu_read_field(vcpu, VMCS_VM_ENTRY_CONTROLS);
        bool long_mode = (value & CR0_PG) && (efer & EFER_LME);
        efer = long_mode ? efer | EFER_LMA : efer & ~EFER_LMA;
        entry = long_mode ? entry | ENTRY_IA32E_MODE_GUEST : entry & ~(uint64_t)ENTRY_IA32E_MODE_GUEST;
        vcpu_write_field(vcpu, VMCS_GUEST_IA32_EFER, efer);
        vcpu_write_field(vcpu, VMCS_VM_ENTRY_CONTROLS, entry);
    }
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

static enum vmexit_action guest_write_cr4(struct vcpu *vcpu, uint64_t value)
{
    const struct vmx_caps *caps = vmx_boot_caps();
    uint64_t allowed = caps->cr4_fixed1 & ~CR4_VMXE;
    if (value & ~allowed) {
        vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
        return VMEXIT_RESUME;
    }
    vcpu_write_field(vcpu, VMCS_CR4_READ_SHADOW, value);
    vcpu_write_field(vcpu, VMCS_GUEST_CR4, (value | caps->cr4_fixed0) & caps->cr4_fixed1);
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_cr_access(struct vcpu *vcpu)
{
    struct vmx_cr_access access = vmx_cr_access_decode(vcpu->exit_qualification);
    if (access.type == VMX_CR_MOV_TO) {
        uint64_t value = vcpu_gpr(vcpu, access.gpr);
        if (access.cr == 0)
            return guest_write_cr0(vcpu, value);
        if (access.cr == 4)
            return guest_write_cr4(vcpu, value);
        if (access.cr == 3) {
            vcpu_write_field(vcpu, VMCS_GUEST_CR3, value);
            vcpu_skip_instruction(vcpu);
            return VMEXIT_RESUME;
        }
    } else if (access.type == VMX_CR_MOV_FROM && access.cr == 3) {
        vcpu_set_gpr(vcpu, access.gpr, vcpu_read_field(vcpu, VMCS_GUEST_CR3));
        vcpu_skip_instruction(vcpu);
        return VMEXIT_RESUME;
    } else if (access.type == VMX_CR_CLTS) {
        uint64_t shadow = vcpu_read_field(vcpu, VMCS_CR0_READ_SHADOW);
        return guest_write_cr0(vcpu, shadow & ~(1ull << 3));
    } else if (access.type == VMX_CR_LMSW) {
        /* LMSW sets PE, MP, EM, TS from its source and can set PE but never clear it. */
        uint64_t shadow = vcpu_read_field(vcpu, VMCS_CR0_READ_SHADOW);
        uint64_t value = (shadow & ~0xeull) | (access.lmsw_data & 0xf) | (shadow & CR0_PE);
        return guest_write_cr0(vcpu, value);
    }
    char text[128];
    vmx_cr_access_format(&access, text, sizeof text);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "control-register access not handled: %s", text);
    return VMEXIT_STOP;
}
