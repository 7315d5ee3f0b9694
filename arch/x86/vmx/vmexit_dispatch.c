#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_reason.h"

/* Indexed by basic exit reason; the SDM's name of each beside it (vmx_exit_reason_name has them all). */
const vmexit_handler vmexit_handlers[VMX_EXIT_REASON_LIMIT] = {
    [VMX_EXIT_EXCEPTION_OR_NMI] = vmexit_exception_or_nmi,     /* Exception or non-maskable interrupt (NMI) */
    [VMX_EXIT_EXTERNAL_INTERRUPT] = vmexit_external_interrupt, /* External interrupt */
    [VMX_EXIT_TRIPLE_FAULT] = vmexit_triple_fault,             /* Triple fault */
    [VMX_EXIT_INIT_SIGNAL] = vmexit_init_signal,               /* INIT signal */
    [VMX_EXIT_NMI_WINDOW] = vmexit_nmi_window,                 /* NMI window */
    [VMX_EXIT_SIPI] = vmexit_sipi,                             /* Start-up IPI (SIPI) */
    [VMX_EXIT_CPUID] = vmexit_cpuid,                           /* CPUID */
    [VMX_EXIT_HLT] = vmexit_hlt,                               /* HLT */
    [VMX_EXIT_INVD] = vmexit_cache_flush,                      /* INVD */
    [VMX_EXIT_VMCALL] = vmexit_vmx_instruction,                /* VMCALL */
    [VMX_EXIT_VMCLEAR] = vmexit_vmx_instruction,               /* VMCLEAR */
    [VMX_EXIT_VMLAUNCH] = vmexit_vmx_instruction,              /* VMLAUNCH */
    [VMX_EXIT_VMPTRLD] = vmexit_vmx_instruction,               /* VMPTRLD */
    [VMX_EXIT_VMPTRST] = vmexit_vmx_instruction,               /* VMPTRST */
    [VMX_EXIT_VMREAD] = vmexit_vmx_instruction,                /* VMREAD */
    [VMX_EXIT_VMRESUME] = vmexit_vmx_instruction,              /* VMRESUME */
    [VMX_EXIT_VMWRITE] = vmexit_vmx_instruction,               /* VMWRITE */
    [VMX_EXIT_VMXOFF] = vmexit_vmx_instruction,                /* VMXOFF */
    [VMX_EXIT_VMXON] = vmexit_vmx_instruction,                 /* VMXON */
    [VMX_EXIT_CR_ACCESS] = vmexit_cr_access,                   /* Control-register accesses */
    [VMX_EXIT_IO_INSTRUCTION] = vmexit_io,                     /* I/O instruction */
    [VMX_EXIT_RDMSR] = vmexit_rdmsr,                           /* RDMSR */
    [VMX_EXIT_WRMSR] = vmexit_wrmsr,                           /* WRMSR */
    [VMX_EXIT_EPT_VIOLATION] = vmexit_ept_violation,           /* EPT violation */
    [VMX_EXIT_EPT_MISCONFIGURATION] = vmexit_ept_misconfiguration, /* EPT misconfiguration */
    [VMX_EXIT_INVEPT] = vmexit_vmx_instruction,                    /* INVEPT */
    [VMX_EXIT_PREEMPTION_TIMER] = vmexit_preemption_timer,         /* VMX-preemption timer expired */
    [VMX_EXIT_INVVPID] = vmexit_vmx_instruction,                   /* INVVPID */
    [VMX_EXIT_WBINVD] = vmexit_cache_flush,                        /* WBINVD or WBNOINVD */
    [VMX_EXIT_XSETBV] = vmexit_xsetbv,                             /* XSETBV */
    [VMX_EXIT_VMFUNC] = vmexit_vmx_instruction,                    /* VMFUNC */
};

/* The one "unhandled" entry: the vCPU stops, naming the exit. */
COLD enum vmexit_action vmexit_unhandled(struct vcpu *vcpu)
{
    uint64_t rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
              "unhandled VM exit %u (%s), qualification 0x%lx, guest RIP 0x%lx", vcpu->exit_reason,
              vmx_exit_reason_name(vcpu->exit_reason), vcpu->exit_qualification, rip);
    return VMEXIT_STOP;
}
