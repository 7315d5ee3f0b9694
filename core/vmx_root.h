/*
 * The order of the VMX steps on one CPU, in the layer that owns both sides:
 * arch/x86/vmx/vmx_cpu.c (VMXON, VMXOFF) knows nothing of the VMCS pool, and
 * the pool (vmcs_service.c) never enters or leaves VMX operation itself.
 */
#ifndef CORE_VMX_ROOT_H
#define CORE_VMX_ROOT_H

/*
 * VMXON on this CPU, then the pool's VMXON-pointer guard learns the region.
 * A region the pool refuses would leave the guard blind: the CPU then leaves
 * VMX operation again. The outcome is the CPU's in_vmx_root and reason,
 * which vmx_report_summary() sums up (the boot CPU, and each AP's work turn).
 */
void vmx_root_enter_this_cpu(void);
/*
 * Shutdown, panic, a stop NMI: the pool VMCLEARs every VMCS active here and
 * forgets the region, then VMXOFF. A failed VMCLEAR is logged and VMXOFF
 * still runs: leaving VMX operation is what the caller needs.
 */
void vmx_root_leave_this_cpu(void);

#endif
