/*
 * The kernel's frame allocator instance: mm/pmm.c's logic under one lock,
 * built from the boot memory map with the kernel image kept out. Frames are
 * zeroed on the way out (the direct map makes every frame reachable).
 */
#include "mm/frames.h"
#include "mm/multiboot2.h"
#include "mm/pmm.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "core/lib/spinlock.h"
#include "core/lib/string.h"

extern char kernel_image_start[], kernel_image_end[];

static struct pmm frame_pool;
static struct spinlock frame_lock = SPINLOCK_INIT;
static uint64_t ram_end_phys;
static struct pmm_span region;

int frames_init(const struct boot_info *info, uint64_t region_bytes)
{
    struct pmm_range kernel_image = {
        .base_phys = (uint64_t)(uintptr_t)kernel_image_start,
        .length_bytes = (uint64_t)(kernel_image_end - kernel_image_start),
    };
    pmm_init(&frame_pool);
    int err = pmm_init_from_boot_info(&frame_pool, info, &kernel_image, 1);
    if (err)
        return err;
    ram_end_phys = boot_info_ram_end_phys(info);
    if (region_bytes) {
        err = pmm_carve_top(&frame_pool, region_bytes, GiB(4), &region);
        if (err) {
            log_error("mm: no free run of %lu MiB below 4 GiB for vmxroot's own region (%s)",
                      region_bytes >> 20, error_name(err));
            return err;
        }
        log_info("mm: vmxroot's memory: 0x%lx..0x%lx (%lu MiB at the top of RAM below 4 GiB); the rest is "
                 "the guest's",
                 region.base_phys, region.end_phys, region_bytes >> 20);
    }
    if (log_enabled(LOG_DEBUG))
        pmm_log_free_spans(&frame_pool);
    return pmm_free_bytes(&frame_pool) ? 0 : E_NOMEM;
}

int frames_alloc(size_t frame_count, unsigned flags, uint64_t *phys_out)
{
    unsigned pmm_flags = 0;
    if (flags & FRAMES_BELOW_1MIB)
        pmm_flags |= PMM_BELOW_1MIB;
    if (flags & FRAMES_BELOW_4GIB)
        pmm_flags |= PMM_BELOW_4GIB;
    if (flags & FRAMES_HIGHEST)
        pmm_flags |= PMM_HIGHEST;
    spin_lock(&frame_lock);
    int err = pmm_alloc(&frame_pool, frame_count, PMM_FRAME_BYTES, pmm_flags, phys_out);
    spin_unlock(&frame_lock);
    if (!err && !(flags & FRAMES_UNZEROED))
        memset((void *)(uintptr_t)*phys_out, 0, frame_count * PMM_FRAME_BYTES);
    return err;
}

void frames_free(uint64_t phys, size_t frame_count)
{
    spin_lock(&frame_lock);
    int err = pmm_free(&frame_pool, phys, frame_count);
    spin_unlock(&frame_lock);
    if (err)
        panic("mm: freeing %lu frames at 0x%lx was refused (%s): the frame allocator's books are broken",
              (uint64_t)frame_count, phys, error_name(err));
}

bool frames_region(uint64_t *base_phys, uint64_t *end_phys)
{
    *base_phys = region.base_phys;
    *end_phys = region.end_phys;
    return region.end_phys != 0;
}

uint64_t frames_total_usable_bytes(void) { return pmm_usable_bytes(&frame_pool); }
uint64_t frames_free_bytes(void) { return pmm_free_bytes(&frame_pool); }
uint64_t frames_ram_end_phys(void) { return ram_end_phys; }
