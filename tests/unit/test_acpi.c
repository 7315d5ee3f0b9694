/*
 * Tests for arch/x86/smp/acpi.c: synthetic RSDP, RSDT, XSDT and MADT laid out
 * in a fake 1 MiB + 64 KiB "physical memory" read through a fake mapper.
 */
// host-sources: arch/x86/smp/acpi.c
#include "arch/x86/smp/acpi.h"
#include "core/lib/error.h"
#include "tests/unit/acpi_build.h"
#include "tests/unit/check.h"

#define MEM_BYTES (0x110000u)
#define RSDP_PHYS 0x1000u
#define RSDT_PHYS 0x2000u
#define XSDT_PHYS 0x3000u /* its 64-bit entries start at 0x3024: not 8-byte aligned */
#define MADT_PHYS 0x4000u
#define FADT_PHYS 0x5000u
#define MADT2_PHYS 0x6000u

static uint8_t memory[MEM_BYTES];
static struct fake_memory fake = { memory, MEM_BYTES, 0 };
static const struct acpi_mapper mapper = { fake_map, &fake };

static void reset_memory(void)
{
    memset(memory, 0, sizeof memory);
    fake.size_bytes = MEM_BYTES;
}

static void put_madt(uint32_t phys)
{
    struct madt_builder b;
    madt_begin(&b, memory + phys, 0xFEE00000u, 1);
    madt_lapic(&b, 0, 0, 1);
    madt_end(&b);
}

/* MADT and FADT, listed by an RSDT and an XSDT, and a revision 2 RSDP. */
static void lay_out_tables(uint8_t revision)
{
    reset_memory();
    put_madt(MADT_PHYS);
    build_header(memory + FADT_PHYS, "FACP", 116);
    uint64_t tables[] = { FADT_PHYS, MADT_PHYS };
    build_root(memory + RSDT_PHYS, false, tables, 2);
    build_root(memory + XSDT_PHYS, true, tables, 2);
    build_rsdp(memory + RSDP_PHYS, revision, RSDT_PHYS, revision >= 2 ? XSDT_PHYS : 0);
}

static int init_at(struct acpi *a, uint32_t rsdp_phys, size_t len)
{
    return acpi_init(a, &mapper, memory + rsdp_phys, len);
}

TEST(good_v1_uses_rsdt)
{
    struct acpi a;
    lay_out_tables(0);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(!a.root_is_xsdt);
    CHECK_EQ(a.root_phys, RSDT_PHYS);
    CHECK_EQ(a.entry_count, 2);
    CHECK_STR(a.oem_id, "VMXRT ");
    CHECK(acpi_find_table(&a, "APIC") == (const void *)(memory + MADT_PHYS));
    CHECK(acpi_find_table(&a, "FACP") == (const void *)(memory + FADT_PHYS));
    CHECK(log_contains("acpi: RSDP revision 0 (OEM \"VMXRT \"), RSDT at 0x2000 with 2 tables"));
    CHECK(!log_contains("warning"));
}

TEST(good_v2_uses_xsdt_with_unaligned_entries)
{
    struct acpi a;
    lay_out_tables(2);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_OK);
    CHECK(a.root_is_xsdt);
    CHECK_EQ(a.root_phys, XSDT_PHYS);
    CHECK_EQ(a.rsdp_revision, 2);
    /* Point the RSDT elsewhere: the answer must come from the XSDT. */
    build_put32(memory + RSDT_PHYS + 36, 0);
    CHECK(acpi_find_table(&a, "APIC") == (const void *)(memory + MADT_PHYS));
    CHECK(!log_contains("warning"));
}

TEST(v2_rsdp_given_short_uses_rsdt)
{
    struct acpi a;
    lay_out_tables(2);
    /* multiboot2's "old ACPI" tag copies only the 20-byte ACPI 1.0 part. */
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(!a.root_is_xsdt);
    CHECK(acpi_find_table(&a, "APIC") != NULL);
}

