/*
 * The store a guest instruction tried on a write-protected page of vm0
 * (the local APIC page, the FADT's PM1 control in memory space): the
 * instruction at the guest's RIP fetched through the guest's page tables
 * (guest_page_walk.h) and vm0's EPT, decoded in the code segment's mode
 * (mmio_store_decode.h); then, once vmxroot has done the store itself, the
 * guest's RIP moved past it. One copy for every such page's handler.
 */
#ifndef ARCH_X86_VMX_GUEST_STORE_H
#define ARCH_X86_VMX_GUEST_STORE_H

#include "arch/x86/vmx/mmio_load_decode.h"
#include "arch/x86/vmx/mmio_store_decode.h"
#include "arch/x86/vmx/vcpu.h"

/* 0 and *store; or mmio_store_decode's error with why naming the instruction it refused. */
MUST_CHECK int guest_store_decode(struct vcpu *vcpu, struct mmio_store *store, char *why, size_t why_bytes);
/* The same for a load from a page the guest's EPT leaves out (guest_store_fetch.h). */
MUST_CHECK int guest_load_decode(struct vcpu *vcpu, struct mmio_load *load, char *why, size_t why_bytes);

/*
 * RIP past the store (the exit's instruction length is not defined for EPT
 * violations), and the STI/MOV SS blocking it was under ends with it.
 */
void guest_store_done(struct vcpu *vcpu, const struct mmio_store *store);
/* The same after a load: RIP past its length_bytes. */
void guest_access_done(struct vcpu *vcpu, unsigned length_bytes);

#endif
