/*
 * The per-CPU records of the status page (docs/status-page.md, "Layout"):
 * the status_record_*() writers for a batch between status_write_begin()
 * and status_write_end() (core/status_page.c), and the setters that make
 * one of them a write of its own. Counters saturate instead of wrapping.
 */
#include "core/lib/error.h"
#include "core/status_page.h"

struct status_cpu_record *status_cpu_record(struct status_page *page, uint32_t index)
{
    if (!page || index >= status_cpu_capacity(page))
        return NULL;
    /* Records beyond the first page go on into the following pages of the same area. */
    uint8_t *base = (uint8_t *)page + STATUS_HEADER_BYTES;
    return (struct status_cpu_record *)(base + (size_t)index * STATUS_CPU_RECORD_BYTES);
}

static uint16_t saturate_u16(uint64_t value) { return value > 0xffff ? 0xffff : (uint16_t)value; }
static uint32_t saturate_u32(uint64_t value) { return value > 0xffffffffu ? 0xffffffffu : (uint32_t)value; }

/* The range check comes before the lock, so a refused call writes nothing. */
static struct status_cpu_record *cpu_write_begin(struct status_page *page, uint32_t index)
{
    struct status_cpu_record *record = status_cpu_record(page, index);
    if (record)
        status_write_begin(page);
    return record;
}

/* The record of a batch write: E_RANGE beyond the capacity, E_STATE outside begin/end. */
static MUST_CHECK int batch_record(struct status_page *page, uint32_t index,
                                   struct status_cpu_record **record_out)
{
    *record_out = status_cpu_record(page, index);
    if (!*record_out)
        return E_RANGE;
    /* An even generation: no write is open, so a change here would go out unchecksummed. */
    if (__atomic_load_n(&page->header.generation, __ATOMIC_RELAXED) % 2 == 0)
        return E_STATE;
    return 0;
}

int status_record_found(struct status_page *page, uint32_t index, uint32_t apic_id, bool boot_cpu)
{
    struct status_cpu_record *record;
    int err = batch_record(page, index, &record);
    if (err)
        return err;
    record->index = (uint16_t)index;
    record->apic_id = apic_id;
    record->state = CPU_STATE_FOUND;
    record->reason = REASON_NONE;
    record->flags = (uint16_t)((record->flags & ~STATUS_CPU_BOOT) | (boot_cpu ? STATUS_CPU_BOOT : 0));
    if (page->header.record_count < index + 1)
        page->header.record_count = index + 1;
    return 0;
}

int status_record_state(struct status_page *page, uint32_t index, enum cpu_state state,
                        enum cpu_reason reason)
{
    struct status_cpu_record *record;
    int err = batch_record(page, index, &record);
    if (err)
        return err;
    record->state = (uint8_t)state;
    record->reason = (uint8_t)reason;
    return 0;
}

int status_record_vmx(struct status_page *page, uint32_t index, uint32_t revision_id, bool vmx_capable,
                      bool in_vmx_root)
{
    struct status_cpu_record *record;
    int err = batch_record(page, index, &record);
    if (err)
        return err;
    uint16_t flags = record->flags & (uint16_t) ~(STATUS_CPU_VMX_CAPABLE | STATUS_CPU_VMX_ROOT);
    record->vmx_revision_id = revision_id;
    record->flags = (uint16_t)(flags | (vmx_capable ? STATUS_CPU_VMX_CAPABLE : 0) |
                               (in_vmx_root ? STATUS_CPU_VMX_ROOT : 0));
    return 0;
}

int status_record_vmcs_counts(struct status_page *page, uint32_t index,
                              const struct status_vmcs_counts *counts)
{
    struct status_cpu_record *record;
    int err = batch_record(page, index, &record);
    if (err)
        return err;
    record->vmcs_free = 0; /* pool-wide states: see struct status_vmcs_counts */
    record->vmcs_clear = 0;
    record->vmcs_active_current = saturate_u16(counts->active_current);
    record->vmcs_active_not_current = saturate_u16(counts->active_not_current);
    record->vmcs_launched = saturate_u16(counts->launched);
    return 0;
}

static void set_error_count(struct status_cpu_record *record, uint32_t error_number, uint64_t count)
{
    uint8_t nibble = count > STATUS_VM_ERROR_COUNT_MAX ? STATUS_VM_ERROR_COUNT_MAX : (uint8_t)count;
    uint8_t *byte = &record->vmfail_valid_by_error[error_number / 2];
    if (error_number % 2)
        *byte = (uint8_t)((*byte & 0x0f) | (nibble << 4));
    else
        *byte = (uint8_t)((*byte & 0xf0) | nibble);
}

