/*
 * The interrupt command register as a guest writes it, decoded in one
 * place for both forms (SDM: "Interrupt Command Register (ICR)"): x2APIC
 * mode's one 64-bit MSR 0x830 with the destination in bits 63:32, and the
 * xAPIC's two 32-bit registers with an 8-bit destination in ICR2 bits 31:24
 * (vapic_icr.c, vm0's INIT and SIPI); and what vmxroot does with it for a guest
 * whose local APIC is emulated: an IPI is delivered only to the guest's own
 * vCPUs, everything else is refused with its reason. Each such guest is a
 * VM of one vCPU, x2APIC id 0 (docs/guests.md, the hostile guest), so only
 * self-IPIs are delivered. Pure code, host-tested.
 */
#ifndef ARCH_X86_VMX_X2APIC_ICR_H
#define ARCH_X86_VMX_X2APIC_ICR_H

#include "core/lib/compiler.h"

/* Delivery modes, ICR bits 10:8. */
enum x2apic_delivery {
    X2APIC_DELIVERY_FIXED = 0,
    X2APIC_DELIVERY_LOWEST = 1,
    X2APIC_DELIVERY_SMI = 2,
    X2APIC_DELIVERY_NMI = 4,
    X2APIC_DELIVERY_INIT = 5,
    X2APIC_DELIVERY_SIPI = 6,
};

/* Destination shorthand, ICR bits 19:18. */
enum x2apic_shorthand {
    X2APIC_SHORTHAND_NONE = 0,
    X2APIC_SHORTHAND_SELF = 1,
    X2APIC_SHORTHAND_ALL_INCLUDING_SELF = 2,
    X2APIC_SHORTHAND_ALL_EXCLUDING_SELF = 3,
};

struct x2apic_icr {
    uint8_t vector;       /* bits 7:0 */
    uint8_t delivery;     /* enum x2apic_delivery, bits 10:8 */
    bool logical;         /* bit 11: destination mode */
    bool level_assert;    /* bit 14 */
    bool level_triggered; /* bit 15 */
    uint8_t shorthand;    /* enum x2apic_shorthand */
    uint32_t destination; /* bits 63:32 */
};

/* What vmxroot does with one ICR write. */
struct x2apic_ipi_decision {
    bool deliver_to_self;         /* inject vector (fixed, lowest priority) or an NMI into the sender */
    bool refused;                 /* some destination was refused (others, or itself for this mode) */
    const char *refusal;          /* why, when refused: "INIT to x2APIC id 1: not a vCPU of this VM" */
    uint32_t refused_destination; /* the destination named in the refusal (0xffffffff: all others) */
};

struct x2apic_icr x2apic_icr_decode(uint64_t icr);
/* The xAPIC form: ICR low and ICR2; destination = ICR2 bits 31:24, as is (0xFF stays 0xFF). */
struct x2apic_icr x2apic_icr_decode_xapic(uint32_t icr_low, uint32_t icr_high);
/* "INIT", "SIPI", "NMI", "fixed", "lowest-priority", "SMI", "reserved" */
const char *x2apic_delivery_name(uint8_t delivery);
/* The logical x2APIC id (LDR) of x2APIC id own_id: cluster in 31:16, one bit of 15:0 (SDM: "Logical Destination Mode in x2APIC Mode"). */
uint32_t x2apic_logical_id(uint32_t own_id);
/* The decision for a VM of one vCPU whose x2APIC id is own_id. */
struct x2apic_ipi_decision x2apic_ipi_decide(const struct x2apic_icr *icr, uint32_t own_id);

#endif
