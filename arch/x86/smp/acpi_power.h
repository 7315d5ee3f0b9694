/*
 * The FADT's power-off and reset registers (ACPI spec, "FADT Format",
 * "PM1 Control Registers", "Reset Register"): where a guest that owns the
 * machine writes SLP_TYP|SLP_EN to power off, or the reset value to reset.
 * vmxroot traps those writes to see the guest's end (docs/guests.md).
 * Pure code, host-tested.
 */
#ifndef ARCH_X86_SMP_ACPI_POWER_H
#define ARCH_X86_SMP_ACPI_POWER_H

#include "arch/x86/smp/acpi.h"

#define ACPI_PM1_SLP_EN (1u << 13)
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP_MASK 7u

/* One register: an I/O port or an MMIO address (GAS space 0 or 1); address 0 means absent. */
struct acpi_power_register {
    bool mmio;
    uint64_t address;
};

struct acpi_power {
    struct acpi_power_register pm1a_control, pm1b_control;
    struct acpi_power_register reset; /* absent unless the FADT flags RESET_REG_SUP */
    uint8_t reset_value;
};

/* 0, or E_NOENT (no FADT fields: too short, hardware-reduced without the sleep registers parsed here). */
int acpi_power_parse(const struct acpi_header *fadt, struct acpi_power *out);

/* What a write does to the machine: nothing vmxroot must see, a sleep request (SLP_EN), a reset. */
enum acpi_power_write { ACPI_POWER_WRITE_OTHER = 0, ACPI_POWER_WRITE_SLEEP, ACPI_POWER_WRITE_RESET };

/*
 * A write of value to an I/O port (mmio false) or a physical address: a
 * sleep request when it is PM1a or PM1b control with SLP_EN set, a reset
 * when it is the reset register with the reset value. vmxroot does not read
 * the DSDT's \_S5, so every SLP_TYP counts as the end (it does not resume a
 * guest from a sleep state).
 */
enum acpi_power_write acpi_power_classify_write(const struct acpi_power *power, bool mmio, uint64_t address,
                                                uint64_t value);

#define ACPI_POWER_MMIO_PAGES_MAX 3
/* The distinct 4 KiB pages of the registers above that are in memory space (the page addresses); how many. */
unsigned acpi_power_mmio_pages(const struct acpi_power *power, uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX]);

#endif
