/*
 * An MMIO decoder harness's input: the first byte picks the code mode (16,
 * 32 or 64-bit), the rest are the instruction bytes, copied to an
 * exact-size heap buffer so ASan sees any read past them.
 */
#ifndef TESTS_FUZZ_FUZZ_INSTRUCTION_H
#define TESTS_FUZZ_FUZZ_INSTRUCTION_H

#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/mmio_insn_format.h"

/* The bytes (the caller frees them), their count in *n and the mode in *mode; NULL for an empty input. */
static inline uint8_t *fuzz_instruction_bytes(const uint8_t *data, size_t size, enum mmio_code_mode *mode,
                                              size_t *n)
{
    if (size < 1)
        return NULL;
    *mode = (enum mmio_code_mode)(data[0] % 3);
    *n = size - 1;
    uint8_t *bytes = malloc(*n ? *n : 1);
    if (bytes)
        memcpy(bytes, data + 1, *n);
    return bytes;
}

#endif
