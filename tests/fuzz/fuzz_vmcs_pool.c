// host-sources: arch/x86/vmx/vmcs_pool.c arch/x86/vmx/vmcs_guard.c arch/x86/vmx/vmcs_pool_query.c arch/x86/vmx/vmx_error.c tests/unit/fake_vmx_cpu.c core/lib/format.c core/lib/error.c
/*
 * Random operation sequences on a 4-CPU x 8-VMCS pool over the fake
 * processor. After every step the pool must agree with a small independent
 * model (return code, owner, launch state, current VMCS per CPU, instruction
 * counts) and with the fake processor's truth: a VMCS is never active on two
 * CPUs, no instruction runs outside VMX operation, the lock is never held
 * across run_on_cpu. Three input bytes per step: operation, a, b.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/vmcs_pool.h"
#include "core/lib/error.h"
#include "tests/unit/fake_vmx_cpu.h"

#define CPUS 4
#define VMCS 8
#define REVISION 0x2b
#define PHYS(i) (0x200000ull + (uint64_t)(i)*0x1000)

struct model {
    bool acquired[VMCS];
    int owner[VMCS];
    bool launched[VMCS];
    bool bad_revision[VMCS];
    int current[CPUS]; /* -1: none or unknown */
    uint32_t vmclear[CPUS], vmptrld[CPUS], skipped[CPUS];
};

static struct fake_vmx_cpu fake;
static struct vmcs_pool pool;
static struct model m;

static void fail(const char *what, int step)
{
    fprintf(stderr, "fuzz_vmcs_pool: step %d: %s\n", step, what);
    abort();
}

static void model_detach(int v)
{
    if (m.owner[v] >= 0 && m.current[m.owner[v]] == v)
        m.current[m.owner[v]] = -1;
    m.owner[v] = -1;
    m.launched[v] = false;
}

static enum vmcs_state model_state(int v)
{
    if (!m.acquired[v])
        return VMCS_STATE_FREE;
    if (m.owner[v] < 0)
        return VMCS_STATE_CLEAR;
    if (m.launched[v])
        return VMCS_STATE_LAUNCHED;
    return m.current[m.owner[v]] == v ? VMCS_STATE_ACTIVE_CURRENT : VMCS_STATE_ACTIVE_NOT_CURRENT;
}

static int model_load(int cpu, int v)
{
    if (v >= VMCS)
        return E_INVAL;
    if (!m.acquired[v])
        return E_STATE;
    if (m.owner[v] >= 0 && m.owner[v] != cpu)
        return E_BUSY;
    if (m.current[cpu] == v) {
        m.skipped[cpu]++;
        return 0;
    }
    m.vmptrld[cpu]++;
    if (m.bad_revision[v])
        return E_VMX;
    m.owner[v] = cpu;
    m.current[cpu] = v;
    return 0;
}

/* The VMCLEAR on the owner; *timeout_pending is consumed by the first remote call. */
static int model_clear(int cpu, int v, bool *timeout_pending)
{
    int owner = m.owner[v];
    if (owner < 0)
        return 0;
    if (owner != cpu && *timeout_pending) {
        *timeout_pending = false;
        return E_TIMEOUT;
    }
    m.vmclear[owner]++;
    model_detach(v);
    return 0;
}

static int model_release(int cpu, int v, bool *timeout_pending)
{
    if (v >= VMCS)
        return E_INVAL;
    if (!m.acquired[v])
        return E_STATE;
    int err = model_clear(cpu, v, timeout_pending);
    if (!err)
        m.acquired[v] = false;
    return err;
}

static int model_migrate(int cpu, int v, int to, bool *timeout_pending)
{
    if (v >= VMCS)
        return E_INVAL;
    if (!m.acquired[v])
        return E_STATE;
    if (m.owner[v] == to)
        return 0;
    int err = model_clear(cpu, v, timeout_pending);
    if (err)
        return err;
    if (to != cpu) {
        m.current[to] = -1;
        if (*timeout_pending) {
            *timeout_pending = false;
            return E_TIMEOUT;
        }
    }
    m.vmptrld[to]++;
    if (m.bad_revision[v])
        return E_VMX;
    m.owner[v] = to;
    if (to == cpu)
        m.current[to] = v;
    return 0;
}

