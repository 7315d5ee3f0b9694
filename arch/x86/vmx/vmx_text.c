/* See vmx_text.h. */
#include <stdarg.h>
#include "arch/x86/vmx/vmx_text.h"
#include "core/lib/format.h"

size_t vmx_text_append(char *buf, size_t size_bytes, size_t used, const char *fmt, ...)
{
    if (size_bytes == 0 || used >= size_bytes - 1)
        return used;
    va_list args;
    va_start(args, fmt);
    int added = format_v(buf + used, size_bytes - used, fmt, args);
    va_end(args);
    if (added < 0)
        return used;
    used += (size_t)added;
    return used < size_bytes - 1 ? used : size_bytes - 1;
}
