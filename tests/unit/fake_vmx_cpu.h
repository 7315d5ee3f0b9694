/*
 * A fake processor for the VMCS pool tests: per-CPU current-VMCS pointer and
 * VMXON pointer, per-region revision id in "memory", active CPU and launch
 * state, following the SDM's VMCLEAR/VMPTRLD operation sections: alignment
 * and width (errors 2/9), this CPU's VMXON pointer (3/10), revision (11),
 * VMfailValid only when a current VMCS exists, else VMfailInvalid.
 * It also records rule breaks no real CPU would report: an instruction
 * outside VMX operation (#UD), a VMCS made active on two CPUs, a VMCLEAR of
 * a VMCS active on another CPU, run_on_cpu called with the pool lock held.
 */
#ifndef TESTS_UNIT_FAKE_VMX_CPU_H
#define TESTS_UNIT_FAKE_VMX_CPU_H

#include "arch/x86/vmx/vmcs_pool.h"

#define FAKE_MAX_CPUS 8
#define FAKE_MAX_REGIONS 64
#define FAKE_NO_VMCS UINT64_MAX

struct fake_region {
    uint64_t phys;
    uint32_t revision_in_memory;
    int active_on; /* -1: not active */
    bool launched;
};

struct fake_vmx_cpu {
    int this_cpu;
    int cpu_count;
    uint32_t revision_id;
    uint32_t phys_width_bits;
    bool in_vmx[FAKE_MAX_CPUS];
    uint64_t vmxon[FAKE_MAX_CPUS];
    uint64_t current[FAKE_MAX_CPUS];
    struct fake_region regions[FAKE_MAX_REGIONS];
    int region_count;
    /* Checks and injections. */
    const struct spinlock *pool_lock; /* must be free whenever run_on_cpu is called */
    int violations;
    char last_violation[160];
    int run_on_cpu_calls;
    int fail_next_run_on_cpu;     /* negative E_*: the next run_on_cpu returns it without running */
    int misroute_next_run_on_cpu; /* >= 0: the next call runs on this CPU instead */
};

/* cpu_count CPUs, all in VMX operation with VMXON regions at 0x100000 + cpu * 0x1000. */
void fake_vmx_init(struct fake_vmx_cpu *fake, int cpu_count, uint32_t revision_id);
/* A region at phys with revision id written; returns its index. */
int fake_vmx_add_region(struct fake_vmx_cpu *fake, uint64_t phys, uint32_t revision_in_memory);
struct fake_region *fake_vmx_region(struct fake_vmx_cpu *fake, uint64_t phys);
/* The ops for vmcs_pool_prepare, with fake as ctx. */
struct vmcs_ops fake_vmx_ops(struct fake_vmx_cpu *fake);
/* The CPU a region is active on in the fake's truth, or -1. */
int fake_vmx_active_on(struct fake_vmx_cpu *fake, uint64_t phys);

#endif
