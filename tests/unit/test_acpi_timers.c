/*
 * arch/x86/smp/acpi_timers.c: the PM timer from the FADT (PM_TMR_BLK, the
 * 64-bit X_PM_TMR_BLK, TMR_VAL_EXT, hardware-reduced ACPI) and the HPET's
 * base address from its table, on synthetic tables.
 */
// host-sources: arch/x86/smp/acpi_timers.c arch/x86/smp/acpi.c
#include "arch/x86/smp/acpi_timers.h"
#include "core/lib/error.h"
#include "tests/unit/acpi_build.h"
#include "tests/unit/check.h"

static uint8_t table[512];

/* A FADT of length bytes with PM_TMR_BLK = port (length 4) and the given flags. */
static const struct acpi_header *fadt(uint32_t length, uint32_t port, uint32_t flags)
{
    memset(table, 0, sizeof table);
    build_put32(table + 76, port);
    table[91] = 4;
    build_put32(table + 112, flags);
    build_header(table, "FACP", length);
    return (const struct acpi_header *)table;
}

TEST(pm_timer_from_pm_tmr_blk)
{
    struct acpi_pm_timer t;
    CHECK_EQ(acpi_pm_timer_parse(fadt(116, 0x608, 0), &t), E_OK); /* QEMU's PIIX4 port */
    CHECK_EQ(t.io_port, 0x608);
    CHECK_EQ(t.width_bits, 24);
    CHECK_EQ(acpi_pm_timer_parse(fadt(244, 0xb008, 1u << 8), &t), E_OK); /* TMR_VAL_EXT */
    CHECK_EQ(t.io_port, 0xb008);
    CHECK_EQ(t.width_bits, 32);
}

TEST(pm_timer_x_block_wins)
{
    struct acpi_pm_timer t;
    fadt(276, 0x608, 0);
    table[208] = 1; /* system I/O */
    table[209] = 32;
    build_put64(table + 212, 0x1808);
    build_fix_checksum(table);
    CHECK_EQ(acpi_pm_timer_parse((const struct acpi_header *)table, &t), E_OK);
    CHECK_EQ(t.io_port, 0x1808);
    table[208] = 0; /* system memory: not read by this code */
    CHECK_EQ(acpi_pm_timer_parse((const struct acpi_header *)table, &t), E_NOENT);
}

TEST(pm_timer_absent)
{
    struct acpi_pm_timer t;
    CHECK_EQ(acpi_pm_timer_parse(fadt(116, 0, 0), &t), E_NOENT);            /* no port */
    CHECK_EQ(acpi_pm_timer_parse(fadt(116, 0x608, 1u << 20), &t), E_NOENT); /* hardware-reduced */
    CHECK_EQ(acpi_pm_timer_parse(fadt(100, 0x608, 0), &t), E_NOENT);        /* too short for flags */
    fadt(116, 0x608, 0);
    table[91] = 0; /* PM_TMR_LEN must be 4 */
    CHECK_EQ(acpi_pm_timer_parse((const struct acpi_header *)table, &t), E_NOENT);
    CHECK_EQ(acpi_pm_timer_parse(fadt(116, 0xFFFE, 0), &t), E_NOENT); /* runs past the port space */
}

static const struct acpi_header *hpet(uint32_t length, uint8_t space, uint64_t address)
{
    memset(table, 0, sizeof table);
    build_put32(table + 36, 0x8086a201);
    table[40] = space;
    build_put64(table + 44, address);
    build_header(table, "HPET", length);
    return (const struct acpi_header *)table;
}

TEST(hpet_base)
{
    uint64_t phys = 0;
    CHECK_EQ(acpi_hpet_parse(hpet(56, 0, 0xFED00000u), &phys), E_OK);
    CHECK_EQ(phys, 0xFED00000u);
    CHECK_EQ(acpi_hpet_parse(hpet(56, 1, 0xFED00000u), &phys), E_NOENT); /* not memory */
    CHECK_EQ(acpi_hpet_parse(hpet(52, 0, 0xFED00000u), &phys), E_INVAL); /* short */
    CHECK_EQ(acpi_hpet_parse(hpet(56, 0, 0), &phys), E_INVAL);
    CHECK_EQ(acpi_hpet_parse(hpet(56, 0, 0xFED00010u), &phys), E_INVAL); /* not 1 KiB aligned */
}
