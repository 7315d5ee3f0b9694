// host-sources: arch/x86/vmx/mmio_load_decode.c arch/x86/vmx/mmio_insn_format.c core/lib/format.c
/*
 * Fuzzes mmio_load_decode with arbitrary bytes in each code mode: the
 * input is copied to an exact-size heap buffer, so ASan catches a read past
 * it. A decoded load must be within the architecture's limits: 1 to 15
 * bytes long and no longer than the input, a size of 1, 2, 4 or 8 no wider
 * than the destination, a destination register 0-15 (0-3 for AH..BH); the
 * register it leaves must keep what the width does not write. A refusal
 * must say why.
 */
#include <stdlib.h>
#include "arch/x86/vmx/mmio_load_decode.h"
#include "tests/fuzz/fuzz_instruction.h"
#include "tests/unit/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool size_ok(unsigned n) { return n == 1 || n == 2 || n == 4 || n == 8; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum mmio_code_mode mode;
    size_t n;
    uint8_t *bytes = fuzz_instruction_bytes(data, size, &mode, &n);
    if (!bytes)
        return 0;
    struct mmio_load l;
    char why[160] = "";
    int err = mmio_load_decode(bytes, n, mode, &l, why, sizeof why);
    free(bytes);
    if (err) {
        if (!why[0])
            abort();
        return 0;
    }
    if (!size_ok(l.size_bytes) || !size_ok(l.dest_size_bytes) || l.size_bytes > l.dest_size_bytes ||
        l.length_bytes < 1 || l.length_bytes > MMIO_INSTRUCTION_MAX_BYTES || l.length_bytes > n ||
        l.dest_register > 15 || (l.high_byte && (l.dest_register > 3 || l.dest_size_bytes != 1)))
        abort();
    uint64_t before = 0x0123456789abcdefull;
    uint64_t after = mmio_load_register_value(&l, before, ~0ull);
    uint64_t kept = l.dest_size_bytes >= 4 ? 0 : l.high_byte ? ~0xff00ull : ~0ull << (8 * l.dest_size_bytes);
    if ((after & kept) != (before & kept))
        abort();
    return 0;
}
