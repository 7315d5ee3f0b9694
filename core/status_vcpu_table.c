/*
 * Exit counts per vCPU, and when they reach the page (core/status_vcpu_table.h).
 *
 * Why counts live off the page: an exit is counted with a few stores into
 * its vCPU's own struct by the exit path itself (core/lib/status_vcpu_exits.h:
 * no call, no lock, no checksum); the page is written only on events and at
 * most once per interval of TSC time while exits come. Under Bochs a record
 * write (320 bytes hashed) costs about as much as an exit round trip, so
 * writing per exit would double the cost of every exit.
 */
#include "core/status_vcpu_table.h"
#include "core/status_block.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

#define FORCED_LOCK_SPINS 100000u

static void copy_text(char *to, size_t size_bytes, const char *from)
{
    memset(to, 0, size_bytes);
    if (!from)
        return;
    for (size_t i = 0; i + 1 < size_bytes && from[i]; i++)
        to[i] = from[i];
}

/*
 * What every publish writes: the counts and the last exit, read from the
 * vCPU's exit counts (none attached: all zero, as before its first exit).
 * The record's TSC is that of the later of its last exit and its last
 * event. Every slot's reason is written each time: a vCPU created again on
 * this CPU attaches counts of its own.
 */
static void write_counts(struct status_vcpu_record *record, const struct status_vcpu_counts *counts)
{
    static const struct status_vcpu_exits no_exits;
    const struct status_vcpu_exits *exits = counts->exits ? counts->exits : &no_exits;
    record->last_exit_reason = exits->last_reason;
    record->last_exit_qualification = exits->last_qualification;
    record->last_exit_guest_rip = exits->last_guest_rip;
    record->exit_count_total = exits->total;
    record->published_tsc =
        exits->last_tsc > counts->last_event_tsc ? exits->last_tsc : counts->last_event_tsc;
    record->exit_count_other = exits->other;
    record->publish_count = counts->publish_count;
    uint8_t used = exits->slots_used < STATUS_EXIT_SLOTS ? exits->slots_used : (uint8_t)STATUS_EXIT_SLOTS;
    record->exit_slots_used = used;
    for (uint32_t slot = 0; slot < used; slot++) {
        record->exit_slot_reason[slot] = exits->slot_reason[slot];
        record->exit_slot_count[slot] = exits->slot_count[slot];
    }
}

/* What only events change: the state and its reason, the last entry failure. */
static void write_events(struct status_vcpu_record *record, const struct status_vcpu_counts *counts)
{
    record->index = (uint16_t)counts->index;
    record->state = counts->state;
    record->reason = counts->reason;
    record->entry_failure_count = counts->entry_failure_count;
    record->entry_failure_kind = counts->entry_failure_kind;
    record->entry_failure_flags = counts->entry_failure_flags;
    record->entry_failure_number = counts->entry_failure_number;
    record->entry_failure_field = counts->entry_failure_field;
    record->entry_failure_value = counts->entry_failure_value;
    memcpy(record->entry_failure_name, counts->entry_failure_name, sizeof record->entry_failure_name);
    memcpy(record->reason_text, counts->reason_text, sizeof record->reason_text);
}

/*
 * The record from the counts, under the record's own seqlock; the caller
 * holds the counts' lock. The record is written in place by this vCPU
 * alone, so an exit-driven publish rewrites only what exits change (the
 * events' fields stay as their last publish left them).
 */
static void publish(struct status_vcpu_table *table, struct status_vcpu_counts *counts, bool events)
{
    struct status_vcpu_record *record = status_vcpu_record(table->page, counts->index);
    if (!record)
        return;
    counts->publish_count++;
    counts->published_total = counts->exits ? counts->exits->total : 0;
    status_block_write_begin(&record->generation);
    write_counts(record, counts);
    if (events)
        write_events(record, counts);
    status_block_write_end(record, STATUS_VCPU_RECORD_BYTES);
}

static struct status_vcpu_counts *counts_of(struct status_vcpu_table *table, uint32_t cpu)
{
    if (!table || !table->counts || cpu >= table->count)
        return NULL;
    return &table->counts[cpu];
}

