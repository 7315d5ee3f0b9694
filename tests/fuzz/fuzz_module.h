/*
 * A loader harness's input as a GRUB module: a 4-byte little-endian word,
 * then the image's first bytes. The word's low size_bits bits are the
 * module's size: the image is zero-extended to it (at least the bytes
 * given), in an exact-size heap buffer so ASan sees any read past the
 * module. The word's other bits are the harness's to use.
 */
#ifndef TESTS_FUZZ_FUZZ_MODULE_H
#define TESTS_FUZZ_FUZZ_MODULE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/loader/little_endian.h"

/* The image (the caller frees it) and its size in *module_bytes, or NULL when the input is too short. */
static inline uint8_t *fuzz_module_image(const uint8_t *data, size_t size, unsigned size_bits, uint32_t *word,
                                         size_t *module_bytes)
{
    if (size < 4)
        return NULL;
    *word = (uint32_t)le_get(data, 4);
    size_t prefix = size - 4, module = *word & ((1u << size_bits) - 1);
    if (module < prefix)
        module = prefix;
    uint8_t *image = calloc(1, module ? module : 1);
    if (image != NULL)
        memcpy(image, data + 4, prefix);
    *module_bytes = module;
    return image;
}

#endif
