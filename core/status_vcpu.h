/*
 * Publishing guest state on the status page: the API the guest layer calls
 * (docs/status-page.md, "Version 1.1"). Each CPU's counts live in memory
 * vmxroot owns (struct status_vcpu_counts, core/status_vcpu_table.h); the
 * CPU's vCPU record on the page is rewritten only when it is due:
 *
 *   - at once on a state change, an entry failure and status_vcpu_flush();
 *   - on an exit, only when STATUS_VCPU_PUBLISH_INTERVAL_US of TSC time has
 *     passed since this record was last written (the caller passes the TSC
 *     it read at the exit: no extra RDTSC, no lock, no checksum per exit).
 *
 * A record is written by one CPU at a time under a per-vCPU lock, with a
 * seqlock generation and a CRC-32C of its own, so CPUs never wait for each
 * other and a write hashes 320 bytes, not the page. Nothing counted is lost:
 * a later publish carries every earlier count, and the panic path publishes
 * every CPU's counts (forced past a lock a stopped CPU may hold).
 *
 * Who calls: the calls for CPU `cpu` come from that CPU while its vCPU runs;
 * before it is launched or after it stopped, any CPU may call (the boot CPU
 * marking CPUs that launch nothing). Every call is a no-op without a status
 * page or for a cpu beyond the CPUs found, so callers need no checks.
 */
#ifndef CORE_STATUS_VCPU_H
#define CORE_STATUS_VCPU_H

#include "core/status_area.h"

/* At most one exit-driven publish per vCPU per this much TSC time ("a few milliseconds"). */
#define STATUS_VCPU_PUBLISH_INTERVAL_US 4000u

/*
 * A state change: published at once with every count so far. why is a short
 * text (the record keeps its first 31 bytes; NULL: none), e.g.
 * "exit 'RDPMC' unhandled" or "no EPT".
 */
void status_vcpu_state(uint32_t cpu, enum status_vcpu_state state, enum status_vcpu_reason reason,
                       const char *why);

/*
 * One VM exit: exit_reason as read from the VMCS (bits 15:0 the basic
 * reason; bit 31 set for an entry failure), the exit qualification, the
 * guest RIP, and the TSC the caller read. Counts it, keeps it as the last
 * exit, and publishes only when due.
 */
void status_vcpu_exit(uint32_t cpu, uint32_t exit_reason, uint64_t qualification, uint64_t guest_rip,
                      uint64_t now_tsc);

/* A failed or refused VM entry: counted and published at once (the name is copied). */
void status_vcpu_entry_failure(uint32_t cpu, const struct status_entry_failure *failure);

/* Publishes what this vCPU counted since its last write (before a report line, before stopping). */
void status_vcpu_flush(uint32_t cpu);

/*
 * vmxroot's own memory, for a guest to know what it must not reach:
 * [phys, phys + size_bytes), rounded out to whole pages. A range that
 * touches or overlaps one of the same kind and CPU is merged into it.
 * Returns 0, E_INVAL (size 0, unknown kind), E_NOMEM (the table is full:
 * the page's memory block is then marked incomplete), or E_STATE (no page).
 */
int status_memory_range_add(enum status_memory_kind kind, uint64_t phys, uint64_t size_bytes);
/* The same for a range that belongs to one CPU (its stacks, VMXON region, VMCSs, EPT tables). */
int status_memory_range_add_cpu(enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                                uint64_t size_bytes);
/*
 * Between these two, ranges this CPU adds go into one write of the memory
 * block (one checksum at the end; core/status_area.h says why); another CPU's
 * adds wait for the end. For the boot's own ranges, on the boot CPU.
 */
void status_memory_ranges_begin(void);
void status_memory_ranges_end(void);

#endif
