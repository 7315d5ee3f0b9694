/*
 * The records behind core/status_vcpu.h, as plain logic over memory the
 * caller gives (host-tested on malloc'ed records): per vCPU, its events in
 * vmxroot's own memory (struct status_vcpu_counts), its exit counts where
 * its exit path keeps them (struct status_vcpu_exits), and when both are
 * copied into the vCPU record on the page.
 */
#ifndef CORE_STATUS_VCPU_TABLE_H
#define CORE_STATUS_VCPU_TABLE_H

#include "core/lib/spinlock.h"
#include "core/status_area.h"

/* One vCPU's record as vmxroot keeps it: its events here, its exit counts where its exit path keeps them. */
struct status_vcpu_counts {
    struct spinlock lock; /* serializes writes of this vCPU's record */
    uint32_t index;
    uint8_t state;  /* enum status_vcpu_state */
    uint8_t reason; /* enum status_vcpu_reason */
    uint8_t entry_failure_kind;
    uint8_t entry_failure_flags;
    struct status_vcpu_exits *exits; /* the vCPU's exit counts (NULL: none attached yet, all zero) */
    uint64_t published_total;        /* exits->total at the last publish: more since is unpublished */
    uint64_t last_event_tsc;         /* TSC of the last event (state change, entry failure) */
    uint32_t publish_count;
    uint32_t entry_failure_count;
    uint32_t entry_failure_number;
    uint32_t entry_failure_field;
    uint64_t entry_failure_value;
    char entry_failure_name[STATUS_ENTRY_FAILURE_NAME_BYTES];
    char reason_text[STATUS_REASON_TEXT_BYTES];
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
/*
 * The exit counts of cpu's vCPU (core/lib/status_vcpu_exits.h), kept by its
 * exit path: every later write of the record reads them; they become due
 * once per interval (the first exit at once).
 */
void status_vcpu_table_attach_exits(struct status_vcpu_table *table, uint32_t cpu,
                                    struct status_vcpu_exits *exits);
/* An exit found a publish due (status_vcpu_exits_count returned true): the record is written. */
void status_vcpu_table_exits_due(struct status_vcpu_table *table, uint32_t cpu, uint64_t now_tsc);
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