static void check(int step)
{
    char why[200];
    if (vmcs_pool_check_invariants(&pool, why, sizeof why))
        fail(why, step);
    if (fake.violations)
        fail(fake.last_violation, step);
    for (int v = 0; v < VMCS; v++) {
        int owner;
        if (vmcs_pool_state(&pool, v, &owner) != model_state(v) || owner != m.owner[v])
            fail("VMCS state differs from the model", step);
        if (fake_vmx_active_on(&fake, PHYS(v)) != m.owner[v])
            fail("VMCS owner differs from the fake processor", step);
    }
    for (int cpu = 0; cpu < CPUS; cpu++) {
        if (vmcs_pool_current(&pool, cpu) != m.current[cpu])
            fail("current VMCS differs from the model", step);
        if (m.current[cpu] >= 0 && fake.current[cpu] != PHYS(m.current[cpu]))
            fail("current VMCS differs from the fake processor", step);
        const struct vmcs_cpu_counters *c = &pool.cpus[cpu].counters;
        if (c->vmclear != m.vmclear[cpu] || c->vmptrld != m.vmptrld[cpu] ||
            c->vmptrld_skipped != m.skipped[cpu])
            fail("instruction counts differ from the model", step);
    }
}

static void setup(void)
{
    fake_vmx_init(&fake, CPUS, REVISION);
    struct vmcs_ops ops = fake_vmx_ops(&fake);
    vmcs_pool_prepare(&pool, &ops, CPUS, 39);
    fake.pool_lock = &pool.lock;
    uint64_t phys[VMCS];
    for (int cpu = 0; cpu < CPUS; cpu++)
        if (vmcs_pool_set_vmxon_region(&pool, cpu, fake.vmxon[cpu]) != 0)
            abort(); /* the harness's own setup: every region is valid */
    for (int v = 0; v < VMCS; v++) {
        phys[v] = PHYS(v);
        fake_vmx_add_region(&fake, phys[v], REVISION);
    }
    if (vmcs_pool_init(&pool, phys, VMCS))
        fail("init", -1);
    memset(&m, 0, sizeof m);
    for (int v = 0; v < VMCS; v++)
        m.owner[v] = -1;
    for (int cpu = 0; cpu < CPUS; cpu++)
        m.current[cpu] = -1;
    m.vmclear[0] = VMCS;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    for (size_t i = 0; i + 3 <= size && i < (size_t)3 * 400; i += 3) {
        int step = (int)(i / 3);
        uint8_t op = data[i], a = data[i + 1], b = data[i + 2];
        int cpu = a % CPUS, to = (a >> 2) % CPUS, v = b % (VMCS + 1);
        bool timeout = (a & 0x80) != 0; /* the next run_on_cpu of this step times out */
        fake.this_cpu = cpu;
        fake.fail_next_run_on_cpu = timeout ? E_TIMEOUT : 0;
        int got = 0, want = 0;
        switch (op % 7) {
        case 0: {
            int index = -1;
            got = vmcs_pool_acquire(&pool, &index);
            want = E_NOMEM;
            for (int f = 0; f < VMCS; f++) {
                if (!m.acquired[f]) {
                    want = 0;
                    m.acquired[f] = true;
                    if (index != f)
                        fail("acquire handed out another VMCS than the first free one", step);
                    break;
                }
            }
            break;
        }
        case 1:
        case 2:
            got = vmcs_pool_load(&pool, v);
            want = model_load(cpu, v);
            break;
        case 3:
            got = vmcs_pool_release(&pool, v);
            want = model_release(cpu, v, &timeout);
            break;
        case 4:
            got = vmcs_pool_migrate(&pool, v, to);
            want = model_migrate(cpu, v, to, &timeout);
            break;
        case 5:
            got = vmcs_pool_mark_launched(&pool, v);
            want = v >= VMCS                                    ? E_INVAL
                   : !m.acquired[v]                             ? E_STATE
                   : (m.owner[v] == cpu && m.current[cpu] == v) ? 0
                                                                : E_STATE;
            if (!want)
                m.launched[v] = true;
            break;
        case 6:
            if (b & 1) {
                got = vmcs_pool_clear_all_on_this_cpu(&pool);
                for (int f = 0; f < VMCS; f++) {
                    if (m.owner[f] == cpu) {
                        m.vmclear[cpu]++;
                        model_detach(f);
                    }
                }
            } else if (v < VMCS) {
                /* Corrupt or repair a region's revision id in memory. */
                m.bad_revision[v] = !m.bad_revision[v];
                fake_vmx_region(&fake, PHYS(v))->revision_in_memory = m.bad_revision[v] ? 0x4 : REVISION;
            }
            break;
        }
        if (got != want) {
            char what[96];
            snprintf(what, sizeof what, "op %d cpu %d vmcs %d to %d: got %d, model says %d", op % 7, cpu, v,
                     to, got, want);
            fail(what, step);
        }
        check(step);
    }
    return 0;
}
