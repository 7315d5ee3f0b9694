/*
 * A guest's general registers while vmxroot runs (RSP, RIP and RFLAGS live
 * in the VMCS guest-state area, SDM: "Guest Register State"). One struct,
 * saved and loaded by arch/x86/vmx/vmx_entry.asm: every offset that assembly
 * uses is asserted below, next to the names it uses for them.
 */
#ifndef ARCH_X86_VMX_VMX_GUEST_REGS_H
#define ARCH_X86_VMX_VMX_GUEST_REGS_H

#include "core/lib/compiler.h"

struct vmx_guest_regs {
    uint64_t rax, rcx, rdx, rbx, rbp, rsi, rdi;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t cr2;      /* not in the VMCS: loaded at VMLAUNCH only (vmx_entry.asm says why) */
    uint64_t host_rsp; /* what vmx_enter last wrote to HOST_RSP (0: nothing yet) */
};

/* vmx_entry.asm: GUEST_RAX .. GUEST_CR2 */
_Static_assert(offsetof(struct vmx_guest_regs, rax) == 0, "vmx_entry.asm GUEST_RAX");
_Static_assert(offsetof(struct vmx_guest_regs, rcx) == 8, "vmx_entry.asm GUEST_RCX");
_Static_assert(offsetof(struct vmx_guest_regs, rdx) == 16, "vmx_entry.asm GUEST_RDX");
_Static_assert(offsetof(struct vmx_guest_regs, rbx) == 24, "vmx_entry.asm GUEST_RBX");
_Static_assert(offsetof(struct vmx_guest_regs, rbp) == 32, "vmx_entry.asm GUEST_RBP");
_Static_assert(offsetof(struct vmx_guest_regs, rsi) == 40, "vmx_entry.asm GUEST_RSI");
_Static_assert(offsetof(struct vmx_guest_regs, rdi) == 48, "vmx_entry.asm GUEST_RDI");
_Static_assert(offsetof(struct vmx_guest_regs, r8) == 56, "vmx_entry.asm GUEST_R8");
_Static_assert(offsetof(struct vmx_guest_regs, r15) == 112, "vmx_entry.asm GUEST_R15 (r9..r14 follow r8)");
_Static_assert(offsetof(struct vmx_guest_regs, cr2) == 120, "vmx_entry.asm GUEST_CR2");
_Static_assert(offsetof(struct vmx_guest_regs, host_rsp) == 128, "vmx_entry.asm HOST_RSP_WRITTEN");

/* What vmx_enter() returns: the flags of a failed VMLAUNCH/VMRESUME, or that the guest exited. */
enum vmx_enter_result {
    VMX_ENTER_EXITED = 0,       /* the guest ran and a VM exit came back through vmx_exit_stub */
    VMX_ENTER_FAIL_INVALID = 1, /* CF=1: no current VMCS */
    VMX_ENTER_FAIL_VALID = 2,   /* ZF=1: read VMCS_VM_INSTRUCTION_ERROR before anything else */
};

#ifndef VMXROOT_HOST
/*
 * Writes HOST_RSP (this stack), loads regs, executes VMRESUME when resume
 * is true (only for a VMCS the pool holds as LAUNCHED) or VMLAUNCH, and on
 * the VM exit saves regs again. Interrupts must be off. arch/x86/vmx/vmx_entry.asm.
 */
enum vmx_enter_result vmx_enter(struct vmx_guest_regs *regs, bool resume);
/* The VM exit lands here (VMCS_HOST_RIP). */
void vmx_exit_stub(void);
#endif

#endif