TEST(bad_rsdp_checksum)
{
    struct acpi a;
    lay_out_tables(0);
    memory[RSDP_PHYS + 9] ^= 1; /* OEM id: covered by the checksum */
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_CHECKSUM);
    CHECK(log_contains("error: acpi: the RSDP fails its checksum"));
    CHECK(acpi_find_table(&a, "APIC") == NULL);
}

TEST(bad_rsdp_signature_and_size)
{
    struct acpi a;
    lay_out_tables(0);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 19), E_RANGE);
    CHECK_EQ(acpi_init(&a, &mapper, NULL, 36), E_INVAL);
    memory[RSDP_PHYS] = 'r';
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_INVAL);
    CHECK(log_contains("has no \"RSD PTR \" signature"));
}

TEST(bad_extended_checksum)
{
    struct acpi a;
    lay_out_tables(2);
    memory[RSDP_PHYS + 24] ^= 0x10; /* XSDT address: only under the extended checksum */
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_CHECKSUM);
    CHECK(log_contains("the RSDP fails its extended checksum"));
}

TEST(bad_rsdp_length_v2)
{
    struct acpi a;
    lay_out_tables(2);
    build_put32(memory + RSDP_PHYS + 20, 40); /* more than the 36 bytes given */
    memory[RSDP_PHYS + 32] = 0;
    memory[RSDP_PHYS + 32] = (uint8_t)(0 - acpi_checksum(memory + RSDP_PHYS, 40));
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_RANGE);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 40), E_OK);
    build_put32(memory + RSDP_PHYS + 20, 20); /* less than a v2 RSDP */
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_RANGE);
}

TEST(bad_xsdt_falls_back_to_rsdt)
{
    struct acpi a;
    lay_out_tables(2);
    memory[XSDT_PHYS + 36] ^= 0x01;
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_OK);
    CHECK(!a.root_is_xsdt);
    CHECK_EQ(a.root_phys, RSDT_PHYS);
    CHECK(log_contains("warning: acpi: XSDT at 0x3000 fails its checksum, not used"));
    CHECK(log_contains("warning: acpi: falling back to the RSDT at 0x2000"));
    CHECK(acpi_find_table(&a, "APIC") != NULL);

    log_capture_reset();
    lay_out_tables(2);
    memcpy(memory + XSDT_PHYS, "RSDT", 4);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_OK);
    CHECK(!a.root_is_xsdt);
    CHECK(log_contains("XSDT at 0x3000 has a wrong signature, not used"));
}

TEST(xsdt_unreadable_falls_back_to_rsdt)
{
    struct acpi a;
    reset_memory();
    put_madt(MADT_PHYS);
    uint64_t tables[] = { MADT_PHYS };
    build_root(memory + RSDT_PHYS, false, tables, 1);
    build_rsdp(memory + RSDP_PHYS, 2, RSDT_PHYS, 0x100000000ull);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_OK);
    CHECK(!a.root_is_xsdt);
    CHECK(log_contains("XSDT at 0x100000000 is not readable, not used"));
}

TEST(no_usable_root)
{
    struct acpi a;
    lay_out_tables(2);
    memory[XSDT_PHYS + 36] ^= 0x01;
    memory[RSDT_PHYS + 36] ^= 0x01;
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_NOENT);
    CHECK(log_contains("error: acpi: no usable RSDT or XSDT"));
    CHECK(acpi_find_table(&a, "APIC") == NULL);

    lay_out_tables(0);
    build_rsdp(memory + RSDP_PHYS, 0, 0, 0);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_NOENT);
}

TEST(truncated_root_table)
{
    struct acpi a;
    lay_out_tables(0);
    build_header(memory + RSDT_PHYS, "RSDT", 35);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_NOENT);
    CHECK(log_contains("RSDT at 0x2000 is shorter than its 36-byte header, not used"));
}

TEST(root_with_stray_bytes_rounds_down)
{
    struct acpi a;
    lay_out_tables(0);
    build_header(memory + RSDT_PHYS, "RSDT", 36 + 8 + 3);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK_EQ(a.entry_count, 2);
}

