/*
 * Tests for arch/x86/smp/madt.c on synthetic MADTs (tests/unit/acpi_build.h).
 */
// host-sources: arch/x86/smp/madt.c arch/x86/smp/acpi.c
#include "arch/x86/smp/madt.h"
#include "core/lib/error.h"
#include "tests/unit/acpi_build.h"
#include "tests/unit/check.h"

static uint8_t table[32768];
static struct madt_info info;

static const struct acpi_header *madt(void) { return (const struct acpi_header *)table; }

static void begin(struct madt_builder *b)
{
    memset(table, 0, sizeof table);
    madt_begin(b, table, 0xFEE00000u, 0);
}

TEST(too_short_is_rejected)
{
    struct madt_builder b;
    begin(&b);
    build_header(table, "APIC", 43);
    CHECK_EQ(madt_parse(madt(), &info), E_INVAL);
    CHECK(log_contains("error: madt: the MADT is 43 bytes, shorter than its 44-byte fixed part"));
    CHECK_EQ(info.cpu_count, 0);
}

TEST(wrong_signature_and_huge_length_are_rejected)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, 1);
    madt_end(&b);
    memcpy(table, "APIX", 4);
    CHECK_EQ(madt_parse(madt(), &info), E_INVAL);
    memcpy(table, "APIC", 4);
    build_put32(table + 4, (uint32_t)MiB(1) + 1);
    CHECK_EQ(madt_parse(madt(), &info), E_RANGE);
}

TEST(bad_checksum_is_rejected)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, 1);
    madt_end(&b);
    table[45] ^= 0x01;
    CHECK_EQ(madt_parse(madt(), &info), E_CHECKSUM);
    CHECK(log_contains("madt: the MADT fails its checksum"));
}

TEST(zero_entries)
{
    struct madt_builder b;
    begin(&b);
    CHECK_EQ(madt_end(&b), 44);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 0);
    CHECK_EQ(info.found, 0);
    CHECK_EQ(info.lapic_phys, 0xFEE00000u);
    CHECK(!info.pcat_compat);
    CHECK(!info.truncated);
}

TEST(local_apic_entries_and_flags)
{
    struct madt_builder b;
    memset(table, 0, sizeof table);
    madt_begin(&b, table, 0xFEC01000u, MADT_FLAG_PCAT_COMPAT);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 2, MADT_LAPIC_ENABLED);
    uint8_t ioapic[12] = { 1, 12, 0, 0 }; /* an I/O APIC: skipped */
    madt_raw(&b, ioapic, sizeof ioapic);
    /* Online Capable is reserved when Enabled is set: still just enabled. */
    madt_lapic(&b, 2, 4, MADT_LAPIC_ENABLED | MADT_LAPIC_ONLINE_CAPABLE);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.lapic_phys, 0xFEC01000u);
    CHECK(!info.lapic_overridden);
    CHECK(info.pcat_compat);
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.found, 3);
    CHECK_EQ(info.enabled, 3);
    CHECK_EQ(info.cpus[1].apic_id, 2);
    CHECK_EQ(info.cpus[1].acpi_uid, 1);
    CHECK_EQ(info.cpus[1].entry_offset, 52);
    CHECK(info.cpus[2].enabled && !info.cpus[2].online_capable);
    CHECK(!info.cpus[0].x2apic_entry);
    CHECK(log_contains("madt: 3 CPUs usable (3 enabled, 0 online capable), 0 disabled, 0 duplicate; "
                       "local APIC at 0xfec01000"));
}

TEST(disabled_entries_are_counted_not_listed)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 1, 0);
    madt_x2apic(&b, 300, 0, 2);
    /* A disabled entry does not make a later enabled one with its id a duplicate. */
    madt_lapic(&b, 3, 1, MADT_LAPIC_ENABLED);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 2);
    CHECK_EQ(info.found, 4);
    CHECK_EQ(info.disabled, 2);
    CHECK_EQ(info.duplicates, 0);
    CHECK_EQ(info.cpus[1].apic_id, 1);
    CHECK_EQ(info.cpus[1].acpi_uid, 3);
}

TEST(online_capable_is_listed_not_enabled)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 1, MADT_LAPIC_ONLINE_CAPABLE);
    madt_x2apic(&b, 0x1234, MADT_LAPIC_ONLINE_CAPABLE, 7);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.enabled, 1);
    CHECK_EQ(info.online_capable, 2);
    CHECK(!info.cpus[1].enabled && info.cpus[1].online_capable);
    CHECK(info.cpus[2].online_capable && info.cpus[2].x2apic_entry);
    CHECK_EQ(info.cpus[2].acpi_uid, 7);
}

