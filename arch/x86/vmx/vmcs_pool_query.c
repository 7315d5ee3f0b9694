/* Reading the VMCS pool: states, snapshots for the status page, self-checks. */
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_pool_internal.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

const char *vmcs_state_name(enum vmcs_state state)
{
    switch (state) {
    case VMCS_STATE_FREE:
        return "free";
    case VMCS_STATE_CLEAR:
        return "clear";
    case VMCS_STATE_ACTIVE_CURRENT:
        return "active, current";
    case VMCS_STATE_ACTIVE_NOT_CURRENT:
        return "active, not current";
    case VMCS_STATE_LAUNCHED:
        return "launched";
    case VMCS_STATE_MIGRATING:
        return "migrating";
    case VMCS_STATE_RELEASING:
        return "releasing";
    case VMCS_STATE_COUNT:
        break;
    }
    return "no such VMCS";
}

enum vmcs_state vmcs_pool_state(struct vmcs_pool *pool, int vmcs, int *owner_out)
{
    enum vmcs_state state = VMCS_STATE_COUNT;
    int owner = VMCS_NONE;
    spin_lock(&pool->lock);
    if (vmcs_index_valid(pool, vmcs)) {
        state = vmcs_slot_state(pool, vmcs);
        owner = pool->slots[vmcs].owner;
    }
    spin_unlock(&pool->lock);
    if (owner_out)
        *owner_out = owner;
    return state;
}

int vmcs_pool_current(struct vmcs_pool *pool, int cpu)
{
    if (!vmcs_cpu_valid(pool, cpu))
        return VMCS_NONE;
    spin_lock(&pool->lock);
    int current = pool->cpus[cpu].current;
    spin_unlock(&pool->lock);
    return current;
}

uint64_t vmcs_pool_phys(const struct vmcs_pool *pool, int vmcs)
{
    return vmcs_index_valid(pool, vmcs) ? pool->slots[vmcs].phys : 0;
}

void vmcs_pool_snapshot(struct vmcs_pool *pool, struct vmcs_pool_snapshot *out)
{
    memset(out, 0, sizeof *out);
    spin_lock(&pool->lock);
    out->vmcs_count = pool->vmcs_count;
    for (int vmcs = 0; vmcs < pool->vmcs_count; vmcs++)
        out->by_state[vmcs_slot_state(pool, vmcs)]++;
    spin_unlock(&pool->lock);
}

void vmcs_pool_cpu_snapshot(struct vmcs_pool *pool, int cpu, struct vmcs_pool_cpu_snapshot *out)
{
    memset(out, 0, sizeof *out);
    out->current = VMCS_NONE;
    if (!vmcs_cpu_valid(pool, cpu))
        return;
    spin_lock(&pool->lock);
    const struct vmcs_pool_cpu *c = &pool->cpus[cpu];
    out->in_vmx_operation = c->vmxon_region_phys != VMCS_POOL_NO_REGION;
    out->current = c->current;
    out->counters = c->counters;
    for (int vmcs = c->active_head; vmcs != VMCS_NONE; vmcs = pool->slots[vmcs].next_active) {
        switch (vmcs_slot_state(pool, vmcs)) {
        case VMCS_STATE_ACTIVE_CURRENT:
            out->active_current++;
            break;
        case VMCS_STATE_ACTIVE_NOT_CURRENT:
            out->active_not_current++;
            break;
        case VMCS_STATE_LAUNCHED:
            out->launched++;
            break;
        case VMCS_STATE_MIGRATING:
        case VMCS_STATE_RELEASING:
            out->in_flight++;
            break;
        default:
            break;
        }
    }
    spin_unlock(&pool->lock);
}

/* Lock held. The records agree with each other: owners, active lists, currents, counts. */
static MUST_CHECK int check_locked(struct vmcs_pool *pool, char *why, size_t why_bytes)
{
    int acquired = 0;
    uint8_t listed[VMCS_POOL_MAX_VMCS] = { 0 };
    for (int cpu = 0; cpu < pool->cpu_count; cpu++) {
        const struct vmcs_pool_cpu *c = &pool->cpus[cpu];
        int length = 0;
        for (int vmcs = c->active_head; vmcs != VMCS_NONE; vmcs = pool->slots[vmcs].next_active) {
            if (!vmcs_index_valid(pool, vmcs) || ++length > pool->vmcs_count) {
                format(why, why_bytes, "cpu%d: active list broken at %d", cpu, vmcs);
                return E_STATE;
            }
            if (pool->slots[vmcs].owner != cpu || listed[vmcs]++) {
                format(why, why_bytes, "VMCS %d listed on cpu%d but owned by %d (or listed twice)", vmcs, cpu,
                       pool->slots[vmcs].owner);
                return E_STATE;
            }
        }
        if (length != c->active_count) {
            format(why, why_bytes, "cpu%d: active_count %d, list holds %d", cpu, c->active_count, length);
            return E_STATE;
        }
        if (c->current != VMCS_NONE &&
            (!vmcs_index_valid(pool, c->current) || pool->slots[c->current].owner != cpu)) {
            format(why, why_bytes, "cpu%d: current VMCS %d is not active there", cpu, c->current);
            return E_STATE;
        }
    }
    for (int vmcs = 0; vmcs < pool->vmcs_count; vmcs++) {
        const struct vmcs_slot *slot = &pool->slots[vmcs];
        acquired += slot->acquired;
        if (slot->owner != VMCS_NONE &&
            (!vmcs_cpu_valid(pool, slot->owner) || !listed[vmcs] || !slot->acquired)) {
            format(why, why_bytes, "VMCS %d owned by cpu%d but not on its list, or not acquired", vmcs,
                   slot->owner);
            return E_STATE;
        }
        if (slot->launched && slot->owner == VMCS_NONE) {
            format(why, why_bytes, "VMCS %d launched but active nowhere", vmcs);
            return E_STATE;
        }
    }
    if (acquired != pool->acquired_count) {
        format(why, why_bytes, "acquired_count %d, slots say %d", pool->acquired_count, acquired);
        return E_STATE;
    }
    return 0;
}

int vmcs_pool_check_invariants(struct vmcs_pool *pool, char *why, size_t why_bytes)
{
    if (why_bytes)
        why[0] = 0;
    spin_lock(&pool->lock);
    int err = check_locked(pool, why, why_bytes);
    spin_unlock(&pool->lock);
    return err;
}
