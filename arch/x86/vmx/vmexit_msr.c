/*
 * RDMSR/WRMSR (exits 31/32) through the MSR bitmap (SDM: "MSR-Bitmap
 * Address"). The policy (docs/guests.md): every MSR exits except the
 * SYSCALL/SWAPGS ones vmxroot never uses (it runs no SYSCALL and no SWAPGS,
 * and has one guest per CPU); the MSRs the VMCS switches are emulated on
 * their guest-state fields; everything else, vmxroot's own MSRs (feature
 * control, the VMX capabilities, the APIC base) included, gets #GP, as an
 * MSR the CPU does not have.
 *
 * The Linux guest (pass-through, docs/guests.md) is the other way round:
 * every MSR goes to the processor (an MSR it lacks gives the guest the
 * processor's own #GP, which Linux takes as a warning and a zero) except a
 * deny-list: EFER and PAT, switched by the VMCS, emulated on their fields;
 * IA32_FEATURE_CONTROL and the VMX capability MSRs (#GP: no nested VMX);
 * IA32_APIC_BASE writes that would turn x2APIC on (#GP: the guest keeps the
 * xAPIC); and IA32_TSC and IA32_TSC_ADJUST, on the vCPU's TSC offset
 * (vmexit_tsc.c: vmxroot's clock, the processor's TSC, never moves).
 * IA32_TSC_DEADLINE passes through while that offset is 0.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmexit_tsc.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "core/lib/string.h"

#define VECTOR_GP 13
#define MSR_IA32_VMX_FIRST 0x480
#define MSR_IA32_VMX_LAST 0x493
#define EFER_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)

/* Bitmap layout: read low MSRs at 0, read high (0xC0000000..) at 1024, write low at 2048, write high at 3072. */
static void pass_through(uint8_t *bitmap, uint32_t msr)
{
    uint32_t base = msr >= 0xC0000000u ? 1024 : 0, index = msr & 0x1fff;
    bitmap[base + index / 8] &= (uint8_t) ~(1u << (index % 8));
    bitmap[2048 + base + index / 8] &= (uint8_t) ~(1u << (index % 8));
}

static void trap(uint8_t *bitmap, uint32_t msr, bool reads, bool writes)
{
    uint32_t base = msr >= 0xC0000000u ? 1024 : 0, index = msr & 0x1fff;
    if (reads)
        bitmap[base + index / 8] |= (uint8_t)(1u << (index % 8));
    if (writes)
        bitmap[2048 + base + index / 8] |= (uint8_t)(1u << (index % 8));
}

void vmexit_msr_bitmap_linux(uint8_t *bitmap)
{
    memset(bitmap, 0, PAGE_SIZE_BYTES);
    trap(bitmap, MSR_EFER, true, true);
    trap(bitmap, MSR_IA32_PAT, true, true);
    trap(bitmap, MSR_IA32_FEATURE_CONTROL, true, true);
    for (uint32_t msr = MSR_IA32_VMX_FIRST; msr <= MSR_IA32_VMX_LAST; msr++)
        trap(bitmap, msr, true, true);
    trap(bitmap, MSR_IA32_APIC_BASE, false, true);
    trap(bitmap, MSR_IA32_TSC, true, true);
    trap(bitmap, MSR_IA32_TSC_ADJUST, true, true);
}

void vmexit_msr_bitmap_init(struct vcpu *vcpu)
{
    uint8_t *bitmap = (uint8_t *)(uintptr_t)vcpu->msr_bitmap_phys;
    memset(bitmap, 0xff, PAGE_SIZE_BYTES);
    static const uint32_t unused_by_vmxroot[] = { MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
                                                  MSR_KERNEL_GS_BASE };
    for (size_t i = 0; i < ARRAY_SIZE(unused_by_vmxroot); i++)
        pass_through(bitmap, unused_by_vmxroot[i]);
}

