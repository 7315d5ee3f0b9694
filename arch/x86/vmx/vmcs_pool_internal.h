/*
 * Record helpers shared by vmcs_pool.c, vmcs_guard.c and vmcs_pool_query.c.
 * Every one of them is called with the pool lock held (or, for the panic
 * path, with every other CPU stopped).
 */
#ifndef ARCH_X86_VMX_VMCS_POOL_INTERNAL_H
#define ARCH_X86_VMX_VMCS_POOL_INTERNAL_H

#include "arch/x86/vmx/vmcs_pool.h"

static inline bool vmcs_cpu_valid(const struct vmcs_pool *pool, int cpu)
{
    return cpu >= 0 && cpu < pool->cpu_count;
}
static inline bool vmcs_index_valid(const struct vmcs_pool *pool, int vmcs)
{
    return vmcs >= 0 && vmcs < pool->vmcs_count;
}

static inline uint64_t vmcs_cpu_vmxon_region(const struct vmcs_pool *pool, int cpu)
{
    return __atomic_load_n(&pool->cpus[cpu].vmxon_region_phys, __ATOMIC_ACQUIRE);
}

static inline bool vmcs_cpu_in_vmx(const struct vmcs_pool *pool, int cpu)
{
    return vmcs_cpu_valid(pool, cpu) && vmcs_cpu_vmxon_region(pool, cpu) != VMCS_POOL_NO_REGION;
}

/* The state, derived from the records so that they cannot disagree with it. */
static inline enum vmcs_state vmcs_slot_state(const struct vmcs_pool *pool, int vmcs)
{
    const struct vmcs_slot *slot = &pool->slots[vmcs];
    if (slot->in_flight)
        return (enum vmcs_state)slot->in_flight;
    if (!slot->acquired)
        return VMCS_STATE_FREE;
    if (slot->owner == VMCS_NONE)
        return VMCS_STATE_CLEAR;
    if (slot->launched)
        return VMCS_STATE_LAUNCHED;
    return pool->cpus[slot->owner].current == vmcs ? VMCS_STATE_ACTIVE_CURRENT
                                                   : VMCS_STATE_ACTIVE_NOT_CURRENT;
}

#endif
