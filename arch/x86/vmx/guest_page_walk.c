#include "arch/x86/vmx/guest_page_walk.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"
#include "core/lib/error.h"
#include "mm/paging.h"

/*
 * One level: the entry for the index bits at shift; a large leaf (PS) ends
 * the walk where the level allows one (page_shift != 0).
 */
static int walk_level(const struct guest_paging *p, uint64_t table, uint64_t linear, unsigned shift,
                      unsigned entry_bytes, unsigned index_bits, unsigned page_shift, uint64_t *next,
                      bool *leaf)
{
    uint64_t index = (linear >> shift) & ((1ull << index_bits) - 1), entry;
    int err = p->read_gpa(p->ctx, table + index * entry_bytes, entry_bytes, &entry);
    if (err)
        return err;
    if (!(entry & PTE_PRESENT))
        return E_NOENT;
    *leaf = page_shift && (entry & PTE_LARGE);
    if (*leaf) {
        uint64_t frame = entry & PTE_ADDRESS_MASK & ~((1ull << page_shift) - 1);
        if (entry_bytes == 4) /* 32-bit paging's 4 MiB page: bits 20:13 are address bits 39:32 */
            frame = (entry & 0xFFC00000ull) | ((entry & 0x1FE000ull) << 19);
        *next = frame | (linear & ((1ull << page_shift) - 1));
    } else {
        *next = entry_bytes == 4 ? entry & 0xFFFFF000ull : entry & PTE_ADDRESS_MASK;
    }
    return 0;
}

int guest_page_walk(const struct guest_paging *p, uint64_t linear, uint64_t *gpa)
{
    if (!(p->cr0 & CR0_PG)) {
        *gpa = linear & 0xFFFFFFFFull;
        return 0;
    }
    if ((p->efer & EFER_LMA) && (p->cr4 & CR4_LA57))
        return E_NOTSUP;
    struct {
        unsigned shift, page_shift;
    } levels[4];
    unsigned count, entry_bytes = 8, index_bits = 9;
    uint64_t table = p->cr3 & PTE_ADDRESS_MASK;
    if (p->efer & EFER_LMA) {
        count = 4;
        levels[0].shift = 39, levels[0].page_shift = 0;
        levels[1].shift = 30, levels[1].page_shift = 30;
        levels[2].shift = 21, levels[2].page_shift = 21;
        levels[3].shift = 12, levels[3].page_shift = 0;
    } else if (p->cr4 & CR4_PAE) {
        /* The four PDPTEs are loaded from CR3 (32-byte aligned). */
        count = 3;
        table = p->cr3 & 0xFFFFFFE0ull;
        levels[0].shift = 30, levels[0].page_shift = 0;
        levels[1].shift = 21, levels[1].page_shift = 21;
        levels[2].shift = 12, levels[2].page_shift = 0;
        linear &= 0xFFFFFFFFull;
    } else {
        count = 2, entry_bytes = 4, index_bits = 10;
        table = p->cr3 & 0xFFFFF000ull;
        levels[0].shift = 22, levels[0].page_shift = (p->cr4 & CR4_PSE) ? 22 : 0;
        levels[1].shift = 12, levels[1].page_shift = 0;
        linear &= 0xFFFFFFFFull;
    }
    for (unsigned i = 0; i < count; i++) {
        bool leaf = false;
        /* PAE's PDPT has 4 entries indexed by bits 31:30. */
        unsigned bits = (count == 3 && i == 0) ? 2 : index_bits;
        int err = walk_level(p, table, linear, levels[i].shift, entry_bytes, bits, levels[i].page_shift,
                             &table, &leaf);
        if (err)
            return err;
        if (leaf) {
            *gpa = table;
            return 0;
        }
    }
    *gpa = table | (linear & 0xFFF);
    return 0;
}
