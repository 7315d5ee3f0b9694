/*
 * The pass-through layout in three steps, each a range operation of the
 * builder: map everything read/write/execute with the MTRR types (large
 * pages wherever the types allow), cut out vmxroot's ranges (which splits
 * only the large pages they touch), then map the status page read-only.
 */
#include "arch/x86/vmx/ept_passthrough.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

static int check_range(const char *what, uint64_t base, uint64_t bytes, uint64_t end_phys)
{
    if (!IS_ALIGNED(base, PAGE_SIZE_BYTES) || !IS_ALIGNED(bytes, PAGE_SIZE_BYTES) || bytes == 0) {
        log_error("ept: %s 0x%llx size 0x%llx is empty or not 4 KiB-aligned", what, (unsigned long long)base,
                  (unsigned long long)bytes);
        return E_INVAL;
    }
    if (bytes > end_phys || base > end_phys - bytes) {
        log_error("ept: %s 0x%llx size 0x%llx runs past the identity map's end 0x%llx", what,
                  (unsigned long long)base, (unsigned long long)bytes, (unsigned long long)end_phys);
        return E_RANGE;
    }
    return 0;
}

int ept_passthrough_build(struct ept_space *space, const struct ept_passthrough *layout)
{
    int err = 0;
    for (size_t i = 0; i < layout->own_count && err == 0; i++)
        err = check_range("vmxroot's range", layout->own[i].base_phys, layout->own[i].length_bytes,
                          layout->end_phys);
    if (err == 0 && layout->status_phys != 0)
        err = check_range("the status page", layout->status_phys, layout->status_bytes, layout->end_phys);
    if (err == 0)
        err = ept_map_range(space, 0, 0, layout->end_phys, EPT_READ | EPT_WRITE | EPT_EXEC, layout->mtrr);
    for (size_t i = 0; i < layout->own_count && err == 0; i++)
        err = ept_unmap_range(space, layout->own[i].base_phys, layout->own[i].length_bytes);
    /* Last: the status page usually lies inside vmxroot's own region, which the loop above cut out. */
    if (err == 0 && layout->status_phys != 0)
        err = ept_map_range(space, layout->status_phys, layout->status_phys, layout->status_bytes, EPT_READ,
                            layout->mtrr);
    return err;
}
