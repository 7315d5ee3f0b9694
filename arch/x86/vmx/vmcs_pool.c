/*
 * The VMCS pool's operations. See vmcs_pool.h for the states and the locking
 * rules; in short: a local instruction and its record update happen together
 * under the pool lock, a remote one happens with the lock dropped and the
 * VMCS marked MIGRATING/RELEASING so nobody else touches it meanwhile.
 */
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_pool_internal.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

enum vmcs_instruction { INSN_VMCLEAR = 1, INSN_VMPTRLD = 2 };

#define WHY_BYTES 200

static const char *insn_name(int insn) { return insn == INSN_VMCLEAR ? "VMCLEAR" : "VMPTRLD"; }
static MUST_CHECK int calling_cpu(struct vmcs_pool *pool) { return pool->ops.this_cpu(pool->ops.ctx); }
static unsigned long long phys_of(const struct vmcs_pool *pool, int vmcs) { return pool->slots[vmcs].phys; }

void vmcs_pool_prepare(struct vmcs_pool *pool, const struct vmcs_ops *ops, int cpu_count,
                       uint32_t phys_width_bits)
{
    memset(pool, 0, sizeof *pool);
    pool->ops = *ops;
    pool->cpu_count = cpu_count < 0 ? 0 : cpu_count > VMCS_POOL_MAX_CPUS ? VMCS_POOL_MAX_CPUS : cpu_count;
    pool->phys_width_bits = phys_width_bits == 0 || phys_width_bits > 52 ? 52 : phys_width_bits;
    for (int cpu = 0; cpu < VMCS_POOL_MAX_CPUS; cpu++) {
        pool->cpus[cpu].vmxon_region_phys = VMCS_POOL_NO_REGION;
        pool->cpus[cpu].current = VMCS_NONE;
        pool->cpus[cpu].active_head = VMCS_NONE;
    }
}

static void count_outcome(struct vmcs_pool *pool, int cpu, int insn, struct vmx_outcome outcome)
{
    struct vmcs_cpu_counters *counters = &pool->cpus[cpu].counters;
    if (insn == INSN_VMCLEAR)
        counters->vmclear++;
    else
        counters->vmptrld++;
    if (outcome.result == VMX_FAIL_INVALID)
        counters->fail_invalid++;
    else if (outcome.result == VMX_FAIL_VALID)
        counters->failures_by_error[outcome.error <= VMX_ERROR_MAX ? outcome.error : 0]++;
}

void vmcs_pool_count_outside(struct vmcs_pool *pool, bool is_vmclear, struct vmx_outcome outcome)
{
    int cpu = pool->ops.this_cpu(pool->ops.ctx);
    if (cpu < 0 || cpu >= pool->cpu_count)
        return;
    spin_lock(&pool->lock);
    count_outcome(pool, cpu, is_vmclear ? INSN_VMCLEAR : INSN_VMPTRLD, outcome);
    spin_unlock(&pool->lock);
}

/* The instruction on this CPU, counted. Lock held. */
static MUST_CHECK struct vmx_outcome run_local(struct vmcs_pool *pool, int cpu, int insn, int vmcs)
{
    uint64_t phys = pool->slots[vmcs].phys;
    struct vmx_outcome outcome = insn == INSN_VMCLEAR ? pool->ops.vmclear(pool->ops.ctx, phys)
                                                      : pool->ops.vmptrld(pool->ops.ctx, phys);
    count_outcome(pool, cpu, insn, outcome);
    return outcome;
}

/* Runs on the target CPU, possibly in interrupt context: one instruction, no lock, no log. */
static void remote_instruction(void *arg)
{
    struct vmcs_remote_call *call = arg;
    const struct vmcs_ops *ops = &call->pool->ops;
    call->ran_on_cpu = (int16_t)ops->this_cpu(ops->ctx);
    call->outcome = call->instruction == INSN_VMCLEAR ? ops->vmclear(ops->ctx, call->phys)
                                                      : ops->vmptrld(ops->ctx, call->phys);
}

