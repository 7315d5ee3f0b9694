/*
 * A guest write to its write-protected local APIC page (vapic.h): the
 * instruction at the guest's RIP is fetched through the guest's page tables
 * and decoded (mmio_store_decode.h), the store is done on this CPU's real
 * APIC (its page is the guest's: gpa = hpa), or, for an ICR write sending
 * INIT or SIPI to one of vm0's vCPUs, done as that vCPU's state change
 * (vapic_icr.c); then RIP moves past the instruction.
 */
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/guest_store.h"
#include "arch/x86/tsc.h"
#include "core/lib/panic.h"

/* What XCHG leaves in its register when the store is dropped: the page's bytes as a load reads them. */
static uint64_t exchange_result(uint64_t old, const struct mmio_store *store, uint64_t gpa)
{
    const volatile uint8_t *page = (const volatile uint8_t *)(uintptr_t)gpa;
    uint64_t loaded = 0;
    for (unsigned i = 0; i < store->size_bytes && (gpa & 0xFFF) + i < PAGE_SIZE_BYTES; i++)
        loaded |= (uint64_t)page[i] << (8 * i);
    return mmio_store_exchange_register(store, old, loaded);
}

enum vmexit_action vapic_write(struct vcpu *vcpu, uint64_t gpa)
{
    uint64_t start = rdtsc();
    struct mmio_store store;
    char why[160];
    if (guest_store_decode(vcpu, &store, why, sizeof why) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                  "a write to the local APIC at 0x%lx, guest RIP 0x%lx: %s", gpa, vcpu->exit_rip, why);
        return VMEXIT_STOP;
    }
    uint32_t offset = (uint32_t)(gpa & 0xFFF);
    if (vcpu->cpuid_context.apic_disabled || store.size_bytes != 4 || (offset & 0xF)) {
        /*
         * SDM "Local APIC Register Address Map": registers are 32 bits wide,
         * 16-byte aligned, and other accesses are model specific (Bochs 2.7
         * panics on them); SDM "Enabling or Disabling the Local APIC": with
         * IA32_APIC_BASE[11] clear the processor has no APIC at its address
         * (vmxroot keeps the real one enabled, multiboot1_apic.c). Either way
         * nothing takes the store: it is dropped, as KVM's APIC drops it.
         */
        if (store.exchange)
            vcpu_set_gpr(vcpu, store.source_register,
                         exchange_result(vcpu_gpr(vcpu, store.source_register), &store, gpa));
    } else {
        volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)gpa;
        if (store.exchange)
            vcpu_set_gpr(vcpu, store.source_register, *reg); /* XCHG with a 32-bit register zero-extends it */
        uint32_t value = (uint32_t)store.value;
        uint32_t *high = (uint32_t *)(uintptr_t)(gpa - offset + VAPIC_ICR_HIGH);
        if (offset != VAPIC_ICR_LOW || !vapic_icr_write(vcpu, value, *(volatile uint32_t *)high))
            *reg = value;
    }
    guest_store_done(vcpu, &store);
    vapic_count_write(vcpu, offset, rdtsc() - start);
    if (vcpu->options->fault == GUEST_FAULT_AP_PANIC && vcpu->cpu_index == vcpu->options->fault_cpu &&
        !vcpu->boot_vcpu && offset == VAPIC_EOI)
        /* The AP's first EOI: Linux has started it and it takes interrupts; the guest owns every APIC. */
        panic("inject=ap-panic: deliberate panic on cpu%u while Linux runs on every vCPU", vcpu->cpu_index);
    return VMEXIT_RESUME;
}