TEST(duplicate_apic_id_keeps_the_first)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 1, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 2, 1, MADT_LAPIC_ENABLED);  /* offset 0x3c */
    madt_x2apic(&b, 0, MADT_LAPIC_ENABLED, 9); /* offset 0x44: same CPU as entry 0 */
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 2);
    CHECK_EQ(info.duplicates, 2);
    CHECK_EQ(info.cpus[1].acpi_uid, 1);
    CHECK(log_contains("warning: madt: entry at offset 0x3c (type 0) repeats APIC id 1 of the entry at "
                       "offset 0x34 (type 0), ignored"));
    CHECK(log_contains("madt: entry at offset 0x44 (type 9) repeats APIC id 0 of the entry at "
                       "offset 0x2c (type 0), ignored"));
}

TEST(x2apic_ids_above_255)
{
    struct madt_builder b;
    begin(&b);
    madt_x2apic(&b, 256, MADT_LAPIC_ENABLED, 256);
    madt_x2apic(&b, 0x10000, MADT_LAPIC_ENABLED, 1000);
    madt_x2apic(&b, 0xFFFFFFFEu, MADT_LAPIC_ENABLED, 1);
    madt_x2apic(&b, MADT_X2APIC_ID_NONE, MADT_LAPIC_ENABLED, 2);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.found, 4);
    CHECK_EQ(info.ignored, 1);
    CHECK_EQ(info.cpus[0].apic_id, 256);
    CHECK_EQ(info.cpus[1].apic_id, 0x10000);
    CHECK_EQ(info.cpus[1].acpi_uid, 1000);
    CHECK_EQ(info.cpus[2].apic_id, 0xFFFFFFFEu);
    CHECK(info.cpus[0].x2apic_entry);
}

TEST(apic_id_ff_is_ignored)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0xFF, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 0xFE, MADT_LAPIC_ENABLED);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 1);
    CHECK_EQ(info.cpus[0].apic_id, 0xFE);
    CHECK_EQ(info.ignored, 1);
}

TEST(lapic_address_override)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_override(&b, 0x1FEE00000ull);
    madt_override(&b, 0x2FEE00000ull); /* a second one is ignored */
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(info.lapic_overridden);
    CHECK_EQ(info.lapic_phys, 0x1FEE00000ull);
    CHECK(log_contains("overrides the local APIC address again (0x2fee00000), ignored; keeping 0x1fee00000"));
    CHECK(log_contains("local APIC at 0x1fee00000 (override)"));
}

TEST(mixed_local_apic_and_x2apic)
{
    struct madt_builder b;
    begin(&b);
    for (uint32_t id = 0; id < 255; id++)
        madt_lapic(&b, (uint8_t)id, (uint8_t)id, MADT_LAPIC_ENABLED);
    for (uint32_t id = 255; id < 300; id++)
        madt_x2apic(&b, id, MADT_LAPIC_ENABLED, id);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 300);
    CHECK_EQ(info.enabled, 300);
    CHECK_EQ(info.cpus[254].apic_id, 254);
    CHECK(!info.cpus[254].x2apic_entry);
    CHECK_EQ(info.cpus[255].apic_id, 255); /* 255 is a valid x2APIC id */
    CHECK(info.cpus[299].x2apic_entry);
    CHECK_EQ(info.cpus[299].acpi_uid, 299);
}

TEST(zero_length_entry_stops_the_walk)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    uint8_t zero[8] = { 0, 0, 1, 1, 1 };
    madt_raw(&b, zero, sizeof zero);
    madt_lapic(&b, 2, 2, MADT_LAPIC_ENABLED);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(info.truncated);
    CHECK_EQ(info.cpu_count, 1);
    CHECK(log_contains("warning: madt: entry at offset 0x34 (type 0, length 0) is malformed, stopping"));
}

TEST(length_one_entry_stops_the_walk)
{
    struct madt_builder b;
    begin(&b);
    uint8_t one[2] = { 9, 1 };
    madt_raw(&b, one, sizeof one);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(info.truncated);
    CHECK(log_contains("entry at offset 0x2c (type 9, length 1) is malformed, stopping"));
}

TEST(overlong_entry_stops_the_walk)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 1, 1, MADT_LAPIC_ENABLED);
    b.p[b.length - 7] = 9; /* the last entry claims 9 bytes with 8 left */
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(info.truncated);
    CHECK_EQ(info.cpu_count, 1);
    CHECK(log_contains("entry at offset 0x34 (type 0, length 9) is malformed, stopping"));
}

