/*
 * The ACPI tables a guest that owns the machine is given, when some CPUs
 * are not offered to it (a CPU not in VMX root, guest_cpus=N): a new RSDP,
 * a copy of the root table (XSDT or RSDT, as the firmware has) whose MADT
 * entry points to a copy of the MADT in which the processors not offered
 * are marked neither enabled nor online capable; checksums fixed. Every
 * other table stays where the firmware put it. The guest's zero page gets
 * the new RSDP's address (boot_params.h). Pure: the tables are read through
 * struct acpi's mapper and written to a buffer the caller copies to
 * base_phys. ACPI spec: "Root System Description Pointer (RSDP)",
 * "Multiple APIC Description Table (MADT)", "Local APIC Flags".
 *
 * A CPU marked disabled here could still be started natively by a guest's
 * INIT/SIPI broadcast: hiding it in the MADT is a description, not a wall.
 */
#ifndef ARCH_X86_LOADER_ACPI_GUEST_H
#define ARCH_X86_LOADER_ACPI_GUEST_H

#include "arch/x86/smp/acpi.h"

/* Whether the processor with this APIC id is offered to the guest. */
typedef bool (*acpi_guest_offer_fn)(void *ctx, uint32_t apic_id);

struct acpi_guest_tables {
    uint64_t rsdp_phys;  /* base_phys: the RSDP comes first */
    uint32_t used_bytes; /* of the buffer */
    uint32_t offered;    /* processor entries left as they were */
    uint32_t hidden;     /* processor entries whose Enabled and Online Capable flags were cleared */
};

/*
 * Builds the copies for a (acpi_init done). out (out_bytes) is what goes to
 * guest-physical base_phys (8-byte aligned, below 4 GiB for an RSDT root).
 * 0, or: E_NOENT when the root lists no valid MADT, E_NOMEM when out is too
 * small, E_INVAL for a base_phys the root cannot point to; why says which.
 */
MUST_CHECK int acpi_guest_tables_build(struct acpi *a, acpi_guest_offer_fn offer, void *ctx,
                                       uint64_t base_phys, uint8_t *out, size_t out_bytes,
                                       struct acpi_guest_tables *result, char *why, size_t why_bytes);

#endif
