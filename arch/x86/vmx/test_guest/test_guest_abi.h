/*
 * What the built-in test guest (test_guest.nasm, beside this file) and
 * vmxroot agree on: the guest-physical layout, the header at the start of
 * the guest's image, the report it writes and the I/O ports it uses. The
 * nasm source repeats these numbers; vmx/test_guest_image.c asserts the
 * header's offsets against the assembled image at boot.
 */
#ifndef ARCH_X86_VMX_TEST_GUEST_TEST_GUEST_ABI_H
#define ARCH_X86_VMX_TEST_GUEST_TEST_GUEST_ABI_H

#include "core/lib/compiler.h"

/* Guest-physical layout (docs/guests.md). */
#define TEST_GUEST_RAM_GPA 0x0ull
#define TEST_GUEST_RAM_BYTES KiB(64)
#define TEST_GUEST_IMAGE_GPA 0x1000ull /* the image is assembled with org 0x1000 */
#define TEST_GUEST_PML4_GPA 0x8000ull  /* PML4, PDPT, PD: identity 1 GiB in 2 MiB pages */
#define TEST_GUEST_STACK_TOP_GPA 0xF000ull
#define TEST_GUEST_STATUS_GPA 0x100000ull /* the status page, read-only (docs/guests.md) */

/* Ports the test guest's I/O bitmap lets through to vmxroot's I/O handler. */
#define TEST_GUEST_PORT_REPORT 0x5E0  /* OUT dword: the report's guest-physical address */
#define TEST_GUEST_PORT_SCRATCH 0x5E4 /* a dword the vCPU keeps: IN returns what OUT wrote */

#define TEST_GUEST_HEADER_MAGIC 0x47545856u /* "VXTG" */
#define TEST_GUEST_REPORT_MAGIC 0x54505256u /* "VRPT" */

/* header.flags, written by vmxroot before the launch */
#define TEST_GUEST_FLAG_TRIPLE_FAULT (1u << 0) /* inject=guest-triple-fault: fault on purpose */
#define TEST_GUEST_FLAG_SPIN (1u << 1)         /* inject=guest-spin: loop forever without an exit */

/* header.entry_kind as the guest saw its start */
enum test_guest_entry {
    TEST_GUEST_ENTRY_NONE = 0,
    TEST_GUEST_ENTRY_REAL = 1, /* 16-bit real mode (unrestricted guest) */
    TEST_GUEST_ENTRY_PROTECTED32 =
        2,                       /* 32-bit flat protected mode, paging off, as a multiboot loader leaves it */
    TEST_GUEST_ENTRY_LONG64 = 3, /* 64-bit mode with vmxroot's page tables */
};

enum test_guest_verdict {
    TEST_GUEST_VERDICT_NONE = 0,
    TEST_GUEST_VERDICT_PASS = 1,
    TEST_GUEST_VERDICT_FAIL = 2
};

/* At TEST_GUEST_IMAGE_GPA + 8 (after a short jump to the real-mode entry). */
struct test_guest_header {
    uint32_t magic;          /* TEST_GUEST_HEADER_MAGIC */
    uint32_t real_entry_gpa; /* 16-bit code, CS base 0 */
    uint32_t protected_entry_gpa;
    uint32_t long_entry_gpa;
    uint32_t gdt_gpa; /* null, code32 0x08, data 0x10, code64 0x18 */
    uint32_t gdt_limit;
    uint32_t report_gpa; /* struct test_guest_report */
    uint32_t flags;      /* TEST_GUEST_FLAG_*, written by vmxroot */
};

#define TEST_GUEST_HEADER_OFFSET 8u
#define TEST_GUEST_SELECTOR_CODE32 0x08
#define TEST_GUEST_SELECTOR_DATA 0x10
#define TEST_GUEST_SELECTOR_CODE64 0x18

struct test_guest_report {
    uint32_t magic;      /* TEST_GUEST_REPORT_MAGIC */
    uint32_t verdict;    /* enum test_guest_verdict */
    uint32_t entry_kind; /* enum test_guest_entry */
    uint32_t checks_passed;
    uint32_t cpuid_exit_ticks;         /* RDTSC ticks of the fastest CPUID exit round trip of 64 */
    uint32_t failed_check_gpa;         /* NUL-terminated name of the failed check (FAIL) */
    uint32_t ud_count, gp_count;       /* #UD and #GP the guest caught */
    uint32_t cpuid_exit_ticks_average; /* the same, averaged over the 64 (with every publish they paid for) */
};

_Static_assert(sizeof(struct test_guest_header) == 32, "test_guest.nasm header");
_Static_assert(offsetof(struct test_guest_header, flags) == 28, "test_guest.nasm header.flags");
_Static_assert(sizeof(struct test_guest_report) == 36, "test_guest.nasm report");

#endif
