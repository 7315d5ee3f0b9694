/*
 * Time from the TSC: its frequency is measured once on the boot CPU
 * (arch/x86/time/tsc_calibrate.c) and set here. Delays are busy waits named
 * with their units; every wait in the kernel is bounded by one of these.
 */
#ifndef ARCH_X86_TSC_H
#define ARCH_X86_TSC_H

#include "core/lib/compiler.h"

static inline uint64_t rdtsc(void)
{
    uint32_t low, high;
    __asm__ volatile("rdtsc" : "=a"(low), "=d"(high));
    return ((uint64_t)high << 32) | low;
}

void tsc_set_khz(uint64_t tsc_khz_value);
uint64_t tsc_khz(void);
uint64_t tsc_to_us(uint64_t ticks);
uint64_t tsc_from_us(uint64_t us);
void delay_us(uint64_t us);
/*
 * A wait between two looks at other CPUs: us microseconds reading only the
 * TSC, then one PAUSE. Under QEMU's multi-threaded TCG every PAUSE takes the
 * emulator's global lock, which the other vCPUs need to run (an AP taking its
 * INIT and SIPI); a PAUSE per pass starved them.
 */
void delay_poll_us(uint64_t us);

#endif
