// host-sources: arch/x86/vmx/vmcs_pool.c arch/x86/vmx/vmcs_guard.c arch/x86/vmx/vmcs_pool_query.c arch/x86/vmx/vmx_error.c tests/unit/fake_vmx_cpu.c core/lib/format.c core/lib/error.c
/*
 * The VMCS pool over a fake processor (tests/unit/fake_vmx_cpu.c): every
 * legal transition, every refusal leaving the pool byte-for-byte unchanged,
 * the instruction counts the design promises, failures counted by
 * VM-instruction error number, and after each test the pool's records agree
 * with the fake processor's truth.
 */
#include <stddef.h>
#include "arch/x86/vmx/vmcs_pool.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/fake_vmx_cpu.h"

#define REVISION 0x2b
#define VMCS_PHYS(i) (0x200000ull + (uint64_t)(i)*0x1000)

static struct fake_vmx_cpu fake;
static struct vmcs_pool pool, before;

static void setup(int cpus, int vmcs_count)
{
    fake_vmx_init(&fake, cpus, REVISION);
    struct vmcs_ops ops = fake_vmx_ops(&fake);
    vmcs_pool_prepare(&pool, &ops, cpus, 39);
    fake.pool_lock = &pool.lock;
    for (int cpu = 0; cpu < cpus; cpu++)
        CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, cpu, fake.vmxon[cpu]), 0);
    uint64_t phys[FAKE_MAX_REGIONS];
    for (int i = 0; i < vmcs_count; i++) {
        phys[i] = VMCS_PHYS(i);
        fake_vmx_add_region(&fake, phys[i], REVISION);
    }
    CHECK_EQ(vmcs_pool_init(&pool, phys, vmcs_count), 0);
    log_capture_reset();
}

static void on_cpu(int cpu) { fake.this_cpu = cpu; }

static int acquire(void)
{
    int vmcs = -1;
    CHECK_EQ(vmcs_pool_acquire(&pool, &vmcs), 0);
    return vmcs;
}

static enum vmcs_state state_of(int vmcs, int *owner) { return vmcs_pool_state(&pool, vmcs, owner); }

static const struct vmcs_cpu_counters *counters(int cpu) { return &pool.cpus[cpu].counters; }

/* The pool without its lock word (taking and dropping the lock moves the tickets). */
static void remember(void) { before = pool; }
static bool unchanged(void)
{
    size_t skip = offsetof(struct vmcs_pool, ops);
    return memcmp((char *)&before + skip, (char *)&pool + skip, sizeof pool - skip) == 0;
}

/* Records against the fake processor's truth, and the fake's rule-break log. */
static void check_consistent(void)
{
    char why[200];
    CHECK_EQ(vmcs_pool_check_invariants(&pool, why, sizeof why), 0);
    if (why[0])
        printf("  invariant: %s\n", why);
    CHECK_EQ(fake.violations, 0);
    if (fake.violations)
        printf("  violation: %s\n", fake.last_violation);
    for (int vmcs = 0; vmcs < pool.vmcs_count; vmcs++) {
        int owner;
        enum vmcs_state state = state_of(vmcs, &owner);
        if (state != VMCS_STATE_MIGRATING && state != VMCS_STATE_RELEASING)
            CHECK_EQ(owner, fake_vmx_active_on(&fake, VMCS_PHYS(vmcs)));
    }
    for (int cpu = 0; cpu < pool.cpu_count; cpu++) {
        int current = vmcs_pool_current(&pool, cpu);
        if (current != VMCS_NONE)
            CHECK_EQ(fake.current[cpu], VMCS_PHYS(current));
    }
}

TEST(pool_init_vmclears_every_region_on_the_calling_cpu)
{
    setup(4, 8);
    CHECK_EQ(counters(0)->vmclear, 8);
    CHECK_EQ(counters(1)->vmclear, 0);
    struct vmcs_pool_snapshot snap;
    vmcs_pool_snapshot(&pool, &snap);
    CHECK_EQ(snap.vmcs_count, 8);
    CHECK_EQ(snap.by_state[VMCS_STATE_FREE], 8);
    for (int i = 0; i < 8; i++)
        CHECK(!fake.regions[i].launched); /* launch state clear after the init VMCLEAR */
    CHECK_EQ(vmcs_pool_phys(&pool, 3), VMCS_PHYS(3));
    CHECK_EQ(vmcs_pool_phys(&pool, 8), 0);
    check_consistent();
}

