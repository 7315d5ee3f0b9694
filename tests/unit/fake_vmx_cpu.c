/* See fake_vmx_cpu.h. */
#include <stdio.h>
#include <string.h>
#include "tests/unit/fake_vmx_cpu.h"
#include "arch/x86/vmx/vmx_error.h"

static void violation(struct fake_vmx_cpu *fake, const char *what, uint64_t phys)
{
    fake->violations++;
    snprintf(fake->last_violation, sizeof fake->last_violation, "cpu%d: %s (0x%llx)", fake->this_cpu, what,
             (unsigned long long)phys);
}

void fake_vmx_init(struct fake_vmx_cpu *fake, int cpu_count, uint32_t revision_id)
{
    memset(fake, 0, sizeof *fake);
    fake->cpu_count = cpu_count;
    fake->revision_id = revision_id;
    fake->phys_width_bits = 39;
    fake->misroute_next_run_on_cpu = -1;
    for (int cpu = 0; cpu < FAKE_MAX_CPUS; cpu++) {
        fake->in_vmx[cpu] = cpu < cpu_count;
        fake->vmxon[cpu] = 0x100000 + (uint64_t)cpu * 0x1000;
        fake->current[cpu] = FAKE_NO_VMCS;
    }
}

int fake_vmx_add_region(struct fake_vmx_cpu *fake, uint64_t phys, uint32_t revision_in_memory)
{
    struct fake_region *r = &fake->regions[fake->region_count];
    r->phys = phys;
    r->revision_in_memory = revision_in_memory;
    r->active_on = -1;
    r->launched = true; /* a fresh region's launch state is undefined until VMCLEAR */
    return fake->region_count++;
}

struct fake_region *fake_vmx_region(struct fake_vmx_cpu *fake, uint64_t phys)
{
    for (int i = 0; i < fake->region_count; i++)
        if (fake->regions[i].phys == phys)
            return &fake->regions[i];
    return NULL;
}

int fake_vmx_active_on(struct fake_vmx_cpu *fake, uint64_t phys)
{
    struct fake_region *r = fake_vmx_region(fake, phys);
    return r ? r->active_on : -1;
}

/* SDM "Conventions": VMfailValid needs a current VMCS to hold the number. */
static struct vmx_outcome vmfail(struct fake_vmx_cpu *fake, uint32_t number)
{
    return fake->current[fake->this_cpu] != FAKE_NO_VMCS ? vmx_outcome_fail_valid(number)
                                                         : vmx_outcome_fail_invalid();
}

static bool bad_address(struct fake_vmx_cpu *fake, uint64_t phys)
{
    return (phys & 0xfff) != 0 || (phys >> fake->phys_width_bits) != 0;
}

static struct vmx_outcome fake_vmclear(void *ctx, uint64_t phys)
{
    struct fake_vmx_cpu *fake = ctx;
    int cpu = fake->this_cpu;
    if (!fake->in_vmx[cpu]) {
        violation(fake, "VMCLEAR outside VMX operation (#UD)", phys);
        return vmx_outcome_fail_invalid();
    }
    if (bad_address(fake, phys))
        return vmfail(fake, VMX_ERROR_VMCLEAR_INVALID_ADDRESS);
    if (phys == fake->vmxon[cpu])
        return vmfail(fake, VMX_ERROR_VMCLEAR_VMXON_POINTER);
    struct fake_region *r = fake_vmx_region(fake, phys);
    if (r) {
        if (r->active_on >= 0 && r->active_on != cpu)
            violation(fake, "VMCLEAR of a VMCS active on another CPU", phys);
        r->active_on = -1;
        r->launched = false;
    }
    if (fake->current[cpu] == phys)
        fake->current[cpu] = FAKE_NO_VMCS;
    return vmx_outcome_succeed();
}

static struct vmx_outcome fake_vmptrld(void *ctx, uint64_t phys)
{
    struct fake_vmx_cpu *fake = ctx;
    int cpu = fake->this_cpu;
    if (!fake->in_vmx[cpu]) {
        violation(fake, "VMPTRLD outside VMX operation (#UD)", phys);
        return vmx_outcome_fail_invalid();
    }
    if (bad_address(fake, phys))
        return vmfail(fake, VMX_ERROR_VMPTRLD_INVALID_ADDRESS);
    if (phys == fake->vmxon[cpu])
        return vmfail(fake, VMX_ERROR_VMPTRLD_VMXON_POINTER);
    struct fake_region *r = fake_vmx_region(fake, phys);
    if (!r || r->revision_in_memory != fake->revision_id)
        return vmfail(fake, VMX_ERROR_VMPTRLD_BAD_REVISION);
    if (r->active_on >= 0 && r->active_on != cpu)
        violation(fake, "VMPTRLD of a VMCS active on another CPU: active on two CPUs", phys);
    r->active_on = cpu;
    fake->current[cpu] = phys;
    return vmx_outcome_succeed();
}

static int fake_run_on_cpu(void *ctx, int cpu, void (*fn)(void *arg), void *arg)
{
    struct fake_vmx_cpu *fake = ctx;
    fake->run_on_cpu_calls++;
    if (fake->pool_lock && __atomic_load_n(&fake->pool_lock->next_ticket, __ATOMIC_RELAXED) !=
                               __atomic_load_n(&fake->pool_lock->now_serving, __ATOMIC_RELAXED))
        violation(fake, "run_on_cpu with the pool lock held", 0);
    if (fake->fail_next_run_on_cpu) {
        int err = fake->fail_next_run_on_cpu;
        fake->fail_next_run_on_cpu = 0;
        return err;
    }
    if (cpu < 0 || cpu >= fake->cpu_count)
        return -1; /* E_INVAL: no such CPU online */
    int saved = fake->this_cpu;
    fake->this_cpu = cpu;
    if (fake->misroute_next_run_on_cpu >= 0) {
        fake->this_cpu = fake->misroute_next_run_on_cpu;
        fake->misroute_next_run_on_cpu = -1;
    }
    fn(arg);
    fake->this_cpu = saved;
    return 0;
}

static int fake_this_cpu(void *ctx) { return ((struct fake_vmx_cpu *)ctx)->this_cpu; }

struct vmcs_ops fake_vmx_ops(struct fake_vmx_cpu *fake)
{
    return (struct vmcs_ops){ fake_vmclear, fake_vmptrld, fake_run_on_cpu, fake_this_cpu, fake };
}