TEST(overlong_root_table)
{
    struct acpi a;
    lay_out_tables(0);
    build_header(memory + RSDT_PHYS, "RSDT", (uint32_t)MiB(1) + 4);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_NOENT);
    CHECK(log_contains("RSDT at 0x2000 claims more than 1 MiB, not used"));

    log_capture_reset();
    lay_out_tables(0);
    uint32_t high_phys = MEM_BYTES - 0x100;
    uint64_t tables[] = { MADT_PHYS };
    build_root(memory + high_phys, false, tables, 1);
    build_put32(memory + high_phys + 4, 0x200); /* checksum never reached */
    build_rsdp(memory + RSDP_PHYS, 0, high_phys, 0);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_NOENT);
    CHECK(log_contains("RSDT at 0x10ff00 runs past readable memory, not used"));
}

TEST(bad_madt_checksum_is_skipped)
{
    struct acpi a;
    lay_out_tables(0);
    memory[MADT_PHYS + 40] ^= 0x02;
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(acpi_find_table(&a, "APIC") == NULL);
    CHECK(log_contains("warning: acpi: MADT at 0x4000 fails its checksum, ignored"));
}

TEST(second_madt_used_when_first_is_bad)
{
    struct acpi a;
    lay_out_tables(0);
    memory[MADT_PHYS + 40] ^= 0x02;
    put_madt(MADT2_PHYS);
    uint64_t tables[] = { FADT_PHYS, MADT_PHYS, MADT2_PHYS };
    build_root(memory + RSDT_PHYS, false, tables, 3);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(acpi_find_table(&a, "APIC") == (const void *)(memory + MADT2_PHYS));
    CHECK(log_contains("MADT at 0x4000 fails its checksum, ignored"));
}

TEST(truncated_and_overlong_tables_are_skipped)
{
    struct acpi a;
    lay_out_tables(0);
    build_header(memory + MADT_PHYS, "APIC", 20);
    build_put32(memory + FADT_PHYS + 4, (uint32_t)MiB(2));
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(acpi_find_table(&a, "APIC") == NULL);
    CHECK(log_contains("MADT at 0x4000 is shorter than its 36-byte header, ignored"));
    CHECK(acpi_find_table(&a, "FACP") == NULL);
    CHECK(log_contains("FADT at 0x5000 claims more than 1 MiB, ignored"));
}

TEST(table_running_past_memory_is_skipped)
{
    struct acpi a;
    uint32_t end_phys = MEM_BYTES - 64;
    lay_out_tables(2);
    put_madt(end_phys);
    build_put32(memory + end_phys + 4, 128); /* 64 bytes past the end */
    uint64_t tables[] = { end_phys, 0, 0x200000000ull, MADT_PHYS };
    build_root(memory + XSDT_PHYS, true, tables, 4);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 36), E_OK);
    CHECK(acpi_find_table(&a, "APIC") == (const void *)(memory + MADT_PHYS));
    CHECK(log_contains("MADT at 0x10ffc0 runs past readable memory, ignored"));
    CHECK(log_contains("XSDT entry 2 points at 0x200000000, which is not readable, ignored"));
}

TEST(no_madt)
{
    struct acpi a;
    lay_out_tables(0);
    uint64_t tables[] = { FADT_PHYS };
    build_root(memory + RSDT_PHYS, false, tables, 1);
    CHECK_EQ(init_at(&a, RSDP_PHYS, 20), E_OK);
    CHECK(acpi_find_table(&a, "APIC") == NULL);
    CHECK(!log_contains("warning"));
}

