/*
 * VM-exit dispatch: one handler per basic exit reason (SDM appendix
 * "VMX Basic Exit Reasons"), in a table indexed by the reason; a reason
 * without a handler stops the vCPU with the reason's name and the exit
 * qualification: never a hang, never a silent resume. The handlers live in
 * one file per family (vmexit_cpuid.c, vmexit_cr.c, vmexit_msr.c,
 * vmexit_io.c, vmexit_events.c, vmexit_misc.c).
 */
#ifndef ARCH_X86_VMX_VMEXIT_DISPATCH_H
#define ARCH_X86_VMX_VMEXIT_DISPATCH_H

#include "arch/x86/vmx/vcpu.h"

/* Basic exit reasons vmxroot handles, by the SDM's numbers. */
#define EXIT_REASON_EXCEPTION_OR_NMI 0
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INIT_SIGNAL 3
#define EXIT_REASON_SIPI 4
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_HLT 12
#define EXIT_REASON_INVD 13
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMPTRLD 21
#define EXIT_REASON_VMPTRST 22
#define EXIT_REASON_VMREAD 23
#define EXIT_REASON_VMRESUME 24
#define EXIT_REASON_VMWRITE 25
#define EXIT_REASON_VMXOFF 26
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_IO_INSTRUCTION 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_INVALID_GUEST_STATE 33
#define EXIT_REASON_MSR_LOADING 34
#define EXIT_REASON_MACHINE_CHECK_DURING_ENTRY 41
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIGURATION 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_PREEMPTION_TIMER 52
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_WBINVD 54
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_ENTRY_FAILURE (1u << 31) /* bit 31 of the exit-reason field */

typedef enum vmexit_action (*vmexit_handler)(struct vcpu *vcpu);

/* Handles the exit in vcpu->exit_reason / exit_qualification. */
enum vmexit_action vmexit_dispatch(struct vcpu *vcpu);

/* The handlers, by family. */
enum vmexit_action vmexit_cpuid(struct vcpu *vcpu);
enum vmexit_action vmexit_xsetbv(struct vcpu *vcpu);
enum vmexit_action vmexit_cr_access(struct vcpu *vcpu);
enum vmexit_action vmexit_rdmsr(struct vcpu *vcpu);
enum vmexit_action vmexit_wrmsr(struct vcpu *vcpu);
enum vmexit_action vmexit_io(struct vcpu *vcpu);
enum vmexit_action vmexit_exception_or_nmi(struct vcpu *vcpu);
enum vmexit_action vmexit_external_interrupt(struct vcpu *vcpu);
enum vmexit_action vmexit_triple_fault(struct vcpu *vcpu);
enum vmexit_action vmexit_init_signal(struct vcpu *vcpu);
enum vmexit_action vmexit_sipi(struct vcpu *vcpu);
enum vmexit_action vmexit_preemption_timer(struct vcpu *vcpu);
enum vmexit_action vmexit_hlt(struct vcpu *vcpu);
enum vmexit_action vmexit_cache_flush(struct vcpu *vcpu);
enum vmexit_action vmexit_vmx_instruction(struct vcpu *vcpu);
enum vmexit_action vmexit_ept_violation(struct vcpu *vcpu);
enum vmexit_action vmexit_ept_misconfiguration(struct vcpu *vcpu);

/* The policies the handlers apply, set up with the vCPU (docs/guests.md). */
void vmexit_io_bitmap_init(struct vcpu *vcpu);
void vmexit_msr_bitmap_init(struct vcpu *vcpu);

#endif
