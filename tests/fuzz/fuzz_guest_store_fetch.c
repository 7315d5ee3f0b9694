// host-sources: arch/x86/vmx/guest_store_fetch.c arch/x86/vmx/guest_page_walk.c arch/x86/vmx/mmio_store_decode.c arch/x86/vmx/mmio_insn_format.c arch/x86/vmx/mmio_load_decode.c core/lib/format.c
/*
 * Fuzzes guest_store_fetch_decode: the input is the guest state (control
 * registers, EFER, CS access rights and base, RIP) and then its
 * guest-physical memory, page tables and code alike, all chosen by the
 * guest. Only whole pages inside that memory translate (as vm0's EPT maps
 * pages), in an exact-size heap copy so ASan catches a read past a page. A
 * decoded store must be 1 to 15 bytes long; a refusal must say why.
 */
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/guest_store_fetch.h"
#include "core/lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STATE_BYTES (7 * 8)
#define PAGE_BYTES 4096u

struct memory {
    uint8_t *bytes;
    size_t pages;
};

static int translate(void *ctx, uint64_t gpa, uint64_t *hpa)
{
    const struct memory *m = ctx;
    if (gpa / PAGE_BYTES >= m->pages)
        return E_NOENT;
    *hpa = (uint64_t)(uintptr_t)(m->bytes + gpa);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < STATE_BYTES)
        return 0;
    uint64_t v[7];
    memcpy(v, data, sizeof v);
    size_t pages = (size - STATE_BYTES + PAGE_BYTES - 1) / PAGE_BYTES;
    if (pages > 8)
        pages = 8;
    struct memory m = { calloc(pages ? pages : 1, PAGE_BYTES), pages };
    if (!m.bytes)
        return 0;
    size_t copy = size - STATE_BYTES < pages * PAGE_BYTES ? size - STATE_BYTES : pages * PAGE_BYTES;
    memcpy(m.bytes, data + STATE_BYTES, copy);
    struct guest_store_state s = {
        .cr0 = v[0],
        .cr3 = v[1],
        .cr4 = v[2],
        .efer = v[3],
        .cs_access_rights = v[4],
        .cs_base = v[5] % (pages * PAGE_BYTES + 1),
        .rip = v[6] % (pages * PAGE_BYTES + 1),
        .translate = translate,
        .ctx = &m,
    };
    for (unsigned i = 0; i < 16; i++)
        s.gpr[i] = ~0ull - i;
    struct mmio_store store;
    char why[160] = "";
    int err = guest_store_fetch_decode(&s, &store, why, sizeof why);
    free(m.bytes);
    if (err ? !why[0] : (store.length_bytes < 1 || store.length_bytes > MMIO_INSTRUCTION_MAX_BYTES))
        abort();
    return 0;
}
