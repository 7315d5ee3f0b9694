// host-sources: arch/x86/vmx/vmx_exit_qualification.c arch/x86/vmx/vmx_exit_event.c arch/x86/vmx/vmx_exit_reason.c core/lib/format.c
/*
 * Fuzzes the decoders of the VM-exit information fields and their text: the
 * exit reason, every exit qualification, the interruption and IDT-vectoring
 * information, the instruction information. The input is the raw values a
 * VMCS could hold (a hostile guest chooses many of them: the port, the
 * address, the register numbers) and a buffer size. Whatever the values:
 *   - no read or write outside the buffer (ASan), no UB (UBSan);
 *   - each *_format NUL-terminates a buffer of size > 0 and returns the
 *     length the whole text would have had: the same length for every
 *     buffer size, equal to strlen() when the buffer is big enough;
 *   - decoded fields stay in their documented ranges.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/vmx_exit_reason.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#include "tests/fuzz/fuzz_require.h"

#define BIG_BYTES 512

static uint64_t take(const uint8_t **data, size_t *size, size_t bytes)
{
    uint64_t value = 0;
    size_t n = *size < bytes ? *size : bytes;
    memcpy(&value, *data, n);
    *data += n, *size -= n;
    return value;
}

/*
 * Runs one formatter into a big buffer and into an exact-size heap buffer of
 * `small` bytes (so ASan sees a write one past it), and checks that both agree.
 */
#define CHECK_FORMAT(small, call_with)                                                                       \
    do {                                                                                                     \
        char big[BIG_BYTES];                                                                                 \
        memset(big, 'X', sizeof big);                                                                        \
        int full = call_with(big, sizeof big);                                                               \
        REQUIRE(full >= 0 && full < BIG_BYTES);                                                              \
        REQUIRE(strlen(big) == (size_t)full);                                                                \
        char *tight = malloc((small) ? (small) : 1);                                                         \
        REQUIRE(tight != NULL);                                                                              \
        int again = call_with(tight, (small));                                                               \
        REQUIRE(again == full);                                                                              \
        if ((small) > 0) {                                                                                   \
            size_t kept = strlen(tight);                                                                     \
            REQUIRE(kept < (small));                                                                         \
            REQUIRE(kept == ((size_t)full < (small) ? (size_t)full : (small)-1));                            \
            REQUIRE(memcmp(tight, big, kept) == 0);                                                          \
        }                                                                                                    \
        free(tight);                                                                                         \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t reason = (uint32_t)take(&data, &size, 4);
    uint64_t qualification = take(&data, &size, 8);
    uint64_t gpa = take(&data, &size, 8);
    uint64_t gla = take(&data, &size, 8);
    uint32_t info = (uint32_t)take(&data, &size, 4);
    uint32_t error_code = (uint32_t)take(&data, &size, 4);
    size_t small = (size_t)take(&data, &size, 1) % 96;
    unsigned kind = (unsigned)take(&data, &size, 1) % 3;

    REQUIRE(vmx_exit_reason_name(reason & 0xffff) != NULL);
#define FMT_REASON(b, n) vmx_exit_reason_format(reason, b, n)
    CHECK_FORMAT(small, FMT_REASON);
#define FMT_QUAL(b, n) vmx_exit_qualification_format(reason & 0xffff, qualification, b, n)
    CHECK_FORMAT(small, FMT_QUAL);

    struct vmx_cr_access cr = vmx_cr_access_decode(qualification);
    REQUIRE(cr.cr <= 15 && cr.type <= 3 && cr.gpr <= 15);
#define FMT_CR(b, n) vmx_cr_access_format(&cr, b, n)
    CHECK_FORMAT(small, FMT_CR);

    struct vmx_mov_dr dr = vmx_mov_dr_decode(qualification);
    REQUIRE(dr.dr <= 7 && dr.gpr <= 15);
#define FMT_DR(b, n) vmx_mov_dr_format(&dr, b, n)
    CHECK_FORMAT(small, FMT_DR);

    struct vmx_io io = vmx_io_decode(qualification);
    REQUIRE(io.size_bytes == 0 || io.size_bytes == 1 || io.size_bytes == 2 || io.size_bytes == 4);
#define FMT_IO(b, n) vmx_io_format(&io, b, n)
    CHECK_FORMAT(small, FMT_IO);

    struct vmx_ept_violation ept = vmx_ept_violation_decode(qualification);
#define FMT_EPT(b, n) vmx_ept_violation_format(&ept, gpa, gla, b, n)
    CHECK_FORMAT(small, FMT_EPT);

    struct vmx_task_switch task = vmx_task_switch_decode(qualification);
    REQUIRE(task.source <= 3);
#define FMT_TASK(b, n) vmx_task_switch_format(&task, b, n)
    CHECK_FORMAT(small, FMT_TASK);

    struct vmx_apic_access apic = vmx_apic_access_decode(qualification);
    REQUIRE(apic.offset <= 0xfff && apic.type <= 15);
#define FMT_APIC(b, n) vmx_apic_access_format(&apic, b, n)
    CHECK_FORMAT(small, FMT_APIC);

    struct vmx_interruption_info event = vmx_interruption_info_decode(info);
    REQUIRE(event.type <= 7);
    REQUIRE(vmx_event_type_name(event.type) != NULL);
    REQUIRE(event.vector <= 21 || vmx_exception_mnemonic(event.vector) == NULL);
#define FMT_EVENT(b, n) vmx_interruption_info_format(&event, error_code, b, n)
    CHECK_FORMAT(small, FMT_EVENT);

    struct vmx_instruction_info insn = vmx_instruction_info_decode(info);
    REQUIRE(insn.scale == 1 || insn.scale == 2 || insn.scale == 4 || insn.scale == 8);
    REQUIRE(insn.reg1 <= 15 && insn.reg2 <= 15 && insn.index_reg <= 15 && insn.base_reg <= 15);
    REQUIRE(insn.address_size_bits == 0 || insn.address_size_bits == 16 || insn.address_size_bits == 32 ||
            insn.address_size_bits == 64);
    REQUIRE(vmx_segment_name(insn.segment) != NULL && vmx_gpr_name(insn.reg1) != NULL);
#define FMT_INSN(b, n)                                                                                       \
    vmx_instruction_info_format((enum vmx_instruction_kind)kind, &insn, qualification, b, n)
    CHECK_FORMAT(small, FMT_INSN);
    return 0;
}
