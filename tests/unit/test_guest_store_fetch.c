// host-sources: arch/x86/vmx/guest_store_fetch.c arch/x86/vmx/guest_page_walk.c arch/x86/vmx/mmio_store_decode.c arch/x86/vmx/mmio_insn_format.c arch/x86/vmx/mmio_load_decode.c arch/x86/smp/acpi_power.c core/lib/format.c
/*
 * The store (and a load) at a guest's RIP, as vm0's EPT-violation
 * handlers get it: the instruction fetched from a host buffer that stands
 * for guest-physical memory, through the guest's 4-level page tables (an instruction split
 * over two pages that are not adjacent in guest-physical memory), with
 * paging off in 32-bit and 16-bit code, and a second page the EPT does not
 * let it read; then the PM1 control write a guest makes that way, from its
 * instruction bytes to acpi_power_classify_write's verdict.
 */
#include "arch/x86/vmx/guest_store_fetch.h"
#include "arch/x86/smp/acpi_power.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

#define MEMORY_BYTES (64 * 4096)
static uint8_t memory[MEMORY_BYTES];
static uint64_t unreadable_page = ~0ull; /* a gpa page the EPT gives no read access to */
static char why[160];

static int translate(void *ctx, uint64_t gpa, uint64_t *hpa)
{
    (void)ctx;
    if (gpa >= MEMORY_BYTES || (gpa & ~0xFFFull) == unreadable_page)
        return E_NOENT;
    *hpa = (uint64_t)(uintptr_t)(memory + gpa);
    return 0;
}

static void put(uint64_t gpa, uint64_t entry) { memcpy(memory + gpa, &entry, 8); }

/* 64-bit code: CR0.PG|PE, CR4.PAE, EFER.LME|LMA, CS.L; linear 0xffffffff81000000 + page n -> gpa pages[n]. */
static struct guest_store_state long_mode(uint64_t rip, uint64_t page0_gpa, uint64_t page1_gpa)
{
    memset(memory, 0, sizeof memory);
    unreadable_page = ~0ull;
    put(0x1000 + 511 * 8, 0x2000 | 3);
    put(0x2000 + 510 * 8, 0x3000 | 3);
    put(0x3000 + 8 * 8, 0x4000 | 3);
    put(0x4000 + 0 * 8, page0_gpa | 3);
    put(0x4000 + 1 * 8, page1_gpa | 3);
    struct guest_store_state s = {
        .cr0 = 0x80000011,
        .cr3 = 0x1000,
        .cr4 = 0x20,
        .efer = 0x500,
        .cs_access_rights = 0xa09b,
        .rip = rip,
        .translate = translate,
    };
    for (unsigned i = 0; i < 16; i++)
        s.gpr[i] = 0x1111111111111111ull * i;
    return s;
}

TEST(an_instruction_split_over_two_pages)
{
    /* movw %ax, (%rdx) at the last 2 bytes of linear page 0 and the first byte of page 1. */
    struct guest_store_state s = long_mode(0xffffffff81000ffeull, 0x6000, 0x9000);
    memory[0x6ffe] = 0x66;
    memory[0x6fff] = 0x89;
    memory[0x9000] = 0x02;
    s.gpr[0] = 0x12345678abcd2001ull;
    struct mmio_store store;
    CHECK_EQ(guest_store_code_mode(s.cs_access_rights, s.efer), MMIO_CODE_64);
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), 0);
    CHECK_EQ(store.size_bytes, 2);
    CHECK_EQ(store.length_bytes, 3);
    CHECK_EQ(store.value, 0x2001);
    /* The second page not readable through the EPT: only 2 bytes, short of the instruction. */
    unreadable_page = 0x9000;
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), E_RANGE);
    /* Its page-table entry not present: the same. */
    unreadable_page = ~0ull;
    put(0x4000 + 1 * 8, 0);
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), E_RANGE);
}

TEST(a_load_split_over_two_pages)
{
    /* movabs 0xfee00020, %eax (kvm-unit-tests' xapic_id): A1 and its 8-byte offset, 4 bytes on each page. */
    struct guest_store_state s = long_mode(0xffffffff81000ffcull, 0x6000, 0x9000);
    static const uint8_t insn[] = { 0xa1, 0x20, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00 };
    memcpy(memory + 0x6ffc, insn, 4);
    memcpy(memory + 0x9000, insn + 4, sizeof insn - 4);
    struct mmio_load load;
    CHECK_EQ(guest_load_fetch_decode(&s, &load, why, sizeof why), 0);
    CHECK_EQ(load.length_bytes, 9);
    CHECK_EQ(load.size_bytes, 4);
    CHECK_EQ(load.dest_register, 0);
    unreadable_page = 0x9000;
    CHECK_EQ(guest_load_fetch_decode(&s, &load, why, sizeof why), E_RANGE);
}

TEST(paging_off_32_and_16_bit_code)
{
    struct guest_store_state s = long_mode(0x10, 0, 0);
    s.cr0 = 0x11; /* PE, no paging: linear = guest-physical */
    s.efer = 0;
    s.cr4 = 0;
    s.cs_base = 0x7000;
    s.cs_access_rights = 0xc09b; /* D: 32-bit */
    memory[0x7010] = 0x89;       /* movl %eax, (%edx) */
    memory[0x7011] = 0x02;
    s.gpr[0] = 0xffffffff00002000ull;
    struct mmio_store store;
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), 0);
    CHECK_EQ(store.size_bytes, 4);
    CHECK_EQ(store.value, 0x2000);
    s.cs_access_rights = 0x009b; /* 16-bit: the same bytes store AX */
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), 0);
    CHECK_EQ(store.size_bytes, 2);
    /* CS.L without EFER.LMA is not 64-bit code. */
    CHECK_EQ(guest_store_code_mode(0xa09b, 0x100), MMIO_CODE_16);
    CHECK_EQ(guest_store_code_mode(0xa09b, 0x500), MMIO_CODE_64);
}

TEST(a_pm1_control_write_from_guest_memory_to_its_verdict)
{
    /* Linux's acpi_hw_write of SLP_TYP 5 | SLP_EN: movw %ax, (%rdx) with RDX at PM1a control in memory space. */
    struct acpi_power power = { .pm1a_control = { true, 0xfed80004ull } };
    struct guest_store_state s = long_mode(0xffffffff81000100ull, 0x6000, 0x9000);
    memcpy(memory + 0x6100, (const uint8_t[]){ 0x66, 0x89, 0x02 }, 3);
    s.gpr[0] = 0x3400;
    struct mmio_store store;
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), 0);
    CHECK_EQ(acpi_power_classify_write(&power, true, 0xfed80004ull, store.value), ACPI_POWER_WRITE_SLEEP);
    /* The first step of ACPI's write, SLP_TYP without SLP_EN, goes to the device. */
    s.gpr[0] = 0x1400;
    CHECK_EQ(guest_store_fetch_decode(&s, &store, why, sizeof why), 0);
    CHECK_EQ(acpi_power_classify_write(&power, true, 0xfed80004ull, store.value), ACPI_POWER_WRITE_OTHER);
}
