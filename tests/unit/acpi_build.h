/*
 * Builders for synthetic ACPI tables in a flat "physical memory" buffer, and
 * a mapper over it. Shared by tests/unit/test_acpi.c, test_madt.c and
 * tests/fuzz/fuzz_acpi.c. Layouts: ACPI spec, "Root System Description
 * Pointer", "System Description Table Header", "Multiple APIC Description Table".
 */
#ifndef TESTS_UNIT_ACPI_BUILD_H
#define TESTS_UNIT_ACPI_BUILD_H

#include <string.h>
#include "arch/x86/smp/acpi.h"

struct fake_memory {
    uint8_t *bytes;
    size_t size_bytes;
    unsigned map_calls;
};

/* NULL when [phys, phys + len) is not all inside the buffer. */
static inline const void *fake_map(void *ctx, uint64_t phys, size_t len_bytes)
{
    struct fake_memory *mem = ctx;
    mem->map_calls++;
    if (phys > mem->size_bytes || len_bytes > mem->size_bytes - phys)
        return NULL;
    return mem->bytes + phys;
}

static inline void build_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void build_put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Recomputes a table's checksum byte (offset 9) over its length field. */
static inline void build_fix_checksum(uint8_t *table)
{
    uint32_t length;
    memcpy(&length, table + 4, 4);
    table[9] = 0;
    table[9] = (uint8_t)(0 - acpi_checksum(table, length));
}

/* A header with signature and length (body bytes follow), checksum fixed. */
static inline void build_header(uint8_t *table, const char sig[4], uint32_t length)
{
    memcpy(table, sig, 4);
    build_put32(table + 4, length);
    table[8] = 1;
    memcpy(table + 10, "VMXRT ", 6);
    memcpy(table + 16, "TESTTABL", 8);
    build_put32(table + 24, 1);
    build_put32(table + 28, 0x54455354);
    build_put32(table + 32, 1);
    build_fix_checksum(table);
}

/* An RSDP: revision 0 is ACPI 1.0 (20 bytes), 2 adds the XSDT (36 bytes). */
static inline void build_rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt_phys, uint64_t xsdt_phys)
{
    memset(p, 0, ACPI_RSDP_V2_BYTES);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "VMXRT ", 6);
    p[15] = revision;
    build_put32(p + 16, rsdt_phys);
    p[8] = (uint8_t)(0 - acpi_checksum(p, ACPI_RSDP_V1_BYTES));
    if (revision >= 2) {
        build_put32(p + 20, ACPI_RSDP_V2_BYTES);
        build_put64(p + 24, xsdt_phys);
        p[32] = (uint8_t)(0 - acpi_checksum(p, ACPI_RSDP_V2_BYTES));
    }
}

/* An RSDT (4-byte entries) or XSDT (8-byte entries) listing tables. */
static inline uint32_t build_root(uint8_t *p, bool xsdt, const uint64_t *tables_phys, unsigned n)
{
    unsigned entry = xsdt ? 8 : 4;
    for (unsigned i = 0; i < n; i++) {
        if (xsdt)
            build_put64(p + ACPI_HEADER_BYTES + i * entry, tables_phys[i]);
        else
            build_put32(p + ACPI_HEADER_BYTES + i * entry, (uint32_t)tables_phys[i]);
    }
    uint32_t length = ACPI_HEADER_BYTES + n * entry;
    build_header(p, xsdt ? "XSDT" : "RSDT", length);
    return length;
}

/* MADT: a fixed part, then entries appended with the helpers below. */
struct madt_builder {
    uint8_t *p;
    uint32_t length;
};

static inline void madt_begin(struct madt_builder *b, uint8_t *p, uint32_t lapic_phys, uint32_t flags)
{
    b->p = p;
    b->length = 44;
    memset(p, 0, 44);
    build_put32(p + 36, lapic_phys);
    build_put32(p + 40, flags);
}

static inline void madt_raw(struct madt_builder *b, const uint8_t *entry, uint32_t len)
{
    memcpy(b->p + b->length, entry, len);
    b->length += len;
}

static inline void madt_lapic(struct madt_builder *b, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
    uint8_t e[8] = { 0, 8, uid, apic_id };
    build_put32(e + 4, flags);
    madt_raw(b, e, sizeof e);
}

static inline void madt_x2apic(struct madt_builder *b, uint32_t x2apic_id, uint32_t flags, uint32_t uid)
{
    uint8_t e[16] = { 9, 16 };
    build_put32(e + 4, x2apic_id);
    build_put32(e + 8, flags);
    build_put32(e + 12, uid);
    madt_raw(b, e, sizeof e);
}

static inline void madt_override(struct madt_builder *b, uint64_t lapic_phys)
{
    uint8_t e[12] = { 5, 12 };
    build_put64(e + 4, lapic_phys);
    madt_raw(b, e, sizeof e);
}

/* Writes the header over the fixed part; returns the table's length. */
static inline uint32_t madt_end(struct madt_builder *b)
{
    build_header(b->p, "APIC", b->length);
    return b->length;
}

#endif
