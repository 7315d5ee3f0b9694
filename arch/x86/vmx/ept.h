/*
 * A 4-level EPT guest-physical space (SDM: "The Extended Page Table
 * Mechanism (EPT)"): tables from an allocator callback, ranges mapped and
 * unmapped with read/write/execute access, each leaf's memory type from the
 * host's MTRRs (struct mtrr_map), 2 MiB and 1 GiB leaves only where
 * IA32_VMX_EPT_VPID_CAP allows them and the whole leaf has one memory type,
 * the EPTP value, a lookup and a walk for reporting. Pure code: the kernel
 * passes frames, host tests pass malloc'ed pages.
 *
 * Not thread-safe: one space is built by one CPU at a time. A table is freed
 * when the whole range it maps is unmapped or replaced by a large leaf; a
 * partial unmap may leave an empty table until ept_space_destroy. Leaves are
 * never merged back into a large one.
 */
#ifndef ARCH_X86_VMX_EPT_H
#define ARCH_X86_VMX_EPT_H

#include "arch/x86/mtrr.h"

/* Access rights of a mapping: EPT entry bits 0-2. */
#define EPT_READ (1u << 0)
#define EPT_WRITE (1u << 1)
#define EPT_EXEC (1u << 2)
#define EPT_ACCESS_MASK (EPT_READ | EPT_WRITE | EPT_EXEC)

/* IA32_VMX_EPT_VPID_CAP bits (SDM appendix "VPID and EPT Capabilities"). */
#define EPT_CAP_EXECUTE_ONLY (1ull << 0)
#define EPT_CAP_WALK_LENGTH_4 (1ull << 6)
#define EPT_CAP_PAGING_UC (1ull << 8)
#define EPT_CAP_PAGING_WB (1ull << 14)
#define EPT_CAP_2MIB_PAGES (1ull << 16)
#define EPT_CAP_1GIB_PAGES (1ull << 17)
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_ACCESSED_DIRTY (1ull << 21)
#define EPT_CAP_INVEPT_SINGLE_CONTEXT (1ull << 25)
#define EPT_CAP_INVEPT_ALL_CONTEXT (1ull << 26)

/* EPT paging-structure entry bits (SDM: "Format of EPT Paging-Structure Entries"). */
#define EPT_ENTRY_MEMORY_TYPE_SHIFT 3 /* bits 5:3, leaves only */
#define EPT_ENTRY_IGNORE_PAT (1ull << 6)
#define EPT_ENTRY_LARGE (1ull << 7) /* a PDPTE maps 1 GiB, a PDE maps 2 MiB */
#define EPT_ENTRY_ADDRESS_MASK 0x000FFFFFFFFFF000ull

/* The guest-physical addresses a 4-level walk translates. */
#define EPT_GPA_LIMIT (1ull << 48)

/* One 4 KiB-aligned page: where the builder writes it and what the CPU is given. */
struct ept_page {
    void *virt;
    uint64_t phys;
};

struct ept_allocator {
    /* 0 and a 4 KiB-aligned page (the builder zeroes it), or a negative E_* (E_NOMEM). */
    int (*alloc_page)(void *ctx, struct ept_page *page);
    void (*free_page)(void *ctx, struct ept_page page);
    /* The virt of a page alloc_page returned, from its phys (the identity map in the kernel). */
    void *(*phys_to_virt)(void *ctx, uint64_t phys);
    void *ctx;
};

struct ept_space {
    struct ept_allocator allocator;
    struct ept_page pml4;
    uint64_t ept_vpid_cap;
    uint64_t hpa_limit;         /* 1 << MAXPHYADDR: a host address at or past it is refused */
    uint8_t paging_memory_type; /* of the tables themselves, in the EPTP: WB, or UC when only UC is allowed */
    uint32_t table_count;       /* including the PML4 */
    bool invalidation_needed;   /* a present entry changed since ept_invalidation_done */
};

/* What a guest-physical address translates to. */
struct ept_translation {
    uint64_t hpa;
    uint32_t access;          /* EPT_READ | EPT_WRITE | EPT_EXEC */
    uint8_t memory_type;      /* enum mtrr_type */
    bool ignore_pat;          /* always false from this builder */
    uint64_t leaf_size_bytes; /* 4 KiB, 2 MiB or 1 GiB */
};