/*
 * The instruction on cpu through run_on_cpu. Lock NOT held; the VMCS is in
 * flight, so its slot (and the call record in it) is ours. 0 when the
 * instruction ran there (its outcome in *outcome, not yet counted).
 */
static MUST_CHECK int run_remote(struct vmcs_pool *pool, int cpu, int insn, int vmcs,
                                 struct vmx_outcome *outcome)
{
    struct vmcs_remote_call *call = &pool->slots[vmcs].remote;
    call->pool = pool;
    call->phys = pool->slots[vmcs].phys;
    call->instruction = (uint8_t)insn;
    call->ran_on_cpu = VMCS_NONE;
    call->outcome = vmx_outcome_fail_invalid();
    int err = pool->ops.run_on_cpu(pool->ops.ctx, cpu, remote_instruction, call);
    if (err < 0) {
        log_error(
            "could not run %s of VMCS %d (0x%llx) on cpu%d: %s; its state is unchanged (is cpu%d alive?)",
            insn_name(insn), vmcs, phys_of(pool, vmcs), cpu, error_name(err), cpu);
        return err;
    }
    if (call->ran_on_cpu != cpu) {
        log_error("%s of VMCS %d (0x%llx) meant for cpu%d ran on cpu%d: the cross-CPU call is broken; state "
                  "unchanged",
                  insn_name(insn), vmcs, phys_of(pool, vmcs), cpu, call->ran_on_cpu);
        return E_FAULT;
    }
    *outcome = call->outcome;
    return 0;
}

static void log_failure(struct vmcs_pool *pool, int cpu, int caller, int insn, int vmcs,
                        struct vmx_outcome outcome, const char *consequence)
{
    char text[VMX_OUTCOME_TEXT_BYTES], who[16] = "";
    vmx_outcome_format(outcome, text, sizeof text);
    if (cpu != caller)
        format(who, sizeof who, "cpu%d: ", cpu);
    log_error("%s%s of VMCS %d (0x%llx) failed: %s; %s", who, insn_name(insn), vmcs, phys_of(pool, vmcs),
              text, consequence);
}

static void active_add(struct vmcs_pool *pool, int vmcs, int cpu)
{
    struct vmcs_slot *slot = &pool->slots[vmcs];
    slot->owner = (int16_t)cpu;
    slot->next_active = pool->cpus[cpu].active_head;
    pool->cpus[cpu].active_head = (int16_t)vmcs;
    pool->cpus[cpu].active_count++;
}

/* After a successful VMCLEAR: not active anywhere, launch state clear, not current (SDM: "VMCLEAR"). */
static void detach(struct vmcs_pool *pool, int vmcs)
{
    struct vmcs_slot *slot = &pool->slots[vmcs];
    struct vmcs_pool_cpu *owner = &pool->cpus[slot->owner];
    int16_t *link = &owner->active_head;
    while (*link != VMCS_NONE && *link != vmcs)
        link = &pool->slots[*link].next_active;
    if (*link == vmcs) {
        *link = slot->next_active;
        owner->active_count--;
    }
    if (owner->current == vmcs)
        owner->current = VMCS_NONE;
    slot->owner = VMCS_NONE;
    slot->next_active = VMCS_NONE;
    slot->launched = false;
}

/* After a successful VMPTRLD on cpu by cpu itself. */
static void became_current(struct vmcs_pool *pool, int vmcs, int cpu)
{
    if (pool->slots[vmcs].owner == VMCS_NONE)
        active_add(pool, vmcs, cpu);
    /* While a remote VMPTRLD to this CPU is in progress, what is current here is not known. */
    pool->cpus[cpu].current = (int16_t)(pool->cpus[cpu].remote_loads_pending ? VMCS_NONE : vmcs);
}

