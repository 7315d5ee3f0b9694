/*
 * What the kernel loaders (bzimage.c, multiboot1.c) share: a refusal with
 * its reason in words, and whether a range lies inside one usable region
 * of the guest's map. Pure code, host-tested with each loader.
 */
#ifndef ARCH_X86_LOADER_LOADER_COMMON_H
#define ARCH_X86_LOADER_LOADER_COMMON_H

#include "core/lib/compiler.h"
#include "mm/memory_map.h"

/* Formats the reason into why and returns err: `return loader_refuse(E_INVAL, why, why_bytes, "...")`. */
int loader_refuse(int err, char *why, size_t why_bytes, const char *fmt, ...) PRINTF_LIKE(4, 5);

/* Whether [base, base + size) lies inside one usable region of ram (no wrap: checked by subtraction). */
bool loader_inside_usable(const struct mem_region *ram, size_t ram_count, uint64_t base, uint64_t size);

#endif
