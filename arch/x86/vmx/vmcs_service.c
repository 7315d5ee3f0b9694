/*
 * The kernel's VMCS pool: vmcs_pool.c's state machine bound to the real
 * VMCLEAR/VMPTRLD (vmx_insn.h) and to ipi_call() for work that must run on
 * the CPU where a VMCS is active. The pool's bookkeeping (~90 KiB for 256
 * CPUs and 1024 VMCSs) comes from frames, not the kernel image.
 */
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "mm/frames.h"

static struct vmcs_pool *pool;

static MUST_CHECK struct vmx_outcome op_vmclear(void *ctx, uint64_t phys) { return vmx_vmclear(phys); }
static MUST_CHECK struct vmx_outcome op_vmptrld(void *ctx, uint64_t phys) { return vmx_vmptrld(phys); }
static MUST_CHECK int op_this_cpu(void *ctx) { return (int)this_cpu_index(); }
static MUST_CHECK int op_run_on_cpu(void *ctx, int cpu, void (*fn)(void *arg), void *arg)
{
    return ipi_call((uint32_t)cpu, fn, arg);
}

struct vmcs_pool *vmcs_service_pool(void) { return pool; }

void vmcs_service_prepare(uint32_t cpu_count)
{
    size_t frames = (sizeof *pool + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    uint64_t phys;
    /* Unzeroed: vmcs_pool_prepare zeroes the records itself (they were zeroed twice). */
    int err = frames_alloc(frames, FRAMES_UNZEROED, &phys);
    if (err) {
        log_error("vmx: no memory for the VMCS pool's records (%lu KiB)", (uint64_t)(sizeof *pool >> 10));
        return;
    }
    pool = (struct vmcs_pool *)(uintptr_t)phys;
    static const struct vmcs_ops ops = {
        .vmclear = op_vmclear,
        .vmptrld = op_vmptrld,
        .run_on_cpu = op_run_on_cpu,
        .this_cpu = op_this_cpu,
    };
    uint32_t width = vmx_boot_caps_valid()
                         ? vmx_caps_vmcs_phys_width_bits(vmx_boot_caps(), cpu_phys_addr_bits())
                         : cpu_phys_addr_bits();
    vmcs_pool_prepare(pool, &ops, (int)cpu_count, width);
}

int vmcs_service_cpu_entered_vmx(uint32_t cpu, uint64_t vmxon_region_phys)
{
    return pool ? vmcs_pool_set_vmxon_region(pool, (int)cpu, vmxon_region_phys) : 0;
}

void vmcs_service_init(uint32_t vmcs_per_cpu, uint32_t cpus_in_vmx_root)
{
    if (!pool || !cpus_in_vmx_root || !this_cpu()->in_vmx_root || !vmcs_per_cpu)
        return;
    uint32_t count = vmcs_per_cpu * cpus_in_vmx_root;
    if (count > VMCS_POOL_MAX_VMCS) {
        log_warn("vmx: vmcs_per_cpu=%u for %u CPUs is %u VMCSs; the pool holds at most %u", vmcs_per_cpu,
                 cpus_in_vmx_root, count, VMCS_POOL_MAX_VMCS);
        count = VMCS_POOL_MAX_VMCS;
    }
    /* The region list itself is temporary: the pool copies the addresses. */
    uint64_t list_phys;
    size_t list_frames = (count * sizeof(uint64_t) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    if (frames_alloc(list_frames, 0, &list_phys) < 0) {
        log_warn("vmx: no memory for the list of %u VMCS regions: no VMCS pool", count);
        return;
    }
    uint64_t *regions = (uint64_t *)(uintptr_t)list_phys;
    unsigned where = vmx_basic_phys_width_32(vmx_boot_caps()->basic) ? FRAMES_BELOW_4GIB : 0;
    uint32_t made = 0;
    for (; made < count; made++) {
        if (frames_alloc(1, where, &regions[made]) < 0) {
            log_warn("vmx: memory ran out after %u of %u VMCS regions: the pool is smaller", made, count);
            break;
        }
        /* SDM: software writes the revision id before VMCLEAR/VMPTRLD; the CPU never does. */
        *(volatile uint32_t *)(uintptr_t)regions[made] = vmx_revision_id();
    }
    int err = vmcs_pool_init(pool, regions, (int)made);
    frames_free(list_phys, list_frames);
    if (err) {
        log_error("vmx: the VMCS pool could not be set up (%s)", error_name(err));
        return;
    }
    log_info("vmx: VMCS pool of %u (%u per CPU in VMX root), each VMCLEARed before first use", made,
             vmcs_per_cpu);
}

int vmcs_service_cpu_leaving_vmx(void)
{
    if (!pool)
        return 0;
    if (panic_in_progress()) {
        vmcs_pool_panic_clear_this_cpu(pool); /* the pool's lock may be held by a CPU that died */
        return 0;
    }
    int err = vmcs_pool_clear_all_on_this_cpu(pool);
    if (err)
        log_error("vmx: a VMCLEAR before VMXOFF failed (%s): that VMCS's data may not reach memory",
                  error_name(err));
    int forget_err = vmcs_pool_forget_vmxon_region(pool, (int)this_cpu_index());
    if (forget_err)
        log_error("vmx: the VMCS pool kept this CPU's VMXON region (%s): a VMCS is still active here",
                  error_name(forget_err));
    return err ? err : forget_err;
}

void vmcs_service_count_outcome(bool is_vmclear, struct vmx_outcome outcome)
{
    if (pool)
        vmcs_pool_count_outside(pool, is_vmclear, outcome);
}

uint32_t vmcs_service_total(void) { return pool ? (uint32_t)pool->vmcs_count : 0; }

uint32_t vmcs_service_free(void)
{
    if (!pool)
        return 0;
    struct vmcs_pool_snapshot snapshot;
    vmcs_pool_snapshot(pool, &snapshot);
    return snapshot.by_state[VMCS_STATE_FREE];
}