TEST(pool_init_refusals_leave_it_empty)
{
    fake_vmx_init(&fake, 2, REVISION);
    struct vmcs_ops ops = fake_vmx_ops(&fake);
    vmcs_pool_prepare(&pool, &ops, 2, 39);
    uint64_t phys[3] = { VMCS_PHYS(0), VMCS_PHYS(1), VMCS_PHYS(2) };
    CHECK_EQ(vmcs_pool_init(&pool, phys, 3), E_STATE); /* cpu0 not registered as in VMX operation */
    CHECK(log_contains("cpu0 is not in VMX operation"));
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 0, fake.vmxon[0]), 0);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, fake.vmxon[1]), 0);

    phys[1] = VMCS_PHYS(1) + 8;
    CHECK_EQ(vmcs_pool_init(&pool, phys, 3), E_FAULT);
    CHECK(log_contains(
        "not 4 KiB aligned (SDM: VMCLEAR with invalid physical address is VM-instruction error 2)"));
    phys[1] = phys[0];
    CHECK_EQ(vmcs_pool_init(&pool, phys, 3), E_FAULT);
    CHECK(log_contains("region 1 (0x200000) is also region 0"));
    phys[1] = fake.vmxon[1];
    CHECK_EQ(vmcs_pool_init(&pool, phys, 3), E_FAULT);
    CHECK(log_contains("refusing VMCLEAR of 0x101000: it is cpu1's VMXON region (SDM: VMCLEAR with VMXON "
                       "pointer is VM-instruction error 3)"));
    phys[1] = 1ull << 40;
    CHECK_EQ(vmcs_pool_init(&pool, phys, 3), E_FAULT);
    CHECK(log_contains("beyond the physical-address width"));
    CHECK_EQ(vmcs_pool_init(&pool, phys, VMCS_POOL_MAX_VMCS + 1), E_INVAL);
    CHECK_EQ(pool.vmcs_count, 0);
    CHECK_EQ(counters(0)->vmclear, 0);
    int vmcs;
    CHECK_EQ(vmcs_pool_acquire(&pool, &vmcs), E_NOMEM);
}

TEST(pool_init_vmclear_failure_is_counted_and_leaves_it_empty)
{
    /* The pool was told another VMXON address than the CPU really used: the VMCLEAR itself fails. */
    fake_vmx_init(&fake, 1, REVISION);
    struct vmcs_ops ops = fake_vmx_ops(&fake);
    vmcs_pool_prepare(&pool, &ops, 1, 39);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 0, 0x7000), 0);
    uint64_t phys[2] = { VMCS_PHYS(0), fake.vmxon[0] };
    CHECK_EQ(vmcs_pool_init(&pool, phys, 2), E_VMX);
    CHECK(log_contains("VMCLEAR of VMCS 1 (0x100000) failed: VMfailInvalid; the pool stays empty"));
    CHECK_EQ(counters(0)->fail_invalid, 1); /* no current VMCS, so no error number */
    CHECK_EQ(pool.vmcs_count, 0);
    CHECK_EQ(vmcs_pool_init(&pool, phys, 1), 0); /* nothing half-made: init works afterwards */
}

TEST(pool_acquire_until_empty)
{
    setup(2, 4);
    for (int i = 0; i < 4; i++) {
        int vmcs = acquire();
        CHECK_EQ(state_of(vmcs, NULL), VMCS_STATE_CLEAR);
    }
    remember();
    int vmcs = 99;
    CHECK_EQ(vmcs_pool_acquire(&pool, &vmcs), E_NOMEM);
    CHECK_EQ(vmcs, 99);
    CHECK(log_contains("VMCS pool empty (4 of 4 in use)"));
    CHECK(unchanged());
    CHECK_EQ(counters(0)->vmclear, 4); /* acquiring costs no instruction */
    check_consistent();
}

