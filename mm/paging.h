/*
 * The kernel's own page tables (4-level, identity mapped: virtual address ==
 * physical address, so a frame's phys is also where the kernel reaches it).
 *
 * - All RAM the memory map names and the low 4 GiB (firmware tables, local
 *   APIC, I/O) are mapped read-write and never executable, with 2 MiB pages.
 * - The kernel image is mapped with 4 KiB pages and W^X: text read+execute,
 *   rodata read-only, data and bss read-write, both no-execute.
 * - Guard pages are unmapped on request, splitting a 2 MiB page if needed.
 */
#ifndef MM_PAGING_H
#define MM_PAGING_H

#include "core/lib/compiler.h"

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITABLE (1ull << 1)
#define PTE_CACHE_DISABLE (1ull << 4)
#define PTE_WRITE_THROUGH (1ull << 3)
#define PTE_LARGE (1ull << 7)
#define PTE_PAT_4K (1ull << 7) /* in a 4 KiB PTE, the same bit is the PAT index's high bit */
#define PTE_GLOBAL (1ull << 8)
#define PTE_NO_EXECUTE (1ull << 63)
#define PTE_ADDRESS_MASK 0x000FFFFFFFFFF000ull

/* Builds and loads the tables; maps [0, max(4 GiB, ram_end_phys)). 0 or E_NOMEM. */
MUST_CHECK int paging_init(uint64_t ram_end_phys);
/* Makes the 4 KiB page at virt not present (a guard page). */
MUST_CHECK int paging_unmap_page(uint64_t virt);
/* Sets the flags of the 4 KiB page at virt (splitting a large page if needed). */
MUST_CHECK int paging_set_page_flags(uint64_t virt, uint64_t flags);
/* Maps the 4 KiB page at virt to phys (an alias outside the identity map). */
MUST_CHECK int paging_map_alias(uint64_t virt, uint64_t phys, uint64_t flags);
/* How device memory is cached (Intel SDM, "Page Attribute Table (PAT)"). */
enum paging_cache {
    PAGING_UNCACHED,        /* registers: every access reaches the device, in order */
    PAGING_WRITE_COMBINING, /* a framebuffer: writes are buffered and sent in bursts */
};
/*
 * Maps [phys, phys + size_bytes) at the same virtual address, read-write,
 * never executable, with 4 KiB pages of the given cache type (it may lie
 * above the RAM map, e.g. a 64-bit framebuffer BAR). 0 or E_NOMEM.
 */
MUST_CHECK int paging_map_mmio(uint64_t phys, uint64_t size_bytes, enum paging_cache cache);
/* Loads the kernel's PAT (entry 4 = write-combining) on this CPU: every CPU, before it touches such a page. */
void paging_load_pat(void);
/* PTE_NO_EXECUTE when this CPU has NX, else 0 (the bit is reserved without it). */
uint64_t paging_no_execute_flag(void);
/* The root of the tables, for CR3 on the APs: below 4 GiB. */
uint64_t paging_root_phys(void);
/* Looks up virt: its PTE flags (0 when not mapped). For tests and reports. */
uint64_t paging_lookup_flags(uint64_t virt);

#endif
