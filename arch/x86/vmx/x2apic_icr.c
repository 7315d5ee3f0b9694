/*
 * The x2APIC ICR decoded and judged for a VM of one vCPU (x2apic_icr.h).
 * Its destinations are worked out as the SDM's "Determining IPI
 * Destination" says for x2APIC mode; only the sender itself can be among
 * its own vCPUs, so any other destination is refused by name.
 */
#include "arch/x86/vmx/x2apic_icr.h"

#define X2APIC_BROADCAST 0xffffffffu

struct x2apic_icr x2apic_icr_decode(uint64_t icr)
{
    return (struct x2apic_icr){
        .vector = (uint8_t)(icr & 0xff),
        .delivery = (uint8_t)((icr >> 8) & 7),
        .logical = (icr >> 11) & 1,
        .level_assert = (icr >> 14) & 1,
        .level_triggered = (icr >> 15) & 1,
        .shorthand = (uint8_t)((icr >> 18) & 3),
        .destination = (uint32_t)(icr >> 32),
    };
}

struct x2apic_icr x2apic_icr_decode_xapic(uint32_t icr_low, uint32_t icr_high)
{
    return x2apic_icr_decode(icr_low | ((uint64_t)(icr_high >> 24) << 32));
}

const char *x2apic_delivery_name(uint8_t delivery)
{
    static const char *const names[8] = { "fixed", "lowest-priority", "SMI", "reserved", "NMI", "INIT",
                                          "SIPI",  "reserved" };
    return names[delivery & 7];
}

uint32_t x2apic_logical_id(uint32_t own_id) { return ((own_id >> 4) << 16) | (1u << (own_id & 15)); }

/* Which of {itself, others} a destination field names. */
static void destinations(const struct x2apic_icr *icr, uint32_t own_id, bool *self, bool *others)
{
    switch (icr->shorthand) {
    case X2APIC_SHORTHAND_SELF:
        *self = true, *others = false;
        return;
    case X2APIC_SHORTHAND_ALL_INCLUDING_SELF:
        *self = true, *others = true;
        return;
    case X2APIC_SHORTHAND_ALL_EXCLUDING_SELF:
        *self = false, *others = true;
        return;
    default:
        break;
    }
    if (icr->destination == X2APIC_BROADCAST) {
        *self = true, *others = true;
        return;
    }
    if (!icr->logical) {
        *self = icr->destination == own_id;
        *others = !*self;
        return;
    }
    /* Logical: a cluster (31:16) and a bit mask of 16 members (15:0); ours is one bit of one cluster. */
    uint32_t mine = x2apic_logical_id(own_id);
    bool same_cluster = (icr->destination >> 16) == (mine >> 16);
    *self = same_cluster && (icr->destination & mine & 0xffff);
    *others = !same_cluster || (icr->destination & ~mine & 0xffff);
}

/* Whether an IPI of this mode to itself is one vmxroot carries out for the guest. */
static const char *self_refusal(const struct x2apic_icr *icr)
{
    switch (icr->delivery) {
    case X2APIC_DELIVERY_FIXED:
    case X2APIC_DELIVERY_LOWEST:
        return icr->vector < 16 ? "an illegal vector (below 16) to itself" : NULL;
    case X2APIC_DELIVERY_NMI:
        return NULL;
    case X2APIC_DELIVERY_INIT:
        return "INIT to itself: not emulated (a VM of one vCPU has no one to restart it)";
    case X2APIC_DELIVERY_SIPI:
        return "SIPI to itself: not emulated (it is not waiting for one)";
    case X2APIC_DELIVERY_SMI:
        return "SMI: vmxroot gives a guest no SMM";
    default:
        return "a reserved delivery mode";
    }
}

struct x2apic_ipi_decision x2apic_ipi_decide(const struct x2apic_icr *icr, uint32_t own_id)
{
    struct x2apic_ipi_decision d = { .refused_destination = X2APIC_BROADCAST };
    bool self = false, others = false;
    destinations(icr, own_id, &self, &others);
    /* An INIT level de-assert only ends an INIT assert on old APICs: nothing to deliver (SDM: "ICR"). */
    if (icr->delivery == X2APIC_DELIVERY_INIT && !icr->level_assert && icr->level_triggered)
        return d;
    if (others) {
        d.refused = true;
        d.refusal = "not a vCPU of this VM (a VM of one vCPU)";
        if (icr->shorthand == X2APIC_SHORTHAND_NONE && icr->destination != X2APIC_BROADCAST)
            d.refused_destination = icr->destination;
    }
    if (self) {
        const char *why = self_refusal(icr);
        if (why) {
            d.refused = true;
            if (!others) {
                d.refusal = why;
                d.refused_destination = own_id;
            }
        } else {
            d.deliver_to_self = true;
        }
    }
    return d;
}
