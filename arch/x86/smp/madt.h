/*
 * The Multiple APIC Description Table (signature "APIC"): the local APIC's
 * address and the list of processors the firmware reports.
 *
 * Pure code. ACPI spec, "Multiple APIC Description Table (MADT)",
 * "Processor Local APIC Structure", "Local APIC Address Override Structure",
 * "Processor Local x2APIC Structure", "Local APIC Flags".
 */
#ifndef ARCH_X86_SMP_MADT_H
#define ARCH_X86_SMP_MADT_H

#include "arch/x86/smp/acpi.h"

/* Room for this many usable CPUs; more are counted and dropped with a warning. */
#define MADT_MAX_CPUS 1024u

/* The fixed part: the header, the 32-bit local APIC address and the flags. */
#define MADT_FIXED_BYTES 44u

enum madt_entry_type {
    MADT_TYPE_LOCAL_APIC = 0,
    MADT_TYPE_LOCAL_APIC_ADDRESS_OVERRIDE = 5,
    MADT_TYPE_LOCAL_X2APIC = 9,
};

/* "Local APIC Flags" */
#define MADT_LAPIC_ENABLED (1u << 0)
#define MADT_LAPIC_ONLINE_CAPABLE (1u << 1)
/* MADT "Flags": a dual 8259 PIC is present (it must be masked before using the APICs). */
#define MADT_FLAG_PCAT_COMPAT (1u << 0)

/* An APIC id that means "no processor here" in each entry type. */
#define MADT_XAPIC_ID_NONE 0xFFu
#define MADT_X2APIC_ID_NONE 0xFFFFFFFFu

struct madt_cpu {
    uint32_t apic_id;
    uint32_t acpi_uid;
    uint32_t entry_offset; /* of its MADT entry, for messages */
    bool enabled;          /* usable now */
    bool online_capable;   /* may be hot-added later: listed, not started now */
    bool x2apic_entry;     /* from a Processor Local x2APIC entry (type 9) */
};

struct madt_info {
    uint64_t lapic_phys; /* the 32-bit field, or the type 5 override */
    bool lapic_overridden;
    bool pcat_compat;
    bool truncated;     /* a malformed entry stopped the walk early */
    uint32_t cpu_count; /* entries in cpus[]: usable ones (enabled or online capable) */
    uint32_t found;     /* processor entries (types 0 and 9) seen */
    uint32_t enabled;
    uint32_t online_capable;
    uint32_t disabled;   /* neither enabled nor online capable: never used */
    uint32_t ignored;    /* APIC id 0xFF / 0xFFFFFFFF, or an entry too short for its type */
    uint32_t duplicates; /* a usable CPU whose APIC id an earlier entry already has */
    uint32_t dropped;    /* usable CPUs past MADT_MAX_CPUS */
    struct madt_cpu cpus[MADT_MAX_CPUS];
};

/*
 * Parses the MADT (madt->length bytes readable, as acpi_find_table gives).
 * Returns E_INVAL for a table that is not a MADT or is shorter than 44
 * bytes, E_RANGE for one over 1 MiB, E_CHECKSUM for a bad checksum; 0
 * otherwise, also when a malformed entry stopped the walk (warned about).
 */
MUST_CHECK int madt_parse(const struct acpi_header *madt, struct madt_info *out);

#endif
