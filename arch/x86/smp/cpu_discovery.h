/*
 * Which CPUs exist: the MADT (found through the RSDP that GRUB handed over,
 * or the legacy BIOS scan) turned into cpu_table entries, the boot CPU first.
 * Honours smp=off and maxcpus=. Without a usable MADT the boot CPU runs
 * alone and the log says why.
 */
#ifndef ARCH_X86_SMP_CPU_DISCOVERY_H
#define ARCH_X86_SMP_CPU_DISCOVERY_H

#include "core/lib/compiler.h"

struct boot_info;

/* What discovery takes from the command line; main fills it. */
struct cpu_discovery_options {
    bool smp_off;      /* smp=off: every AP is recorded, none is started */
    uint32_t max_cpus; /* maxcpus=N, the boot CPU included; 0 = no limit */
};

struct cpu_discovery {
    uint64_t lapic_phys;
    uint32_t found; /* usable CPUs the firmware lists (boot CPU included) */
    uint32_t max_apic_id;
    /*
     * Every CPU the MADT lists is enabled and to be started (none left out by
     * smp=off, maxcpus= or the table's size, none disabled or only online
     * capable): an INIT-SIPI broadcast then reaches no CPU that must stay off.
     */
    bool every_listed_cpu_starts;
};

/*
 * Fills cpu_table; the boot CPU's own entry must already exist (index 0).
 * Without a usable MADT the boot CPU runs alone, and the log says why.
 */
void cpu_discovery_run(const struct boot_info *info, uint64_t ebda_phys,
                       const struct cpu_discovery_options *opts, struct cpu_discovery *out);

#endif
