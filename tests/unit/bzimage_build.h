/*
 * bzImages for the host tests: a synthetic one built field by field with
 * the values Debian's 6.1 kernel has (protocol 2.15, relocatable, 2 MiB
 * alignment, 64-bit entry), and that kernel's own first 4 KiB, read from
 * the fuzz seed tests/fuzz/fuzz_bzimage/seeds/debian-6.1.0-47-amd64 (a
 * 4-byte image size, then the image's first bytes).
 */
#ifndef TESTS_UNIT_BZIMAGE_BUILD_H
#define TESTS_UNIT_BZIMAGE_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/loader/bzimage.h"

#define DEBIAN_SEED "tests/fuzz/fuzz_bzimage/seeds/debian-6.1.0-47-amd64"

static inline void put_le(uint8_t *p, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

/* A bzImage of setup (4 + 1) * 512 bytes and kernel_bytes (a multiple of 16) of kernel; caller frees. */
static inline uint8_t *bzimage_synthetic(uint32_t kernel_bytes, size_t *size_bytes)
{
    size_t size = 5 * 512 + kernel_bytes;
    uint8_t *p = calloc(1, size);
    p[BZIMAGE_SETUP_SECTS] = 4;
    put_le(p + BZIMAGE_SYSSIZE, kernel_bytes / 16, 4);
    put_le(p + BZIMAGE_BOOT_FLAG, 0xAA55, 2);
    p[BZIMAGE_JUMP] = 0xEB;
    p[BZIMAGE_JUMP + 1] = 0x6A; /* the header ends at 0x26C, as in 2.15 */
    put_le(p + BZIMAGE_HEADER, BZIMAGE_MAGIC, 4);
    put_le(p + BZIMAGE_VERSION, 0x020F, 2);
    p[BZIMAGE_LOADFLAGS] = BZIMAGE_LOADED_HIGH;
    put_le(p + BZIMAGE_CODE32_START, 0x100000, 4);
    put_le(p + BZIMAGE_INITRD_ADDR_MAX, 0x7FFFFFFF, 4);
    put_le(p + BZIMAGE_KERNEL_ALIGNMENT, 0x200000, 4);
    p[BZIMAGE_RELOCATABLE] = 1;
    p[BZIMAGE_MIN_ALIGNMENT] = 21;
    put_le(p + BZIMAGE_XLOADFLAGS, 0x7F, 2);
    put_le(p + BZIMAGE_CMDLINE_SIZE, 0x7FF, 4);
    put_le(p + BZIMAGE_PREF_ADDRESS, 0x1000000, 8);
    put_le(p + BZIMAGE_INIT_SIZE, 0x3F98000, 4);
    *size_bytes = size;
    return p;
}

/* The Debian kernel's first 4 KiB zero-extended to its real size (8 MiB), or NULL when the seed is missing. */
static inline uint8_t *bzimage_debian(size_t *size_bytes)
{
    FILE *f = fopen(DEBIAN_SEED, "rb");
    if (f == NULL)
        return NULL;
    uint8_t head[4];
    uint8_t *p = NULL;
    if (fread(head, 1, 4, f) == 4) {
        size_t size = head[0] | head[1] << 8 | head[2] << 16 | (size_t)head[3] << 24;
        p = calloc(1, size);
        if (p != NULL && fread(p, 1, size, f) == 0) {
            free(p);
            p = NULL;
        }
        *size_bytes = size;
    }
    fclose(f);
    return p;
}

#endif
