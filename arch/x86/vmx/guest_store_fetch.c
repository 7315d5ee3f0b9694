#include "arch/x86/vmx/guest_store_fetch.h"
#include "arch/x86/vmx/guest_page_walk.h"
#include "arch/x86/msr.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

#define FETCH_PAGE_BYTES 4096u
/* SDM: "Segment Descriptors": the L and D/B bits of the access rights. */
#define CS_ACCESS_LONG (1u << 13)
#define CS_ACCESS_DEFAULT_BIG (1u << 14)

/* A guest-physical read for the page walk: only what the guest's EPT lets it read, within one page. */
static int read_gpa(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value)
{
    const struct guest_store_state *state = ctx;
    uint64_t hpa;
    if ((gpa & (FETCH_PAGE_BYTES - 1)) + size_bytes > FETCH_PAGE_BYTES ||
        state->translate(state->ctx, gpa, &hpa))
        return E_NOENT;
    uint64_t v = 0;
    memcpy(&v, (const void *)(uintptr_t)hpa, size_bytes);
    *value = v;
    return 0;
}

/* Up to MMIO_INSTRUCTION_MAX_BYTES at the guest's RIP (fewer where its mapping ends); how many. */
static size_t fetch(const struct guest_store_state *state, uint8_t *bytes)
{
    struct guest_paging paging = {
        .cr0 = state->cr0,
        .cr3 = state->cr3,
        .cr4 = state->cr4,
        .efer = state->efer,
        .read_gpa = read_gpa,
        .ctx = (void *)state,
    };
    uint64_t linear = state->cs_base + state->rip, gpa, hpa;
    size_t n = 0;
    /* One walk per page the instruction touches (at most two). */
    while (n < MMIO_INSTRUCTION_MAX_BYTES && guest_page_walk(&paging, linear, &gpa) == 0 &&
           state->translate(state->ctx, gpa, &hpa) == 0) {
        size_t chunk = FETCH_PAGE_BYTES - (gpa & (FETCH_PAGE_BYTES - 1));
        if (chunk > MMIO_INSTRUCTION_MAX_BYTES - n)
            chunk = MMIO_INSTRUCTION_MAX_BYTES - n;
        memcpy(bytes + n, (const void *)(uintptr_t)hpa, chunk);
        n += chunk;
        linear += chunk;
    }
    return n;
}

enum mmio_code_mode guest_store_code_mode(uint64_t cs_access_rights, uint64_t efer)
{
    if ((efer & EFER_LMA) && (cs_access_rights & CS_ACCESS_LONG))
        return MMIO_CODE_64;
    return (cs_access_rights & CS_ACCESS_DEFAULT_BIG) ? MMIO_CODE_32 : MMIO_CODE_16;
}

int guest_store_fetch_decode(const struct guest_store_state *state, struct mmio_store *store, char *why,
                             size_t why_bytes)
{
    uint8_t bytes[MMIO_INSTRUCTION_MAX_BYTES];
    size_t n = fetch(state, bytes);
    return mmio_store_decode(bytes, n, guest_store_code_mode(state->cs_access_rights, state->efer),
                             state->gpr, store, why, why_bytes);
}

int guest_load_fetch_decode(const struct guest_store_state *state, struct mmio_load *load, char *why,
                            size_t why_bytes)
{
    uint8_t bytes[MMIO_INSTRUCTION_MAX_BYTES];
    size_t n = fetch(state, bytes);
    return mmio_load_decode(bytes, n, guest_store_code_mode(state->cs_access_rights, state->efer), load, why,
                            why_bytes);
}