/* What a walk of the whole space finds. */
struct ept_stats {
    uint32_t tables; /* including the PML4; each one 4 KiB */
    uint64_t table_bytes;
    uint64_t mapped_bytes;
    uint32_t leaves_4kib, leaves_2mib, leaves_1gib;
};

/*
 * An empty space. ept_vpid_cap is IA32_VMX_EPT_VPID_CAP; phys_width_bits is
 * MAXPHYADDR. E_NOTSUP when the capability MSR allows no 4-level walk or
 * neither a WB nor a UC paging-structure type; E_INVAL for a width outside
 * 32..52; the allocator's error when the PML4 cannot be had.
 */
MUST_CHECK int ept_space_init(struct ept_space *space, const struct ept_allocator *allocator,
                              uint64_t ept_vpid_cap, uint32_t phys_width_bits);
/* Frees every table; the space must be built again with ept_space_init before use. */
void ept_space_destroy(struct ept_space *space);

/*
 * Maps [gpa, gpa + size_bytes) to [hpa, ...) with access, replacing what is
 * there (a sub-range of a large leaf splits it). Each leaf gets the memory
 * type mtrr gives its host range; a 2 MiB or 1 GiB leaf is used only where
 * the capability MSR allows it, gpa and hpa are both aligned to it, and the
 * MTRR type is uniform over it. 1 GiB leaves need 2 MiB ones allowed too
 * (every CPU with one has the other), since a split makes 2 MiB leaves. 0, or: E_INVAL for an address or size not
 * 4 KiB-aligned, size 0, access 0 or outside EPT_ACCESS_MASK, write without
 * read, execute-only without EPT_CAP_EXECUTE_ONLY (each an EPT
 * misconfiguration); E_RANGE for a gpa range past EPT_GPA_LIMIT or an hpa
 * range past the physical-address width; the allocator's error (the range
 * may then be partly mapped: unmap it or destroy the space).
 */
MUST_CHECK int ept_map_range(struct ept_space *space, uint64_t gpa, uint64_t hpa, uint64_t size_bytes,
                             uint32_t access, const struct mtrr_map *mtrr);
/* The same with one memory type for the whole range (a guest's own RAM, MMIO): large leaves where aligned. */
MUST_CHECK int ept_map_range_typed(struct ept_space *space, uint64_t gpa, uint64_t hpa, uint64_t size_bytes,
                                   uint32_t access, uint8_t memory_type);
/* Removes every mapping in the range (absent ones are fine); the errors as ept_map_range. */
MUST_CHECK int ept_unmap_range(struct ept_space *space, uint64_t gpa, uint64_t size_bytes);

/*
 * 0 and *out, or E_NOENT when gpa is not mapped (or past EPT_GPA_LIMIT);
 * then out->leaf_size_bytes is the size of the absent entry's span, so a
 * walk can step over the hole (its start is gpa aligned down to that size).
 */
MUST_CHECK int ept_lookup(const struct ept_space *space, uint64_t gpa, struct ept_translation *out);
void ept_space_stats(const struct ept_space *space, struct ept_stats *out);

/*
 * The EPT pointer (SDM: "Extended-Page-Table Pointer (EPTP)"): the PML4's
 * address, the paging-structure memory type in bits 2:0, page-walk length
 * minus one (3) in bits 5:3, accessed and dirty flags off.
 */
uint64_t ept_pointer(const struct ept_space *space);

/*
 * True when a present entry was changed or removed since the last
 * ept_invalidation_done: translations a CPU cached for this EPTP may be
 * stale, so the caller runs INVEPT (single-context for ept_pointer) on every
 * CPU that ran the guest before the guest runs again. A new mapping where
 * nothing was mapped needs none: no information is cached from an EPT entry
 * that is not present (SDM: "Guidelines for Use of the INVEPT Instruction").
 */
static inline bool ept_invalidation_needed(const struct ept_space *space)
{
    return space->invalidation_needed;
}
static inline void ept_invalidation_done(struct ept_space *space) { space->invalidation_needed = false; }

#endif