TEST(pool_load_makes_current_and_skips_when_already_current)
{
    setup(2, 4);
    int a = acquire();
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_CURRENT);
    CHECK_EQ(fake.current[0], VMCS_PHYS(a));
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(counters(0)->vmptrld, 1);
    CHECK_EQ(counters(0)->vmptrld_skipped, 1);
    check_consistent();
}

TEST(pool_switching_between_two_vmcs_costs_vmptrlds_and_no_vmclear)
{
    setup(2, 4);
    int a = acquire(), b = acquire();
    uint32_t vmclear_before = counters(0)->vmclear;
    for (int round = 0; round < 3; round++) {
        CHECK_EQ(vmcs_pool_load(&pool, a), 0);
        CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_CURRENT);
        CHECK_EQ(vmcs_pool_load(&pool, b), 0);
        CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_NOT_CURRENT);
        CHECK_EQ(state_of(b, NULL), VMCS_STATE_ACTIVE_CURRENT);
    }
    CHECK_EQ(counters(0)->vmptrld, 6);
    CHECK_EQ(counters(0)->vmclear, vmclear_before);
    struct vmcs_pool_cpu_snapshot snap;
    vmcs_pool_cpu_snapshot(&pool, 0, &snap);
    CHECK_EQ(snap.active_current, 1);
    CHECK_EQ(snap.active_not_current, 1);
    CHECK_EQ(snap.current, b);
    CHECK(snap.in_vmx_operation);
    CHECK_EQ(snap.counters.vmptrld, 6);
    check_consistent();
}

TEST(pool_load_refused_when_active_on_another_cpu)
{
    setup(3, 4);
    int a = acquire();
    on_cpu(2);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(0);
    remember();
    CHECK_EQ(vmcs_pool_load(&pool, a), E_BUSY);
    CHECK(log_contains("refusing to load VMCS 0 (0x200000): active on cpu2: migrate it first"));
    CHECK(unchanged());
    check_consistent();
}

TEST(pool_refusals_of_bad_index_free_vmcs_and_cpu_outside_vmx)
{
    setup(2, 4);
    remember();
    CHECK_EQ(vmcs_pool_load(&pool, 7), E_INVAL);
    CHECK(log_contains("refusing to load VMCS 7: no such VMCS (the pool has 4)"));
    CHECK_EQ(vmcs_pool_load(&pool, -1), E_INVAL);
    CHECK_EQ(vmcs_pool_load(&pool, 1), E_STATE);
    CHECK(log_contains("refusing to load VMCS 1 (0x201000): it is free; acquire it first"));
    CHECK_EQ(vmcs_pool_release(&pool, 1), E_STATE);
    CHECK_EQ(vmcs_pool_migrate(&pool, 1, 1), E_STATE);
    CHECK_EQ(vmcs_pool_mark_launched(&pool, 1), E_STATE);
    CHECK(unchanged());
    int a = acquire();
    CHECK_EQ(vmcs_pool_forget_vmxon_region(&pool, 1), 0);
    fake.in_vmx[1] = false;
    remember();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), E_STATE);
    CHECK(log_contains("cpu1 is not in VMX operation"));
    on_cpu(0);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 1), E_STATE);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 9), E_INVAL);
    CHECK(unchanged());
    check_consistent();
}

TEST(pool_migrate_to_this_cpu_costs_one_vmclear_on_the_old_cpu)
{
    setup(3, 4);
    int a = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(2);
    uint32_t clears[3] = { counters(0)->vmclear, counters(1)->vmclear, counters(2)->vmclear };
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 2), 0);
    CHECK_EQ(counters(1)->vmclear, clears[1] + 1);
    CHECK_EQ(counters(0)->vmclear, clears[0]);
    CHECK_EQ(counters(2)->vmclear, clears[2]);
    CHECK_EQ(counters(2)->vmptrld, 1);
    int owner;
    CHECK_EQ(state_of(a, &owner), VMCS_STATE_ACTIVE_CURRENT);
    CHECK_EQ(owner, 2);
    CHECK_EQ(fake_vmx_active_on(&fake, VMCS_PHYS(a)), 2);
    CHECK_EQ(fake.current[1], FAKE_NO_VMCS); /* VMCLEAR of the current VMCS left none there */
    CHECK_EQ(vmcs_pool_current(&pool, 1), VMCS_NONE);
    CHECK_EQ(fake.run_on_cpu_calls, 1);
    check_consistent();
}

