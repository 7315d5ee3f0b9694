/*
 * Builder for synthetic Multiboot2 info blocks ("Boot information format"),
 * shared by tests/unit/test_multiboot2.c and the pmm tests. Tags are padded
 * to 8 bytes like GRUB does; mb2_finish appends the end tag and total_size.
 */
#ifndef TESTS_UNIT_MB2_BUILD_H
#define TESTS_UNIT_MB2_BUILD_H

#include <string.h>
#include <stdint.h>
#include "mm/multiboot2.h"

struct mb2_builder {
    _Alignas(8) uint8_t bytes[16384];
    uint32_t used;
};

static inline void mb2_put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void mb2_put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static inline void mb2_begin(struct mb2_builder *b)
{
    memset(b->bytes, 0xCC, sizeof b->bytes); /* garbage past the block */
    mb2_put32(b->bytes + 4, 0);
    b->used = 8;
}

/* A tag with len data bytes; returns the tag's offset. size = 8 + len. */
static inline uint32_t mb2_tag(struct mb2_builder *b, uint32_t type, const void *data, uint32_t len)
{
    uint32_t at = b->used;
    mb2_put32(b->bytes + at, type);
    mb2_put32(b->bytes + at + 4, 8 + len);
    if (len)
        memcpy(b->bytes + at + 8, data, len);
    b->used = (at + 8 + len + 7) & ~7u;
    memset(b->bytes + at + 8 + len, 0, b->used - (at + 8 + len)); /* padding */
    return at;
}

static inline uint32_t mb2_string_tag(struct mb2_builder *b, uint32_t type, const char *s)
{
    return mb2_tag(b, type, s, (uint32_t)strlen(s) + 1);
}

static inline uint32_t mb2_finish(struct mb2_builder *b)
{
    mb2_tag(b, 0, NULL, 0);
    mb2_put32(b->bytes, b->used);
    return b->used;
}

struct mb2_e820 {
    uint64_t base, length;
    uint32_t type;
};

/* Tag 6 with entry_size bytes per entry (24 in GRUB). */
static inline uint32_t mb2_legacy_map(struct mb2_builder *b, const struct mb2_e820 *e, unsigned n,
                                      uint32_t entry_size)
{
    uint8_t data[8 + 64 * 128];
    memset(data, 0, sizeof data);
    mb2_put32(data, entry_size);
    mb2_put32(data + 4, 0);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *p = data + 8 + i * entry_size;
        mb2_put64(p, e[i].base);
        mb2_put64(p + 8, e[i].length);
        mb2_put32(p + 16, e[i].type);
    }
    return mb2_tag(b, 6, data, 8 + n * entry_size);
}

struct mb2_efi_desc {
    uint32_t type;
    uint64_t base, pages;
};

/* Tag 17 with descriptor_size bytes per descriptor (48 from OVMF). */
static inline uint32_t mb2_efi_map(struct mb2_builder *b, const struct mb2_efi_desc *d, unsigned n,
                                   uint32_t desc_size)
{
    uint8_t data[8 + 64 * 160];
    memset(data, 0, sizeof data);
    mb2_put32(data, desc_size);
    mb2_put32(data + 4, 1);
    for (unsigned i = 0; i < n; i++) {
        uint8_t *p = data + 8 + i * desc_size;
        mb2_put32(p, d[i].type);
        mb2_put64(p + 8, d[i].base);
        mb2_put64(p + 16, d[i].base + 0x1000000000ull); /* virtual start: ignored */
        mb2_put64(p + 24, d[i].pages);
        mb2_put64(p + 32, 0xF);
        if (desc_size > 40)
            memset(p + 40, 0xEE, desc_size - 40); /* a newer descriptor's extra fields */
    }
    return mb2_tag(b, 17, data, 8 + n * desc_size);
}

#endif
