/*
 * The counting behind core/status_vcpu.h, as plain logic over memory the
 * caller gives (host-tested on malloc'ed records): per vCPU, the full
 * counts in vmxroot's own memory (struct status_vcpu_counts) and the rule
 * for when they are copied into the vCPU record on the page.
 */
#ifndef CORE_STATUS_VCPU_TABLE_H
#define CORE_STATUS_VCPU_TABLE_H

#include "core/lib/spinlock.h"
#include "core/status_area.h"

#define STATUS_SLOT_NONE 0xffu

/* One vCPU's counts as vmxroot keeps them: exact, 64-bit, never on the page directly. */
struct status_vcpu_counts {
    struct spinlock lock; /* serializes writes of this vCPU's record */
    uint32_t index;
    uint8_t state;  /* enum status_vcpu_state */
    uint8_t reason; /* enum status_vcpu_reason */
    uint8_t slots_used;
    uint8_t entry_failure_kind;
    uint8_t entry_failure_flags;
    bool dirty; /* counted something since the last publish */
    uint32_t last_exit_reason;
    uint64_t last_exit_qualification;
    uint64_t last_exit_guest_rip;
    uint64_t exit_count_total;
    uint64_t exit_count_other;
    uint64_t last_event_tsc; /* TSC of the last exit or event */
    uint64_t published_tsc;  /* TSC of the last exit-driven or forced publish */
    uint32_t publish_count;
    uint32_t entry_failure_count;
    uint32_t entry_failure_number;
    uint32_t entry_failure_field;
    uint64_t entry_failure_value;
    char entry_failure_name[STATUS_ENTRY_FAILURE_NAME_BYTES];
    char reason_text[STATUS_REASON_TEXT_BYTES];
    uint8_t slot_of_reason[STATUS_EXIT_REASON_LIMIT]; /* STATUS_SLOT_NONE: no slot yet */
    uint8_t slot_reason[STATUS_EXIT_SLOTS];
    uint64_t slot_count[STATUS_EXIT_SLOTS];
};

/* Every vCPU of the system: the records on the page and the counts behind them. */
struct status_vcpu_table {
    struct status_page *page;
    struct status_vcpu_counts *counts; /* count entries, in vmxroot's memory */
    uint32_t count;
    uint64_t interval_tsc; /* least TSC time between two exit-driven publishes */
};

/*
 * Sets up the counts of every vCPU (not launched) and publishes them once.
 * counts holds page->header.vcpu_record_count entries. E_STATE when the
 * page has no vCPU records.
 */
MUST_CHECK int status_vcpu_table_init(struct status_vcpu_table *table, struct status_page *page,
                                      struct status_vcpu_counts *counts, uint64_t interval_tsc);

/* The operations of core/status_vcpu.h; each ignores a cpu beyond the table. */
void status_vcpu_table_state(struct status_vcpu_table *table, uint32_t cpu, enum status_vcpu_state state,
                             enum status_vcpu_reason reason, const char *why, uint64_t now_tsc);
/* Returns true when this exit published the record (it was due). */
bool status_vcpu_table_exit(struct status_vcpu_table *table, uint32_t cpu, uint32_t exit_reason,
                            uint64_t qualification, uint64_t guest_rip, uint64_t now_tsc);
void status_vcpu_table_entry_failure(struct status_vcpu_table *table, uint32_t cpu,
                                     const struct status_entry_failure *failure, uint64_t now_tsc);
void status_vcpu_table_flush(struct status_vcpu_table *table, uint32_t cpu, uint64_t now_tsc);
/*
 * After a panic: every vCPU that counted something unpublished is written,
 * waiting a bounded time for its lock (its CPU may be stopped holding it),
 * then writing without it.
 */
void status_vcpu_table_flush_all_forced(struct status_vcpu_table *table);

/* The count the record shows for basic exit reason basic (0 when the reason has no slot). */
uint32_t status_vcpu_record_exit_count(const struct status_vcpu_record *record, uint32_t basic);

#endif
