/*
 * A guest write to its write-protected local APIC page (vapic.h): the
 * instruction at the guest's RIP is fetched through the guest's page tables
 * and decoded (mmio_store_decode.h), the store is done on this CPU's real
 * APIC (its page is the guest's: gpa = hpa), or, for an ICR write sending
 * INIT or SIPI to one of vm0's vCPUs, done as that vCPU's state change
 * (vapic_icr.c); then RIP moves past the instruction.
 */
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/guest_page_walk.h"
#include "arch/x86/vmx/mmio_store_decode.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/panic.h"
#include "core/lib/string.h"

#define CS_ACCESS_LONG (1u << 13)
#define CS_ACCESS_DEFAULT_BIG (1u << 14)

/* A guest-physical read for the page walk and the fetch: only what the guest's EPT lets it read. */
static int read_gpa(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value)
{
    const struct vcpu *vcpu = ctx;
    struct ept_translation t;
    if ((gpa & 0xFFF) + size_bytes > PAGE_SIZE_BYTES || ept_lookup(&vcpu->ept, gpa, &t) != 0 ||
        !(t.access & EPT_READ))
        return E_NOENT;
    uint64_t v = 0;
    memcpy(&v, (const void *)(uintptr_t)t.hpa, size_bytes);
    *value = v;
    return 0;
}

/* Up to MMIO_INSTRUCTION_MAX_BYTES at the guest's RIP (fewer where its mapping ends); how many. */
static size_t fetch(struct vcpu *vcpu, uint8_t *bytes)
{
    struct guest_paging paging = {
        .cr0 = vcpu_read_field(vcpu, VMCS_GUEST_CR0),
        .cr3 = vcpu_read_field(vcpu, VMCS_GUEST_CR3),
        .cr4 = vcpu_read_field(vcpu, VMCS_GUEST_CR4),
        .efer = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER),
        .read_gpa = read_gpa,
        .ctx = vcpu,
    };
    uint64_t linear = vcpu_read_field(vcpu, VMCS_GUEST_CS_BASE) + vcpu->exit_rip, gpa;
    size_t n = 0;
    struct ept_translation t;
    /* One walk per page the instruction touches (at most two). */
    while (n < MMIO_INSTRUCTION_MAX_BYTES && guest_page_walk(&paging, linear, &gpa) == 0 &&
           ept_lookup(&vcpu->ept, gpa, &t) == 0 && (t.access & EPT_READ)) {
        size_t chunk = PAGE_SIZE_BYTES - (gpa & 0xFFF);
        if (chunk > MMIO_INSTRUCTION_MAX_BYTES - n)
            chunk = MMIO_INSTRUCTION_MAX_BYTES - n;
        memcpy(bytes + n, (const void *)(uintptr_t)t.hpa, chunk);
        n += chunk;
        linear += chunk;
    }
    return n;
}

static enum mmio_code_mode code_mode(struct vcpu *vcpu)
{
    uint64_t access = vcpu_read_field(vcpu, VMCS_GUEST_CS_ACCESS_RIGHTS);
    bool long_mode = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER) & EFER_LMA;
    if (long_mode && (access & CS_ACCESS_LONG))
        return MMIO_CODE_64;
    return (access & CS_ACCESS_DEFAULT_BIG) ? MMIO_CODE_32 : MMIO_CODE_16;
}

enum vmexit_action vapic_write(struct vcpu *vcpu, uint64_t gpa)
{
    uint64_t start = rdtsc();
    uint8_t bytes[MMIO_INSTRUCTION_MAX_BYTES];
    size_t n = fetch(vcpu, bytes);
    uint64_t gpr[16];
    for (unsigned i = 0; i < 16; i++)
        gpr[i] = vcpu_gpr(vcpu, i);
    struct mmio_store store;
    char why[160];
    if (mmio_store_decode(bytes, n, code_mode(vcpu), gpr, &store, why, sizeof why) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                  "a write to the local APIC at 0x%lx, guest RIP 0x%lx: %s", gpa, vcpu->exit_rip, why);
        return VMEXIT_STOP;
    }
    uint32_t offset = (uint32_t)(gpa & 0xFFF);
    if (store.size_bytes != 4 || (offset & 3)) {
        /* SDM "Local APIC Register Address Map": registers are 32 bits wide and 16-byte aligned. */
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                  "a %u-byte write to the local APIC at 0x%lx, guest RIP 0x%lx: only aligned 32-bit stores",
                  store.size_bytes, gpa, vcpu->exit_rip);
        return VMEXIT_STOP;
    }
    volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)gpa;
    if (store.exchange)
        vcpu_set_gpr(vcpu, store.source_register, *reg); /* XCHG with a 32-bit register zero-extends it */
    uint32_t value = (uint32_t)store.value;
    uint32_t *high = (uint32_t *)(uintptr_t)(gpa - offset + VAPIC_ICR_HIGH);
    if (offset != VAPIC_ICR_LOW || !vapic_icr_write(vcpu, value, *(volatile uint32_t *)high))
        *reg = value;
    /* Past the store (the exit's instruction length is not defined for EPT violations); STI/MOV SS blocking ends. */
    vcpu_write_field(vcpu, VMCS_GUEST_RIP, vcpu->exit_rip + store.length_bytes);
    uint64_t blocking = vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE);
    if (blocking & 3)
        vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, blocking & ~3ull);
    vapic_count_write(vcpu, offset, rdtsc() - start);
    if (vcpu->options->fault == GUEST_FAULT_AP_PANIC && vcpu->cpu_index == vcpu->options->fault_cpu &&
        !vcpu->boot_vcpu && offset == VAPIC_EOI)
        /* The AP's first EOI: Linux has started it and it takes interrupts; the guest owns every APIC. */
        panic("inject=ap-panic: deliberate panic on cpu%u while Linux runs on every vCPU", vcpu->cpu_index);
    return VMEXIT_RESUME;
}
