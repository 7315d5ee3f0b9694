/*
 * This CPU's index, for the lowest layers (log, panic) that must not include
 * the per-CPU structure's header (arch/x86/smp/percpu.h, which allocates and
 * logs). The index lives at gs:CPU_INDEX_GS_OFFSET in struct percpu, which
 * asserts that offset; before the GS base is set (percpu_ready false, defined
 * in arch/x86/smp/percpu.c) only the boot CPU runs, index 0.
 */
#ifndef ARCH_X86_CPU_INDEX_H
#define ARCH_X86_CPU_INDEX_H

#include "core/lib/compiler.h"

#define CPU_INDEX_GS_OFFSET 8

extern bool percpu_ready; /* the GS base points at this CPU's struct percpu */

static inline uint32_t this_cpu_index(void)
{
    uint32_t index;
    if (!percpu_ready)
        return 0;
    __asm__ volatile("movl %%gs:%c1, %0" : "=r"(index) : "i"(CPU_INDEX_GS_OFFSET));
    return index;
}

#endif
