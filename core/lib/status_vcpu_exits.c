/* The cold side of a vCPU's exit counts (core/lib/status_vcpu_exits.h). */
#include "core/lib/status_vcpu_exits.h"
#include "core/lib/string.h"

void status_vcpu_exits_init(struct status_vcpu_exits *exits)
{
    memset(exits, 0, sizeof *exits);
    memset(exits->slot_of_reason, STATUS_SLOT_NONE, sizeof exits->slot_of_reason);
    exits->interval_tsc = UINT64_MAX;
}

/*
 * A slot is given the first time its reason occurs and keeps it; once all
 * are taken, a new reason never gets one, so it stays STATUS_SLOT_NONE and
 * each of its exits comes here to count as other (reasons beyond the slots
 * are rare: 32 hold every reason the guests cause).
 */
void status_vcpu_exits_count_unslotted(struct status_vcpu_exits *exits, uint32_t basic)
{
    if (basic >= STATUS_EXIT_REASON_LIMIT || exits->slots_used >= STATUS_EXIT_SLOTS) {
        exits->other++;
        return;
    }
    uint8_t slot = exits->slots_used++;
    exits->slot_reason[slot] = (uint8_t)basic;
    exits->slot_count[slot] = 1;
    exits->slot_of_reason[basic] = slot;
}
