/*
 * The kernel's VMCS pool: arch/x86/vmx/vmcs_pool.c's state machine bound to
 * the real instructions (vmx_insn.h) and the IPI layer, sized at boot as
 * vmcs_per_cpu= times the CPUs in VMX root operation.
 */
#ifndef ARCH_X86_VMX_VMCS_SERVICE_H
#define ARCH_X86_VMX_VMCS_SERVICE_H

#include "arch/x86/vmx/vmx_outcome.h"

struct vmcs_pool;

/* Before the boot CPU's VMXON: the pool's records, for cpu_count CPUs (without memory: no pool, logged). */
void vmcs_service_prepare(uint32_t cpu_count);
struct vmcs_pool *vmcs_service_pool(void);
/*
 * On each CPU right after its VMXON: the VMXON-pointer guard learns its region.
 * 0 (also without a pool), or the pool's refusal (vmcs_pool_set_vmxon_region).
 */
MUST_CHECK int vmcs_service_cpu_entered_vmx(uint32_t cpu, uint64_t vmxon_region_phys);
/*
 * On the boot CPU once every AP is done: vmcs_per_cpu VMCSs per CPU in VMX
 * root, each VMCLEARed. A smaller pool or none is logged, and the boot goes on.
 */
void vmcs_service_init(uint32_t vmcs_per_cpu, uint32_t cpus_in_vmx_root);
/*
 * On a CPU about to leave VMX operation (shutdown, panic, stop): VMCLEAR every
 * VMCS active here, so its data reaches memory (SDM: "VMXOFF"), then forget
 * this CPU's VMXON region. 0, or the first error (every step is still tried).
 */
MUST_CHECK int vmcs_service_cpu_leaving_vmx(void);
/* Counts a VMCLEAR/VMPTRLD issued outside the pool (fault injection) in this CPU's counters. */
void vmcs_service_count_outcome(bool is_vmclear, struct vmx_outcome outcome);
uint32_t vmcs_service_total(void);
uint32_t vmcs_service_free(void);

#endif
