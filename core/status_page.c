/*
 * The status page writer: a seqlock over one page (or a run of pages), with
 * a CRC-32 recomputed at the end of every write. docs/status-page.md is the
 * reader's side of the contract.
 *
 * Why a seqlock and not a lock readers take: the readers are outside the
 * hypervisor (a host tool copying guest memory, a guest with a read-only
 * mapping) and can take no lock. They read the generation, copy, read it
 * again, and retry when it was odd or moved.
 */
#include "core/status_page.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/spinlock.h"
#include "core/lib/string.h"

/*
 * CRC-32 a byte at a time from a 1 KiB table, built on first use (status_init_pages
 * builds it before any writer runs). Every write recomputes the checksum over the
 * records in use, so the per-byte cost shows under Bochs and TCG: publish many CPUs
 * as one batch (status_record_*), not one setter call per field.
 */
static uint32_t crc32_table[256];
static bool crc32_table_ready;

static void crc32_build_table(void)
{
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (crc & 1 ? 0xedb88320u : 0);
        crc32_table[byte] = crc;
    }
    __atomic_store_n(&crc32_table_ready, true, __ATOMIC_RELEASE);
}

uint32_t status_crc32(uint32_t crc, const void *data, size_t size_bytes)
{
    const uint8_t *bytes = data;
    if (!__atomic_load_n(&crc32_table_ready, __ATOMIC_ACQUIRE))
        crc32_build_table();
    crc = ~crc;
    for (size_t i = 0; i < size_bytes; i++)
        crc = (crc >> 8) ^ crc32_table[(crc ^ bytes[i]) & 0xff];
    return ~crc;
}

/* One status area per system: its writers on every CPU share this lock. */
static struct spinlock status_lock = SPINLOCK_INIT;
/* After a panic the lock may be held by a CPU that will never return. */
static volatile bool writer_forced;
static bool forced_without_lock;
#define FORCED_LOCK_SPINS 1000000u

void status_force_writer(void) { writer_forced = true; }

#ifdef VMXROOT_HOST
void status_force_writer_reset(void) { writer_forced = false; }
#endif

/* The writer lock; once forced, a bounded wait and then on without it (the panicking CPU writes alone). */
static void writer_lock(void)
{
    if (!writer_forced) {
        spin_lock(&status_lock);
        return;
    }
    forced_without_lock = !spin_trylock_bounded(&status_lock, FORCED_LOCK_SPINS);
}

static void writer_unlock(void)
{
    if (forced_without_lock)
        forced_without_lock = false;
    else
        spin_unlock(&status_lock);
}

static uint32_t area_bytes(const struct status_page *page)
{
    return page->header.page_count * PAGE_SIZE_BYTES;
}

uint32_t status_cpu_capacity(const struct status_page *page)
{
    if (!page || page->header.page_count == 0)
        return 0;
    return (area_bytes(page) - STATUS_HEADER_BYTES) / STATUS_CPU_RECORD_BYTES;
}

int status_init_pages(struct status_page *page, uint64_t page_phys, uint32_t page_count)
{
    if (!page || !IS_ALIGNED((uintptr_t)page, PAGE_SIZE_BYTES) || !IS_ALIGNED(page_phys, PAGE_SIZE_BYTES) ||
        page_count == 0 || page_count > STATUS_MAX_PAGES)
        return E_INVAL;
    if (!__atomic_load_n(&crc32_table_ready, __ATOMIC_ACQUIRE))
        crc32_build_table();
    writer_lock();
    memset(page, 0, (size_t)page_count * PAGE_SIZE_BYTES);
    struct status_header *header = &page->header;
    header->magic = STATUS_MAGIC;
    header->version_major = STATUS_VERSION_MAJOR;
    header->version_minor = STATUS_VERSION_MINOR;
    header->header_size_bytes = STATUS_HEADER_BYTES;
    header->record_size_bytes = STATUS_CPU_RECORD_BYTES;
    header->page_count = page_count;
    header->page_phys = page_phys;
    header->boot_phase = STATUS_PHASE_EARLY;
    header->checksum_bytes = STATUS_HEADER_BYTES;
    header->checksum = status_checksum(page);
    /* Generation 0, even: the page is consistent from here on. */
    __atomic_store_n(&header->generation, 0, __ATOMIC_RELEASE);
    writer_unlock();
    return 0;
}

void status_init(struct status_page *page, uint64_t page_phys)
{
    (void)status_init_pages(page, page_phys, 1);
}

void status_write_begin(struct status_page *page)
{
    writer_lock();
    /* "| 1": a writer stopped inside its write (forced after a panic) left the generation odd already. */
    uint32_t generation = page->header.generation | 1;
    __atomic_store_n(&page->header.generation, generation, __ATOMIC_RELAXED);
    /* The odd generation must be visible before any field changes (Linux: write_seqcount_begin). */
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

/* The bytes the checksum covers: the header, the records in use, any per-VM records. */
static uint32_t covered_bytes(const struct status_page *page)
{
    const struct status_header *header = &page->header;
    uint64_t end = STATUS_HEADER_BYTES + (uint64_t)header->record_count * STATUS_CPU_RECORD_BYTES;
    if (header->vm_area_offset) {
        uint64_t vm_end =
            header->vm_area_offset + (uint64_t)header->vm_record_count * header->vm_record_size_bytes;
        if (vm_end > end)
            end = vm_end;
    }
    return end > area_bytes(page) ? area_bytes(page) : (uint32_t)end;
}

void status_write_end(struct status_page *page)
{
    struct status_header *header = &page->header;
    header->checksum_bytes = covered_bytes(page);
    header->checksum = status_checksum(page);
    /* Every field, checksum included, before the even generation (Linux: write_seqcount_end). */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&header->generation, header->generation + 1, __ATOMIC_RELEASE);
    writer_unlock();
}

