/*
 * The xAPIC-over-x2APIC translation (xapic_on_x2apic.h). Offsets and MSR
 * numbers are the SDM's "Local APIC Register Address Map" and "x2APIC
 * Register Address Space" tables; the write masks are the defined bits of
 * each LVT ("Local Vector Table"), read-only bits (delivery status, remote
 * IRR) left out.
 */
#include "arch/x86/vmx/xapic_on_x2apic.h"
#include "arch/x86/msr.h"

#define X2APIC_MSR(offset) (0x800u + (offset) / 16)

#define XAPIC_ID 0x20
#define XAPIC_VERSION 0x30
#define XAPIC_TPR 0x80
#define XAPIC_APR 0x90
#define XAPIC_PPR 0xA0
#define XAPIC_EOI 0xB0
#define XAPIC_RRD 0xC0
#define XAPIC_LDR 0xD0
#define XAPIC_DFR 0xE0
#define XAPIC_SVR 0xF0
#define XAPIC_ISR_FIRST 0x100
#define XAPIC_IRR_LAST 0x270 /* ISR, TMR, IRR: 0x100-0x270, read-only */
#define XAPIC_ESR 0x280
#define XAPIC_LVT_CMCI 0x2F0
#define XAPIC_ICR_LOW 0x300
#define XAPIC_ICR_HIGH 0x310
#define XAPIC_LVT_TIMER 0x320
#define XAPIC_LVT_THERMAL 0x330
#define XAPIC_LVT_PERFMON 0x340
#define XAPIC_LVT_LINT0 0x350
#define XAPIC_LVT_LINT1 0x360
#define XAPIC_LVT_ERROR 0x370
#define XAPIC_TIMER_INITIAL 0x380
#define XAPIC_TIMER_CURRENT 0x390
#define XAPIC_TIMER_DIVIDE 0x3E0

#define ICR_DELIVERY_STATUS (1u << 12)
#define ICR_LOGICAL (1u << 11)
/* Vector, delivery mode, destination mode, level, trigger mode, shorthand: what the x2APIC ICR defines. */
#define ICR_DEFINED_BITS 0x000CCFFFu
#define ICR_HIGH_DESTINATION 0xFF000000u
#define DFR_MODEL_MASK 0xF0000000u
#define DFR_FLAT 0xFFFFFFFFu
#define DFR_MODEL_FLAT 0xF0000000u
#define X2APIC_BROADCAST 0xFFFFFFFFu
#define XAPIC_BROADCAST 0xFFu
#define TPR_BITS 0xFFu
#define SVR_BITS 0x1FFu
#define TIMER_DIVIDE_BITS 0xBu
#define VERSION_MAX_LVT(v) (((v) >> 16) & 0xFF)
#define MAX_LVT_WITH_CMCI 6

enum xapic_page_state xapic_page_state(uint64_t view_apic_base, bool processor_x2apic)
{
    if (!(view_apic_base & APIC_BASE_XAPIC_ENABLE) || (view_apic_base & APIC_BASE_X2APIC_ENABLE))
        return XAPIC_PAGE_NONE;
    return processor_x2apic ? XAPIC_PAGE_EMULATED : XAPIC_PAGE_REAL;
}

void xapic_view_reset(struct xapic_view *view)
{
    *view = (struct xapic_view){ .icr_low = 0, .icr_high = 0, .dfr = DFR_FLAT };
}

uint64_t xapic_icr_to_x2apic(uint32_t icr_low, uint32_t icr_high, uint32_t dfr)
{
    uint32_t dest = icr_high >> 24, x2apic_dest;
    if (dest == XAPIC_BROADCAST)
        x2apic_dest = X2APIC_BROADCAST; /* physical and logical alike (SDM: "Determining IPI Destination") */
    else if (!(icr_low & ICR_LOGICAL))
        x2apic_dest = dest;
    else if ((dfr & DFR_MODEL_MASK) == DFR_MODEL_FLAT)
        x2apic_dest = dest; /* cluster 0, members 0-7 */
    else
        x2apic_dest = ((dest >> 4) << 16) | (dest & 0xF);
    return (icr_low & ICR_DEFINED_BITS) | ((uint64_t)x2apic_dest << 32);
}

uint32_t xapic_ldr_from_x2apic(uint32_t x2apic_ldr, uint32_t dfr)
{
    uint32_t cluster = x2apic_ldr >> 16, members = x2apic_ldr & 0xFFFF;
    if ((dfr & DFR_MODEL_MASK) == DFR_MODEL_FLAT)
        return cluster == 0 && members <= 0xFF ? members << 24 : 0;
    return cluster < 0xF && members <= 0xF ? (cluster << 28) | (members << 24) : 0;
}

