/*
 * Our own small printf formatter: %d %i %u %x %X %lx %llx %ld %lu %s %p %c %%,
 * with '-' and '0' flags and a field width (also '*'); 'l', 'll', 'z' sizes.
 * Pure code: no hardware, built for the host tests too.
 */
#ifndef CORE_LIB_FORMAT_H
#define CORE_LIB_FORMAT_H

#include <stdarg.h>
#include "core/lib/compiler.h"

/*
 * Formats into buf (always NUL-terminated when size_bytes > 0) and returns
 * the length the whole output would have had, like vsnprintf.
 */
int format_v(char *buf, size_t size_bytes, const char *fmt, va_list args);
int format(char *buf, size_t size_bytes, const char *fmt, ...) PRINTF_LIKE(3, 4);

#endif
