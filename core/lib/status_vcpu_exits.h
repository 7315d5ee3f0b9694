/*
 * One vCPU's VM exits as its own exit path counts them (pure logic,
 * host-tested): by basic reason in slots given out on first use, the last
 * exit, and when the status publisher is due to copy them into the vCPU's
 * record on the page (docs/status-page.md, "Exit counts").
 *
 * Why the counts sit here, in the bottom library, and not behind a call
 * into core per exit: the guest layer (arch/x86/vmx/vcpu_run.c) counts an
 * exit with a few stores into memory of its own vCPU, and the publisher
 * above (core/status_vcpu_table.c) reads these counts whenever it writes the
 * record. Under Bochs the indirect call and the publisher's checks per exit
 * were a quarter of the CPUID exit round trip. The layering stays: the exit
 * path calls upward (through guest_report, the interface core installs) only
 * when a publish is due, at most once per interval of TSC time.
 *
 * Writers: the vCPU's CPU writes everything while its vCPU runs, except
 * published_tsc and interval_tsc, which only the publisher writes (attach,
 * and each publish it makes for an exit or a flush, on that same CPU).
 */
#ifndef CORE_LIB_STATUS_VCPU_EXITS_H
#define CORE_LIB_STATUS_VCPU_EXITS_H

#include "core/lib/compiler.h"

/* Exit-count slots per vCPU record: one per basic exit reason, given out on first use. */
#define STATUS_EXIT_SLOTS 32u
/* Basic exit reasons a slot can name (the reason is a u8 in the record). */
#define STATUS_EXIT_REASON_LIMIT 256u
/* slot_of_reason: the reason has no slot (yet, or never: every slot was taken first). */
#define STATUS_SLOT_NONE 0xffu

struct status_vcpu_exits {
    uint64_t total;       /* every exit counted, exact */
    uint32_t other;       /* exits whose reason got no slot (modulo 2^32, as on the page) */
    uint32_t last_reason; /* the exit-reason field as read (bit 31: entry failure) */
    uint64_t last_qualification;
    uint64_t last_guest_rip;
    uint64_t last_tsc; /* the TSC the exit path read at the last exit */
    /* The publisher's: an exit is due to publish once interval_tsc has passed since published_tsc. */
    uint64_t published_tsc;
    uint64_t interval_tsc; /* UINT64_MAX until a publisher attaches these counts: never due */
    uint8_t slots_used;
    uint8_t slot_reason[STATUS_EXIT_SLOTS];
    uint32_t slot_count[STATUS_EXIT_SLOTS]; /* modulo 2^32, as on the page */
    uint8_t slot_of_reason[STATUS_EXIT_REASON_LIMIT];
};

/* No exit yet, no slot given, never due (until a publisher attaches). */
void status_vcpu_exits_init(struct status_vcpu_exits *exits);

/* Cold: an exit of a basic reason without a slot gets the next free one, or counts as other. */
void status_vcpu_exits_count_unslotted(struct status_vcpu_exits *exits, uint32_t basic);

/*
 * One VM exit: exit_reason as read from the VMCS (bits 15:0 the basic
 * reason), its qualification, the guest RIP and the TSC read at the exit.
 * True when a publish is due: the caller then asks the publisher for one.
 * The unsigned difference also makes a TSC that went backwards (written by
 * a guest, a reset) due at once.
 */
static inline __attribute__((always_inline)) bool
status_vcpu_exits_count(struct status_vcpu_exits *exits, uint32_t exit_reason, uint64_t qualification,
                        uint64_t guest_rip, uint64_t now_tsc)
{
    uint32_t basic = exit_reason & 0xffffu;
    uint8_t slot = basic < STATUS_EXIT_REASON_LIMIT ? exits->slot_of_reason[basic] : STATUS_SLOT_NONE;
    if (__builtin_expect(slot == STATUS_SLOT_NONE, 0))
        status_vcpu_exits_count_unslotted(exits, basic);
    else
        exits->slot_count[slot]++;
    exits->total++;
    exits->last_reason = exit_reason;
    exits->last_qualification = qualification;
    exits->last_guest_rip = guest_rip;
    exits->last_tsc = now_tsc;
    return now_tsc - exits->published_tsc >= exits->interval_tsc;
}

#endif