TEST(trailing_byte_stops_the_walk)
{
    struct madt_builder b;
    begin(&b);
    madt_lapic(&b, 0, 0, MADT_LAPIC_ENABLED);
    uint8_t stray = 0;
    madt_raw(&b, &stray, 1);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(info.truncated);
    CHECK_EQ(info.cpu_count, 1);
    CHECK(log_contains("entry at offset 0x34 (type 0) is cut off by the table end, stopping"));
}

TEST(entry_too_short_for_its_type_is_skipped)
{
    struct madt_builder b;
    begin(&b);
    uint8_t short_lapic[6] = { 0, 6, 0, 5, 1, 0 };
    madt_raw(&b, short_lapic, sizeof short_lapic);
    uint8_t short_x2apic[12] = { 9, 12, 0, 0, 7, 0, 0, 0, 1 };
    madt_raw(&b, short_x2apic, sizeof short_x2apic);
    uint8_t short_override[8] = { 5, 8 };
    madt_raw(&b, short_override, sizeof short_override);
    madt_lapic(&b, 1, 1, MADT_LAPIC_ENABLED);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK(!info.truncated);
    CHECK_EQ(info.cpu_count, 1);
    CHECK_EQ(info.ignored, 3);
    CHECK(!info.lapic_overridden);
    CHECK(log_contains("entry at offset 0x2c (type 0, length 6) is shorter than 8 bytes, ignored"));
    CHECK(log_contains("entry at offset 0x32 (type 9, length 12) is shorter than 16 bytes, ignored"));
}

TEST(longer_entries_than_needed_are_accepted)
{
    struct madt_builder b;
    begin(&b);
    uint8_t long_lapic[10] = { 0, 10, 3, 7, 1, 0, 0, 0, 0xAA, 0xBB };
    madt_raw(&b, long_lapic, sizeof long_lapic);
    madt_lapic(&b, 1, 1, MADT_LAPIC_ENABLED);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, 2);
    CHECK_EQ(info.cpus[0].apic_id, 7);
    CHECK_EQ(info.cpus[1].entry_offset, 54);
}

TEST(more_cpus_than_room)
{
    struct madt_builder b;
    begin(&b);
    for (uint32_t id = 0; id < MADT_MAX_CPUS + 5; id++)
        madt_x2apic(&b, id, MADT_LAPIC_ENABLED, id);
    madt_end(&b);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.cpu_count, MADT_MAX_CPUS);
    CHECK_EQ(info.dropped, 5);
    CHECK(log_contains("madt: more than 1024 usable CPUs; APIC id 1024 and later ones are not started"));
}

/* QEMU 7.2 -M pc -smp 2,maxcpus=6 under SeaBIOS: the MADT as dumped (tests/fuzz/fuzz_acpi/repack_dump.py). */
static const uint8_t qemu_seabios_hotplug_madt[] = {
    0x41, 0x50, 0x49, 0x43, 0xa0, 0x00, 0x00, 0x00, 0x01, 0x1b, 0x42, 0x4f, 0x43, 0x48, 0x53, 0x20,
    0x42, 0x58, 0x50, 0x43, 0x20, 0x20, 0x20, 0x20, 0x01, 0x00, 0x00, 0x00, 0x42, 0x58, 0x50, 0x43,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xfe, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x02, 0x02,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x04, 0x04,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x05, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x00, 0x00,
    0x00, 0x00, 0xc0, 0xfe, 0x00, 0x00, 0x00, 0x00, 0x02, 0x0a, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x02, 0x0a, 0x00, 0x05, 0x05, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x02, 0x0a, 0x00, 0x09,
    0x09, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x02, 0x0a, 0x00, 0x0a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x00,
    0x02, 0x0a, 0x00, 0x0b, 0x0b, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x04, 0x06, 0xff, 0x00, 0x00, 0x01
};

TEST(real_qemu_madt_with_hotpluggable_cpus)
{
    memset(table, 0, sizeof table);
    memcpy(table, qemu_seabios_hotplug_madt, sizeof qemu_seabios_hotplug_madt);
    CHECK_EQ(madt_parse(madt(), &info), E_OK);
    CHECK_EQ(info.lapic_phys, 0xFEE00000u);
    CHECK(info.pcat_compat);
    CHECK(!info.truncated);
    CHECK_EQ(info.found, 6);
    CHECK_EQ(info.cpu_count, 2);
    CHECK_EQ(info.enabled, 2);
    CHECK_EQ(info.disabled, 4); /* QEMU lists maxcpus, the absent ones with flags 0 */
    CHECK_EQ(info.cpus[1].apic_id, 1);
    CHECK(!log_contains("warning"));
}
