/*
 * The pure arithmetic of TSC calibration: a window is a count of TSC ticks
 * against a count of reference-clock ticks (PIT, ACPI PM timer, HPET) of a
 * known frequency. Several windows are taken and their median used, so that
 * one window stretched by an SMI or a busy emulator host does not decide.
 * No hardware access: host-tested in tests/unit/test_tsc_calibration.c.
 */
#ifndef ARCH_X86_TIME_TSC_CALIBRATION_H
#define ARCH_X86_TIME_TSC_CALIBRATION_H

#include "core/lib/compiler.h"

#define TSC_CALIBRATION_WINDOWS_MAX 16

/* The ticks a counter of width_bits advanced from before to after (one wrap at most). */
uint64_t tsc_counter_delta(uint64_t before, uint64_t after, unsigned width_bits);

/* TSC kHz from one window; 0 when the window is empty or the figures would overflow. */
uint64_t tsc_window_khz(uint64_t tsc_ticks, uint64_t reference_ticks, uint64_t reference_hz);

/* The median of count values (the lower middle one for an even count); sorts values. 0 when empty. */
uint64_t tsc_median(uint64_t *values, unsigned count);

/* (max - min) / median of count values, in parts per million; 0 when empty. */
uint64_t tsc_spread_ppm(const uint64_t *values, unsigned count, uint64_t median);

/* How far other is from reference, in hundredths of a percent (signed: +150 = 1.50% above). */
int64_t tsc_difference_centipercent(uint64_t other, uint64_t reference);

/* The kHz CPUID leaf 0x15 implies (crystal Hz * EBX / EAX), or 0 when it gives no crystal frequency. */
uint64_t tsc_cpuid15_khz(uint32_t eax_denominator, uint32_t ebx_numerator, uint32_t ecx_crystal_hz);

#endif
