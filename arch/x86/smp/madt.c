/*
 * MADT parsing: walks the interrupt controller structures after the fixed
 * part and keeps the processors we may start. A malformed entry ends the
 * walk (its length cannot be trusted to find the next one), keeping what was
 * found before it; a bad value inside a well-formed entry only skips that one.
 */
#include "arch/x86/smp/madt.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

/* Minimum lengths, ACPI spec, the structures named in madt.h. */
#define LOCAL_APIC_ENTRY_BYTES 8u
#define LAPIC_OVERRIDE_ENTRY_BYTES 12u
#define LOCAL_X2APIC_ENTRY_BYTES 16u

static const struct madt_cpu *find_apic_id(const struct madt_info *out, uint32_t apic_id)
{
    for (uint32_t i = 0; i < out->cpu_count; i++)
        if (out->cpus[i].apic_id == apic_id)
            return &out->cpus[i];
    return NULL;
}

/* One Processor Local APIC (type 0) or Processor Local x2APIC (type 9) entry. */
static void add_cpu(struct madt_info *out, uint32_t offset, uint32_t apic_id, uint32_t acpi_uid,
                    uint32_t flags, bool x2apic_entry)
{
    unsigned type = x2apic_entry ? MADT_TYPE_LOCAL_X2APIC : MADT_TYPE_LOCAL_APIC;
    out->found++;
    if (apic_id == (x2apic_entry ? MADT_X2APIC_ID_NONE : MADT_XAPIC_ID_NONE)) {
        log_debug("madt: entry at offset 0x%x (type %u) has APIC id 0x%x, meaning no processor, ignored",
                  offset, type, apic_id);
        out->ignored++;
        return;
    }
    /* "Local APIC Flags": Online Capable is reserved (zero) when Enabled is set. */
    bool enabled = flags & MADT_LAPIC_ENABLED;
    bool online_capable = !enabled && (flags & MADT_LAPIC_ONLINE_CAPABLE);
    if (!enabled && !online_capable) {
        out->disabled++;
        return;
    }
    const struct madt_cpu *first = find_apic_id(out, apic_id);
    if (first) {
        log_warn("madt: entry at offset 0x%x (type %u) repeats APIC id %u of the entry at offset 0x%x "
                 "(type %u), ignored; the firmware lists one CPU twice",
                 offset, type, apic_id, first->entry_offset,
                 first->x2apic_entry ? MADT_TYPE_LOCAL_X2APIC : MADT_TYPE_LOCAL_APIC);
        out->duplicates++;
        return;
    }
    if (out->cpu_count == MADT_MAX_CPUS) {
        if (out->dropped++ == 0)
            log_warn("madt: more than %u usable CPUs; APIC id %u and later ones are not started",
                     MADT_MAX_CPUS, apic_id);
        return;
    }
    out->cpus[out->cpu_count++] = (struct madt_cpu){
        .apic_id = apic_id,
        .acpi_uid = acpi_uid,
        .entry_offset = offset,
        .enabled = enabled,
        .online_capable = online_capable,
        .x2apic_entry = x2apic_entry,
    };
    if (enabled)
        out->enabled++;
    else
        out->online_capable++;
}

static void lapic_override(struct madt_info *out, uint32_t offset, uint64_t lapic_phys)
{
    if (out->lapic_overridden) {
        if (lapic_phys != out->lapic_phys)
            log_warn("madt: entry at offset 0x%x overrides the local APIC address again (0x%llx), ignored; "
                     "keeping 0x%llx",
                     offset, (unsigned long long)lapic_phys, (unsigned long long)out->lapic_phys);
        return;
    }
    out->lapic_phys = lapic_phys;
    out->lapic_overridden = true;
}