TEST(find_rsdp_in_buffer)
{
    uint64_t phys = 0;
    reset_memory();
    build_rsdp(memory + 0x108, 0, RSDT_PHYS, 0); /* not 16-byte aligned: not found */
    CHECK_EQ(acpi_find_rsdp_in(memory, 0x400, 0, &phys), E_NOENT);
    build_rsdp(memory + 0x120, 0, RSDT_PHYS, 0);
    CHECK_EQ(acpi_find_rsdp_in(memory, 0x400, 0, &phys), E_OK);
    CHECK_EQ(phys, 0x120);
    /* Alignment is of the physical address, not of the buffer offset. */
    CHECK_EQ(acpi_find_rsdp_in(memory + 8, 0x400, 0x10000, &phys), E_OK);
    CHECK_EQ(phys, 0x10100);
    /* Cut off by the end of the area: not found. */
    CHECK_EQ(acpi_find_rsdp_in(memory, 0x120 + 19, 0, &phys), E_NOENT);
    CHECK_EQ(acpi_find_rsdp_in(memory, 0, 0, &phys), E_NOENT);
}

TEST(find_rsdp_skips_bad_candidates)
{
    uint64_t phys = 0;
    reset_memory();
    build_rsdp(memory + 0x100, 0, RSDT_PHYS, 0);
    memory[0x100 + 8] ^= 1; /* bad checksum */
    build_rsdp(memory + 0x140, 2, RSDT_PHYS, XSDT_PHYS);
    memory[0x140 + 33] ^= 1; /* bad extended checksum */
    build_rsdp(memory + 0x180, 2, RSDT_PHYS, XSDT_PHYS);
    CHECK_EQ(acpi_find_rsdp_in(memory, 0x400, 0, &phys), E_OK);
    CHECK_EQ(phys, 0x180);
    /* A revision 2 RSDP cut off after 20 bytes cannot be checked: skipped. */
    CHECK_EQ(acpi_find_rsdp_in(memory + 0x180, 30, 0x180, &phys), E_NOENT);
}

TEST(legacy_search_ebda_then_bios_area)
{
    uint64_t phys = 0;
    reset_memory();
    build_put32(memory + 0x40E, 0x9FC0); /* EBDA segment 0x9FC0: 0x9FC00 */
    memory[0x410] = 0;
    memory[0x411] = 0;
    CHECK_EQ(acpi_ebda_phys(&mapper), 0x9FC00);
    build_rsdp(memory + 0xF5A30, 0, RSDT_PHYS, 0);
    CHECK_EQ(acpi_find_rsdp_legacy(&mapper, 0x9FC00, &phys), E_OK);
    CHECK_EQ(phys, 0xF5A30);
    build_rsdp(memory + 0x9FC40, 0, RSDT_PHYS, 0);
    CHECK_EQ(acpi_find_rsdp_legacy(&mapper, 0x9FC00, &phys), E_OK);
    CHECK_EQ(phys, 0x9FC40);
    /* An EBDA pointer outside conventional memory is not believed. */
    CHECK_EQ(acpi_find_rsdp_legacy(&mapper, 0xB0000, &phys), E_OK);
    CHECK_EQ(phys, 0xF5A30);
    memset(memory + 0xF5A30, 0, 36);
    memset(memory + 0x9FC40, 0, 36);
    CHECK_EQ(acpi_find_rsdp_legacy(&mapper, 0x9FC00, &phys), E_NOENT);
    memory[0x40E] = 0;
    memory[0x40F] = 0;
    CHECK_EQ(acpi_ebda_phys(&mapper), 0);
    memory[0x40F] = 0xB0; /* 0xB0000: video memory, not an EBDA */
    CHECK_EQ(acpi_ebda_phys(&mapper), 0);
}

TEST(legacy_search_with_nothing_readable)
{
    uint64_t phys = 0;
    fake.size_bytes = 0x1000;
    CHECK_EQ(acpi_ebda_phys(&mapper), 0);
    CHECK_EQ(acpi_find_rsdp_legacy(&mapper, 0x9FC00, &phys), E_NOENT);
    fake.size_bytes = MEM_BYTES;
}

TEST(checksum_sums_mod_256)
{
    uint8_t bytes[] = { 0x80, 0x80, 0x01, 0xFF };
    CHECK_EQ(acpi_checksum(bytes, 4), 0);
    CHECK_EQ(acpi_checksum(bytes, 3), 1);
    CHECK_EQ(acpi_checksum(bytes, 0), 0);
}
