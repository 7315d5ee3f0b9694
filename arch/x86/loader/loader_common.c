#include "arch/x86/loader/loader_common.h"
#include "core/lib/format.h"

int loader_refuse(int err, char *why, size_t why_bytes, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    format_v(why, why_bytes, fmt, args);
    va_end(args);
    return err;
}

bool loader_inside_usable(const struct mem_region *ram, size_t ram_count, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < ram_count; i++)
        if (ram[i].type == MEM_USABLE && base >= ram[i].base_phys &&
            base - ram[i].base_phys <= ram[i].length_bytes &&
            size <= ram[i].length_bytes - (base - ram[i].base_phys))
            return true;
    return false;
}
