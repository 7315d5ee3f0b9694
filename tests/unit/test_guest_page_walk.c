// host-sources: arch/x86/vmx/guest_page_walk.c
/*
 * The guest page walk over tables built in a host buffer that stands for
 * guest-physical memory: 4-level paging with 4 KiB, 2 MiB and 1 GiB pages
 * (Linux's kernel text and fixmap), PAE, 32-bit paging with a 4 MiB page,
 * paging off, a not-present entry, a read that fails.
 */
#include "arch/x86/vmx/guest_page_walk.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

#define MEMORY_BYTES (64 * 4096)
static uint8_t memory[MEMORY_BYTES];

static int read_gpa(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value)
{
    if (gpa + size_bytes > MEMORY_BYTES)
        return E_RANGE;
    uint64_t v = 0;
    memcpy(&v, memory + gpa, size_bytes);
    *value = v;
    return 0;
}

static void put(uint64_t gpa, uint64_t entry) { memcpy(memory + gpa, &entry, 8); }
static void put32(uint64_t gpa, uint32_t entry) { memcpy(memory + gpa, &entry, 4); }

static struct guest_paging long_mode(uint64_t cr3)
{
    return (struct guest_paging){
        .cr0 = 0x80000011, .cr3 = cr3, .cr4 = 0x20, .efer = 0x500, .read_gpa = read_gpa
    };
}

TEST(four_level)
{
    memset(memory, 0, sizeof memory);
    uint64_t va = 0xffffffff81000123ull; /* PML4 511, PDPT 510, PD 8, PT 0 */
    put(0x1000 + 511 * 8, 0x2000 | 3);
    put(0x2000 + 510 * 8, 0x3000 | 3);
    put(0x3000 + 8 * 8, 0x4000 | 3);
    put(0x4000 + 0 * 8, 0x8000000000abc000ull | 3); /* NX in bit 63 is not an address bit */
    struct guest_paging p = long_mode(0x1000);
    uint64_t gpa = 0;
    CHECK_EQ(guest_page_walk(&p, va, &gpa), 0);
    CHECK_EQ(gpa, 0xabc123);
    /* A 2 MiB page at PD 9. */
    put(0x3000 + 9 * 8, 0x40000000ull | 0x83);
    CHECK_EQ(guest_page_walk(&p, 0xffffffff81234567ull, &gpa), 0);
    CHECK_EQ(gpa, 0x40034567);
    /* A 1 GiB page at PDPT 0 of PML4 0. */
    put(0x1000, 0x5000 | 3);
    put(0x5000, 0x80000000ull | 0x83);
    CHECK_EQ(guest_page_walk(&p, 0x12345678, &gpa), 0);
    CHECK_EQ(gpa, 0x92345678);
    /* Not present; a table outside memory. */
    CHECK_EQ(guest_page_walk(&p, 0xffffffff81400000ull, &gpa), E_NOENT);
    put(0x1000 + 8, 0x7000000ull | 3);
    CHECK_EQ(guest_page_walk(&p, 1ull << 39, &gpa), E_RANGE);
    p.cr4 |= 1ull << 12;
    CHECK_EQ(guest_page_walk(&p, va, &gpa), E_NOTSUP);
}

TEST(pae_legacy_and_off)
{
    memset(memory, 0, sizeof memory);
    struct guest_paging p = { .cr0 = 0x80000011, .cr3 = 0x1020, .cr4 = 0x20, .read_gpa = read_gpa };
    put(0x1020 + 3 * 8, 0x2000 | 1);               /* PDPTE 3 */
    put(0x2000 + 0x1f7 * 8, 0xfee00000ull | 0x83); /* 2 MiB at 0xfee00000 */
    uint64_t gpa = 0;
    CHECK_EQ(guest_page_walk(&p, 0xfee00300, &gpa), 0);
    CHECK_EQ(gpa, 0xfee00300);
    p = (struct guest_paging){ .cr0 = 0x80000011, .cr3 = 0x3000, .cr4 = 0x10, .read_gpa = read_gpa };
    put32(0x3000 + 0x3fb * 4, 0xfec00000u | 0x83 | (0x12u << 13)); /* 4 MiB page, address bits 39:32 = 0x12 */
    CHECK_EQ(guest_page_walk(&p, 0xfee00300, &gpa), 0);
    CHECK_EQ(gpa, 0x12fee00300ull);
    put32(0x3000 + 1 * 4, 0x4000 | 1);
    put32(0x4000 + 2 * 4, 0x9000 | 1);
    CHECK_EQ(guest_page_walk(&p, 0x00402abc, &gpa), 0);
    CHECK_EQ(gpa, 0x9abc);
    p.cr0 = 0x11;
    CHECK_EQ(guest_page_walk(&p, 0x1234, &gpa), 0);
    CHECK_EQ(gpa, 0x1234);
}
