#include "arch/x86/smp/cpu_discovery.h"
#include "arch/x86/smp/acpi_boot.h"
#include "arch/x86/smp/madt.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "mm/frames.h"
#include "mm/multiboot2.h"

static const struct acpi_header *find_madt(const struct boot_info *info, uint64_t ebda_phys,
                                           struct acpi *acpi)
{
    int err = acpi_boot_open(info, ebda_phys, acpi);
    if (err == E_NOENT) {
        log_warn("smp: no ACPI RSDP (GRUB gave none%s): the boot CPU runs alone",
                 info->efi_system_table_present ? "" : " and the BIOS areas hold none");
        return NULL;
    }
    if (err < 0) {
        log_warn("smp: the ACPI RSDP or its root table is unusable: the boot CPU runs alone");
        return NULL;
    }
    const struct acpi_header *madt = acpi_find_table(acpi, "APIC");
    if (!madt)
        log_warn("smp: no usable MADT in the ACPI tables: the boot CPU runs alone");
    return madt;
}

static MUST_CHECK int add_cpu(uint32_t index, uint32_t apic_id, bool startable, enum cpu_reason reason)
{
    int err = percpu_create(index, apic_id, startable);
    if (err) {
        log_warn("cpu%u (apic %u): no memory for its per-CPU state (%s): left out", index, apic_id,
                 error_name(err));
        return err;
    }
    if (!startable) {
        cpu_table[index]->state = CPU_STATE_EXCLUDED;
        cpu_table[index]->reason = reason;
    }
    return 0;
}

void cpu_discovery_run(const struct boot_info *info, uint64_t ebda_phys,
                       const struct cpu_discovery_options *opts, struct cpu_discovery *out)
{
    struct acpi acpi;
    struct percpu *boot_cpu = cpu_table[0];

    out->lapic_phys = 0xFEE00000; /* the architectural default, until the MADT says otherwise */
    out->found = 1;
    out->max_apic_id = boot_cpu->apic_id;
    out->every_listed_cpu_starts = false;
    cpu_count_found = 1;

    const struct acpi_header *madt_table = find_madt(info, ebda_phys, &acpi);
    if (!madt_table)
        return; /* find_madt said why */
    /* struct madt_info is 16 KiB+: from frames, not the kernel image, and given back after. */
    size_t info_frames = (sizeof(struct madt_info) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    uint64_t madt_phys;
    if (frames_alloc(info_frames, 0, &madt_phys) < 0) {
        log_warn("smp: no memory to parse the MADT into: the boot CPU runs alone");
        return;
    }
    struct madt_info *madt = (struct madt_info *)(uintptr_t)madt_phys;
    int err = madt_parse(madt_table, madt);
    if (err < 0) {
        log_warn("smp: the MADT is unusable (%s): the boot CPU runs alone", error_name(err));
        frames_free(madt_phys, info_frames);
        return;
    }
    out->lapic_phys = madt->lapic_phys;

    bool boot_cpu_listed = false, every_listed_cpu_starts = madt->disabled == 0;
    uint32_t index = 1;
    for (uint32_t i = 0; i < madt->cpu_count; i++) {
        const struct madt_cpu *entry = &madt->cpus[i];
        if (!entry->enabled) {
            every_listed_cpu_starts = false;
            continue; /* online capable: could be hot-added later, not started now */
        }
        if (entry->apic_id > out->max_apic_id)
            out->max_apic_id = entry->apic_id;
        if (entry->apic_id == boot_cpu->apic_id) {
            boot_cpu_listed = true;
            continue;
        }
        if (index >= MAX_CPUS) {
            every_listed_cpu_starts = false;
            log_warn("smp: more than %u CPUs: apic %u and later are left out", MAX_CPUS, entry->apic_id);
            break;
        }
        enum cpu_reason reason = REASON_NONE;
        if (opts->smp_off)
            reason = REASON_SMP_OFF;
        else if (opts->max_cpus && index >= opts->max_cpus)
            reason = REASON_MAXCPUS;
        every_listed_cpu_starts = every_listed_cpu_starts && reason == REASON_NONE;
        if (add_cpu(index, entry->apic_id, reason == REASON_NONE, reason) == 0)
            index++;
        else
            every_listed_cpu_starts = false;
    }
    cpu_count_found = index;
    out->found = index;
    out->every_listed_cpu_starts = every_listed_cpu_starts && boot_cpu_listed;
    if (!boot_cpu_listed)
        log_warn("smp: the MADT does not list the boot CPU (apic %u); using it anyway", boot_cpu->apic_id);
    if (opts->smp_off && index > 1)
        log_info("smp: smp=off: %u APs left out", index - 1);
    else if (opts->max_cpus && index > opts->max_cpus)
        log_info("smp: maxcpus=%u: %u APs left out", opts->max_cpus, index - opts->max_cpus);
    frames_free(madt_phys, info_frames);
}
