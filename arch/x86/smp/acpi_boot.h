/*
 * The machine's ACPI tables as this boot finds them: the RSDP GRUB handed
 * over (tag 15, else 14), or under BIOS the legacy scan, read through the
 * kernel's identity map. Used by CPU discovery (MADT) and the clocks (FADT,
 * HPET); each caller words its own warning when there are none.
 */
#ifndef ARCH_X86_SMP_ACPI_BOOT_H
#define ARCH_X86_SMP_ACPI_BOOT_H

#include "arch/x86/smp/acpi.h"

struct boot_info;

/* 0 and *acpi ready for acpi_find_table; E_NOENT (no RSDP) or the error of acpi_init. */
int acpi_boot_open(const struct boot_info *info, uint64_t ebda_phys, struct acpi *acpi);

#endif