int status_vcpu_table_init(struct status_vcpu_table *table, struct status_page *page,
                           struct status_vcpu_counts *counts, uint64_t interval_tsc)
{
    if (!page || !status_vcpu_record(page, 0))
        return E_STATE;
    table->page = page;
    table->counts = counts;
    table->count = page->header.vcpu_record_count;
    table->interval_tsc = interval_tsc;
    memset(counts, 0, (size_t)table->count * sizeof *counts);
    for (uint32_t i = 0; i < table->count; i++) {
        counts[i].index = i;
        counts[i].state = STATUS_VCPU_NOT_LAUNCHED;
        spin_lock(&counts[i].lock);
        publish(table, &counts[i], true);
        spin_unlock(&counts[i].lock);
    }
    return 0;
}

void status_vcpu_table_state(struct status_vcpu_table *table, uint32_t cpu, enum status_vcpu_state state,
                             enum status_vcpu_reason reason, const char *why, uint64_t now_tsc)
{
    struct status_vcpu_counts *counts = counts_of(table, cpu);
    if (!counts)
        return;
    spin_lock(&counts->lock);
    counts->state = (uint8_t)state;
    counts->reason = (uint8_t)reason;
    copy_text(counts->reason_text, sizeof counts->reason_text, why);
    counts->last_event_tsc = now_tsc;
    publish(table, counts, true);
    spin_unlock(&counts->lock);
}

void status_vcpu_table_attach_exits(struct status_vcpu_table *table, uint32_t cpu,
                                    struct status_vcpu_exits *exits)
{
    struct status_vcpu_counts *counts = counts_of(table, cpu);
    if (!counts || !exits)
        return;
    spin_lock(&counts->lock);
    counts->exits = exits;
    counts->published_total = 0; /* what it counted before is unpublished here */
    exits->interval_tsc = table->interval_tsc;
    spin_unlock(&counts->lock);
}

void status_vcpu_table_exits_due(struct status_vcpu_table *table, uint32_t cpu, uint64_t now_tsc)
{
    struct status_vcpu_counts *counts = counts_of(table, cpu);
    if (!counts || !counts->exits)
        return;
    spin_lock(&counts->lock);
    counts->exits->published_tsc = now_tsc;
    publish(table, counts, false);
    spin_unlock(&counts->lock);
}

void status_vcpu_table_entry_failure(struct status_vcpu_table *table, uint32_t cpu,
                                     const struct status_entry_failure *failure, uint64_t now_tsc)
{
    struct status_vcpu_counts *counts = counts_of(table, cpu);
    if (!counts || !failure)
        return;
    spin_lock(&counts->lock);
    counts->entry_failure_count++;
    counts->entry_failure_kind = (uint8_t)failure->kind;
    counts->entry_failure_flags = (uint8_t)failure->flags;
    counts->entry_failure_number = failure->number;
    counts->entry_failure_field = failure->field_encoding;
    counts->entry_failure_value = failure->value;
    copy_text(counts->entry_failure_name, sizeof counts->entry_failure_name, failure->name);
    counts->last_event_tsc = now_tsc;
    publish(table, counts, true);
    spin_unlock(&counts->lock);
}

void status_vcpu_table_flush(struct status_vcpu_table *table, uint32_t cpu, uint64_t now_tsc)
{
    struct status_vcpu_counts *counts = counts_of(table, cpu);
    if (!counts)
        return;
    spin_lock(&counts->lock);
    if (counts->exits && counts->exits->total != counts->published_total) {
        counts->exits->published_tsc = now_tsc;
        publish(table, counts, false);
    }
    spin_unlock(&counts->lock);
}

void status_vcpu_table_flush_all_forced(struct status_vcpu_table *table)
{
    if (!table || !table->counts)
        return;
    for (uint32_t i = 0; i < table->count; i++) {
        struct status_vcpu_counts *counts = &table->counts[i];
        const struct status_vcpu_record *record = status_vcpu_record(table->page, i);
        /* Unpublished counts, or a write its CPU stopped inside (the generation left odd). */
        bool unpublished = counts->exits && counts->exits->total != counts->published_total;
        if (!unpublished && !(record && __atomic_load_n(&record->generation, __ATOMIC_RELAXED) % 2))
            continue;
        bool locked = spin_trylock_bounded(&counts->lock, FORCED_LOCK_SPINS);
        publish(table, counts, true);
        if (locked)
            spin_unlock(&counts->lock);
    }
}

uint32_t status_vcpu_record_exit_count(const struct status_vcpu_record *record, uint32_t basic)
{
    uint32_t used = record->exit_slots_used < STATUS_EXIT_SLOTS ? record->exit_slots_used : STATUS_EXIT_SLOTS;
    for (uint32_t slot = 0; slot < used; slot++)
        if (record->exit_slot_reason[slot] == basic)
            return record->exit_slot_count[slot];
    return 0;
}
