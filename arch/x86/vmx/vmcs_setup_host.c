/*
 * The host-state area (SDM: "Host-State Area"): what a VM exit loads, so
 * that vmxroot continues at its exit stub on this CPU's own stack with its
 * own control registers, descriptor tables and segment bases. The values
 * come from the CPU itself (vmcs_host_state_read in vcpu.c); this file only
 * places them, so it runs on the host in tests.
 */
#include "arch/x86/vmx/vmcs_setup.h"

void vmcs_setup_host(struct vmcs_image *image, const struct vmx_controls *controls,
                     const struct vmcs_host_state *state)
{
    uint32_t exit = controls->value[VMX_CONTROL_EXIT];
    vmcs_image_set(image, VMCS_HOST_CR0, state->cr0);
    vmcs_image_set(image, VMCS_HOST_CR3, state->cr3);
    vmcs_image_set(image, VMCS_HOST_CR4, state->cr4);
    /* SDM "Checks on Host Segment and Descriptor-Table Registers": RPL and TI of every selector 0. */
    vmcs_image_set(image, VMCS_HOST_CS_SELECTOR, state->cs & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_SS_SELECTOR, state->ss & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_DS_SELECTOR, state->ds & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_ES_SELECTOR, state->es & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_FS_SELECTOR, state->fs & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_GS_SELECTOR, state->gs & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_TR_SELECTOR, state->tr & 0xfff8);
    vmcs_image_set(image, VMCS_HOST_FS_BASE, state->fs_base);
    vmcs_image_set(image, VMCS_HOST_GS_BASE, state->gs_base);
    vmcs_image_set(image, VMCS_HOST_TR_BASE, state->tr_base);
    vmcs_image_set(image, VMCS_HOST_GDTR_BASE, state->gdtr_base);
    vmcs_image_set(image, VMCS_HOST_IDTR_BASE, state->idtr_base);
    vmcs_image_set(image, VMCS_HOST_RSP, state->rsp);
    vmcs_image_set(image, VMCS_HOST_RIP, state->rip);
    vmcs_image_set(image, VMCS_HOST_IA32_SYSENTER_CS, state->sysenter_cs);
    vmcs_image_set(image, VMCS_HOST_IA32_SYSENTER_ESP, state->sysenter_esp);
    vmcs_image_set(image, VMCS_HOST_IA32_SYSENTER_EIP, state->sysenter_eip);
    if (exit & EXIT_LOAD_IA32_EFER)
        vmcs_image_set(image, VMCS_HOST_IA32_EFER, state->efer);
    if (exit & EXIT_LOAD_IA32_PAT)
        vmcs_image_set(image, VMCS_HOST_IA32_PAT, state->pat);
}
