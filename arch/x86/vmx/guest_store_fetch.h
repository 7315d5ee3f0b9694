/*
 * The pure part of guest_store.h: from the guest state an EPT-violation
 * exit leaves (control registers, CS, RIP, general registers) and a way to
 * read guest-physical memory through vm0's EPT, the store (or the load) the
 * instruction at RIP makes: fetched through the guest's page tables (at most two
 * pages), decoded in the code segment's mode. No hardware access:
 * host-tested (tests/unit/test_guest_store_fetch.c).
 */
#ifndef ARCH_X86_VMX_GUEST_STORE_FETCH_H
#define ARCH_X86_VMX_GUEST_STORE_FETCH_H

#include "arch/x86/vmx/mmio_load_decode.h"
#include "arch/x86/vmx/mmio_store_decode.h"

struct guest_store_state {
    uint64_t cr0, cr3, cr4, efer;
    uint64_t cs_base, cs_access_rights, rip;
    uint64_t gpr[16]; /* RAX=0 .. R15=15 */
    /* 0 and where vmxroot reads gpa's byte (gpa = hpa for vm0), when the EPT lets the guest read it; else E_*. */
    int (*translate)(void *ctx, uint64_t gpa, uint64_t *hpa);
    void *ctx;
};

/* The code segment's default size (SDM: "Segment Descriptors": CS.L in IA-32e mode, CS.D). */
enum mmio_code_mode guest_store_code_mode(uint64_t cs_access_rights, uint64_t efer);

/* 0 and *store; or mmio_store_decode's error (fewer bytes fetched than the instruction: E_RANGE), why naming it. */
MUST_CHECK int guest_store_fetch_decode(const struct guest_store_state *state, struct mmio_store *store,
                                        char *why, size_t why_bytes);
/* The same for a load (mmio_load_decode.h), for a page that is not present to the guest. */
MUST_CHECK int guest_load_fetch_decode(const struct guest_store_state *state, struct mmio_load *load,
                                       char *why, size_t why_bytes);

#endif
