// host-sources: arch/x86/loader/acpi_guest.c arch/x86/smp/acpi.c arch/x86/smp/madt.c core/lib/error.c core/lib/format.c
/*
 * The guest's copies of the RSDP, the root table and the MADT: built from
 * synthetic firmware tables (XSDT and RSDT roots), put back into the fake
 * memory at their base, then read again with the kernel's own acpi_init and
 * madt_parse: the CPUs not offered are disabled, every other table is still
 * found, every checksum holds. And the refusals.
 */
#include "arch/x86/loader/acpi_guest.h"
#include "arch/x86/smp/madt.h"
#include "core/lib/error.h"
#include "tests/unit/acpi_build.h"
#include "tests/unit/check.h"

#define MEM_BYTES 0x20000u
#define RSDP_AT 0x1000u
#define ROOT_AT 0x2000u
#define FACP_AT 0x3000u
#define MADT_AT 0x4000u
#define COPY_AT 0x10000u

static uint8_t memory[MEM_BYTES];
static struct fake_memory fake = { memory, sizeof memory, 0 };
static const struct acpi_mapper mapper = { fake_map, &fake };
static char why[256];

/* Firmware tables: a FACP and a MADT with xAPIC ids 0-3 and an x2APIC id 0x100. */
static void build_firmware(bool xsdt)
{
    memset(memory, 0, sizeof memory);
    build_header(memory + FACP_AT, "FACP", 116);
    struct madt_builder b;
    madt_begin(&b, memory + MADT_AT, 0xFEE00000, MADT_FLAG_PCAT_COMPAT);
    for (uint8_t id = 0; id < 4; id++)
        madt_lapic(&b, id, id, MADT_LAPIC_ENABLED);
    madt_lapic(&b, 9, MADT_XAPIC_ID_NONE, MADT_LAPIC_ENABLED);
    madt_x2apic(&b, 0x100, MADT_LAPIC_ONLINE_CAPABLE, 4);
    madt_end(&b);
    const uint64_t tables[2] = { FACP_AT, MADT_AT };
    build_root(memory + ROOT_AT, xsdt, tables, 2);
    build_rsdp(memory + RSDP_AT, xsdt ? 2 : 0, xsdt ? 0 : ROOT_AT, xsdt ? ROOT_AT : 0);
}

static bool offer_even(void *ctx, uint32_t apic_id) { return apic_id % 2 == 0; }

static void check_copy(bool xsdt)
{
    build_firmware(xsdt);
    struct acpi a;
    CHECK_EQ(acpi_init(&a, &mapper, memory + RSDP_AT, ACPI_RSDP_V2_BYTES), 0);
    static uint8_t out[0x4000];
    struct acpi_guest_tables result;
    CHECK_EQ(
        acpi_guest_tables_build(&a, offer_even, NULL, COPY_AT, out, sizeof out, &result, why, sizeof why), 0);
    CHECK_EQ(result.rsdp_phys, COPY_AT);
    CHECK_EQ(result.offered, 3); /* ids 0, 2 and 0x100 */
    CHECK_EQ(result.hidden, 2);  /* ids 1 and 3 */
    memcpy(memory + COPY_AT, out, result.used_bytes);
    memset(memory + MADT_AT, 0, 4); /* the firmware's MADT is not what the guest reads */

    struct acpi guest;
    CHECK_EQ(acpi_init(&guest, &mapper, memory + COPY_AT, ACPI_RSDP_V2_BYTES), 0);
    CHECK_EQ(guest.root_is_xsdt, xsdt);
    CHECK_EQ(guest.entry_count, 2);
    CHECK_STR(guest.oem_id, a.oem_id);
    CHECK(acpi_find_table(&guest, "FACP") == (const void *)(memory + FACP_AT));
    const struct acpi_header *madt = acpi_find_table(&guest, "APIC");
    CHECK(madt != NULL);
    if (madt == NULL)
        return;
    static struct madt_info info;
    CHECK_EQ(madt_parse(madt, &info), 0);
    CHECK_EQ(info.found, 6);
    CHECK_EQ(info.enabled, 2);
    CHECK_EQ(info.online_capable, 1);
    CHECK_EQ(info.disabled, 2);
    CHECK_EQ(info.cpu_count, 3);
    CHECK_EQ(info.cpus[0].apic_id, 0);
    CHECK_EQ(info.cpus[1].apic_id, 2);
    CHECK_EQ(info.cpus[2].apic_id, 0x100);
    CHECK_EQ(info.lapic_phys, 0xFEE00000);
}

TEST(acpi_guest_tables_with_an_xsdt) { check_copy(true); }
TEST(acpi_guest_tables_with_an_rsdt) { check_copy(false); }

static bool offer_all(void *ctx, uint32_t apic_id) { return true; }

TEST(acpi_guest_tables_refusals)
{
    build_firmware(true);
    struct acpi a;
    CHECK_EQ(acpi_init(&a, &mapper, memory + RSDP_AT, ACPI_RSDP_V2_BYTES), 0);
    static uint8_t out[0x4000];
    struct acpi_guest_tables result;
    CHECK_EQ(acpi_guest_tables_build(&a, offer_all, NULL, COPY_AT, out, 100, &result, why, sizeof why),
             E_NOMEM);
    CHECK(strstr(why, "the buffer has 100") != NULL);
    CHECK_EQ(
        acpi_guest_tables_build(&a, offer_all, NULL, COPY_AT + 4, out, sizeof out, &result, why, sizeof why),
        E_INVAL);
    CHECK_EQ(acpi_guest_tables_build(&a, offer_all, NULL, COPY_AT, out, sizeof out, &result, why, sizeof why),
             0);
    CHECK_EQ(result.hidden, 0);
    CHECK_EQ(result.offered, 5);
    /* A MADT with a bad checksum is not a valid MADT. */
    memory[MADT_AT + 9] ^= 1;
    CHECK_EQ(acpi_guest_tables_build(&a, offer_all, NULL, COPY_AT, out, sizeof out, &result, why, sizeof why),
             E_NOENT);
    CHECK_STR(why, "the XSDT lists no valid MADT");
    /* An RSDT's copies must lie below 4 GiB. */
    build_firmware(false);
    CHECK_EQ(acpi_init(&a, &mapper, memory + RSDP_AT, ACPI_RSDP_V2_BYTES), 0);
    CHECK_EQ(
        acpi_guest_tables_build(&a, offer_all, NULL, 0xFFFFFF80, out, sizeof out, &result, why, sizeof why),
        E_INVAL);
}