/* Returns the minimum length of a known entry type, 0 for others (skipped). */
static uint32_t entry_min_bytes(uint8_t type)
{
    switch (type) {
    case MADT_TYPE_LOCAL_APIC:
        return LOCAL_APIC_ENTRY_BYTES;
    case MADT_TYPE_LOCAL_APIC_ADDRESS_OVERRIDE:
        return LAPIC_OVERRIDE_ENTRY_BYTES;
    case MADT_TYPE_LOCAL_X2APIC:
        return LOCAL_X2APIC_ENTRY_BYTES;
    default:
        return 0;
    }
}

static void parse_entry(struct madt_info *out, const uint8_t *e, uint32_t offset)
{
    uint8_t type = e[0], length = e[1];
    uint32_t min = entry_min_bytes(type);
    if (length < min) {
        log_warn("madt: entry at offset 0x%x (type %u, length %u) is shorter than %u bytes, ignored", offset,
                 type, length, min);
        out->ignored++;
        return;
    }
    switch (type) {
    case MADT_TYPE_LOCAL_APIC: /* uid u8 at 2, APIC id u8 at 3, flags u32 at 4 */
        add_cpu(out, offset, e[3], e[2], acpi_read_u32(e + 4), false);
        break;
    case MADT_TYPE_LOCAL_APIC_ADDRESS_OVERRIDE: /* reserved u16 at 2, address u64 at 4 */
        lapic_override(out, offset, acpi_read_u64(e + 4));
        break;
    case MADT_TYPE_LOCAL_X2APIC: /* reserved u16 at 2, id u32 at 4, flags u32 at 8, uid u32 at 12 */
        add_cpu(out, offset, acpi_read_u32(e + 4), acpi_read_u32(e + 12), acpi_read_u32(e + 8), true);
        break;
    default:
        break; /* I/O APICs, overrides, NMI sources: not needed to start CPUs */
    }
}

int madt_parse(const struct acpi_header *madt, struct madt_info *out)
{
    const uint8_t *table = (const uint8_t *)madt;
    memset(out, 0, sizeof *out);
    if (memcmp(madt->signature, "APIC", 4) != 0) {
        log_error("madt: the table given is not a MADT (signature is not \"APIC\")");
        return E_INVAL;
    }
    uint32_t length = madt->length;
    if (length < MADT_FIXED_BYTES) {
        log_error("madt: the MADT is %u bytes, shorter than its 44-byte fixed part; "
                  "no CPU but this one can be found: update the firmware",
                  length);
        return E_INVAL;
    }
    if (length > ACPI_TABLE_MAX_BYTES) {
        log_error("madt: the MADT claims %u bytes, more than 1 MiB; not used", length);
        return E_RANGE;
    }
    if (acpi_checksum(table, length) != 0) {
        log_error("madt: the MADT fails its checksum; not used");
        return E_CHECKSUM;
    }
    out->lapic_phys = acpi_read_u32(table + ACPI_HEADER_BYTES);
    out->pcat_compat = acpi_read_u32(table + ACPI_HEADER_BYTES + 4) & MADT_FLAG_PCAT_COMPAT;

    uint32_t offset = MADT_FIXED_BYTES;
    while (offset < length) {
        const uint8_t *e = table + offset;
        if (length - offset < 2) {
            log_warn("madt: entry at offset 0x%x (type %u) is cut off by the table end, stopping", offset,
                     e[0]);
            out->truncated = true;
            break;
        }
        if (e[1] < 2 || e[1] > length - offset) {
            log_warn("madt: entry at offset 0x%x (type %u, length %u) is malformed, stopping; "
                     "CPUs listed after it are not started: update the firmware",
                     offset, e[0], e[1]);
            out->truncated = true;
            break;
        }
        parse_entry(out, e, offset);
        offset += e[1];
    }
    log_info("madt: %u CPUs usable (%u enabled, %u online capable), %u disabled, %u duplicate; "
             "local APIC at 0x%llx%s",
             out->cpu_count, out->enabled, out->online_capable, out->disabled, out->duplicates,
             (unsigned long long)out->lapic_phys, out->lapic_overridden ? " (override)" : "");
    return E_OK;
}
