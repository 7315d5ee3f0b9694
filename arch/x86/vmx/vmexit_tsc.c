/*
 * IA32_TSC, IA32_TSC_ADJUST and IA32_TSC_DEADLINE for vm0's vCPUs (the
 * Linux and multiboot1 guests), through the MSR bitmap: the guest's writes
 * move its vCPU's TSC offset (tsc_offset.h), never the processor's TSC,
 * which is vmxroot's clock. "Use TSC offsetting" is on for vm0
 * (vmx_controls_pass_through), so RDTSC and RDTSCP need no exit. Reads of
 * IA32_TSC and IA32_TSC_ADJUST exit (vmexit_msr_bitmap_linux): the
 * processor has its own adjust value and would show it. Once a vCPU's
 * offset is not 0, writes of IA32_TSC_DEADLINE exit too, each translated to
 * the processor's TSC; before that they pass straight through.
 */
#include "arch/x86/vmx/vmexit_tsc.h"
#include "arch/x86/vmx/tsc_offset.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"

#define MSR_BITMAP_WRITE_LOW 2048 /* the write bitmap of MSRs 0-0x1FFF (the read one is at 0) */

static uint64_t offset_of(struct vcpu *vcpu) { return vcpu_read_field(vcpu, VMCS_TSC_OFFSET); }

static void set_offset(struct vcpu *vcpu, uint64_t offset)
{
    vcpu_write_field(vcpu, VMCS_TSC_OFFSET, offset);
    if (offset == 0)
        return;
    /* vm0's bitmap (or the vCPU's own): every vCPU's deadline writes exit from now on, each with its offset. */
    uint8_t *bitmap = (uint8_t *)(uintptr_t)vcpu->msr_bitmap_phys;
    bitmap[MSR_BITMAP_WRITE_LOW + MSR_IA32_TSC_DEADLINE / 8] |= (uint8_t)(1u << (MSR_IA32_TSC_DEADLINE % 8));
}

bool vmexit_tsc_read(struct vcpu *vcpu, uint32_t msr, uint64_t *value)
{
    if (msr == MSR_IA32_TSC)
        *value = rdtsc() + offset_of(vcpu);
    else if (msr == MSR_IA32_TSC_ADJUST)
        *value = rdmsr(MSR_IA32_TSC_ADJUST) + offset_of(vcpu);
    else
        return false;
    return true;
}

bool vmexit_tsc_write(struct vcpu *vcpu, uint32_t msr, uint64_t value)
{
    if (msr == MSR_IA32_TSC) {
        set_offset(vcpu, tsc_offset_for_tsc(rdtsc(), value));
    } else if (msr == MSR_IA32_TSC_ADJUST) {
        set_offset(vcpu, tsc_offset_for_adjust(rdmsr(MSR_IA32_TSC_ADJUST), value));
    } else if (msr == MSR_IA32_TSC_DEADLINE) {
        uint64_t offset = offset_of(vcpu);
        wrmsr(MSR_IA32_TSC_DEADLINE, tsc_deadline_for_processor(value, offset, rdtsc() + offset));
    } else {
        return false;
    }
    return true;
}