/* Lock held: why op may not touch vmcs now (E_INVAL, E_STATE, E_BUSY), or 0. */
static MUST_CHECK int check_acquired(struct vmcs_pool *pool, int vmcs, const char *op, char *why)
{
    if (!vmcs_index_valid(pool, vmcs)) {
        format(why, WHY_BYTES, "refusing to %s VMCS %d: no such VMCS (the pool has %d)", op, vmcs,
               pool->vmcs_count);
        return E_INVAL;
    }
    enum vmcs_state state = vmcs_slot_state(pool, vmcs);
    if (state == VMCS_STATE_FREE) {
        format(why, WHY_BYTES, "refusing to %s VMCS %d (0x%llx): it is free; acquire it first", op, vmcs,
               phys_of(pool, vmcs));
        return E_STATE;
    }
    if (state == VMCS_STATE_MIGRATING || state == VMCS_STATE_RELEASING) {
        format(why, WHY_BYTES,
               "refusing to %s VMCS %d (0x%llx): it is %s through another CPU; retry when that is done", op,
               vmcs, phys_of(pool, vmcs),
               state == VMCS_STATE_MIGRATING ? "being migrated" : "being released");
        return E_BUSY;
    }
    return 0;
}

static MUST_CHECK int check_in_vmx(struct vmcs_pool *pool, int cpu, int vmcs, const char *op, char *why)
{
    if (vmcs_cpu_in_vmx(pool, cpu))
        return 0;
    format(why, WHY_BYTES,
           "refusing to %s VMCS %d (0x%llx): cpu%d is not in VMX operation (no VMXON region registered)", op,
           vmcs, phys_of(pool, vmcs), cpu);
    return vmcs_cpu_valid(pool, cpu) ? E_STATE : E_INVAL;
}

static MUST_CHECK int refuse(struct vmcs_pool *pool, int err, const char *why)
{
    spin_unlock(&pool->lock);
    log_warn("%s", why);
    return err;
}

int vmcs_pool_init(struct vmcs_pool *pool, const uint64_t *region_phys, int region_count)
{
    int cpu = calling_cpu(pool);
    if (pool->vmcs_count) {
        log_error("vmcs pool: already holds %d VMCS; init runs once", pool->vmcs_count);
        return E_STATE;
    }
    if (region_count < 0 || region_count > VMCS_POOL_MAX_VMCS) {
        log_error("vmcs pool: %d regions asked for, at most %d fit; lower vmcs_per_cpu=", region_count,
                  VMCS_POOL_MAX_VMCS);
        return E_INVAL;
    }
    if (!vmcs_cpu_in_vmx(pool, cpu)) {
        log_error("vmcs pool: cpu%d is not in VMX operation; register its VMXON region after VMXON, before "
                  "the pool",
                  cpu);
        return E_STATE;
    }
    for (int i = 0; i < region_count; i++) {
        if (vmcs_guard_check(pool, region_phys[i], "VMCLEAR") < 0)
            return E_FAULT;
        for (int j = 0; j < i; j++) {
            if (region_phys[j] == region_phys[i]) {
                log_error("vmcs pool: region %d (0x%llx) is also region %d; each VMCS needs its own page", i,
                          (unsigned long long)region_phys[i], j);
                return E_FAULT;
            }
        }
    }
    spin_lock(&pool->lock);
    for (int i = 0; i < region_count; i++) {
        struct vmcs_slot *slot = &pool->slots[i];
        memset(slot, 0, sizeof *slot);
        slot->phys = region_phys[i];
        slot->owner = VMCS_NONE;
        slot->next_active = VMCS_NONE;
        /* A fresh region's launch state is undefined until VMCLEAR (SDM: "Initializing a VMCS"). */
        struct vmx_outcome outcome = run_local(pool, cpu, INSN_VMCLEAR, i);
        if (!vmx_succeeded(outcome)) {
            spin_unlock(&pool->lock);
            log_failure(pool, cpu, cpu, INSN_VMCLEAR, i, outcome, "the pool stays empty");
            return E_VMX;
        }
    }
    pool->vmcs_count = region_count;
    spin_unlock(&pool->lock);
    log_debug("vmcs pool: %d VMCS, each VMCLEARed", region_count);
    return 0;
}