TEST(pool_migrate_to_another_cpu_leaves_it_not_current_there)
{
    setup(3, 4);
    int a = acquire(), z = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, z), 0);
    on_cpu(0);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 1), 0);
    CHECK_EQ(counters(0)->vmclear, 4 + 1); /* init + the migration */
    CHECK_EQ(counters(1)->vmptrld, 2);
    int owner;
    CHECK_EQ(state_of(a, &owner), VMCS_STATE_ACTIVE_NOT_CURRENT);
    CHECK_EQ(owner, 1);
    CHECK_EQ(state_of(z, NULL), VMCS_STATE_ACTIVE_NOT_CURRENT);
    CHECK_EQ(vmcs_pool_current(&pool, 1), VMCS_NONE);
    CHECK_EQ(fake.current[1], VMCS_PHYS(a));
    /* cpu1's next load of its old VMCS is a real VMPTRLD, not skipped: the hardware has a current now. */
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, z), 0);
    CHECK_EQ(counters(1)->vmptrld, 3);
    CHECK_EQ(counters(1)->vmptrld_skipped, 0);
    CHECK_EQ(fake.current[1], VMCS_PHYS(z));
    check_consistent();
}

TEST(pool_migrate_between_two_other_cpus)
{
    setup(4, 4);
    int a = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(3);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 2), 0);
    CHECK_EQ(fake.run_on_cpu_calls, 2);
    CHECK_EQ(counters(1)->vmclear, 1);
    CHECK_EQ(counters(2)->vmptrld, 1);
    CHECK_EQ(counters(3)->vmclear + counters(3)->vmptrld, 0);
    CHECK_EQ(fake_vmx_active_on(&fake, VMCS_PHYS(a)), 2);
    check_consistent();
}

TEST(pool_migrate_of_clear_vmcs_needs_no_vmclear_and_same_cpu_is_a_no_op)
{
    setup(2, 4);
    int a = acquire();
    uint32_t clears = counters(0)->vmclear;
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 0), 0);
    CHECK_EQ(counters(0)->vmclear, clears);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_CURRENT);
    remember();
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 0), 0);
    CHECK(unchanged());
    check_consistent();
}

TEST(pool_release_local_remote_and_clear)
{
    setup(3, 4);
    int a = acquire(), b = acquire(), c = acquire();
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(2);
    CHECK_EQ(vmcs_pool_load(&pool, b), 0);
    on_cpu(0);
    CHECK_EQ(vmcs_pool_release(&pool, a), 0); /* local */
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_FREE);
    CHECK_EQ(fake.current[0], FAKE_NO_VMCS);
    CHECK_EQ(vmcs_pool_release(&pool, b), 0); /* VMCLEAR on cpu2 by run_on_cpu */
    CHECK_EQ(counters(2)->vmclear, 1);
    CHECK_EQ(fake.run_on_cpu_calls, 1);
    CHECK_EQ(state_of(b, NULL), VMCS_STATE_FREE);
    uint32_t clears = counters(0)->vmclear;
    CHECK_EQ(vmcs_pool_release(&pool, c), 0); /* clear already: no instruction */
    CHECK_EQ(counters(0)->vmclear, clears);
    remember();
    CHECK_EQ(vmcs_pool_release(&pool, c), E_STATE);
    CHECK(unchanged());
    struct vmcs_pool_snapshot snap;
    vmcs_pool_snapshot(&pool, &snap);
    CHECK_EQ(snap.by_state[VMCS_STATE_FREE], 4);
    check_consistent();
}

