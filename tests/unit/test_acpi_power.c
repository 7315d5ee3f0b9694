/*
 * arch/x86/smp/acpi_power.c: the PM1 control blocks and the reset register
 * from the FADT (32-bit port fields, the 64-bit GAS in I/O and memory
 * space, RESET_REG_SUP), on synthetic tables; then which guest writes end
 * the machine (acpi_power_classify_write), with the stores decoded from the
 * instructions a guest uses on a PM1 control word in memory space, and the
 * pages vm0's EPT write-protects for them.
 */
// host-sources: arch/x86/smp/acpi_power.c arch/x86/smp/acpi.c arch/x86/vmx/mmio_store_decode.c arch/x86/vmx/mmio_insn_format.c core/lib/format.c
#include "arch/x86/smp/acpi_power.h"
#include "arch/x86/vmx/mmio_store_decode.h"
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

/* A FADT with PM1a control at port pm1a and the reset register at port 0xCF9 (value 6), parsed. */
static struct acpi_power port_power(uint32_t pm1a)
{
    struct acpi_power p;
    fadt(244, pm1a, 0, 1u << 10);
    put_gas(table + 116, 1, 0xcf9);
    table[128] = 0x06;
    build_header(table, "FACP", 244);
    CHECK_EQ(acpi_power_parse((const struct acpi_header *)table, &p), E_OK);
    return p;
}

TEST(reset_register_only_with_reset_reg_sup)
{
    struct acpi_power p = port_power(0x604);
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

/* A FADT whose PM1a/PM1b control and reset register are all in memory space (address space id 0). */
static struct acpi_power mmio_power(void)
{
    struct acpi_power p;
    fadt(276, 0xb004, 0, 1u << 10); /* the 32-bit port field is there too: the X_ block wins */
    put_gas(table + 172, 0, 0xfed80004ull);
    put_gas(table + 184, 0, 0xfed80804ull); /* PM1b in the same page */
    put_gas(table + 116, 0, 0xfed81000ull);
    table[128] = 0x06;
    build_header(table, "FACP", 276);
    CHECK_EQ(acpi_power_parse((const struct acpi_header *)table, &p), E_OK);
    CHECK(p.pm1a_control.mmio && p.pm1b_control.mmio && p.reset.mmio);
    return p;
}

/* The value the instruction stores, as the EPT-violation path decodes it (64-bit code). */
static uint64_t stored(const uint8_t *bytes, size_t n, uint64_t rax, unsigned size_bytes)
{
    uint64_t gpr[16] = { rax };
    struct mmio_store store;
    char why[128];
    CHECK_EQ(mmio_store_decode(bytes, n, MMIO_CODE_64, gpr, &store, why, sizeof why), 0);
    CHECK_EQ(store.size_bytes, size_bytes);
    return store.value;
}

TEST(mmio_pm1_write_classification)
{
    struct acpi_power p = mmio_power();
    static const uint8_t movw_ax[] = { 0x66, 0x89, 0x02 };             /* movw %ax, (%rdx) */
    static const uint8_t movw_s5[] = { 0x66, 0xc7, 0x02, 0x00, 0x34 }; /* movw $0x3400, (%rdx) */
    static const uint8_t movl_eax[] = { 0x89, 0x02 };                  /* movl %eax, (%rdx) */
    /* SLP_TYP 5 | SLP_EN, as Linux's acpi_hw_write writes it to PM1a: the end. */
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80004ull, stored(movw_s5, sizeof movw_s5, 0, 2)),
             ACPI_POWER_WRITE_SLEEP);
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80804ull, stored(movw_ax, sizeof movw_ax, 0x2001, 2)),
             ACPI_POWER_WRITE_SLEEP); /* PM1b, SLP_TYP 0 */
    /* SLP_TYP written first without SLP_EN (ACPI's two-step write), SCI_EN alone: go to the device. */
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80004ull, stored(movw_ax, sizeof movw_ax, 0x1401, 2)),
             ACPI_POWER_WRITE_OTHER);
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80004ull, stored(movw_ax, sizeof movw_ax, 0x1, 2)),
             ACPI_POWER_WRITE_OTHER);
    /* A 16-bit store drops bit 13 from above the word: RAX 0x12000 stores 0x2000, SLP_EN. */
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80004ull, stored(movw_ax, sizeof movw_ax, 0x12000, 2)),
             ACPI_POWER_WRITE_SLEEP);
    /* SLP_EN elsewhere in the page (PM1 status, at 0xfed80000), or at the port with the MMIO address's number. */
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed80000ull, stored(movl_eax, sizeof movl_eax, 0x2000, 4)),
             ACPI_POWER_WRITE_OTHER);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0xb004, 0x3400), ACPI_POWER_WRITE_OTHER);
    /* The reset register in memory space: only its reset value resets. */
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed81000ull, 0x06), ACPI_POWER_WRITE_RESET);
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xfed81000ull, 0x02), ACPI_POWER_WRITE_OTHER);
}

TEST(port_pm1_write_classification)
{
    struct acpi_power p = port_power(0xb004);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0xb004, 0x3400), ACPI_POWER_WRITE_SLEEP);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0xb004, 0x1400), ACPI_POWER_WRITE_OTHER);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0xb000, 0x2000), ACPI_POWER_WRITE_OTHER);
    CHECK_EQ(acpi_power_classify_write(&p, true, 0xb004, 0x2000), ACPI_POWER_WRITE_OTHER);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0xcf9, 0x06), ACPI_POWER_WRITE_RESET);
    CHECK_EQ(acpi_power_classify_write(&p, false, 0, 0x2000), ACPI_POWER_WRITE_OTHER); /* absent PM1b */
    uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX];
    CHECK_EQ(acpi_power_mmio_pages(&p, pages), 0); /* nothing in memory space: no page write-protected */
}

TEST(mmio_pages_are_distinct)
{
    struct acpi_power p = mmio_power();
    uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX];
    CHECK_EQ(acpi_power_mmio_pages(&p, pages),
             2); /* PM1a and PM1b share a page, the reset register has its own */
    CHECK(pages[0] == 0xfed80000ull);
    CHECK(pages[1] == 0xfed81000ull);
}
