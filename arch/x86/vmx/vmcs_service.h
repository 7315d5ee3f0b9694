/*
 * The kernel's VMCS pool: arch/x86/vmx/vmcs_pool.c's state machine bound to
 * the real instructions (vmx_insn.h) and the IPI layer, sized at boot as
 * vmcs_per_cpu= times the CPUs in VMX root operation.
 */
#ifndef ARCH_X86_VMX_VMCS_SERVICE_H
#define ARCH_X86_VMX_VMCS_SERVICE_H

#include "core/cmdline.h"
#include "arch/x86/vmx/vmx_outcome.h"

struct vmcs_pool;

/* Before the boot CPU's VMXON: the pool's records, for cpu_count CPUs. */
int vmcs_service_prepare(uint32_t cpu_count);
struct vmcs_pool *vmcs_service_pool(void);
/* Called by each CPU right after VMXON: the VMXON-pointer guard learns its region. */
void vmcs_service_cpu_entered_vmx(uint32_t cpu, uint64_t vmxon_region_phys);
/* On the boot CPU once every AP is done: allocate, write revision ids, VMCLEAR each. */
int vmcs_service_init(const struct boot_options *opts, uint32_t cpus_in_vmx_root);
/* VMCLEAR every VMCS active on this CPU (shutdown, panic). */
void vmcs_service_clear_this_cpu(void);
/* Counts a VMCLEAR/VMPTRLD issued outside the pool (fault injection) in this CPU's counters. */
void vmcs_service_count_outcome(bool is_vmclear, struct vmx_outcome outcome);
uint32_t vmcs_service_total(void);
uint32_t vmcs_service_free(void);

#endif
