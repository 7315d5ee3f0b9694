/*
 * Multiboot1 images for the unit tests and the fuzz harness's seeds: an
 * ELF32 i386 executable shaped like kvm-unit-tests' x86 .flat images (the header
 * right after one program header, text at 4 MiB, a large bss), or a flat
 * image loaded by the header's address fields.
 */
#ifndef TESTS_UNIT_MULTIBOOT1_BUILD_H
#define TESTS_UNIT_MULTIBOOT1_BUILD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/loader/little_endian.h"
#include "arch/x86/loader/multiboot1.h"

#define MB1_TEST_ELF_BYTES 0x3000u
#define MB1_TEST_ELF_HEADER_OFFSET 0x54u /* 52-byte ELF header, one 32-byte program header */
#define MB1_TEST_LOAD_PHYS 0x400000u
#define MB1_TEST_MEM_BYTES 0xC00000u /* 12 MiB with its bss, as kvm-unit-tests' stacks make it */

static inline void mb1_put_header(uint8_t *at, uint32_t flags)
{
    le_put(at, MULTIBOOT1_HEADER_MAGIC, 4);
    le_put(at + 4, flags, 4);
    le_put(at + 8, (uint32_t)(0u - (MULTIBOOT1_HEADER_MAGIC + flags)), 4);
}

/* An ELF32 executable, one PT_LOAD of the whole file at 4 MiB (vaddr = paddr), entry after the header. */
static inline uint8_t *mb1_elf(size_t *size)
{
    uint8_t *p = calloc(1, MB1_TEST_ELF_BYTES);
    memcpy(p, "\177ELF", 4);
    p[4] = 1; /* ELF32 */
    p[5] = 1; /* little-endian */
    p[6] = 1;
    le_put(p + 16, 2, 2); /* EXEC */
    le_put(p + 18, 3, 2); /* i386 */
    le_put(p + 20, 1, 4);
    le_put(p + 24, MB1_TEST_LOAD_PHYS + 0x60, 4); /* entry */
    le_put(p + 28, 52, 4);                        /* phoff */
    le_put(p + 40, 52, 2);
    le_put(p + 42, 32, 2); /* phentsize */
    le_put(p + 44, 1, 2);  /* phnum */
    uint8_t *ph = p + 52;
    le_put(ph, 1, 4); /* PT_LOAD */
    le_put(ph + 4, 0, 4);
    le_put(ph + 8, MB1_TEST_LOAD_PHYS, 4);
    le_put(ph + 12, MB1_TEST_LOAD_PHYS, 4);
    le_put(ph + 16, MB1_TEST_ELF_BYTES, 4);
    le_put(ph + 20, MB1_TEST_MEM_BYTES, 4);
    le_put(ph + 24, 5, 4);
    mb1_put_header(p + MB1_TEST_ELF_HEADER_OFFSET, 0);
    *size = MB1_TEST_ELF_BYTES;
    return p;
}

/* A flat image with the header at 0 and address fields: load at load_phys, bss to bss_end, entry +0x20. */
static inline uint8_t *mb1_flat(uint32_t load_phys, uint32_t bss_end, size_t *size)
{
    uint8_t *p = calloc(1, 0x1000);
    mb1_put_header(p, MULTIBOOT1_ADDRESS_FIELDS | MULTIBOOT1_MEMORY_INFO);
    le_put(p + 12, load_phys, 4);        /* header_addr */
    le_put(p + 16, load_phys, 4);        /* load_addr */
    le_put(p + 20, 0, 4);                /* load_end_addr: the whole file */
    le_put(p + 24, bss_end, 4);          /* bss_end_addr */
    le_put(p + 28, load_phys + 0x20, 4); /* entry_addr */
    *size = 0x1000;
    return p;
}

#endif
