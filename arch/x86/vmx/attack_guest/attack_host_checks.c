/* The host-side checks of the hostile guest's cases (attack_host_checks.h). */
#include "arch/x86/vmx/attack_guest/attack_host_checks.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/io.h"
#include "arch/x86/msr.h"

#define MSR_MTRRCAP 0xFE
#define MTRRCAP_FIXED (1ull << 8)
#define CPUID1_EDX_MTRR (1u << 12)
#define CPUID7_EBX_TSC_ADJUST (1u << 1)

/* The MSRs of the guest's table (attack_guest.nasm, msr_table) that the host has; IA32_TSC is judged apart. */
static uint32_t host_msrs(uint32_t *out)
{
    static const uint32_t always[] = { 0x3A, 0xC0000080, 0x174, 0x175, 0x176, 0xC0000100, 0xC0000101, 0x277,
                                       0x1B, 0x480,      0x481, 0x482, 0x486, 0x48C,      0x1D9 };
    uint32_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(always); i++)
        out[n++] = always[i];
    if (cpuid(1, 0).edx & CPUID1_EDX_MTRR) {
        uint64_t cap = rdmsr(MSR_MTRRCAP);
        out[n++] = 0x2FF;
        if (cap & 0xff)
            out[n++] = 0x200, out[n++] = 0x201;
        if (cap & MTRRCAP_FIXED)
            out[n++] = 0x250, out[n++] = 0x258, out[n++] = 0x259, out[n++] = 0x268;
    }
    if (cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID7_EBX_TSC_ADJUST))
        out[n++] = 0x3B;
    return n;
}

void attack_msrs_snapshot(struct attack_vcpu *a)
{
    a->msr_count = host_msrs(a->msr_index);
    for (uint32_t i = 0; i < a->msr_count; i++)
        a->msr_before[i] = rdmsr(a->msr_index[i]);
}

uint32_t attack_msrs_unchanged(const struct attack_vcpu *a, uint32_t *first_changed)
{
    uint32_t same = 0;
    *first_changed = 0;
    for (uint32_t i = 0; i < a->msr_count; i++) {
        if (rdmsr(a->msr_index[i]) == a->msr_before[i])
            same++;
        else if (!*first_changed)
            *first_changed = a->msr_index[i];
    }
    return same;
}

static uint32_t pci_read(uint32_t device, uint32_t offset)
{
    outl(0xCF8, 0x80000000u | device << 11 | offset);
    return inl(0xCFC);
}

void attack_bars_snapshot(struct attack_vcpu *a)
{
    for (uint32_t d = 0; d < ATTACK_PCI_DEVICES; d++)
        for (uint32_t b = 0; b < ATTACK_PCI_BARS; b++)
            a->bar_before[d][b] =
                (pci_read(d, 0) & 0xffff) == 0xffff ? 0xffffffffu : pci_read(d, 0x10 + 4 * b);
}

uint32_t attack_bars_changed(const struct attack_vcpu *a, uint32_t *devices, uint32_t *bars)
{
    uint32_t changed = 0;
    *devices = 0, *bars = 0;
    for (uint32_t d = 0; d < ATTACK_PCI_DEVICES; d++) {
        if ((pci_read(d, 0) & 0xffff) == 0xffff)
            continue;
        (*devices)++;
        for (uint32_t b = 0; b < ATTACK_PCI_BARS; b++) {
            (*bars)++;
            changed += pci_read(d, 0x10 + 4 * b) != a->bar_before[d][b];
        }
    }
    return changed;
}

bool attack_status_read_only(const struct attack_vcpu *a)
{
    uint64_t phys = guest_report->area_phys(), bytes = guest_report->area_size_bytes();
    for (uint64_t off = 0; phys && off < bytes; off += PAGE_SIZE_BYTES) {
        struct ept_translation t;
        if (ept_lookup(&a->vcpu->ept, phys + off, &t) != 0 || t.access != EPT_READ || t.hpa != phys + off)
            return false;
    }
    return phys != 0;
}

bool attack_vmcs_unchanged(const struct attack_vcpu *a)
{
    uint64_t current = 0;
    struct vmcs_pool *pool = vmcs_service_pool();
    return vmx_succeeded(vmx_vmptrst(&current)) && current == vmcs_pool_phys(pool, a->vcpu->vmcs) &&
           vmcs_pool_state(pool, a->vcpu->vmcs, NULL) == VMCS_STATE_LAUNCHED;
}

uint32_t attack_others_going_on(const struct attack_vcpu *a, uint32_t *others)
{
    uint32_t going = 0;
    *others = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        struct attack_vcpu *o = attack_state_of_cpu(i);
        if (!o || o == a)
            continue;
        (*others)++;
        /* Still at its cases (between two runs after a case that stopped it, too), or done with none escaped. */
        going += !__atomic_load_n(&o->finished, __ATOMIC_ACQUIRE) || o->escaped == 0;
    }
    return going;
}

uint32_t attack_others_not_begun(const struct attack_vcpu *a)
{
    uint32_t others;
    (void)attack_others_going_on(a, &others);
    return a->ranks > others + 1 ? a->ranks - 1 - others : 0;
}

void attack_others_mark(struct attack_vcpu *a)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < cpu_count_found && n < ARRAY_SIZE(a->other_exits_at_begin); i++) {
        struct attack_vcpu *o = attack_state_of_cpu(i);
        if (o && o != a)
            a->other_exits_at_begin[n++] = __atomic_load_n(&o->vcpu->exits.total, __ATOMIC_RELAXED);
    }
}

uint32_t attack_others_progressed(const struct attack_vcpu *a)
{
    uint32_t n = 0, progressed = 0;
    for (uint32_t i = 0; i < cpu_count_found && n < ARRAY_SIZE(a->other_exits_at_begin); i++) {
        struct attack_vcpu *o = attack_state_of_cpu(i);
        if (!o || o == a)
            continue;
        uint64_t exits = __atomic_load_n(&o->vcpu->exits.total, __ATOMIC_RELAXED);
        progressed += exits > a->other_exits_at_begin[n++] || __atomic_load_n(&o->finished, __ATOMIC_ACQUIRE);
    }
    return progressed;
}
