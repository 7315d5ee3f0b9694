/*
 * The kernel's allocator for EPT tables (arch/x86/vmx/ept.h): one zeroed
 * frame each from mm/frames, reached through the identity map (mm/paging.h:
 * a frame's phys is its address). Host tests pass their own allocator.
 */
#ifndef ARCH_X86_VMX_EPT_FRAMES_H
#define ARCH_X86_VMX_EPT_FRAMES_H

#include "arch/x86/vmx/ept.h"

extern const struct ept_allocator ept_frames_allocator;

#endif