/* A NULL page (not set up yet) is ignored, so early callers need no check. */
static bool header_write_begin(struct status_page *page)
{
    if (!page)
        return false;
    status_write_begin(page);
    return true;
}

void status_set_boot_phase(struct status_page *page, enum status_boot_phase phase)
{
    if (!header_write_begin(page))
        return;
    page->header.boot_phase = (uint32_t)phase;
    status_write_end(page);
}

void status_set_boot_flags(struct status_page *page, uint32_t flags)
{
    if (!header_write_begin(page))
        return;
    page->header.boot_flags = flags;
    status_write_end(page);
}

void status_set_cpu_totals(struct status_page *page, uint32_t found, uint32_t online, uint32_t vmx_root)
{
    if (!header_write_begin(page))
        return;
    page->header.cpus_found = found;
    page->header.cpus_online = online;
    page->header.cpus_vmx_root = vmx_root;
    status_write_end(page);
}

void status_set_tsc_khz(struct status_page *page, uint32_t tsc_khz)
{
    if (!header_write_begin(page))
        return;
    page->header.tsc_khz = tsc_khz;
    status_write_end(page);
}

void status_set_bringup_time_us(struct status_page *page, uint64_t bringup_time_us)
{
    if (!header_write_begin(page))
        return;
    page->header.bringup_time_us = bringup_time_us;
    status_write_end(page);
}

void status_set_entry_to_ready_us(struct status_page *page, uint64_t entry_to_ready_us)
{
    if (!header_write_begin(page))
        return;
    page->header.entry_to_ready_us = entry_to_ready_us;
    status_write_end(page);
}

void status_set_vmx_summary(struct status_page *page, const struct status_vmx_summary *summary)
{
    if (!header_write_begin(page))
        return;
    page->header.vmx_revision_id = summary->revision_id;
    page->header.vmx_features = summary->features;
    page->header.vmx_basic_msr = summary->basic_msr;
    page->header.vmx_ept_vpid_cap_msr = summary->ept_vpid_cap_msr;
    status_write_end(page);
}

void status_set_vmcs_pool(struct status_page *page, uint32_t total, uint32_t free, uint32_t per_cpu)
{
    if (!header_write_begin(page))
        return;
    page->header.vmcs_pool_total = total;
    page->header.vmcs_pool_free = free;
    page->header.vmcs_per_cpu = per_cpu;
    status_write_end(page);
}

void status_set_memory_per_cpu(struct status_page *page, uint64_t memory_per_cpu_bytes)
{
    if (!header_write_begin(page))
        return;
    page->header.memory_per_cpu_bytes = memory_per_cpu_bytes;
    status_write_end(page);
}

uint32_t status_checksum(const struct status_page *page)
{
    static const uint8_t zeros[8];
    const uint8_t *bytes = (const uint8_t *)page;
    uint32_t length = page->header.checksum_bytes;
    uint32_t generation_at = (uint32_t)offsetof(struct status_header, generation);
    uint32_t after_checksum = (uint32_t)offsetof(struct status_header, checksum) + 4;
    _Static_assert(offsetof(struct status_header, checksum) == offsetof(struct status_header, generation) + 4,
                   "generation and checksum are the 8 bytes read as zero");
    if (length < after_checksum || length > area_bytes(page))
        length = STATUS_HEADER_BYTES;
    uint32_t crc = status_crc32(0, bytes, generation_at);
    crc = status_crc32(crc, zeros, sizeof zeros);
    return status_crc32(crc, bytes + after_checksum, length - after_checksum);
}

#define HEXDUMP_BYTES_PER_LINE 16u

void status_hexdump(struct status_page *page, status_line_fn emit, void *context)
{
    char line[128];
    writer_lock();
    const uint8_t *bytes = (const uint8_t *)page;
    /* The whole area: the 1.0 pages and, from 1.1 on, the guest blocks after them. */
    uint32_t pages = page->header.area_page_count > page->header.page_count ? page->header.area_page_count
                                                                            : page->header.page_count;
    uint32_t size_bytes = pages * PAGE_SIZE_BYTES;
    uint32_t lines = 0;
    format(line, sizeof line, "status-dump begin phys=0x%llx size=%u pages=%u",
           (unsigned long long)page->header.page_phys, size_bytes, pages);
    emit(line, context);
    for (uint32_t offset = 0; offset < size_bytes; offset += HEXDUMP_BYTES_PER_LINE) {
        bool all_zero = true;
        for (uint32_t i = 0; i < HEXDUMP_BYTES_PER_LINE; i++)
            all_zero = all_zero && bytes[offset + i] == 0;
        if (all_zero)
            continue; /* the reader fills gaps with zeros; lines= says how many were printed */
        int length = format(line, sizeof line, "status: %04x:", offset);
        for (uint32_t i = 0; i < HEXDUMP_BYTES_PER_LINE; i++)
            length += format(line + length, sizeof line - (size_t)length, " %02x", bytes[offset + i]);
        emit(line, context);
        lines++;
    }
    format(line, sizeof line, "status-dump end lines=%u crc32=0x%08x", lines,
           status_crc32(0, bytes, size_bytes));
    emit(line, context);
    writer_unlock();
}
