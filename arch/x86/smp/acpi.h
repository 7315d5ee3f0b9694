/*
 * ACPI root tables: finding and checking the Root System Description Pointer,
 * choosing the XSDT or the RSDT, and looking tables up by signature.
 *
 * Pure code: physical memory is read only through struct acpi_mapper, which
 * the kernel fills with its direct map and the host tests with buffers.
 * ACPI spec, "Root System Description Pointer (RSDP)", "Root System
 * Description Table (RSDT)", "Extended System Description Table (XSDT)",
 * "System Description Table Header".
 */
#ifndef ARCH_X86_SMP_ACPI_H
#define ARCH_X86_SMP_ACPI_H

#include "core/lib/compiler.h"
#include "core/lib/string.h"

/* Every ACPI table longer than this is taken as corrupt: real ones are KiBs. */
#define ACPI_TABLE_MAX_BYTES MiB(1)

/* ACPI spec, "Finding the RSDP on IA-PC Systems". */
#define ACPI_BDA_EBDA_SEGMENT_PHYS 0x40Eu /* 16-bit real-mode segment of the EBDA */
#define ACPI_EBDA_SCAN_BYTES 1024u        /* the first 1 KiB of the EBDA */
#define ACPI_BIOS_AREA_PHYS 0xE0000u      /* read-only BIOS space 0xE0000-0xFFFFF */
#define ACPI_BIOS_AREA_BYTES 0x20000u

struct acpi_rsdp {
    char signature[8]; /* "RSD PTR " */
    uint8_t checksum;  /* over the first 20 bytes (the ACPI 1.0 part) */
    char oem_id[6];
    uint8_t revision; /* 0 for ACPI 1.0; 2 and later have the fields below */
    uint32_t rsdt_phys;
    uint32_t length; /* of the whole RSDP, ACPI 2.0+ */
    uint64_t xsdt_phys;
    uint8_t extended_checksum; /* over all `length` bytes */
    uint8_t reserved[3];
} PACKED;

#define ACPI_RSDP_V1_BYTES 20u
#define ACPI_RSDP_V2_BYTES 36u
_Static_assert(sizeof(struct acpi_rsdp) == ACPI_RSDP_V2_BYTES, "ACPI RSDP layout");

struct acpi_header {
    char signature[4];
    uint32_t length; /* of the whole table, this header included */
    uint8_t revision;
    uint8_t checksum; /* all `length` bytes add up to 0 (mod 256) */
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} PACKED;

#define ACPI_HEADER_BYTES 36u
_Static_assert(sizeof(struct acpi_header) == ACPI_HEADER_BYTES, "ACPI table header layout");

/*
 * Reads physical memory: returns a pointer to len_bytes readable bytes at
 * phys, or NULL when that range is not readable (a table there is bad).
 * Pointers it returns must stay valid as long as struct acpi is used.
 */
struct acpi_mapper {
    const void *(*map)(void *ctx, uint64_t phys, size_t len_bytes);
    void *ctx;
};

struct acpi {
    const struct acpi_mapper *mapper;
    const struct acpi_header *root; /* the XSDT or the RSDT, checked */
    uint64_t root_phys;
    bool root_is_xsdt;
    uint32_t entry_count; /* table pointers in the root */
    uint8_t rsdp_revision;
    char oem_id[7]; /* from the RSDP, NUL-terminated */
};

/* Table fields need not be aligned (MADT entries, the FADT's 64-bit fields): read them with memcpy. */
static inline uint32_t acpi_read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint64_t acpi_read_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* Sum of the bytes, mod 256: a valid table sums to 0. */
uint8_t acpi_checksum(const void *bytes, size_t length_bytes);

/*
 * Scans buf (len bytes of physical memory starting at base_phys) for an RSDP
 * on a 16-byte physical boundary: "RSD PTR ", a valid checksum, and for
 * revision >= 2 also a sane length and a valid extended checksum. Returns 0
 * and its address in *rsdp_phys, or E_NOENT.
 */
MUST_CHECK int acpi_find_rsdp_in(const void *buf, size_t len, uint64_t base_phys, uint64_t *rsdp_phys);

/* The EBDA's physical address from the BIOS Data Area, or 0 when unusable. */
uint64_t acpi_ebda_phys(const struct acpi_mapper *m);

/*
 * The legacy BIOS search: the first 1 KiB of the EBDA at ebda_phys (skipped
 * when 0), then 0xE0000-0xFFFFF. For BIOS boots without a multiboot2 ACPI tag.
 */
MUST_CHECK int acpi_find_rsdp_legacy(const struct acpi_mapper *m, uint64_t ebda_phys, uint64_t *rsdp_phys);

/*
 * Checks the RSDP (rsdp_len bytes readable at rsdp) and picks the root table:
 * the XSDT when the RSDP has one and it is valid, else the RSDT. Returns 0,
 * E_INVAL / E_CHECKSUM for a bad RSDP, or E_NOENT when no root table is usable.
 */
MUST_CHECK int acpi_init(struct acpi *a, const struct acpi_mapper *m, const void *rsdp, size_t rsdp_len);

/*
 * The first table with this signature whose length and checksum are valid,
 * or NULL. Bad tables are named in a warning and skipped. The whole table
 * (header->length bytes) is readable through the returned pointer.
 */
const struct acpi_header *acpi_find_table(struct acpi *a, const char sig[4]);

#endif
