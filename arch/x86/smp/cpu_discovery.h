/*
 * Which CPUs exist: the MADT (found through the RSDP that GRUB handed over,
 * or the legacy BIOS scan) turned into cpu_table entries, the boot CPU first.
 * Honours smp=off and maxcpus=. Without a usable MADT the boot CPU runs
 * alone and the log says why.
 */
#ifndef ARCH_X86_SMP_CPU_DISCOVERY_H
#define ARCH_X86_SMP_CPU_DISCOVERY_H

#include "core/cmdline.h"

struct boot_info;

struct cpu_discovery {
    uint64_t lapic_phys;
    uint32_t found; /* usable CPUs the firmware lists (boot CPU included) */
    uint32_t max_apic_id;
};

/* Fills cpu_table; the boot CPU's own entry must already exist (index 0). */
int cpu_discovery_run(const struct boot_info *info, uint64_t ebda_phys, const struct boot_options *opts,
                      struct cpu_discovery *out);

#endif