/* The MSRs a VMCS guest-state field holds. 0 when msr is not one of them. */
static uint32_t field_of(const struct vcpu *vcpu, uint32_t msr)
{
    switch (msr) {
    case MSR_IA32_SYSENTER_CS:
        return VMCS_GUEST_IA32_SYSENTER_CS;
    case MSR_IA32_SYSENTER_ESP:
        return VMCS_GUEST_IA32_SYSENTER_ESP;
    case MSR_IA32_SYSENTER_EIP:
        return VMCS_GUEST_IA32_SYSENTER_EIP;
    case MSR_FS_BASE:
        return VMCS_GUEST_FS_BASE;
    case MSR_GS_BASE:
        return VMCS_GUEST_GS_BASE;
    case MSR_EFER:
        return VMCS_GUEST_IA32_EFER;
    case MSR_IA32_PAT:
        return (vcpu->controls->value[VMX_CONTROL_ENTRY] & ENTRY_LOAD_IA32_PAT) ? VMCS_GUEST_IA32_PAT : 0;
    default:
        return 0;
    }
}

/* The guest kind's own MSR policy first (multiboot1: IA32_APIC_BASE). */
static enum vcpu_msr_outcome kind_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *value)
{
    return vcpu->kind_ops->msr ? vcpu->kind_ops->msr(vcpu, msr, write, value) : VCPU_MSR_NOT_OURS;
}

static enum vmexit_action refuse(struct vcpu *vcpu)
{
    vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_rdmsr(struct vcpu *vcpu)
{
    uint32_t msr = (uint32_t)vcpu->regs.rcx;
    uint64_t value = 0;
    uint32_t field = field_of(vcpu, msr);
    enum vcpu_msr_outcome kind = kind_msr(vcpu, msr, false, &value);
    if (kind == VCPU_MSR_GP)
        return refuse(vcpu);
    if (kind == VCPU_MSR_NOT_OURS && guest_kind_is_vm0(vcpu->kind) && vmexit_tsc_read(vcpu, msr, &value))
        kind = VCPU_MSR_DONE;
    if (kind == VCPU_MSR_NOT_OURS && field)
        value = vcpu_read_field(vcpu, field);
    else if (kind == VCPU_MSR_NOT_OURS && msr == MSR_IA32_TSC)
        value = rdtsc();
    else if (kind == VCPU_MSR_NOT_OURS)
        return refuse(vcpu);
    vcpu->regs.rax = value & 0xffffffffull;
    vcpu->regs.rdx = value >> 32;
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}

enum vmexit_action vmexit_wrmsr(struct vcpu *vcpu)
{
    uint32_t msr = (uint32_t)vcpu->regs.rcx;
    uint64_t value = ((vcpu->regs.rdx & 0xffffffffull) << 32) | (vcpu->regs.rax & 0xffffffffull);
    uint32_t field = field_of(vcpu, msr);
    enum vcpu_msr_outcome kind = kind_msr(vcpu, msr, true, &value);
    if (kind != VCPU_MSR_NOT_OURS) {
        if (kind == VCPU_MSR_GP)
            return refuse(vcpu);
        vcpu_skip_instruction(vcpu);
        return VMEXIT_RESUME;
    }
    if (guest_kind_is_vm0(vcpu->kind) && !field) {
        if (msr == MSR_IA32_APIC_BASE && !(value & APIC_BASE_X2APIC_ENABLE)) {
            wrmsr(msr, value); /* the guest owns its xAPIC: base address, enable */
        } else if (!vmexit_tsc_write(vcpu, msr, value)) {
            return refuse(vcpu); /* feature control, VMX capabilities, x2APIC on */
        }
        vcpu_skip_instruction(vcpu);
        return VMEXIT_RESUME;
    }
    if (!field)
        return refuse(vcpu);
    bool holds_address = msr == MSR_FS_BASE || msr == MSR_GS_BASE || msr == MSR_IA32_SYSENTER_ESP ||
                         msr == MSR_IA32_SYSENTER_EIP;
    if (holds_address && (uint64_t)((int64_t)(value << 16) >> 16) != value)
        return refuse(vcpu); /* not canonical: #GP, as the instruction would */
    if (msr == MSR_EFER) {
        /* LMA is the processor's to set (SDM: "IA32_EFER"): kept as it is; reserved bits fault. */
        if (value & ~(EFER_WRITABLE | EFER_LMA))
            return refuse(vcpu);
        uint64_t old = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER);
        value = (value & EFER_WRITABLE) | (old & EFER_LMA);
    }
    vcpu_write_field(vcpu, field, value);
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}
