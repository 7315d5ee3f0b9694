#include "arch/x86/vmx/vmcs_selftest.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

#define TEST_GUEST_RIP 0xffffffff8123abcdull
#define TEST_GUEST_ES_SELECTOR 0x2b

struct remote_check {
    struct vmcs_pool *pool;
    int vmcs;
    int load_err;
    uint64_t guest_rip;
    uint16_t es_selector;
    bool read_ok;
};

static unsigned failures;

static void expect(bool ok, const char *what)
{
    if (!ok) {
        failures++;
        log_error("selftest: vmcs-lifecycle: %s", what);
    }
}

static struct vmcs_cpu_counters counters_of(struct vmcs_pool *pool, int cpu)
{
    struct vmcs_pool_cpu_snapshot snapshot;
    vmcs_pool_cpu_snapshot(pool, cpu, &snapshot);
    return snapshot.counters;
}

/* On the new CPU: make the migrated VMCS current and read back what the old CPU wrote. */
static void load_and_read(void *arg)
{
    struct remote_check *check = arg;
    check->load_err = vmcs_pool_load(check->pool, check->vmcs);
    if (check->load_err)
        return;
    struct vmx_outcome rip = vmcs_read_natural(VMCS_GUEST_RIP, &check->guest_rip);
    struct vmx_outcome es = vmcs_read16(VMCS_GUEST_ES_SELECTOR, &check->es_selector);
    check->read_ok = vmx_succeeded(rip) && vmx_succeeded(es);
}

static MUST_CHECK int other_cpu_in_vmx(void)
{
    for (uint32_t i = 1; i < cpu_count_found; i++)
        if (cpu_table[i] && cpu_table[i]->state == CPU_STATE_ONLINE && cpu_table[i]->in_vmx_root)
            return (int)i;
    return -1;
}

void vmcs_selftest_run(void)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    int other = other_cpu_in_vmx();
    if (!pool || pool->vmcs_count < 2 || !this_cpu()->in_vmx_root || other < 0) {
        log_info("selftest: vmcs-lifecycle needs two CPUs in VMX root and two VMCSs: result=SKIP");
        return;
    }
    int me = (int)this_cpu_index(), a = VMCS_NONE, b = VMCS_NONE;
    failures = 0;
    uint32_t free_before = vmcs_service_free();
    if (vmcs_pool_acquire(pool, &a) || vmcs_pool_acquire(pool, &b)) {
        log_error("selftest: vmcs-lifecycle could not acquire two VMCSs: result=FAIL");
        if (a != VMCS_NONE && vmcs_pool_release(pool, a) != 0)
            log_error("selftest: vmcs-lifecycle could not give VMCS %d back", a);
        return;
    }

    /* Switching between two VMCSs on one CPU: VMPTRLDs only. */
    struct vmcs_cpu_counters start = counters_of(pool, me);
    expect(vmcs_pool_load(pool, a) == 0 && vmcs_pool_load(pool, b) == 0, "load A then B");
    expect(vmcs_pool_load(pool, a) == 0 && vmcs_pool_load(pool, b) == 0, "switch back to A, then B");
    expect(vmcs_pool_load(pool, b) == 0, "load B again");
    struct vmcs_cpu_counters switched = counters_of(pool, me);
    uint32_t switch_vmptrld = switched.vmptrld - start.vmptrld,
             switch_vmclear = switched.vmclear - start.vmclear;
    uint32_t switch_skipped = switched.vmptrld_skipped - start.vmptrld_skipped;
    expect(switch_vmptrld == 4 && switch_vmclear == 0 && switch_skipped == 1,
           "four switches cost four VMPTRLDs, no VMCLEAR, and a reload of the current VMCS is skipped");

    /* Write fields on this CPU, move A to the other CPU, read them back there. */
    expect(vmcs_pool_load(pool, a) == 0, "load A to write it");
    expect(vmx_succeeded(vmcs_write_natural(VMCS_GUEST_RIP, TEST_GUEST_RIP)) &&
               vmx_succeeded(vmcs_write16(VMCS_GUEST_ES_SELECTOR, TEST_GUEST_ES_SELECTOR)),
           "VMWRITE guest RIP and ES selector");
    struct vmcs_cpu_counters before_old = counters_of(pool, me), before_new = counters_of(pool, other);
    expect(vmcs_pool_migrate(pool, a, other) == 0, "migrate A");
    struct vmcs_cpu_counters after_old = counters_of(pool, me), after_new = counters_of(pool, other);
    uint32_t migrate_vmclear_old = after_old.vmclear - before_old.vmclear;
    uint32_t migrate_vmclear_new = after_new.vmclear - before_new.vmclear;
    expect(migrate_vmclear_old == 1 && migrate_vmclear_new == 0,
           "a migration costs exactly one VMCLEAR, on the old CPU");
    expect(vmcs_pool_load(pool, a) == E_BUSY,
           "loading A here while it is active on the other CPU is refused");

    struct remote_check check = { .pool = pool, .vmcs = a };
    expect(ipi_call((uint32_t)other, load_and_read, &check) == 0 && check.load_err == 0,
           "load A on the other CPU");
    expect(check.read_ok && check.guest_rip == TEST_GUEST_RIP && check.es_selector == TEST_GUEST_ES_SELECTOR,
           "fields read back after the migration are the ones written");

    expect(vmcs_pool_release(pool, a) == 0 && vmcs_pool_release(pool, b) == 0, "release both (A by IPI)");
    expect(vmcs_service_free() == free_before, "every VMCS is back in the pool");
    log_info("selftest: vmcs-lifecycle cpus=%d,%d switch_vmptrld=%u switch_vmclear=%u switch_skipped=%u "
             "migrate_vmclear_old=%u migrate_vmclear_new=%u readback_rip=0x%lx result=%s",
             me, other, switch_vmptrld, switch_vmclear, switch_skipped, migrate_vmclear_old,
             migrate_vmclear_new, check.guest_rip, failures ? "FAIL" : "PASS");
}