int vmcs_pool_acquire(struct vmcs_pool *pool, int *vmcs_out)
{
    spin_lock(&pool->lock);
    for (int vmcs = 0; vmcs < pool->vmcs_count; vmcs++) {
        if (vmcs_slot_state(pool, vmcs) == VMCS_STATE_FREE) {
            pool->slots[vmcs].acquired = true;
            pool->acquired_count++;
            *vmcs_out = vmcs;
            spin_unlock(&pool->lock);
            return 0;
        }
    }
    int in_use = pool->acquired_count, total = pool->vmcs_count;
    spin_unlock(&pool->lock);
    log_warn("VMCS pool empty (%d of %d in use); release one first, or boot with a larger vmcs_per_cpu=",
             in_use, total);
    return E_NOMEM;
}

int vmcs_pool_load(struct vmcs_pool *pool, int vmcs)
{
    char why[WHY_BYTES];
    int cpu = calling_cpu(pool);
    spin_lock(&pool->lock);
    int err = check_acquired(pool, vmcs, "load", why);
    if (!err)
        err = check_in_vmx(pool, cpu, vmcs, "load", why);
    if (!err && pool->slots[vmcs].owner != VMCS_NONE && pool->slots[vmcs].owner != cpu) {
        format(why, WHY_BYTES, "refusing to load VMCS %d (0x%llx): active on cpu%d: migrate it first", vmcs,
               phys_of(pool, vmcs), pool->slots[vmcs].owner);
        err = E_BUSY;
    }
    if (err)
        return refuse(pool, err, why);
    if (pool->cpus[cpu].current == vmcs) {
        pool->cpus[cpu].counters.vmptrld_skipped++;
        spin_unlock(&pool->lock);
        return 0;
    }
    struct vmx_outcome outcome = run_local(pool, cpu, INSN_VMPTRLD, vmcs);
    if (vmx_succeeded(outcome))
        became_current(pool, vmcs, cpu);
    spin_unlock(&pool->lock);
    if (vmx_succeeded(outcome))
        return 0;
    log_failure(pool, cpu, cpu, INSN_VMPTRLD, vmcs, outcome, "its state is unchanged");
    return E_VMX;
}

/* Lock held on entry and on return. VMCLEAR of vmcs on its owner; 0 once it is detached. */
static MUST_CHECK int clear_on_owner(struct vmcs_pool *pool, int vmcs, int cpu, enum vmcs_state in_flight)
{
    struct vmcs_slot *slot = &pool->slots[vmcs];
    int owner = slot->owner;
    struct vmx_outcome outcome;
    if (owner == VMCS_NONE)
        return 0;
    if (owner == cpu) {
        outcome = run_local(pool, cpu, INSN_VMCLEAR, vmcs);
    } else {
        slot->in_flight = (uint8_t)in_flight;
        spin_unlock(&pool->lock);
        int err = run_remote(pool, owner, INSN_VMCLEAR, vmcs, &outcome);
        spin_lock(&pool->lock);
        slot->in_flight = 0;
        if (err)
            return err;
        count_outcome(pool, owner, INSN_VMCLEAR, outcome);
    }
    if (!vmx_succeeded(outcome)) {
        log_failure(pool, owner, cpu, INSN_VMCLEAR, vmcs, outcome, "its state is unchanged");
        return E_VMX;
    }
    detach(pool, vmcs);
    return 0;
}

int vmcs_pool_release(struct vmcs_pool *pool, int vmcs)
{
    char why[WHY_BYTES];
    int cpu = calling_cpu(pool);
    spin_lock(&pool->lock);
    int err = check_acquired(pool, vmcs, "release", why);
    if (err)
        return refuse(pool, err, why);
    err = clear_on_owner(pool, vmcs, cpu, VMCS_STATE_RELEASING);
    if (!err) {
        pool->slots[vmcs].acquired = false;
        pool->acquired_count--;
    }
    spin_unlock(&pool->lock);
    return err;
}