uint32_t status_vm_error_count(const struct status_cpu_record *record, uint32_t error_number)
{
    if (error_number > STATUS_VM_ERROR_MAX)
        return 0;
    uint8_t byte = record->vmfail_valid_by_error[error_number / 2];
    return error_number % 2 ? byte >> 4 : byte & 0x0f;
}

int status_record_counters(struct status_page *page, uint32_t index,
                           const struct status_cpu_counters *counters)
{
    struct status_cpu_record *record;
    int err = batch_record(page, index, &record);
    if (err)
        return err;
    uint64_t valid_total = 0;
    record->vmclear_count = saturate_u32(counters->vmclear);
    record->vmptrld_count = saturate_u32(counters->vmptrld);
    record->vmptrld_skipped_count = saturate_u32(counters->vmptrld_skipped);
    record->vmfail_invalid_count = saturate_u16(counters->vmfail_invalid);
    for (uint32_t error = 0; error <= STATUS_VM_ERROR_MAX; error++) {
        set_error_count(record, error, counters->vmfail_valid_by_error[error]);
        valid_total += counters->vmfail_valid_by_error[error];
    }
    record->vmfail_valid_count = saturate_u16(valid_total);
    return 0;
}

/* The locked setters: one record writer as a write of its own. */
int status_cpu_found(struct status_page *page, uint32_t index, uint32_t apic_id, bool boot_cpu)
{
    if (!cpu_write_begin(page, index))
        return E_RANGE;
    int err =
        status_record_found(page, index, apic_id, boot_cpu); /* inside the write just begun: cannot fail */
    status_write_end(page);
    return err;
}

int status_set_cpu_state(struct status_page *page, uint32_t index, enum cpu_state state,
                         enum cpu_reason reason)
{
    if (!cpu_write_begin(page, index))
        return E_RANGE;
    int err = status_record_state(page, index, state, reason); /* inside the write just begun: cannot fail */
    status_write_end(page);
    return err;
}

int status_set_cpu_vmx(struct status_page *page, uint32_t index, uint32_t revision_id, bool vmx_capable,
                       bool in_vmx_root)
{
    if (!cpu_write_begin(page, index))
        return E_RANGE;
    int err = status_record_vmx(page, index, revision_id, vmx_capable,
                                in_vmx_root); /* inside the write just begun: cannot fail */
    status_write_end(page);
    return err;
}

int status_set_cpu_vmcs_counts(struct status_page *page, uint32_t index,
                               const struct status_vmcs_counts *counts)
{
    if (!cpu_write_begin(page, index))
        return E_RANGE;
    int err = status_record_vmcs_counts(page, index, counts); /* inside the write just begun: cannot fail */
    status_write_end(page);
    return err;
}

int status_set_cpu_counters(struct status_page *page, uint32_t index,
                            const struct status_cpu_counters *counters)
{
    if (!cpu_write_begin(page, index))
        return E_RANGE;
    int err = status_record_counters(page, index, counters); /* inside the write just begun: cannot fail */
    status_write_end(page);
    return err;
}

int status_count_vmclear(struct status_page *page, uint32_t index)
{
    struct status_cpu_record *record = cpu_write_begin(page, index);
    if (!record)
        return E_RANGE;
    record->vmclear_count = saturate_u32((uint64_t)record->vmclear_count + 1);
    status_write_end(page);
    return 0;
}

int status_count_vmptrld(struct status_page *page, uint32_t index, bool skipped)
{
    struct status_cpu_record *record = cpu_write_begin(page, index);
    if (!record)
        return E_RANGE;
    if (skipped)
        record->vmptrld_skipped_count = saturate_u32((uint64_t)record->vmptrld_skipped_count + 1);
    else
        record->vmptrld_count = saturate_u32((uint64_t)record->vmptrld_count + 1);
    status_write_end(page);
    return 0;
}

int status_count_vmfail_invalid(struct status_page *page, uint32_t index)
{
    struct status_cpu_record *record = cpu_write_begin(page, index);
    if (!record)
        return E_RANGE;
    record->vmfail_invalid_count = saturate_u16((uint64_t)record->vmfail_invalid_count + 1);
    status_write_end(page);
    return 0;
}

int status_count_vmfail_valid(struct status_page *page, uint32_t index, uint32_t error_number)
{
    /* Numbers the SDM does not define (0, above 28) are counted together in slot 0. */
    uint32_t slot = error_number >= 1 && error_number <= STATUS_VM_ERROR_MAX ? error_number : 0;
    struct status_cpu_record *record = cpu_write_begin(page, index);
    if (!record)
        return E_RANGE;
    set_error_count(record, slot, (uint64_t)status_vm_error_count(record, slot) + 1);
    record->vmfail_valid_count = saturate_u16((uint64_t)record->vmfail_valid_count + 1);
    status_write_end(page);
    return 0;
}
