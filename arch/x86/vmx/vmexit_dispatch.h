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
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/vmx_exit_reason.h"

typedef enum vmexit_action (*vmexit_handler)(struct vcpu *vcpu);

/* The table (vmexit_dispatch.c) and its one "unhandled" entry. */
extern const vmexit_handler vmexit_handlers[VMX_EXIT_REASON_LIMIT];
enum vmexit_action vmexit_unhandled(struct vcpu *vcpu);

/* Handles the exit in vcpu->exit_reason / exit_qualification (inline: it is on every exit's path). */
static inline enum vmexit_action vmexit_dispatch(struct vcpu *vcpu)
{
    uint32_t reason = vcpu->exit_reason;
    vmexit_handler handler = reason < VMX_EXIT_REASON_LIMIT ? vmexit_handlers[reason] : NULL;
    return handler ? handler(vcpu) : vmexit_unhandled(vcpu);
}

/* The handlers, by family. */
enum vmexit_action vmexit_cpuid(struct vcpu *vcpu);
enum vmexit_action vmexit_xsetbv(struct vcpu *vcpu);
enum vmexit_action vmexit_cr_access(struct vcpu *vcpu);
enum vmexit_action vmexit_rdmsr(struct vcpu *vcpu);
enum vmexit_action vmexit_wrmsr(struct vcpu *vcpu);
enum vmexit_action vmexit_io(struct vcpu *vcpu);
enum vmexit_action vmexit_exception_or_nmi(struct vcpu *vcpu);
enum vmexit_action vmexit_nmi_window(struct vcpu *vcpu);
enum vmexit_action vmexit_external_interrupt(struct vcpu *vcpu);
enum vmexit_action vmexit_triple_fault(struct vcpu *vcpu);
enum vmexit_action vmexit_init_signal(struct vcpu *vcpu);
enum vmexit_action vmexit_sipi(struct vcpu *vcpu);
/* A SIPI's effect on the vCPU (real mode at vector << 12), also for the SIPIs vmxroot emulates (vapic_icr.c). */
enum vmexit_action vmexit_start_up(struct vcpu *vcpu, uint32_t vector);
enum vmexit_action vmexit_preemption_timer(struct vcpu *vcpu);
enum vmexit_action vmexit_hlt(struct vcpu *vcpu);
enum vmexit_action vmexit_cache_flush(struct vcpu *vcpu);
enum vmexit_action vmexit_vmx_instruction(struct vcpu *vcpu);
enum vmexit_action vmexit_ept_violation(struct vcpu *vcpu);
enum vmexit_action vmexit_ept_misconfiguration(struct vcpu *vcpu);

/* An EPT violation's address (*gpa), its decoded qualification, and both as text ("write at gpa ..."). */
struct vmx_ept_violation vmexit_ept_violation_read(struct vcpu *vcpu, uint64_t *gpa, char *text,
                                                   size_t text_bytes);

/* The policies the handlers apply, set up with the vCPU (docs/guests.md). */
void vmexit_io_bitmap_init(struct vcpu *vcpu);
void vmexit_msr_bitmap_init(struct vcpu *vcpu);
/* The Linux guest's MSR bitmap (one page, shared by its vCPUs): pass-through except the deny-list. */
void vmexit_msr_bitmap_linux(uint8_t *bitmap);

#endif