int vmcs_pool_migrate(struct vmcs_pool *pool, int vmcs, int to_cpu)
{
    char why[WHY_BYTES];
    int cpu = calling_cpu(pool);
    spin_lock(&pool->lock);
    int err = check_acquired(pool, vmcs, "migrate", why);
    if (!err)
        err = check_in_vmx(pool, to_cpu, vmcs, "migrate", why);
    if (err)
        return refuse(pool, err, why);
    struct vmcs_slot *slot = &pool->slots[vmcs];
    if (slot->owner == to_cpu) {
        spin_unlock(&pool->lock);
        return 0;
    }
    /* Step 1: VMCLEAR where it is active; the owner changes only once that succeeded. */
    err = clear_on_owner(pool, vmcs, cpu, VMCS_STATE_MIGRATING);
    if (err) {
        spin_unlock(&pool->lock);
        return err;
    }
    /* Step 2: VMPTRLD on the new CPU. */
    struct vmx_outcome outcome;
    if (to_cpu == cpu) {
        outcome = run_local(pool, cpu, INSN_VMPTRLD, vmcs);
        if (vmx_succeeded(outcome))
            became_current(pool, vmcs, cpu);
    } else {
        struct vmcs_pool_cpu *target = &pool->cpus[to_cpu];
        slot->in_flight = VMCS_STATE_MIGRATING;
        target->remote_loads_pending++;
        target->current = VMCS_NONE; /* its current VMCS is about to change under it */
        spin_unlock(&pool->lock);
        err = run_remote(pool, to_cpu, INSN_VMPTRLD, vmcs, &outcome);
        spin_lock(&pool->lock);
        target->remote_loads_pending--;
        slot->in_flight = 0;
        if (!err)
            count_outcome(pool, to_cpu, INSN_VMPTRLD, outcome);
        if (!err && vmx_succeeded(outcome))
            active_add(pool, vmcs, to_cpu);
    }
    spin_unlock(&pool->lock);
    if (err)
        return err;
    if (!vmx_succeeded(outcome)) {
        log_failure(
            pool, to_cpu, cpu, INSN_VMPTRLD, vmcs, outcome,
            "the VMCLEAR before it succeeded, so the VMCS is now clear and active nowhere; load it again");
        return E_VMX;
    }
    return 0;
}

int vmcs_pool_mark_launched(struct vmcs_pool *pool, int vmcs)
{
    char why[WHY_BYTES];
    int cpu = calling_cpu(pool);
    spin_lock(&pool->lock);
    int err = check_acquired(pool, vmcs, "mark launched", why);
    if (!err && (pool->slots[vmcs].owner != cpu || pool->cpus[cpu].current != vmcs)) {
        format(why, WHY_BYTES,
               "refusing to mark VMCS %d (0x%llx) launched: it is not current on this CPU (%s)", vmcs,
               phys_of(pool, vmcs), vmcs_state_name(vmcs_slot_state(pool, vmcs)));
        err = E_STATE;
    }
    if (err)
        return refuse(pool, err, why);
    pool->slots[vmcs].launched = true;
    spin_unlock(&pool->lock);
    return 0;
}

int vmcs_pool_clear_all_on_this_cpu(struct vmcs_pool *pool)
{
    int cpu = calling_cpu(pool), failures = 0;
    if (!vmcs_cpu_valid(pool, cpu))
        return 0;
    spin_lock(&pool->lock);
    for (int vmcs = pool->cpus[cpu].active_head, next; vmcs != VMCS_NONE; vmcs = next) {
        next = pool->slots[vmcs].next_active;
        if (pool->slots[vmcs].in_flight)
            continue; /* the CPU moving it VMCLEARs it here */
        struct vmx_outcome outcome = run_local(pool, cpu, INSN_VMCLEAR, vmcs);
        if (vmx_succeeded(outcome)) {
            detach(pool, vmcs);
        } else {
            failures++;
            log_failure(pool, cpu, cpu, INSN_VMCLEAR, vmcs, outcome, "it stays active here");
        }
    }
    spin_unlock(&pool->lock);
    return failures ? E_VMX : 0;
}

void vmcs_pool_panic_clear_this_cpu(struct vmcs_pool *pool)
{
    int cpu = calling_cpu(pool);
    for (int vmcs = 0; vmcs < pool->vmcs_count && vmcs < VMCS_POOL_MAX_VMCS; vmcs++)
        if (pool->slots[vmcs].owner == cpu)
            (void)pool->ops.vmclear(pool->ops.ctx, pool->slots[vmcs].phys);
}
