#include "core/status.h"
#include "core/error.h"
#include "core/log.h"
#include "core/string.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cpuid.h"
#include "mm/frames.h"
#include "mm/paging.h"

static struct status_page *page; /* the writer's alias; NULL when there is no page */
static uint64_t page_phys;
static uint32_t page_count;
static const struct boot_options *options;
static bool booted_by_uefi;

uint64_t status_publish_phys(void) { return page_phys; }

int status_publish_init(uint32_t cpu_count, const struct boot_options *opts, bool uefi)
{
    options = opts;
    booted_by_uefi = uefi;
    page_count = (uint32_t)STATUS_PAGES_FOR_CPUS(cpu_count);
    int err = frames_alloc(page_count, FRAMES_BELOW_4GIB, &page_phys);
    if (err) {
        log_warn("status: no memory for the status page: going on without one");
        page_phys = 0;
        return err;
    }
    for (uint32_t i = 0; i < page_count; i++) {
        uint64_t offset = (uint64_t)i * PAGE_SIZE_BYTES, phys = page_phys + offset;
        err = paging_map_alias(STATUS_WRITER_VIRT + offset, phys,
                               PTE_PRESENT | PTE_WRITABLE | paging_no_execute_flag());
        if (!err)
            err = paging_set_page_flags(phys, PTE_PRESENT | paging_no_execute_flag());
        if (err) {
            log_warn("status: cannot map the status page (%s): going on without one", error_name(err));
            page_phys = 0;
            return err;
        }
    }
    page = (struct status_page *)(uintptr_t)STATUS_WRITER_VIRT;
    status_init_pages(page, page_phys, page_count);
    return 0;
}

static uint32_t boot_flags(void)
{
    uint32_t flags = booted_by_uefi ? STATUS_BOOT_UEFI : 0;
    if (lapic_x2apic_mode())
        flags |= STATUS_BOOT_X2APIC;
    if (options->smp == SMP_SERIAL)
        flags |= STATUS_BOOT_SMP_SERIAL;
    if (options->smp == SMP_OFF)
        flags |= STATUS_BOOT_SMP_OFF;
    if (options->init_wait)
        flags |= STATUS_BOOT_INIT_WAIT;
    if (!options->vmx)
        flags |= STATUS_BOOT_VMX_OFF;
    if (options->status_dump == STATUS_DUMP_HEX)
        flags |= STATUS_BOOT_DUMP;
    return flags;
}

static void sync_vmx_summary(void)
{
    struct status_vmx_summary summary = { 0 };
    if (cpu_has_vmx())
        summary.features |= STATUS_VMX_SUPPORTED;
    if (vmx_boot_caps_valid()) {
        const struct vmx_caps *caps = vmx_boot_caps();
        summary.revision_id = vmx_revision_id();
        summary.basic_msr = caps->basic;
        summary.ept_vpid_cap_msr = caps->have_ept_vpid_cap ? caps->ept_vpid_cap : 0;
        if (caps->ept)
            summary.features |= STATUS_VMX_EPT;
        if (caps->vpid)
            summary.features |= STATUS_VMX_VPID;
        if (caps->unrestricted_guest)
            summary.features |= STATUS_VMX_UNRESTRICTED;
        if (caps->have_true_controls)
            summary.features |= STATUS_VMX_TRUE_CONTROLS;
    }
    status_set_vmx_summary(page, &summary);
}

static void sync_cpu(uint32_t index, struct vmcs_pool *pool)
{
    struct percpu *cpu = cpu_table[index];
    status_cpu_found(page, index, cpu->apic_id, index == 0);
    status_set_cpu_state(page, index, cpu->state, cpu->reason);
    status_set_cpu_vmx(page, index, cpu->vmx_revision_id, cpu->vmx_capable, cpu->in_vmx_root);
    if (!pool || index >= (uint32_t)pool->cpu_count)
        return;
    struct vmcs_pool_cpu_snapshot snapshot;
    vmcs_pool_cpu_snapshot(pool, (int)index, &snapshot);
    struct status_vmcs_counts counts = {
        .active_current = snapshot.active_current,
        .active_not_current = snapshot.active_not_current,
        .launched = snapshot.launched,
    };
    status_set_cpu_vmcs_counts(page, index, &counts);
    struct status_cpu_counters counters = {
        .vmclear = snapshot.counters.vmclear,
        .vmptrld = snapshot.counters.vmptrld,
        .vmptrld_skipped = snapshot.counters.vmptrld_skipped,
        .vmfail_invalid = snapshot.counters.fail_invalid,
    };
    for (uint32_t e = 0; e <= STATUS_VM_ERROR_MAX && e <= VMX_ERROR_MAX; e++)
        counters.vmfail_valid_by_error[e] = snapshot.counters.failures_by_error[e];
    status_set_cpu_counters(page, index, &counters);
}

void status_publish_sync(void)
{
    if (!page)
        return;
    uint32_t online = 0, in_vmx = 0, memory_per_cpu = 0;
    struct vmcs_pool *pool = vmcs_service_pool();
    for (uint32_t i = 0; i < cpu_count_found && i < status_cpu_capacity(page); i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu)
            continue;
        online += cpu->state == CPU_STATE_ONLINE;
        in_vmx += cpu->in_vmx_root;
        if (cpu->memory_bytes > memory_per_cpu)
            memory_per_cpu = cpu->memory_bytes;
        sync_cpu(i, pool);
    }
    status_set_boot_flags(page, boot_flags());
    status_set_cpu_totals(page, cpu_count_found, online, in_vmx);
    status_set_memory_per_cpu(page, memory_per_cpu);
    status_set_vmcs_pool(page, vmcs_service_total(), vmcs_service_free(), options->vmcs_per_cpu);
    sync_vmx_summary();
}

void status_publish_phase(enum status_boot_phase phase)
{
    if (page)
        status_set_boot_phase(page, phase);
}

void status_publish_times(uint64_t tsc_khz, uint64_t bringup_us, uint64_t entry_to_ready_us)
{
    if (!page)
        return;
    status_set_tsc_khz(page, (uint32_t)tsc_khz);
    status_set_bringup_time_us(page, bringup_us);
    status_set_entry_to_ready_us(page, entry_to_ready_us);
}

static void emit_line(const char *line, void *context) { log_info("%s", line); }

void status_publish_dump(void)
{
    if (page)
        status_hexdump(page, emit_line, NULL);
}

void status_publish_panic(void)
{
    if (!page)
        return;
    struct percpu *cpu = this_cpu();
    cpu->state = CPU_STATE_HALTED;
    if (cpu->reason == REASON_NONE) /* the first failure wins: an earlier reason stays */
        cpu->reason = REASON_PANIC;
    status_publish_sync();
    status_publish_phase(STATUS_PHASE_PANIC);
    if (options->status_dump == STATUS_DUMP_HEX)
        status_publish_dump();
}
