#include "core/status.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "core/status_area.h"
#include "core/status_crc32c.h"
#include "core/status_log.h"
#include "core/status_vcpu.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/tsc.h"
#include "mm/frames.h"
#include "mm/paging.h"

static struct status_page *page; /* the writer's alias; NULL when there is no page */
static uint64_t page_phys;
static uint32_t page_count;
static const struct boot_options *options;
static bool booted_by_uefi;

uint64_t status_publish_phys(void) { return page_phys; }

void status_publish_init(uint32_t cpu_count, const struct boot_options *opts, bool uefi)
{
    options = opts;
    booted_by_uefi = uefi;
    struct status_area_size size;
    int err = status_area_size_for(cpu_count, &size);
    if (err) {
        log_warn("status: %u CPUs need more than %u status pages: going on without a status page", cpu_count,
                 STATUS_MAX_AREA_PAGES);
        return;
    }
    page_count = size.area_page_count; /* the 1.0 pages and the guest blocks after them */
    /* Unzeroed: status_init_area zeroes every page of the area itself (it was zeroed twice). */
    err = frames_alloc(page_count, FRAMES_BELOW_4GIB | FRAMES_UNZEROED, &page_phys);
    if (err) {
        log_warn("status: no memory for the status page: going on without one");
        page_phys = 0;
        return;
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
            return;
        }
    }
    /* The guest blocks' CRC-32C by the SSE4.2 instruction where there is one: it is on the VM-exit path. */
    status_crc32c_use_instruction(cpuid(1, 0).ecx & CPUID1_ECX_SSE4_2);
    struct status_page *area = (struct status_page *)(uintptr_t)STATUS_WRITER_VIRT;
    err = status_init_area(area, page_phys, cpu_count, STATUS_VCPU_PUBLISH_INTERVAL_US);
    if (err) {
        log_warn("status: cannot set up the status page (%s): going on without one", error_name(err));
        page_phys = 0;
        return;
    }
    page = area;
    status_log_attach(page);              /* the log's lines from here on, for a guest that owns the UART */
    err = status_vcpu_publish_init(page); /* the memory ranges' page, then the vCPU counters */
    if (!err)
        err =
            status_memory_range_add(STATUS_MEMORY_STATUS, page_phys, (uint64_t)page_count * PAGE_SIZE_BYTES);
    if (err) /* without the vCPU part the 1.0 pages still work */
        log_warn("status: no vCPU records on the status page (%s)", error_name(err));
}

struct status_page *status_publish_page(void) { return page; }

uint64_t status_area_phys(void) { return page_phys; }

uint64_t status_area_size_bytes(void) { return page ? (uint64_t)page_count * PAGE_SIZE_BYTES : 0; }

void status_area_dump(void) { status_publish_dump(); }

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

/* The boot CPU's VMX summary, written straight into the header inside the sync's batch. */
static void record_vmx_summary(struct status_header *header)
{
    header->vmx_revision_id = 0;
    header->vmx_features = cpu_has_vmx() ? STATUS_VMX_SUPPORTED : 0;
    header->vmx_basic_msr = 0;
    header->vmx_ept_vpid_cap_msr = 0;
    if (!vmx_boot_caps_valid())
        return;
    const struct vmx_caps *caps = vmx_boot_caps();
    header->vmx_revision_id = vmx_revision_id();
    header->vmx_basic_msr = caps->basic;
    header->vmx_ept_vpid_cap_msr = caps->have_ept_vpid_cap ? caps->ept_vpid_cap : 0;
    if (caps->ept)
        header->vmx_features |= STATUS_VMX_EPT;
    if (caps->vpid)
        header->vmx_features |= STATUS_VMX_VPID;
    if (caps->unrestricted_guest)
        header->vmx_features |= STATUS_VMX_UNRESTRICTED;
    if (caps->have_true_controls)
        header->vmx_features |= STATUS_VMX_TRUE_CONTROLS;
}