/* The defined, writable bits of an LVT (0 for an offset that is none). */
static uint32_t lvt_write_mask(uint32_t offset)
{
    switch (offset) {
    case XAPIC_LVT_TIMER:
        return 0x000700FF; /* vector, mask, timer mode (17:18) */
    case XAPIC_LVT_THERMAL:
    case XAPIC_LVT_PERFMON:
    case XAPIC_LVT_CMCI:
        return 0x000107FF; /* vector, delivery mode, mask */
    case XAPIC_LVT_LINT0:
    case XAPIC_LVT_LINT1:
        return 0x0001A7FF; /* vector, delivery mode, polarity, trigger mode, mask */
    case XAPIC_LVT_ERROR:
        return 0x000100FF; /* vector, mask */
    default:
        return 0;
    }
}

static bool has_cmci(const struct xapic_on_x2apic_ops *ops)
{
    return VERSION_MAX_LVT(ops->rdmsr(ops->ctx, X2APIC_MSR(XAPIC_VERSION))) >= MAX_LVT_WITH_CMCI;
}

/* A register read straight from its x2APIC MSR (the low 32 bits: only the ICR is wider). */
static bool plain_register(uint32_t offset)
{
    return offset == XAPIC_VERSION || offset == XAPIC_TPR || offset == XAPIC_PPR || offset == XAPIC_SVR ||
           (offset >= XAPIC_ISR_FIRST && offset <= XAPIC_IRR_LAST) || offset == XAPIC_ESR ||
           (offset >= XAPIC_LVT_TIMER && offset <= XAPIC_TIMER_CURRENT) || offset == XAPIC_TIMER_DIVIDE;
}

uint32_t xapic_on_x2apic_read(const struct xapic_view *view, uint32_t offset,
                              const struct xapic_on_x2apic_ops *ops)
{
    offset &= 0xFF0;
    if (plain_register(offset) || (offset == XAPIC_LVT_CMCI && has_cmci(ops)))
        return (uint32_t)ops->rdmsr(ops->ctx, X2APIC_MSR(offset));
    switch (offset) {
    case XAPIC_ID:
        return (uint32_t)ops->rdmsr(ops->ctx, X2APIC_MSR(XAPIC_ID)) << 24;
    case XAPIC_LDR:
        return xapic_ldr_from_x2apic((uint32_t)ops->rdmsr(ops->ctx, X2APIC_MSR(XAPIC_LDR)), view->dfr);
    case XAPIC_DFR:
        return view->dfr;
    case XAPIC_ICR_LOW:
        return view->icr_low;
    case XAPIC_ICR_HIGH:
        return view->icr_high;
    default:
        return 0; /* APR, RRD, EOI (write-only), reserved, SELF IPI (x2APIC only), CMCI where there is none */
    }
}

void xapic_on_x2apic_write(struct xapic_view *view, uint32_t offset, uint32_t value,
                           const struct xapic_on_x2apic_ops *ops)
{
    offset &= 0xFF0;
    uint32_t lvt = lvt_write_mask(offset);
    if (lvt && (offset != XAPIC_LVT_CMCI || has_cmci(ops))) {
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), value & lvt);
        return;
    }
    switch (offset) {
    case XAPIC_TPR:
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), value & TPR_BITS);
        return;
    case XAPIC_SVR:
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), value & SVR_BITS);
        return;
    case XAPIC_EOI:
    case XAPIC_ESR:
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), 0);
        return;
    case XAPIC_TIMER_INITIAL:
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), value);
        return;
    case XAPIC_TIMER_DIVIDE:
        ops->wrmsr(ops->ctx, X2APIC_MSR(offset), value & TIMER_DIVIDE_BITS);
        return;
    case XAPIC_DFR:
        view->dfr = (value & DFR_MODEL_MASK) | ~DFR_MODEL_MASK;
        return;
    case XAPIC_ICR_HIGH:
        view->icr_high = value & ICR_HIGH_DESTINATION;
        return;
    case XAPIC_ICR_LOW:
        view->icr_low = value & ~ICR_DELIVERY_STATUS;
        ops->send_ipi(ops->ctx, value, view->icr_high, xapic_icr_to_x2apic(value, view->icr_high, view->dfr));
        return;
    default:
        return; /* ID, LDR, read-only and reserved registers, SELF IPI */
    }
}

uint64_t xapic_register_bytes(uint32_t value, uint32_t offset, unsigned size_bytes)
{
    uint64_t loaded = 0;
    for (unsigned i = 0; i < size_bytes && i < 8; i++) {
        unsigned at = (offset & 0xF) + i;
        uint64_t byte = at < 4 ? (value >> (8 * at)) & 0xFF : 0;
        loaded |= byte << (8 * i);
    }
    return loaded;
}
