/*
 * vm0's APIC page by state (vapic_x2apic.h): the page taken out of vm0's
 * EPT when a vCPU needs it, and each exit on it done as that vCPU's state
 * says. The emulated xAPIC's registers are the processor's x2APIC MSRs on
 * this CPU (xapic_on_x2apic.c says which and how): the vCPU runs on its
 * own CPU, so its x2APIC is the one RDMSR and WRMSR reach here.
 */
#include "arch/x86/vmx/vapic_x2apic.h"
#include "arch/x86/vmx/guest_store.h"
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/vcpu_invalidate.h"
#include "arch/x86/vmx/xapic_on_x2apic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "core/lib/log.h"
#include "core/lib/spinlock.h"

#define EPT_VIOLATION_WRITE (1ull << 1)
#define MSR_X2APIC_ICR 0x830

struct vapic_x2apic_cpu {
    struct xapic_view view;
    enum xapic_page_state state; /* XAPIC_PAGE_REAL until the view first changes */
};

static struct vapic_x2apic_cpu cpus[MAX_CPUS];
static struct spinlock hide_lock;
static bool page_hidden;

static uint64_t processor_rdmsr(void *ctx, uint32_t msr)
{
    (void)ctx;
    return rdmsr(msr);
}

static void processor_wrmsr(void *ctx, uint32_t msr, uint64_t value)
{
    (void)ctx;
    wrmsr(msr, value);
}

/* INIT and SIPI to one of vm0's vCPUs are vmxroot's (vapic_icr.c); every other IPI is the x2APIC's. */
static void send_ipi(void *ctx, uint32_t icr_low, uint32_t icr_high, uint64_t x2apic_icr)
{
    if (!vapic_icr_write(ctx, icr_low, icr_high))
        wrmsr(MSR_X2APIC_ICR, x2apic_icr);
}

static struct xapic_on_x2apic_ops ops_for(struct vcpu *vcpu)
{
    return (struct xapic_on_x2apic_ops){ processor_rdmsr, processor_wrmsr, send_ipi, vcpu };
}

/*
 * The page out of vm0's EPT (a 4 KiB leaf of its own, linux_guest.c: the
 * unmap frees no table), then this CPU's cached translations dropped. The
 * other CPUs may still hold the read-only translation: harmless, since a
 * CPU whose vCPU needs its loads to exit comes through here itself first.
 */
static void hide_page(struct vcpu *vcpu)
{
    char why[128] = "";
    spin_lock(&hide_lock);
    int err = page_hidden ? 0 : ept_unmap_range(&vcpu->ept, vapic_apic_phys(), PAGE_SIZE_BYTES);
    bool first = !page_hidden && !err;
    page_hidden |= first;
    spin_unlock(&hide_lock);
    if (!err)
        err = vcpu_invalidate_translations(vcpu, why, sizeof why);
    if (err)
        log_warn("guest: vm0 cpu%u: the APIC page could not be taken out of the EPT (%d%s%s): its xAPIC "
                 "accesses reach no APIC",
                 vcpu->cpu_index, err, why[0] ? ": " : "", why);
    else if (first)
        log_info("guest: vm0 cpu%u: xAPIC view over the processor's x2APIC: the APIC page leaves vm0's EPT, "
                 "its loads and stores are vmxroot's",
                 vcpu->cpu_index);
}

void vapic_x2apic_view_changed(struct vcpu *vcpu, uint64_t view_apic_base, bool processor_x2apic)
{
    struct vapic_x2apic_cpu *c = &cpus[vcpu->cpu_index];
    enum xapic_page_state state = xapic_page_state(view_apic_base, processor_x2apic);
    if (state == XAPIC_PAGE_EMULATED && c->state != XAPIC_PAGE_EMULATED)
        xapic_view_reset(&c->view); /* SDM "x2APIC State Transitions": a disabled APIC comes back reset */
    c->state = state;
    if (processor_x2apic && !(view_apic_base & APIC_BASE_X2APIC_ENABLE))
        hide_page(vcpu);
}

