/*
 * IA32_APIC_BASE for a multiboot1 guest (SDM: "Local APIC Status and
 * Location", "x2APIC State Transitions"). kvm-unit-tests disables each
 * CPU's local APIC (global enable clear), enables it again and then turns
 * it to x2APIC. Bochs 2.7's relocate_apic ignores every write to
 * IA32_APIC_BASE once the global enable is clear, so a disable passed to it
 * would leave the APIC off for good (ICR reads 0xffffffff, the INIT
 * broadcast never leaves). vmxroot keeps the guest's view per vCPU and
 * gives the processor only what keeps its APIC working: a disable stays in
 * the view (the processor's APIC stays enabled, in its mode), the
 * transitions the SDM refuses get #GP, the xAPIC to x2APIC switch goes to
 * the processor, and vmxroot's own APIC driver then uses the MSRs on that
 * CPU. A change of the base address is refused (#GP): vmxroot's memory map
 * has the APIC page where the firmware put it. When the view leaves x2APIC
 * while the processor's APIC stays in it, the vCPU gets an MSR bitmap of its
 * own that traps the x2APIC MSRs, so they give #GP as they do outside
 * x2APIC mode (SDM: "x2APIC Register Address Space"), and its APIC page
 * accesses become vmxroot's: an xAPIC over the x2APIC (vapic_x2apic.h).
 */
#include "arch/x86/vmx/multiboot1_guest.h"
#include "arch/x86/vmx/vapic_x2apic.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "core/lib/string.h"
#include "mm/frames.h"

#define APIC_BASE_EXTD APIC_BASE_X2APIC_ENABLE /* the SDM's names of the two mode bits */
#define APIC_BASE_EN APIC_BASE_XAPIC_ENABLE
#define APIC_BASE_MODE (APIC_BASE_EXTD | APIC_BASE_EN)
#define APIC_BASE_RESERVED_LOW 0x2FFull /* bits 0-7 and 9 */

#define X2APIC_MSR_FIRST 0x800
#define X2APIC_MSR_LAST 0x8FF
#define MSR_BITMAP_WRITE_LOW 2048 /* the write bitmap of MSRs 0-0x1FFF (the read one is at 0) */

/* The guest's IA32_APIC_BASE per CPU; 0 until its first access (then the processor's value). */
static uint64_t guest_view[MAX_CPUS];
/* A vCPU's own MSR bitmap once it needs one (vm0's with the x2APIC MSRs trapped); 0: vm0's. */
static uint64_t own_bitmap_phys[MAX_CPUS];

/* The x2APIC MSRs trapped (their access gives #GP: vmexit_msr.c denies what no one handles) or passed. */
static void trap_x2apic_msrs(struct vcpu *vcpu, bool trap)
{
    uint32_t cpu = vcpu->cpu_index;
    if (own_bitmap_phys[cpu] == 0) {
        if (!trap || frames_alloc(1, 0, &own_bitmap_phys[cpu]) != 0)
            return; /* nothing to undo; or no page: the x2APIC MSRs stay the processor's */
        memcpy((void *)(uintptr_t)own_bitmap_phys[cpu], (const void *)(uintptr_t)vcpu->msr_bitmap_phys,
               PAGE_SIZE_BYTES);
        vcpu->msr_bitmap_phys = own_bitmap_phys[cpu];
        vcpu_write_field(vcpu, VMCS_MSR_BITMAP, own_bitmap_phys[cpu]);
    }
    uint8_t *bitmap = (uint8_t *)(uintptr_t)own_bitmap_phys[cpu];
    uint8_t byte = trap ? 0xff : 0;
    memset(bitmap + X2APIC_MSR_FIRST / 8, byte, (X2APIC_MSR_LAST - X2APIC_MSR_FIRST + 1) / 8);
    memset(bitmap + MSR_BITMAP_WRITE_LOW + X2APIC_MSR_FIRST / 8, byte,
           (X2APIC_MSR_LAST - X2APIC_MSR_FIRST + 1) / 8);
}

static uint64_t view_of(uint32_t cpu)
{
    if (guest_view[cpu] == 0)
        guest_view[cpu] = rdmsr(MSR_IA32_APIC_BASE);
    return guest_view[cpu];
}

/* Whether the SDM allows the mode change: never to EXTD without EN, never x2APIC to xAPIC, never disabled to x2APIC. */
static bool transition_allowed(uint64_t from, uint64_t to)
{
    uint64_t old = from & APIC_BASE_MODE, new = to &APIC_BASE_MODE;
    if (old == new)
        return true;
    if (new == APIC_BASE_EXTD)
        return false;
    if (old == APIC_BASE_MODE && new == APIC_BASE_EN)
        return false;
    if (old == 0 && new == APIC_BASE_MODE)
        return false;
    return true;
}

enum vcpu_msr_outcome multiboot1_apic_base_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *value)
{
    if (msr != MSR_IA32_APIC_BASE || vcpu->cpu_index >= MAX_CPUS)
        return VCPU_MSR_NOT_OURS;
    uint64_t view = view_of(vcpu->cpu_index);
    if (!write) {
        *value = view;
        return VCPU_MSR_DONE;
    }
    uint64_t to = *value;
    uint64_t address_mask = ~((1ull << cpu_phys_addr_bits()) - 1);
    if ((to & (APIC_BASE_RESERVED_LOW | address_mask)) || !transition_allowed(view, to))
        return VCPU_MSR_GP;
    if ((to & ~(APIC_BASE_MODE | APIC_BASE_BSP)) != (view & ~(APIC_BASE_MODE | APIC_BASE_BSP)))
        return VCPU_MSR_GP; /* a new base address */
    uint64_t real = rdmsr(MSR_IA32_APIC_BASE);
    if ((to & APIC_BASE_MODE) == APIC_BASE_MODE && !(real & APIC_BASE_EXTD)) {
        wrmsr(MSR_IA32_APIC_BASE, (real & ~APIC_BASE_MODE) | APIC_BASE_MODE);
        lapic_note_x2apic_this_cpu();
    }
    /*
     * A disable, or xAPIC again after one, stays in the view: the processor's
     * APIC stays enabled. After x2APIC, disabled, then xAPIC the processor's
     * APIC stays in x2APIC mode (leaving it needs the disable Bochs never
     * undoes): the guest's xAPIC is then emulated over it (vapic_x2apic.h).
     */
    bool real_x2apic = (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_EXTD) != 0;
    if (real_x2apic && (to & APIC_BASE_EXTD) != (view & APIC_BASE_EXTD))
        trap_x2apic_msrs(vcpu, !(to & APIC_BASE_EXTD));
    guest_view[vcpu->cpu_index] = (to & ~APIC_BASE_BSP) | (real & APIC_BASE_BSP);
    /* CPUID.1:EDX.APIC and the APIC page follow the view (guest_cpuid.c, vapic_x2apic.c). */
    vcpu->cpuid_context.apic_disabled = !(to & APIC_BASE_EN);
    vapic_x2apic_view_changed(vcpu, guest_view[vcpu->cpu_index], real_x2apic);
    return VCPU_MSR_DONE;
}
