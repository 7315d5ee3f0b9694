/*
 * EPT tables from the frame allocator. A frame that cannot be freed is a
 * broken invariant of the caller (a page the builder never had), so it is
 * logged, not ignored.
 */
#include "arch/x86/vmx/ept_frames.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "mm/frames.h"

static int frames_alloc_page(void *ctx, struct ept_page *page)
{
    uint64_t phys;
    int err = frames_alloc(1, 0, &phys);
    if (err != 0)
        return err;
    page->phys = phys;
    page->virt = (void *)(uintptr_t)phys;
    return 0;
}

static void frames_free_page(void *ctx, struct ept_page page)
{
    int err = frames_free(page.phys, 1);
    if (err != 0)
        log_error("ept: freeing table frame 0x%llx failed: %s", (unsigned long long)page.phys,
                  error_name(err));
}

static void *frames_phys_to_virt(void *ctx, uint64_t phys) { return (void *)(uintptr_t)phys; }

const struct ept_allocator ept_frames_allocator = { frames_alloc_page, frames_free_page, frames_phys_to_virt,
                                                    NULL };