/* The 32-bit register slot at offset as this vCPU sees it, as much of it as size_bytes covers. */
static uint64_t register_bytes(struct vcpu *vcpu, struct vapic_x2apic_cpu *c, uint32_t offset,
                               unsigned size_bytes)
{
    uint32_t value;
    switch (c->state) {
    case XAPIC_PAGE_REAL:
        /* One aligned 32-bit read: Bochs 2.7 panics on one that spans registers (cpu/apic.cc read). */
        value = *(volatile uint32_t *)(uintptr_t)(vapic_apic_phys() + (offset & 0xFF0));
        break;
    case XAPIC_PAGE_EMULATED: {
        struct xapic_on_x2apic_ops ops = ops_for(vcpu);
        value = xapic_on_x2apic_read(&c->view, offset, &ops);
        break;
    }
    default:
        return ~0ull; /* nothing answers: all ones, as unclaimed memory reads */
    }
    return xapic_register_bytes(value, offset, size_bytes);
}

static enum vmexit_action refused(struct vcpu *vcpu, uint64_t gpa, const char *what, const char *why)
{
    vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "a %s of the local APIC at 0x%lx, guest RIP 0x%lx: %s",
              what, gpa, vcpu->exit_rip, why);
    return VMEXIT_STOP;
}

/* A store while the page is emulated (done on the x2APIC) or has nothing (dropped: XCHG reads all ones). */
static enum vmexit_action store_by_state(struct vcpu *vcpu, struct vapic_x2apic_cpu *c, uint64_t gpa)
{
    uint64_t start = rdtsc();
    struct mmio_store store;
    char why[160];
    if (guest_store_decode(vcpu, &store, why, sizeof why) != 0)
        return refused(vcpu, gpa, "write", why);
    uint32_t offset = (uint32_t)(gpa & 0xFFF);
    if (store.exchange) {
        uint64_t old = register_bytes(vcpu, c, offset, store.size_bytes);
        vcpu_set_gpr(vcpu, store.source_register,
                     mmio_store_exchange_register(&store, vcpu_gpr(vcpu, store.source_register), old));
    }
    /* As on the real page (vapic_write.c): only 32-bit aligned stores reach a register. */
    if (c->state == XAPIC_PAGE_EMULATED && store.size_bytes == 4 && !(offset & 0xF)) {
        struct xapic_on_x2apic_ops ops = ops_for(vcpu);
        xapic_on_x2apic_write(&c->view, offset, (uint32_t)store.value, &ops);
    }
    guest_store_done(vcpu, &store);
    vapic_count_write(vcpu, offset, rdtsc() - start);
    return VMEXIT_RESUME;
}

static enum vmexit_action load(struct vcpu *vcpu, struct vapic_x2apic_cpu *c, uint64_t gpa)
{
    struct mmio_load load;
    char why[160];
    if (guest_load_decode(vcpu, &load, why, sizeof why) != 0)
        return refused(vcpu, gpa, "read", why);
    uint64_t value = register_bytes(vcpu, c, (uint32_t)(gpa & 0xFFF), load.size_bytes);
    vcpu_set_gpr(vcpu, load.dest_register,
                 mmio_load_register_value(&load, vcpu_gpr(vcpu, load.dest_register), value));
    guest_access_done(vcpu, load.length_bytes);
    vapic_count_load(vcpu);
    return VMEXIT_RESUME;
}

enum vmexit_action vapic_access(struct vcpu *vcpu, uint64_t gpa)
{
    struct vapic_x2apic_cpu *c = &cpus[vcpu->cpu_index];
    if (!(vcpu->exit_qualification & EPT_VIOLATION_WRITE))
        return load(vcpu, c, gpa);
    if (c->state != XAPIC_PAGE_REAL)
        return store_by_state(vcpu, c, gpa);
    return vapic_write(vcpu, gpa); /* the real APIC (vapic_write.c drops it while the view is disabled) */
}
