/*
 * Little-endian fields at byte offsets, for the loaders: a module's and a
 * firmware table's bytes have any alignment, so no casts to wider types.
 */
#ifndef ARCH_X86_LOADER_LITTLE_ENDIAN_H
#define ARCH_X86_LOADER_LITTLE_ENDIAN_H

#include "core/lib/compiler.h"

static inline uint64_t le_get(const uint8_t *p, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline void le_put(uint8_t *p, uint64_t value, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(value >> (8 * i));
}

#endif
