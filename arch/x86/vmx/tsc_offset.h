/*
 * A vm0 vCPU's time-stamp counter on the VMCS's TSC offset (SDM Vol. 3:
 * "Time-Stamp Counter Adjustment", and "Timestamp Counter Offsetting and
 * Scaling" in the VMX chapters). The guest's TSC is the processor's plus
 * the offset; its IA32_TSC_ADJUST is the processor's plus the offset, so a
 * write of either moves the offset alone, as the SDM says the two move
 * together, and vmxroot's own clock (the processor's TSC) never moves.
 * Pure arithmetic, unit-tested on the host (tests/unit/test_tsc_offset.c).
 */
#ifndef ARCH_X86_VMX_TSC_OFFSET_H
#define ARCH_X86_VMX_TSC_OFFSET_H

#include "core/lib/compiler.h"

/* WRMSR IA32_TSC_ADJUST: the offset that makes the guest's adjust value read back as written. */
static inline uint64_t tsc_offset_for_adjust(uint64_t processor_adjust, uint64_t written)
{
    return written - processor_adjust;
}

/* WRMSR IA32_TSC: the offset that makes the guest's TSC read the written value now. */
static inline uint64_t tsc_offset_for_tsc(uint64_t processor_tsc, uint64_t written)
{
    return written - processor_tsc;
}

/*
 * IA32_TSC_DEADLINE holds a guest TSC value, the processor compares it with
 * its own TSC (the offset is not applied to it): the processor's value for
 * it. 0 disarms the timer in both; a deadline already passed for the guest
 * stays one for the processor (1: fires at once), never wraps to far ahead.
 */
static inline uint64_t tsc_deadline_for_processor(uint64_t guest_deadline, uint64_t offset,
                                                  uint64_t guest_now)
{
    if (guest_deadline == 0)
        return 0;
    if (guest_deadline <= guest_now)
        return 1;
    return guest_deadline - offset;
}

#endif
