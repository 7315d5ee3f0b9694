/*
 * Writes one fuzz_vmentry_check seed per break case of
 * tests/unit/vmentry_break_cases.h, plus one per valid base image, into the
 * directory given (the harness's input format, see tests/fuzz/fuzz_vmentry_check.c):
 *
 *   clang -std=c11 -I. -DVMXROOT_HOST tests/fuzz/fuzz_vmentry_check/make_seeds.c \
 *       arch/x86/vmx/vmcs_image.c arch/x86/vmx/vmentry_check*.c arch/x86/vmx/vmentry_bochs_gaps.c \
 *       -o build/make_seeds && build/make_seeds tests/fuzz/fuzz_vmentry_check/seeds
 */
#include <stdio.h>
#include "tests/unit/vmentry_break_cases.h"

static void put(FILE *f, unsigned op, uint64_t where, uint64_t value)
{
    fputc((int)op, f);
    fputc((int)(where & 0xff), f);
    fputc((int)((where >> 8) & 0xff), f);
    for (unsigned i = 0; i < 8; i++)
        fputc((int)((value >> (8 * i)) & 0xff), f);
}

static int write_seed(const char *dir, const char *name, const struct break_case *bc, enum test_base base)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    fputc((int)base, f);
    for (unsigned i = 0; bc != NULL && i < 6 && bc->steps[i].op != OP_END; i++) {
        const struct break_step *s = &bc->steps[i];
        switch (s->op) {
        case OP_SET:
        case OP_OR:
        case OP_CLR:
            put(f, s->op == OP_SET ? 0 : s->op == OP_OR ? 1 : 2, s->where, s->value);
            break;
        case OP_CAPS_OR:
        case OP_CAPS_CLR:
            put(f, s->op == OP_CAPS_OR ? 5 : 6, s->where / 8, s->value);
            break;
        case OP_MEM:
            put(f, 7, (s->where - FAKE_BASE) / 8, s->value);
            break;
        case OP_CPU_LEGACY:
        case OP_CPU_SMM:
        case OP_CPU_SGX:
        case OP_CPU_RTM:
            put(f, 8, 1u << (s->op - OP_CPU_LEGACY), 0);
            break;
        case OP_CPU_CURRENT:
            put(f, 8, 16, s->value);
            break;
        default:
            break;
        }
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    char name[128];
    for (unsigned base = 0; base < BASE_COUNT; base++) {
        snprintf(name, sizeof name, "base_%u", base);
        if (write_seed(argv[1], name, NULL, (enum test_base)base) != 0)
            return 1;
    }
    for (size_t i = 0; i < sizeof break_cases / sizeof break_cases[0]; i++) {
        snprintf(name, sizeof name, "break_%03zu_%s", i, vmentry_check_info(break_cases[i].check)->id_name);
        if (write_seed(argv[1], name, &break_cases[i], break_cases[i].base) != 0)
            return 1;
    }
    return 0;
}