TEST(pool_run_on_cpu_failure_or_misroute_changes_nothing)
{
    setup(3, 4);
    int a = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(0);
    remember();
    fake.fail_next_run_on_cpu = E_TIMEOUT;
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 0), E_TIMEOUT);
    CHECK(log_contains("could not run VMCLEAR of VMCS 0 (0x200000) on cpu1: E_TIMEOUT"));
    fake.fail_next_run_on_cpu = E_TIMEOUT;
    CHECK_EQ(vmcs_pool_release(&pool, a), E_TIMEOUT);
    before.slots[a].remote = pool.slots[a].remote; /* the call's scratch record, not state */
    CHECK(unchanged());
    fake.misroute_next_run_on_cpu = 2;
    CHECK_EQ(vmcs_pool_release(&pool, a), E_FAULT);
    CHECK(log_contains("meant for cpu1 ran on cpu2: the cross-CPU call is broken"));
    /* The misrouted VMCLEAR did run on cpu2 in the fake (a broken IPI layer); records still say cpu1. */
    int owner;
    CHECK_EQ(state_of(a, &owner), VMCS_STATE_ACTIVE_CURRENT);
    CHECK_EQ(owner, 1);
    CHECK_EQ(vmcs_pool_check_invariants(&pool, (char[200]){ 0 }, 200), 0);
}

TEST(pool_vmptrld_wrong_revision_counts_error_11_and_changes_nothing)
{
    setup(2, 4);
    int a = acquire(), b = acquire();
    fake_vmx_region(&fake, VMCS_PHYS(b))->revision_in_memory = 0x4;
    /* No current VMCS yet: the processor can only say VMfailInvalid. */
    remember();
    CHECK_EQ(vmcs_pool_load(&pool, b), E_VMX);
    CHECK(log_contains("VMPTRLD of VMCS 1 (0x201000) failed: VMfailInvalid"));
    CHECK_EQ(counters(0)->fail_invalid, 1);
    CHECK_EQ(state_of(b, NULL), VMCS_STATE_CLEAR);
    /* With a current VMCS the number arrives. */
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_load(&pool, b), E_VMX);
    CHECK(log_contains("VMPTRLD of VMCS 1 (0x201000) failed: VMfailValid error 11 (VMPTRLD with incorrect "
                       "VMCS revision identifier)"));
    CHECK_EQ(counters(0)->failures_by_error[11], 1);
    CHECK_EQ(state_of(b, NULL), VMCS_STATE_CLEAR);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_CURRENT);
    CHECK_EQ(counters(0)->vmptrld, 3);
    check_consistent();
}

TEST(pool_vmptrld_of_a_vmxon_region_counts_error_10)
{
    /* A VMCS page that is also cpu1's VMXON region, which the pool was not told about. */
    fake_vmx_init(&fake, 2, REVISION);
    struct vmcs_ops ops = fake_vmx_ops(&fake);
    vmcs_pool_prepare(&pool, &ops, 2, 39);
    fake.pool_lock = &pool.lock;
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 0, fake.vmxon[0]), 0);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, 0x7000), 0);
    uint64_t phys[2] = { VMCS_PHYS(0), fake.vmxon[1] };
    fake_vmx_add_region(&fake, phys[0], REVISION);
    fake_vmx_add_region(&fake, phys[1], REVISION);
    CHECK_EQ(vmcs_pool_init(&pool, phys, 2), 0); /* cpu0 checks only its own VMXON pointer */
    int a = acquire(), x = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(0);
    CHECK_EQ(vmcs_pool_migrate(&pool, x, 1), E_VMX);
    CHECK(log_contains(
        "cpu1: VMPTRLD of VMCS 1 (0x101000) failed: VMfailValid error 10 (VMPTRLD with VMXON pointer)"));
    CHECK_EQ(counters(1)->failures_by_error[10], 1);
    CHECK_EQ(state_of(x, NULL), VMCS_STATE_CLEAR);
    CHECK_EQ(vmcs_pool_current(&pool, 1), VMCS_NONE);
    check_consistent();
}

TEST(pool_vmclear_of_a_vmxon_region_counts_error_3)
{
    setup(2, 4);
    int a = acquire(), b = acquire();
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_load(&pool, b), 0);
    fake.vmxon[0] = VMCS_PHYS(a); /* the processor's VMXON pointer now is a's page */
    remember();
    CHECK_EQ(vmcs_pool_release(&pool, a), E_VMX);
    CHECK(log_contains(
        "VMCLEAR of VMCS 0 (0x200000) failed: VMfailValid error 3 (VMCLEAR with VMXON pointer)"));
    CHECK_EQ(counters(0)->failures_by_error[3], 1);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_NOT_CURRENT);
    before.cpus[0].counters = pool.cpus[0].counters;
    CHECK(unchanged());
}