/* One CPU's record, inside the sync's batch: no lock, no checksum of its own. 0 or the first refusal. */
static MUST_CHECK int record_cpu(uint32_t index, struct vmcs_pool *pool)
{
    struct percpu *cpu = cpu_table[index];
    int err = status_record_found(page, index, cpu->apic_id, index == 0);
    if (!err)
        err = status_record_state(page, index, cpu->state, cpu->reason);
    if (!err)
        err = status_record_vmx(page, index, cpu->vmx_revision_id, cpu->vmx_capable, cpu->in_vmx_root);
    if (err || !pool || index >= (uint32_t)pool->cpu_count)
        return err;
    struct vmcs_pool_cpu_snapshot snapshot;
    vmcs_pool_cpu_snapshot(pool, (int)index, &snapshot);
    struct status_vmcs_counts counts = {
        .active_current = snapshot.active_current,
        .active_not_current = snapshot.active_not_current,
        .launched = snapshot.launched,
    };
    err = status_record_vmcs_counts(page, index, &counts);
    if (err)
        return err;
    struct status_cpu_counters counters = {
        .vmclear = snapshot.counters.vmclear,
        .vmptrld = snapshot.counters.vmptrld,
        .vmptrld_skipped = snapshot.counters.vmptrld_skipped,
        .vmfail_invalid = snapshot.counters.fail_invalid,
    };
    for (uint32_t e = 0; e <= STATUS_VM_ERROR_MAX && e <= VMX_ERROR_MAX; e++)
        counters.vmfail_valid_by_error[e] = snapshot.counters.failures_by_error[e];
    return status_record_counters(page, index, &counters);
}

/*
 * One write for everything: a reader sees the whole sync or none of it, and
 * the checksum is computed once (per field it cost 0.18 s per sync for 15
 * CPUs under Bochs, O(CPUs^2) bytes hashed). Lock order: status, then pool
 * (the pool never calls into the status page). with_pool false leaves the
 * VMCS counts as last published: the panic path cannot wait for a pool lock
 * that the panicking CPU may itself hold.
 */
static void publish(bool with_pool)
{
    uint64_t start_tsc = rdtsc();
    uint32_t online = 0, in_vmx = 0, memory_per_cpu = 0, records = 0;
    struct vmcs_pool *pool = with_pool ? vmcs_service_pool() : NULL;
    struct status_header *header = &page->header;
    status_write_begin(page);
    for (uint32_t i = 0; i < cpu_count_found && i < status_cpu_capacity(page); i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu)
            continue;
        online += cpu->state == CPU_STATE_ONLINE;
        in_vmx += cpu->in_vmx_root;
        if (cpu->memory_bytes > memory_per_cpu)
            memory_per_cpu = cpu->memory_bytes;
        if (record_cpu(i, pool) == 0)
            records++;
    }
    header->boot_flags = boot_flags();
    header->cpus_found = cpu_count_found;
    header->cpus_online = online;
    header->cpus_vmx_root = in_vmx;
    header->memory_per_cpu_bytes = memory_per_cpu;
    header->vmcs_per_cpu = options->vmcs_per_cpu;
    if (with_pool) {
        header->vmcs_pool_total = vmcs_service_total();
        header->vmcs_pool_free = vmcs_service_free();
    }
    record_vmx_summary(header);
    status_write_end(page);
    log_debug("status: sync of %u CPU records took %lu us", records, tsc_to_us(rdtsc() - start_tsc));
}

void status_publish_sync(void)
{
    if (page)
        publish(true);
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
    status_write_begin(page);
    page->header.tsc_khz = (uint32_t)tsc_khz;
    page->header.bringup_time_us = bringup_us;
    page->header.entry_to_ready_us = entry_to_ready_us;
    status_write_end(page);
}

static void emit_line(const char *line, void *context) { log_info("%s", line); }

void status_publish_dump(void)
{
    if (!page)
        return;
    status_log_pause(true); /* the dump's own lines stay out of the ring it prints */
    status_hexdump(page, emit_line, NULL);
    status_log_pause(false);
}

void status_publish_panic(void)
{
    if (!page)
        return;
    /* Another CPU may have stopped inside a write holding the lock: wait for it only a bounded time. */
    status_force_writer();
    status_vcpu_publish_panic(); /* every vCPU's counts so far, past locks a stopped CPU may hold */
    struct percpu *cpu = this_cpu();
    cpu->state = CPU_STATE_HALTED;
    if (cpu->reason == REASON_NONE) /* the first failure wins: an earlier reason stays */
        cpu->reason = REASON_PANIC;
    publish(false);
    status_publish_phase(STATUS_PHASE_PANIC);
    if (options->status_dump == STATUS_DUMP_HEX)
        status_publish_dump();
}
