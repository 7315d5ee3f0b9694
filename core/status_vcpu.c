/*
 * The status API of the guest layer (core/lib/status_vcpu.h) over this
 * system's one status area: the events live in frames of vmxroot's own, the
 * exit counts in each vCPU (attached here), the TSC comes from the caller on
 * the exit path and from RDTSC elsewhere.
 */
#include "core/status_vcpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/status_vcpu_table.h"
#include "arch/x86/cpu_index.h"
#include "arch/x86/tsc.h"
#include "mm/frames.h"

static struct status_vcpu_table table;
static struct status_page *area;        /* NULL until the counters are set up */
static struct status_page *ranges_page; /* the memory ranges' page, NULL without a page */

int status_vcpu_publish_init(struct status_page *page)
{
    ranges_page = page;
    uint32_t count = page->header.vcpu_record_count;
    uint64_t bytes = (uint64_t)count * sizeof(struct status_vcpu_counts);
    uint64_t counts_phys;
    int err = frames_alloc((size_t)((bytes + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES), 0, &counts_phys);
    if (err) {
        log_warn("status: no memory for the vCPU counters: the page shows no guest state");
        return err;
    }
    uint64_t interval_tsc = tsc_from_us(STATUS_VCPU_PUBLISH_INTERVAL_US);
    err = status_vcpu_table_init(&table, page, (struct status_vcpu_counts *)(uintptr_t)counts_phys,
                                 interval_tsc);
    if (err)
        return err;
    area = page;
    return status_memory_range_add(STATUS_MEMORY_PER_CPU, counts_phys, bytes);
}

void status_vcpu_state(uint32_t cpu, enum status_vcpu_state state, enum status_vcpu_reason reason,
                       const char *why)
{
    if (area)
        status_vcpu_table_state(&table, cpu, state, reason, why, rdtsc());
}

void status_vcpu_attach_exits(uint32_t cpu, struct status_vcpu_exits *exits)
{
    if (area)
        status_vcpu_table_attach_exits(&table, cpu, exits);
}

void status_vcpu_exits_due(uint32_t cpu, uint64_t now_tsc)
{
    if (area)
        status_vcpu_table_exits_due(&table, cpu, now_tsc);
}

void status_vcpu_entry_failure(uint32_t cpu, const struct status_entry_failure *failure)
{
    if (area)
        status_vcpu_table_entry_failure(&table, cpu, failure, rdtsc());
}

void status_vcpu_flush(uint32_t cpu)
{
    if (area)
        status_vcpu_table_flush(&table, cpu, rdtsc());
}

void status_vcpu_publish_panic(void)
{
    if (area)
        status_vcpu_table_flush_all_forced(&table);
}

/* 1 + the index of the CPU holding the memory block's batch write; 0 when none does. */
static uint32_t batch_owner;

void status_memory_ranges_begin(void)
{
    struct status_page *page = ranges_page;
    if (page && status_memory_batch_begin(page) == 0)
        __atomic_store_n(&batch_owner, this_cpu_index() + 1, __ATOMIC_RELEASE);
}

void status_memory_ranges_end(void)
{
    if (__atomic_load_n(&batch_owner, __ATOMIC_ACQUIRE) != this_cpu_index() + 1)
        return;
    __atomic_store_n(&batch_owner, 0, __ATOMIC_RELEASE);
    status_memory_batch_end(ranges_page);
}

int status_memory_range_add(enum status_memory_kind kind, uint64_t phys, uint64_t size_bytes)
{
    return status_memory_range_add_cpu(kind, STATUS_MEMORY_CPU_NONE, phys, size_bytes);
}

int status_memory_range_add_cpu(enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                                uint64_t size_bytes)
{
    struct status_page *page = ranges_page;
    if (!page)
        return E_STATE;
    static bool warned; /* once: a full table refuses every later range too */
    int err = __atomic_load_n(&batch_owner, __ATOMIC_ACQUIRE) == this_cpu_index() + 1
                  ? status_memory_insert_batched(page, kind, cpu, phys, size_bytes)
                  : status_memory_insert(page, kind, cpu, phys, size_bytes);
    if (err == E_NOMEM && !__atomic_exchange_n(&warned, true, __ATOMIC_RELAXED))
        log_warn("status: the memory-range table is full (%u ranges): marked incomplete",
                 page->header.memory_range_capacity);
    return err;
}
