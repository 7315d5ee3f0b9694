#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_reason.h"

/* Indexed by basic exit reason; the SDM's name of each beside it (vmx_exit_reason_name has them all). */
static const vmexit_handler handlers[VMX_EXIT_REASON_LIMIT] = {
    [EXIT_REASON_EXCEPTION_OR_NMI] = vmexit_exception_or_nmi,    /* Exception or non-maskable interrupt (NMI) */
    [EXIT_REASON_EXTERNAL_INTERRUPT] = vmexit_external_interrupt, /* External interrupt */
    [EXIT_REASON_TRIPLE_FAULT] = vmexit_triple_fault,            /* Triple fault */
    [EXIT_REASON_INIT_SIGNAL] = vmexit_init_signal,              /* INIT signal */
    [EXIT_REASON_SIPI] = vmexit_sipi,                            /* Start-up IPI (SIPI) */
    [EXIT_REASON_CPUID] = vmexit_cpuid,                          /* CPUID */
    [EXIT_REASON_HLT] = vmexit_hlt,                              /* HLT */
    [EXIT_REASON_INVD] = vmexit_cache_flush,                     /* INVD */
    [EXIT_REASON_VMCALL] = vmexit_vmx_instruction,               /* VMCALL */
    [EXIT_REASON_VMCLEAR] = vmexit_vmx_instruction,              /* VMCLEAR */
    [EXIT_REASON_VMLAUNCH] = vmexit_vmx_instruction,             /* VMLAUNCH */
    [EXIT_REASON_VMPTRLD] = vmexit_vmx_instruction,              /* VMPTRLD */
    [EXIT_REASON_VMPTRST] = vmexit_vmx_instruction,              /* VMPTRST */
    [EXIT_REASON_VMREAD] = vmexit_vmx_instruction,               /* VMREAD */
    [EXIT_REASON_VMRESUME] = vmexit_vmx_instruction,             /* VMRESUME */
    [EXIT_REASON_VMWRITE] = vmexit_vmx_instruction,              /* VMWRITE */
    [EXIT_REASON_VMXOFF] = vmexit_vmx_instruction,               /* VMXOFF */
    [EXIT_REASON_VMXON] = vmexit_vmx_instruction,                /* VMXON */
    [EXIT_REASON_CR_ACCESS] = vmexit_cr_access,                  /* Control-register accesses */
    [EXIT_REASON_IO_INSTRUCTION] = vmexit_io,                    /* I/O instruction */
    [EXIT_REASON_RDMSR] = vmexit_rdmsr,                          /* RDMSR */
    [EXIT_REASON_WRMSR] = vmexit_wrmsr,                          /* WRMSR */
    [EXIT_REASON_EPT_VIOLATION] = vmexit_ept_violation,          /* EPT violation */
    [EXIT_REASON_EPT_MISCONFIGURATION] = vmexit_ept_misconfiguration, /* EPT misconfiguration */
    [EXIT_REASON_INVEPT] = vmexit_vmx_instruction,               /* INVEPT */
    [EXIT_REASON_PREEMPTION_TIMER] = vmexit_preemption_timer,    /* VMX-preemption timer expired */
    [EXIT_REASON_INVVPID] = vmexit_vmx_instruction,              /* INVVPID */
    [EXIT_REASON_WBINVD] = vmexit_cache_flush,                   /* WBINVD or WBNOINVD */
    [EXIT_REASON_XSETBV] = vmexit_xsetbv,                        /* XSETBV */
    [EXIT_REASON_VMFUNC] = vmexit_vmx_instruction,               /* VMFUNC */
};

/* The one "unhandled" entry: the vCPU stops, naming the exit. */
static COLD enum vmexit_action vmexit_unhandled(struct vcpu *vcpu)
{
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, "unhandled VM exit %u (%s), qualification 0x%lx, guest RIP 0x%lx", vcpu->exit_reason,
              vmx_exit_reason_name(vcpu->exit_reason), vcpu->exit_qualification, rip);
    return VMEXIT_STOP;
}

enum vmexit_action vmexit_dispatch(struct vcpu *vcpu)
{
    uint32_t reason = vcpu->exit_reason;
    vmexit_handler handler = reason < VMX_EXIT_REASON_LIMIT ? handlers[reason] : NULL;
    return handler ? handler(vcpu) : vmexit_unhandled(vcpu);
}
