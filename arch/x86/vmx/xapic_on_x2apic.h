/*
 * An xAPIC as the guest sees it, over a processor whose local APIC is in
 * x2APIC mode. kvm-unit-tests goes x2APIC -> disabled -> xAPIC; vmxroot
 * keeps the processor's APIC enabled across the guest's disable (Bochs 2.7
 * never undoes a real one, multiboot1_apic.c), so it stays in x2APIC mode
 * while the guest believes it has an xAPIC, and an xAPIC access to the
 * APIC page would reach nothing (SDM: "x2APIC Register Availability": in
 * x2APIC mode an MMIO access behaves as with a globally disabled xAPIC).
 * vmxroot then takes the page out of the guest's EPT, decodes each load
 * and store, and does it as the x2APIC MSR access the SDM's table of
 * x2APIC registers pairs with that offset (MSR 0x800 + offset / 16), with
 * these differences:
 *
 *   ICR, ICR2   one 64-bit x2APIC ICR (0x830): ICR2 is kept here and sent
 *               with the ICR low write, its destination (bits 31:24)
 *               widened: physical 0xFF is the x2APIC broadcast 0xFFFFFFFF,
 *               a logical one becomes the x2APIC logical ID its cluster and
 *               bits name (flat: cluster 0; cluster model: bits 7:4 and
 *               3:0); the delivery-status bit (12) always reads 0 (idle:
 *               the send is done when the write is);
 *   ID          the x2APIC ID (0x802) in bits 31:24; writes dropped (the
 *               x2APIC ID is read-only, as Bochs's xAPIC ID is);
 *   LDR, DFR    x2APIC mode has no DFR and a read-only LDR derived from the
 *               x2APIC ID, and that LDR is what the processor matches
 *               incoming logical IPIs against. So the DFR is kept here
 *               (reset flat, 0xFFFFFFFF; its model bits 31:28 written), an
 *               LDR write is dropped, and an LDR read shows the processor's
 *               logical ID in the DFR's model where it has one there (flat:
 *               x2APIC IDs 0-7; cluster: member bits 0-3 of clusters 0-14),
 *               else 0, so the view never promises an IPI it cannot get;
 *   APR, RRD    not in x2APIC mode: read 0;
 *   EOI, ESR    written as 0 (x2APIC mode takes no other value: #GP);
 *   TPR, SVR    written within the bits the x2APIC takes (TPR 7:0; SVR
 *               8:0, as Bochs's write_x2apic: no focus-disable bit 9, no
 *               EOI-broadcast suppression bit 12);
 *   LVTs, timer the same registers; writes masked to the defined bits
 *               (SDM "Reserved Bit Checking": a non-zero reserved bit in an
 *               x2APIC WRMSR is a #GP); CMCI only where the
 *               version register counts 7 LVT entries;
 *   others      reserved offsets and SELF IPI (0x3F0: x2APIC only) read 0,
 *               writes are dropped.
 *
 * Pure: the MSR accesses go through ops, host-tested
 * (tests/unit/test_xapic_on_x2apic.c) against a model of Bochs's x2APIC.
 */
#ifndef ARCH_X86_VMX_XAPIC_ON_X2APIC_H
#define ARCH_X86_VMX_XAPIC_ON_X2APIC_H

#include "core/lib/compiler.h"

/* The xAPIC registers x2APIC mode does not hold, per vCPU. */
struct xapic_view {
    uint32_t icr_low;  /* as last written, delivery status clear */
    uint32_t icr_high; /* ICR2: the destination in bits 31:24 */
    uint32_t dfr;      /* model in bits 31:28 (0xF flat, 0x0 cluster), bits 27:0 read as ones */
};

struct xapic_on_x2apic_ops {
    uint64_t (*rdmsr)(void *ctx, uint32_t msr);
    void (*wrmsr)(void *ctx, uint32_t msr, uint64_t value);
    /* An ICR low write: the xAPIC form (low, ICR2) and the x2APIC ICR it becomes; the caller sends it. */
    void (*send_ipi)(void *ctx, uint32_t icr_low, uint32_t icr_high, uint64_t x2apic_icr);
    void *ctx;
};

/* What an access to the APIC page of a vCPU finds (and how vmxroot does it). */
enum xapic_page_state {
    XAPIC_PAGE_REAL,     /* the processor's APIC is in xAPIC mode: the access is done on it */
    XAPIC_PAGE_NONE,     /* the view is disabled or in x2APIC mode: loads read all ones, stores are dropped */
    XAPIC_PAGE_EMULATED, /* the view is xAPIC, the processor x2APIC: translated here */
};

/* From IA32_APIC_BASE's view (its EN and EXTD bits) and whether the processor's APIC is in x2APIC mode. */
enum xapic_page_state xapic_page_state(uint64_t view_apic_base, bool processor_x2apic);

/* As after the switch to xAPIC (SDM: "x2APIC State Transitions"): ICR 0, DFR flat. */
void xapic_view_reset(struct xapic_view *view);

/* The 32-bit register at offset (16-byte aligned, in the page) as an xAPIC reads it. */
uint32_t xapic_on_x2apic_read(const struct xapic_view *view, uint32_t offset,
                              const struct xapic_on_x2apic_ops *ops);
/* A 32-bit store to the register at offset (16-byte aligned). */
void xapic_on_x2apic_write(struct xapic_view *view, uint32_t offset, uint32_t value,
                           const struct xapic_on_x2apic_ops *ops);

/* The x2APIC ICR for an xAPIC ICR (low, ICR2) under the DFR's model (the table above). */
uint64_t xapic_icr_to_x2apic(uint32_t icr_low, uint32_t icr_high, uint32_t dfr);
/* The xAPIC LDR that shows x2APIC logical ID x2apic_ldr under the DFR's model, or 0 (the table above). */
uint32_t xapic_ldr_from_x2apic(uint32_t x2apic_ldr, uint32_t dfr);

/*
 * What a load of size_bytes at offset sees of a register slot whose first
 * 4 bytes are value: its bytes from offset & 0xF on, 0 past the register's
 * 4 bytes (SDM "Local APIC Register Address Map": accesses other than
 * 32-bit aligned ones are model specific; Bochs's read gives the
 * register's bytes within its 4 and repeats them in the slot's other 12).
 */
uint64_t xapic_register_bytes(uint32_t value, uint32_t offset, unsigned size_bytes);

#endif
