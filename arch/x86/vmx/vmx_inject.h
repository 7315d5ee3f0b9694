/*
 * inject=<case> for the VMX paths: each case issues the real instruction
 * with a bad operand where the CPU decides the outcome, checks the exact
 * outcome the SDM gives, reports it by name and leaves the CPU usable.
 * The VMXON-pointer guard refuses each bad operand first; it stands aside
 * only for the injected instruction. Each runs on this CPU (the boot CPU,
 * in VMX root with the VMCS pool set up) and prints one result line:
 *   inject: case=NAME ... result=PASS|FAIL|SKIP
 * core/fault_inject.c picks the case from the command line.
 */
#ifndef ARCH_X86_VMX_VMX_INJECT_H
#define ARCH_X86_VMX_VMX_INJECT_H

void vmx_inject_vmptrld_vmxon(void);     /* VMPTRLD of the VMXON region: error 10 */
void vmx_inject_vmclear_vmxon(void);     /* VMCLEAR of the VMXON region: error 3 */
void vmx_inject_wrong_revision(void);    /* VMPTRLD of a region with a wrong revision id: error 11 */
void vmx_inject_unaligned_vmcs(void);    /* VMPTRLD of an address not 4 KiB aligned: error 9 */
void vmx_inject_beyond_phys_width(void); /* VMPTRLD above the physical-address width: error 9 */
void vmx_inject_pool_exhaustion(void);   /* acquire past the pool's end: refused, the pool unchanged */

#endif