TEST(pool_guard_names_the_rule)
{
    setup(3, 2);
    CHECK_EQ(vmcs_guard_check(&pool, VMCS_PHYS(0), "VMPTRLD"), 0);
    CHECK_EQ(vmcs_guard_check(&pool, fake.vmxon[2], "VMPTRLD"), E_FAULT);
    CHECK(log_contains("refusing VMPTRLD of 0x102000: it is cpu2's VMXON region (SDM: VMPTRLD with VMXON "
                       "pointer is VM-instruction error 10)"));
    CHECK_EQ(vmcs_guard_check(&pool, fake.vmxon[0], "VMCLEAR"), E_FAULT);
    CHECK(log_contains("refusing VMCLEAR of 0x100000: it is cpu0's VMXON region (SDM: VMCLEAR with VMXON "
                       "pointer is VM-instruction error 3)"));
    CHECK_EQ(vmcs_guard_check(&pool, 0x1234, "VMPTRLD"), E_FAULT);
    CHECK(log_contains("refusing VMPTRLD of 0x1234: not 4 KiB aligned (SDM: VMPTRLD with invalid physical "
                       "address is VM-instruction error 9)"));
    CHECK_EQ(vmcs_guard_check(&pool, 1ull << 39, "VMPTRLD"), E_FAULT);
    CHECK(log_contains("beyond the physical-address width"));
    CHECK_EQ(vmcs_guard_check(&pool, (1ull << 39) - 0x1000, "VMPTRLD"), 0);
    CHECK_EQ(vmcs_guard_check(&pool, fake.vmxon[1], "VMXON"), E_FAULT);
    CHECK(log_contains("refusing VMXON of 0x101000: it is cpu1's VMXON region (SDM: a VMCS pointer must be"));
}

TEST(pool_vmxon_region_registration_refusals)
{
    setup(3, 2);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, VMCS_PHYS(1)), E_FAULT);
    CHECK(log_contains("refusing cpu1's VMXON region 0x201000: it is VMCS 1 of the pool"));
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, fake.vmxon[2]), E_FAULT);
    CHECK(log_contains("it is cpu2's VMXON region too"));
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, 0x1001), E_FAULT);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 5, 0x9000), E_INVAL);
    CHECK_EQ(vmcs_pool_set_vmxon_region(&pool, 1, fake.vmxon[1]), 0); /* the same one again is fine */
    int a = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_forget_vmxon_region(&pool, 1), E_BUSY);
    CHECK(log_contains("cpu1: 1 VMCS still active there"));
    CHECK_EQ(vmcs_pool_clear_all_on_this_cpu(&pool), 0);
    CHECK_EQ(vmcs_pool_forget_vmxon_region(&pool, 1), 0);
    check_consistent();
}

TEST(pool_clear_all_on_this_cpu)
{
    setup(2, 6);
    int v[4];
    for (int i = 0; i < 4; i++)
        v[i] = acquire();
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, v[0]), 0);
    CHECK_EQ(vmcs_pool_load(&pool, v[1]), 0);
    CHECK_EQ(vmcs_pool_load(&pool, v[2]), 0);
    on_cpu(0);
    CHECK_EQ(vmcs_pool_load(&pool, v[3]), 0);
    on_cpu(1);
    CHECK_EQ(vmcs_pool_clear_all_on_this_cpu(&pool), 0);
    CHECK_EQ(counters(1)->vmclear, 3);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(state_of(v[i], NULL), VMCS_STATE_CLEAR);
        CHECK_EQ(fake_vmx_active_on(&fake, VMCS_PHYS(v[i])), -1);
    }
    CHECK_EQ(state_of(v[3], NULL), VMCS_STATE_ACTIVE_CURRENT);
    CHECK_EQ(fake.current[1], FAKE_NO_VMCS);
    CHECK_EQ(vmcs_pool_clear_all_on_this_cpu(&pool), 0); /* nothing left: no instruction */
    CHECK_EQ(counters(1)->vmclear, 3);
    check_consistent();
}

