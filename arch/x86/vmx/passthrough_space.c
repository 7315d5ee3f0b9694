/*
 * The pass-through space on this machine (passthrough_space.h): the ranges
 * from the linker's image symbols and the frame allocator's region, the
 * types from this CPU's MTRRs.
 */
#include "arch/x86/vmx/passthrough_space.h"
#include "arch/x86/vmx/ept_passthrough.h"
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/mtrr.h"
#include "mm/frames.h"

extern char kernel_image_start[], kernel_image_end[];

size_t passthrough_own_ranges(struct mem_region *own)
{
    size_t n = 0;
    uint64_t base, end;
    uint64_t image = ALIGN_DOWN((uint64_t)(uintptr_t)kernel_image_start, PAGE_SIZE_BYTES);
    own[n++] =
        (struct mem_region){ image, ALIGN_UP((uint64_t)(uintptr_t)kernel_image_end, PAGE_SIZE_BYTES) - image,
                             MEM_RESERVED };
    if (frames_region(&base, &end))
        own[n++] = (struct mem_region){ base, end - base, MEM_RESERVED };
    return n;
}

int passthrough_space_build(struct ept_space *space, const struct mem_region *own, size_t own_count,
                            uint64_t status_phys, uint64_t status_bytes)
{
    struct mtrr_map mtrr;
    int err = mtrr_read_this_cpu(&mtrr);
    if (!err)
        err = ept_space_init(space, &vcpu_ept_allocator, vmx_boot_caps()->ept_vpid_cap, cpu_phys_addr_bits());
    struct ept_passthrough layout = {
        .end_phys = frames_ram_end_phys() > GiB(4) ? ALIGN_UP(frames_ram_end_phys(), GiB(1)) : GiB(4),
        .own = own,
        .own_count = own_count,
        .status_phys = status_phys,
        .status_bytes = status_bytes,
        .mtrr = &mtrr,
    };
    if (!err)
        err = ept_passthrough_build(space, &layout);
    return err;
}
