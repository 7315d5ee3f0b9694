// host-sources: arch/x86/vmx/mmio_store_decode.c arch/x86/vmx/mmio_insn_format.c core/lib/format.c
/*
 * Fuzzes mmio_store_decode with arbitrary bytes in each code mode: the
 * input is copied to an exact-size heap buffer, so ASan catches a read past
 * it. A decoded store must be within the architecture's limits: 1 to 15
 * bytes long and no longer than the input, a size of 1, 2, 4 or 8 with the
 * value within it, a source register 0-15; a refusal must say why.
 */
#include <stdlib.h>
#include "arch/x86/vmx/mmio_store_decode.h"
#include "tests/fuzz/fuzz_instruction.h"
#include "tests/unit/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum mmio_code_mode mode;
    size_t n;
    uint8_t *bytes = fuzz_instruction_bytes(data, size, &mode, &n);
    if (!bytes)
        return 0;
    uint64_t gpr[16];
    for (unsigned i = 0; i < 16; i++)
        gpr[i] = ~0ull - i;
    struct mmio_store s;
    char why[160] = "";
    int err = mmio_store_decode(bytes, n, mode, gpr, &s, why, sizeof why);
    free(bytes);
    if (err) {
        if (!why[0])
            abort();
        return 0;
    }
    bool size_ok = s.size_bytes == 1 || s.size_bytes == 2 || s.size_bytes == 4 || s.size_bytes == 8;
    if (!size_ok || s.length_bytes < 1 || s.length_bytes > MMIO_INSTRUCTION_MAX_BYTES || s.length_bytes > n ||
        s.source_register > 15 || (s.size_bytes < 8 && (s.value >> (8 * s.size_bytes)) != 0))
        abort();
    return 0;
}