TEST(pool_panic_clear_touches_hardware_not_records)
{
    setup(2, 4);
    int a = acquire(), b = acquire();
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_load(&pool, b), 0);
    pool.lock.next_ticket++; /* as if another CPU died holding the lock */
    remember();
    vmcs_pool_panic_clear_this_cpu(&pool);
    CHECK(unchanged());
    CHECK_EQ(fake_vmx_active_on(&fake, VMCS_PHYS(a)), -1);
    CHECK_EQ(fake_vmx_active_on(&fake, VMCS_PHYS(b)), -1);
    CHECK_EQ(fake.current[0], FAKE_NO_VMCS);
}

TEST(pool_mark_launched_and_migration_clears_the_launch_state)
{
    setup(2, 4);
    int a = acquire(), b = acquire();
    remember();
    CHECK_EQ(vmcs_pool_mark_launched(&pool, a), E_STATE); /* clear: not current anywhere */
    CHECK(log_contains("refusing to mark VMCS 0 (0x200000) launched: it is not current on this CPU (clear)"));
    CHECK(unchanged());
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    CHECK_EQ(vmcs_pool_mark_launched(&pool, a), 0);
    fake_vmx_region(&fake, VMCS_PHYS(a))->launched = true; /* what VMLAUNCH would do */
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_LAUNCHED);
    CHECK_EQ(vmcs_pool_load(&pool, b), 0);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_LAUNCHED); /* launched, not current */
    CHECK_EQ(vmcs_pool_load(&pool, a), 0);
    on_cpu(1);
    CHECK_EQ(vmcs_pool_load(&pool, a), E_BUSY);
    CHECK_EQ(vmcs_pool_mark_launched(&pool, a), E_STATE);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 1), 0);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_ACTIVE_CURRENT); /* VMCLEAR made its launch state clear */
    CHECK(!fake_vmx_region(&fake, VMCS_PHYS(a))->launched);
    struct vmcs_pool_cpu_snapshot snap;
    vmcs_pool_cpu_snapshot(&pool, 1, &snap);
    CHECK_EQ(snap.active_current, 1);
    CHECK_EQ(snap.launched, 0);
    check_consistent();
}

TEST(pool_in_flight_vmcs_is_refused_by_every_operation)
{
    setup(2, 4);
    int a = acquire();
    pool.slots[a].in_flight = VMCS_STATE_MIGRATING; /* as seen by another CPU during a migration */
    remember();
    CHECK_EQ(vmcs_pool_load(&pool, a), E_BUSY);
    CHECK(log_contains("refusing to load VMCS 0 (0x200000): it is being migrated through another CPU"));
    CHECK_EQ(vmcs_pool_release(&pool, a), E_BUSY);
    CHECK_EQ(vmcs_pool_migrate(&pool, a, 1), E_BUSY);
    CHECK_EQ(vmcs_pool_mark_launched(&pool, a), E_BUSY);
    int other;
    CHECK_EQ(vmcs_pool_acquire(&pool, &other), 0);
    CHECK(other != a);
    CHECK_EQ(state_of(a, NULL), VMCS_STATE_MIGRATING);
    pool.slots[a].in_flight = VMCS_STATE_RELEASING;
    CHECK_EQ(vmcs_pool_load(&pool, a), E_BUSY);
    CHECK(log_contains("being released"));
}

TEST(pool_state_names)
{
    CHECK_STR(vmcs_state_name(VMCS_STATE_FREE), "free");
    CHECK_STR(vmcs_state_name(VMCS_STATE_ACTIVE_CURRENT), "active, current");
    CHECK_STR(vmcs_state_name(VMCS_STATE_LAUNCHED), "launched");
    CHECK_STR(vmcs_state_name(VMCS_STATE_COUNT), "no such VMCS");
    setup(1, 1);
    CHECK_EQ(vmcs_pool_state(&pool, 5, NULL), VMCS_STATE_COUNT);
}
