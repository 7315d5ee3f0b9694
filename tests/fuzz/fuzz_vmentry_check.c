// host-sources: arch/x86/vmx/vmcs_image.c arch/x86/vmx/vmentry_check.c arch/x86/vmx/vmentry_check_controls.c arch/x86/vmx/vmentry_check_host.c arch/x86/vmx/vmentry_check_guest.c arch/x86/vmx/vmentry_check_guest_segments.c arch/x86/vmx/vmentry_check_guest_state.c arch/x86/vmx/vmentry_check_msr_load.c arch/x86/vmx/vmentry_bochs_gaps.c
/*
 * The VM-entry check over random VMCS images, capability MSRs, CPU facts and
 * memory: no crash, no undefined behaviour (ASan+UBSan), and a deterministic
 * verdict (the check runs twice on the same input and must agree in every
 * field) that is consistent with the list (the class is the failing check's).
 *
 * Input: one head byte (low bits: the valid base image of
 * tests/unit/vmentry_build.h to start from; bit 7: then overwrite every field
 * with 8 input bytes each), then steps of 11 bytes: op, where (16 bits), value
 * (64 bits). tests/fuzz/fuzz_vmentry_check/make_seeds.c writes one seed per
 * break case of tests/unit/vmentry_break_cases.h in this format.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tests/unit/vmentry_build.h"

enum fuzz_op {
    FUZZ_SET,
    FUZZ_OR,
    FUZZ_CLR,
    FUZZ_XOR,
    FUZZ_CAPS_SET,
    FUZZ_CAPS_OR,
    FUZZ_CAPS_CLR,
    FUZZ_MEM,
    FUZZ_CPU,
    FUZZ_PHYS_WIDTH,
    FUZZ_OP_COUNT
};
#define FUZZ_CAPS_MEMBERS 18 /* the uint64_t members of struct vmx_caps, basic .. vmfunc */
#define FUZZ_CPU_LEGACY 1u
#define FUZZ_CPU_SMM 2u
#define FUZZ_CPU_SGX 4u
#define FUZZ_CPU_RTM 8u
#define FUZZ_CPU_CURRENT 16u
#define FUZZ_CPU_LA57 32u

struct reader {
    const uint8_t *data;
    size_t left;
};

static uint64_t take(struct reader *r, unsigned bytes)
{
    uint64_t value = 0;
    for (unsigned i = 0; i < bytes && r->left > 0; i++, r->left--)
        value |= (uint64_t)*r->data++ << (8 * i);
    return value;
}

/* A field by encoding if it is one in the image, else by position in the list. */
static uint32_t field_of(uint32_t where)
{
    if (vmcs_image_index_of(where) >= 0)
        return where;
    return vmcs_image_field(where % VMCS_IMAGE_FIELD_COUNT)->encoding;
}

static void step(struct test_vmentry *t, unsigned op, uint32_t where, uint64_t value)
{
    uint32_t field = field_of(where);
    uint64_t old = 0;
    uint64_t *caps = (uint64_t *)&t->caps + where % FUZZ_CAPS_MEMBERS;
    if (!vmcs_image_get(&t->image, field, &old))
        abort();
    switch (op % FUZZ_OP_COUNT) {
    case FUZZ_SET:
        image_put(&t->image, field, value);
        break;
    case FUZZ_OR:
        image_put(&t->image, field, old | value);
        break;
    case FUZZ_CLR:
        image_put(&t->image, field, old & ~value);
        break;
    case FUZZ_XOR:
        image_put(&t->image, field, old ^ value);
        break;
    case FUZZ_CAPS_SET:
        *caps = value;
        break;
    case FUZZ_CAPS_OR:
        *caps |= value;
        break;
    case FUZZ_CAPS_CLR:
        *caps &= ~value;
        break;
    case FUZZ_MEM:
        fake_phys_write64(&t->mem, FAKE_BASE + (where % (FAKE_PAGES * 4096 / 8)) * 8, value);
        break;
    case FUZZ_CPU:
        t->cpu.host_ia32e_mode ^= (where & FUZZ_CPU_LEGACY) != 0;
        t->cpu.in_smm ^= (where & FUZZ_CPU_SMM) != 0;
        t->cpu.sgx ^= (where & FUZZ_CPU_SGX) != 0;
        t->cpu.rtm ^= (where & FUZZ_CPU_RTM) != 0;
        if (where & FUZZ_CPU_CURRENT)
            t->cpu.current_vmcs_phys = value;
        if (where & FUZZ_CPU_LA57)
            t->cpu.linear_address_width_bits = 57;
        break;
    default:
        t->in.phys_address_width_bits = (uint32_t)(value & 63);
        break;
    }
}

static void same(bool equal, const char *what)
{
    if (!equal) {
        fprintf(stderr, "fuzz_vmentry_check: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct test_vmentry t; /* 64 KiB of fake memory: not on the stack */
    struct reader r = { data, size };
    unsigned head = (unsigned)take(&r, 1);
    test_vmentry_init(&t, (enum test_base)((head & 0x7f) % BASE_COUNT));
    if (head & 0x80)
        for (size_t i = 0; i < VMCS_IMAGE_FIELD_COUNT && r.left > 0; i++)
            image_put(&t.image, vmcs_image_field(i)->encoding, take(&r, 8));
    while (r.left >= 3) {
        unsigned op = (unsigned)take(&r, 1);
        uint32_t where = (uint32_t)take(&r, 2);
        step(&t, op, where, take(&r, 8));
    }

    struct vmentry_verdict first, second;
    t.mem.reads = 0;
    int err1 = vmentry_check(&t.in, &first);
    unsigned reads = t.mem.reads;
    int err2 = vmentry_check(&t.in, &second);
    same(err1 == err2, "return codes differ between two runs");
    same(t.mem.reads == 2 * reads, "memory reads differ between two runs");
    same(first.class_ == second.class_ && first.check == second.check && first.field == second.field &&
             first.value == second.value && first.vm_instruction_error == second.vm_instruction_error &&
             first.exit_reason == second.exit_reason &&
             first.exit_qualification == second.exit_qualification && first.msr_index == second.msr_index &&
             first.check_name == second.check_name,
         "verdicts differ between two runs");
    if (first.class_ == VMENTRY_OK) {
        same(err1 == 0 && first.check == VMENTRY_CHECK_NONE, "a passing verdict names a check");
        return 0;
    }
    const struct vmentry_check_info *info = vmentry_check_info(first.check);
    same(info != NULL, "a failing verdict names no check");
    same(err1 == (first.class_ == VMENTRY_NOT_CHECKED ? E_FAULT : 0), "return code and class disagree");
    same(first.class_ == VMENTRY_NOT_CHECKED || first.class_ == info->class_, "class is not the check's");
    same(first.field == info->field, "field is not the check's");
    same((first.vm_instruction_error != 0) ==
             (first.class_ == VMENTRY_BAD_CONTROL || first.class_ == VMENTRY_BAD_HOST),
         "VM-instruction error without a VMfailValid class");
    return 0;
}
