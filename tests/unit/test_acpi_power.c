/*
 * arch/x86/smp/acpi_power.c: the PM1 control blocks and the reset register
 * from the FADT (32-bit port fields, the 64-bit GAS in I/O and memory
 * space, RESET_REG_SUP), on synthetic tables.
 */
// host-sources: arch/x86/smp/acpi_power.c arch/x86/smp/acpi.c
#include "arch/x86/smp/acpi_power.h"
#include "core/lib/error.h"
#include "tests/unit/acpi_build.h"
#include "tests/unit/check.h"

static uint8_t table[512];

static const struct acpi_header *fadt(uint32_t length, uint32_t pm1a, uint32_t pm1b, uint32_t flags)
{
    memset(table, 0, sizeof table);
    build_put32(table + 64, pm1a);
    build_put32(table + 68, pm1b);
    build_put32(table + 112, flags);
    build_header(table, "FACP", length);
    return (const struct acpi_header *)table;
}

static void put_gas(uint8_t *gas, uint8_t space, uint64_t address)
{
    gas[0] = space;
    gas[1] = 16;
    build_put32(gas + 4, (uint32_t)address);
    build_put32(gas + 8, (uint32_t)(address >> 32));
}

TEST(pm1_control_from_the_port_blocks)
{
    struct acpi_power p;
    CHECK_EQ(acpi_power_parse(fadt(116, 0xb004, 0, 0), &p), E_OK); /* Bochs's PIIX4 PM base 0xb000 + 4 */
    CHECK(!p.pm1a_control.mmio);
    CHECK_EQ(p.pm1a_control.address, 0xb004);
    CHECK_EQ(p.pm1b_control.address, 0);
    CHECK_EQ(p.reset.address, 0); /* no RESET_REG_SUP */
}

TEST(pm1_control_x_block_wins_and_may_be_mmio)
{
    struct acpi_power p;
    fadt(276, 0x604, 0, 0);
    put_gas(table + 172, 0, 0xfed80004ull);
    build_header(table, "FACP", 276);
    CHECK_EQ(acpi_power_parse((const struct acpi_header *)table, &p), E_OK);
    CHECK(p.pm1a_control.mmio);
    CHECK_EQ(p.pm1a_control.address, 0xfed80004ull);
}

TEST(reset_register_only_with_reset_reg_sup)
{
    struct acpi_power p;
    fadt(244, 0x604, 0, 1u << 10);
    put_gas(table + 116, 1, 0xcf9);
    table[128] = 0x06;
    build_header(table, "FACP", 244);
    CHECK_EQ(acpi_power_parse((const struct acpi_header *)table, &p), E_OK);
    CHECK_EQ(p.reset.address, 0xcf9);
    CHECK(!p.reset.mmio);
    CHECK_EQ(p.reset_value, 0x06);
}

TEST(no_pm1_control_or_too_short)
{
    struct acpi_power p;
    CHECK_EQ(acpi_power_parse(fadt(100, 0xb004, 0, 0), &p), E_NOENT);
    CHECK_EQ(acpi_power_parse(fadt(116, 0, 0, 0), &p), E_NOENT);
}
