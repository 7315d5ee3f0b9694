/*
 * The physical memory map as vmxroot keeps it: a small array of typed
 * regions copied out of the boot loader's map (multiboot2 tag 6 or tag 17).
 * Types follow the E820 / multiboot2 numbering so a legacy map copies over
 * unchanged. Pure code: built for the host tests too.
 */
#ifndef MM_MEMORY_MAP_H
#define MM_MEMORY_MAP_H

#include "core/lib/compiler.h"

enum mem_type {
    MEM_USABLE = 1,           /* RAM the kernel may hand out */
    MEM_RESERVED = 2,         /* firmware, MMIO, anything not named below */
    MEM_ACPI_RECLAIMABLE = 3, /* ACPI tables: readable RAM, kept until ACPI is parsed */
    MEM_ACPI_NVS = 4,         /* firmware state kept across sleep: never touched */
    MEM_BAD = 5,              /* RAM the firmware found defective */
};

struct mem_region {
    uint64_t base_phys;
    uint64_t length_bytes; /* never 0; base_phys + length_bytes never wraps */
    uint32_t type;         /* enum mem_type */
};

/* "usable", "reserved", "acpi-reclaimable", "acpi-nvs", "bad", "?" */
const char *mem_type_name(uint32_t type);
/* Which type wins an overlap: the higher (bad > reserved > acpi-nvs > acpi-reclaimable > usable); unknown = reserved. */
unsigned mem_type_strictness(uint32_t type);

/*
 * Sorts regions by address, merges touching regions of the same type and
 * clips overlaps so every byte has one type: the stricter type wins
 * (bad > reserved > acpi-nvs > acpi-reclaimable > usable), so usable RAM
 * never covers a byte another entry reserves. Works in place; splitting a
 * region around a stricter one may need a slot: when count reaches capacity
 * a piece of the less strict region is left out and *overflow is set: the
 * piece past the stricter one if it is usable RAM, else the piece before it.
 * A byte left out is in no region; no byte ever gets a looser type than the
 * input gives it. Returns the new count.
 */
size_t mem_regions_normalize(struct mem_region *regions, size_t count, size_t capacity, bool *overflow);

#endif
