/*
 * I/O instructions (exit 30) through the I/O bitmaps (SDM: "I/O-Bitmap
 * Addresses"): every port exits. The policy (docs/guests.md): a port the
 * kind of guest claims goes to its device (the test guest's report and
 * scratch ports); any other port reads as all ones and ignores writes, as
 * an ISA bus with nothing on it. String I/O is not emulated: it stops the vCPU.
 */
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/test_guest/test_guest.h"
#include "core/lib/string.h"

void vmexit_io_bitmap_init(struct vcpu *vcpu)
{
    memset((void *)(uintptr_t)vcpu->io_bitmap_phys, 0xff, 2ul * PAGE_SIZE_BYTES);
}

enum vmexit_action vmexit_io(struct vcpu *vcpu)
{
    struct vmx_io io = vmx_io_decode(vcpu->exit_qualification);
    if (io.string) {
        char text[128];
        vmx_io_format(&io, text, sizeof text);
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "string I/O is not emulated: %s", text);
        return VMEXIT_STOP;
    }
    uint64_t mask = io.size_bytes == 4 ? 0xffffffffull : io.size_bytes == 2 ? 0xffffull : 0xffull;
    uint32_t value = (uint32_t)(vcpu->regs.rax & mask);
    bool handled = vcpu->kind == GUEST_LINUX ? linux_guest_port(vcpu, io.port, io.in, io.size_bytes, &value)
                                             : test_guest_port(vcpu, io.port, io.in, &value);
    if (!handled)
        value = 0xffffffffu;
    if (vcpu->state != VCPU_RUNNING)
        return VMEXIT_STOP;
    if (io.in)
        vcpu->regs.rax = io.size_bytes == 4 ? value : (vcpu->regs.rax & ~mask) | (value & mask);
    vcpu_skip_instruction(vcpu);
    return VMEXIT_RESUME;
}
