/* Building one log line from pieces, for the VMX reports and refusals. */
#ifndef ARCH_X86_VMX_VMX_TEXT_H
#define ARCH_X86_VMX_VMX_TEXT_H

#include "core/lib/compiler.h"

/*
 * Appends formatted text at buf[used] and returns the new length, never past
 * size_bytes - 1 (the text is cut, and stays NUL-terminated). Call as
 * used = vmx_text_append(buf, sizeof buf, used, "...", ...).
 */
size_t vmx_text_append(char *buf, size_t size_bytes, size_t used, const char *fmt, ...) PRINTF_LIKE(4, 5);

#endif
