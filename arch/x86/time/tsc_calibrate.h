/*
 * Measures the TSC frequency once on the boot CPU against a clock of known
 * frequency, in this order: the ACPI PM timer (FADT), the HPET (its ACPI
 * table), the PIT. CPUID leaf 0x15, where it gives a crystal frequency, is
 * only a cross-check (it names the crystal, and emulators and some CPUs run
 * the TSC at another rate); leaf 0x16 is a nominal frequency, never used.
 * The source is named on the console. inject=no-pit hides the PIT;
 * selftest=clocks measures every clock there is, one line each.
 */
#ifndef ARCH_X86_TIME_TSC_CALIBRATE_H
#define ARCH_X86_TIME_TSC_CALIBRATE_H

#include "core/lib/compiler.h"

struct boot_info;

struct tsc_calibrate_options {
    bool hide_pit;    /* inject=no-pit: as if the PIT were gated off */
    bool every_clock; /* selftest=clocks: measure against every clock there is, one line each */
};

/* Sets tsc_khz(); needs the page tables (the HPET is mapped uncached). */
void tsc_calibrate(const struct boot_info *info, uint64_t ebda_phys,
                   const struct tsc_calibrate_options *opts);

#endif
