/*
 * The two clocks the ACPI tables describe, for calibrating the TSC: the ACPI
 * power-management timer (a 3.579545 MHz counter of 24 or 32 bits in the
 * FADT's PM_TMR_BLK / X_PM_TMR_BLK) and the HPET (its register block's
 * address in the "HPET" table, IA-PC HPET Specification, "ACPI table").
 * Pure code over tables acpi_find_table checked: host-tested and fuzzed.
 * ACPI spec, "Fixed ACPI Description Table (FADT)", "Generic Address Structure".
 */
#ifndef ARCH_X86_SMP_ACPI_TIMERS_H
#define ARCH_X86_SMP_ACPI_TIMERS_H

#include "arch/x86/smp/acpi.h"

#define ACPI_PM_TIMER_HZ 3579545u

struct acpi_pm_timer {
    uint16_t io_port;
    uint8_t width_bits; /* 24, or 32 when the FADT sets TMR_VAL_EXT */
};

/* 0 and *out, or E_NOENT when the FADT gives no usable I/O-port PM timer (hardware-reduced ACPI, none). */
int acpi_pm_timer_parse(const struct acpi_header *fadt, struct acpi_pm_timer *out);

/* 0 and the HPET register block's physical address, or E_NOENT / E_INVAL for a table without one. */
int acpi_hpet_parse(const struct acpi_header *hpet, uint64_t *registers_phys);

#endif
