/*
 * Copies of the RSDP, the root table and the MADT for a guest (see
 * acpi_guest.h). Layout of the output: the RSDP at 0 (36 bytes), the root
 * copy at 64, the MADT copy after it on a 16-byte boundary.
 */
#include "arch/x86/loader/acpi_guest.h"
#include "arch/x86/loader/little_endian.h"
#include "arch/x86/smp/madt.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

#define ROOT_OFFSET 64u
#define MADT_LAPIC_ENTRY_BYTES 8u
#define MADT_X2APIC_ENTRY_BYTES 16u

static void fix_checksum(uint8_t *table, size_t checksum_offset, size_t length_bytes)
{
    table[checksum_offset] = 0;
    table[checksum_offset] = (uint8_t)(0 - acpi_checksum(table, length_bytes));
}

/* The index in the root of the first valid MADT, its address and its table; -1 when none. */
static int find_madt(struct acpi *a, uint64_t *madt_phys, const struct acpi_header **madt)
{
    unsigned entry_bytes = a->root_is_xsdt ? 8 : 4;
    const uint8_t *entries = (const uint8_t *)a->root + ACPI_HEADER_BYTES;
    for (uint32_t i = 0; i < a->entry_count; i++) {
        uint64_t phys = le_get(entries + (size_t)i * entry_bytes, entry_bytes);
        const struct acpi_header *h = a->mapper->map(a->mapper->ctx, phys, ACPI_HEADER_BYTES);
        if (h == NULL || memcmp(h->signature, "APIC", 4) != 0 || h->length < MADT_FIXED_BYTES ||
            h->length > ACPI_TABLE_MAX_BYTES)
            continue;
        h = a->mapper->map(a->mapper->ctx, phys, h->length);
        if (h != NULL && acpi_checksum(h, h->length) == 0) {
            *madt_phys = phys;
            *madt = h;
            return (int)i;
        }
    }
    return -1;
}

/* Clears Enabled and Online Capable in the processor entries not offered; a malformed entry ends the walk. */
static void hide_processors(uint8_t *madt, uint32_t length, acpi_guest_offer_fn offer, void *ctx,
                            struct acpi_guest_tables *result)
{
    for (uint32_t at = MADT_FIXED_BYTES; at + 2 <= length;) {
        uint8_t type = madt[at], entry_bytes = madt[at + 1];
        if (entry_bytes < 2 || entry_bytes > length - at)
            break;
        uint8_t *flags = NULL;
        uint32_t apic_id = 0;
        if (type == MADT_TYPE_LOCAL_APIC && entry_bytes >= MADT_LAPIC_ENTRY_BYTES &&
            madt[at + 3] != MADT_XAPIC_ID_NONE) {
            apic_id = madt[at + 3];
            flags = madt + at + 4;
        } else if (type == MADT_TYPE_LOCAL_X2APIC && entry_bytes >= MADT_X2APIC_ENTRY_BYTES &&
                   le_get(madt + at + 4, 4) != MADT_X2APIC_ID_NONE) {
            apic_id = (uint32_t)le_get(madt + at + 4, 4);
            flags = madt + at + 8;
        }
        if (flags != NULL && (flags[0] & (MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAPABLE))) {
            if (offer(ctx, apic_id)) {
                result->offered++;
            } else {
                flags[0] &= (uint8_t) ~(MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAPABLE);
                result->hidden++;
            }
        }
        at += entry_bytes;
    }
}

int acpi_guest_tables_build(struct acpi *a, acpi_guest_offer_fn offer, void *ctx, uint64_t base_phys,
                            uint8_t *out, size_t out_bytes, struct acpi_guest_tables *result, char *why,
                            size_t why_bytes)
{
    memset(result, 0, sizeof *result);
    uint64_t madt_phys;
    const struct acpi_header *madt;
    int index = find_madt(a, &madt_phys, &madt);
    if (index < 0) {
        format(why, why_bytes, "the %s lists no valid MADT", a->root_is_xsdt ? "XSDT" : "RSDT");
        return E_NOENT;
    }
    uint32_t root_bytes = a->root->length, madt_offset = ALIGN_UP(ROOT_OFFSET + root_bytes, 16u);
    uint64_t used = (uint64_t)madt_offset + madt->length;
    if (!IS_ALIGNED(base_phys, 8) || (!a->root_is_xsdt && base_phys + used > (1ull << 32))) {
        format(why, why_bytes, "0x%llx is not a place the %s can point to", (unsigned long long)base_phys,
               a->root_is_xsdt ? "XSDT" : "RSDT");
        return E_INVAL;
    }
    if (used > out_bytes) {
        format(why, why_bytes, "the copies need %llu bytes, the buffer has %zu", (unsigned long long)used,
               out_bytes);
        return E_NOMEM;
    }
    memset(out, 0, (size_t)used);

    uint8_t *root = out + ROOT_OFFSET, *madt_copy = out + madt_offset;
    memcpy(root, a->root, root_bytes);
    unsigned entry_bytes = a->root_is_xsdt ? 8 : 4;
    le_put(root + ACPI_HEADER_BYTES + (size_t)index * entry_bytes, base_phys + madt_offset, entry_bytes);
    fix_checksum(root, offsetof(struct acpi_header, checksum), root_bytes);
    memcpy(madt_copy, madt, madt->length);
    hide_processors(madt_copy, madt->length, offer, ctx, result);
    fix_checksum(madt_copy, offsetof(struct acpi_header, checksum), madt->length);

    /* The RSDP: revision 2 with only the XSDT, or revision 0 with only the RSDT, as the firmware's root. */
    memcpy(out, "RSD PTR ", 8);
    for (size_t i = 0; i < 6 && a->oem_id[i] != 0; i++)
        out[9 + i] = (uint8_t)a->oem_id[i];
    out[15] = a->root_is_xsdt ? 2 : 0;
    if (!a->root_is_xsdt)
        le_put(out + 16, base_phys + ROOT_OFFSET, 4);
    fix_checksum(out, offsetof(struct acpi_rsdp, checksum), ACPI_RSDP_V1_BYTES);
    if (a->root_is_xsdt) {
        le_put(out + offsetof(struct acpi_rsdp, length), ACPI_RSDP_V2_BYTES, 4);
        le_put(out + offsetof(struct acpi_rsdp, xsdt_phys), base_phys + ROOT_OFFSET, 8);
        fix_checksum(out, offsetof(struct acpi_rsdp, extended_checksum), ACPI_RSDP_V2_BYTES);
    }
    result->rsdp_phys = base_phys;
    result->used_bytes = (uint32_t)used;
    return 0;
}
