/* Minimal: the ept branch owns this file. */
#ifndef ARCH_X86_VMX_VMX_EXIT_REASON_H
#define ARCH_X86_VMX_VMX_EXIT_REASON_H
#include "core/lib/compiler.h"
const char *vmx_exit_reason_name(uint32_t basic_reason);
#endif
