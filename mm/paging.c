#include "mm/paging.h"
#include "arch/x86/insn.h"
#include "mm/frames.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "core/lib/spinlock.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"

/* Linker script boundaries (arch/x86/boot/linker.ld). */
extern char kernel_image_start[], kernel_text_end[], kernel_rodata_end[], kernel_image_end[];

#define ENTRIES_PER_TABLE 512
#define LARGE_PAGE_BYTES MiB(2)
#define LEVEL_SHIFT(level) (12 + 9 * ((level)-1)) /* level 1 = page table ... 4 = PML4 */
#define TABLE_INDEX(virt, level) (((virt) >> LEVEL_SHIFT(level)) & (ENTRIES_PER_TABLE - 1))

static uint64_t *root_table;
/* PTE_NO_EXECUTE where EFER.NXE is on (entry.asm sets it when CPUID has NX); else the bit is reserved. */
static uint64_t no_execute;
static struct spinlock paging_lock = SPINLOCK_INIT;

static uint64_t *new_table(void)
{
    uint64_t phys;
    if (frames_alloc(1, FRAMES_BELOW_4GIB, &phys) < 0)
        return NULL;
    return (uint64_t *)(uintptr_t)phys; /* identity mapped; frames_alloc zeroes it */
}

/* Returns the entry for virt at the given level, creating tables above it. */
static uint64_t *walk(uint64_t virt, int target_level, bool create)
{
    uint64_t *table = root_table;
    for (int level = 4; level > target_level; level--) {
        uint64_t *entry = &table[TABLE_INDEX(virt, level)];
        if (!(*entry & PTE_PRESENT)) {
            if (!create)
                return NULL;
            uint64_t *next = new_table();
            if (!next)
                return NULL;
            /* Permissions are decided at the leaf: upper levels allow everything. */
            *entry = (uint64_t)(uintptr_t)next | PTE_PRESENT | PTE_WRITABLE;
        } else if (*entry & PTE_LARGE) {
            return NULL; /* caller splits first */
        }
        table = (uint64_t *)(uintptr_t)(*entry & PTE_ADDRESS_MASK);
    }
    return &table[TABLE_INDEX(virt, target_level)];
}

/* Replaces the 2 MiB page holding virt by 512 4 KiB pages with the same flags. */
static MUST_CHECK int split_large_page(uint64_t virt)
{
    uint64_t *pd_entry = walk(virt, 2, true);
    if (!pd_entry)
        return E_NOMEM;
    if (!(*pd_entry & PTE_LARGE))
        return 0;
    uint64_t *table = new_table();
    if (!table)
        return E_NOMEM;
    uint64_t base = *pd_entry & PTE_ADDRESS_MASK & ~(LARGE_PAGE_BYTES - 1);
    uint64_t flags = *pd_entry & ~PTE_ADDRESS_MASK & ~PTE_LARGE;
    for (unsigned i = 0; i < ENTRIES_PER_TABLE; i++)
        table[i] = (base + (uint64_t)i * PAGE_SIZE_BYTES) | flags;
    *pd_entry = (uint64_t)(uintptr_t)table | PTE_PRESENT | PTE_WRITABLE;
    return 0;
}

static void flush_page(uint64_t virt)
{
    if (root_table && read_cr3() == (uint64_t)(uintptr_t)root_table)
        cpu_invlpg(virt);
}

int paging_set_page_flags(uint64_t virt, uint64_t flags)
{
    spin_lock(&paging_lock);
    int err = split_large_page(virt);
    uint64_t *pte = err ? NULL : walk(virt, 1, true);
    if (pte) {
        *pte = (virt & PTE_ADDRESS_MASK) | flags;
        flush_page(virt);
    }
    spin_unlock(&paging_lock);
    return pte ? 0 : E_NOMEM;
}

int paging_map_alias(uint64_t virt, uint64_t phys, uint64_t flags)
{
    spin_lock(&paging_lock);
    uint64_t *pte = walk(virt, 1, true);
    if (pte) {
        *pte = (phys & PTE_ADDRESS_MASK) | flags;
        flush_page(virt);
    }
    spin_unlock(&paging_lock);
    return pte ? 0 : E_NOMEM;
}

uint64_t paging_no_execute_flag(void) { return no_execute; }

/*
 * The power-on PAT is WB, WT, UC-, UC, WB, WT, UC-, UC; the kernel's own pages
 * use only entries 0-3 (the PAT bit is never set), so entry 4 becomes WC.
 */
#define PAT_KERNEL 0x0007040100070406ull
#define PTE_CACHE_UNCACHED (PTE_CACHE_DISABLE | PTE_WRITE_THROUGH) /* PAT entry 3: UC */
#define PTE_CACHE_WRITE_COMBINING PTE_PAT_4K                       /* PAT entry 4: WC */

void paging_load_pat(void) { wrmsr(MSR_IA32_PAT, PAT_KERNEL); }

int paging_map_mmio(uint64_t phys, uint64_t size_bytes, enum paging_cache cache)
{
    uint64_t flags = PTE_PRESENT | PTE_WRITABLE | no_execute;
    flags |= cache == PAGING_WRITE_COMBINING ? PTE_CACHE_WRITE_COMBINING : PTE_CACHE_UNCACHED;
    uint64_t end = ALIGN_UP(phys + size_bytes, PAGE_SIZE_BYTES);
    for (uint64_t page = ALIGN_DOWN(phys, PAGE_SIZE_BYTES); page < end; page += PAGE_SIZE_BYTES) {
        int err = paging_set_page_flags(page, flags);
        if (err)
            return err;
    }
    return 0;
}

int paging_unmap_page(uint64_t virt) { return paging_set_page_flags(virt, 0); }

uint64_t paging_lookup_flags(uint64_t virt)
{
    uint64_t *pd_entry = walk(virt, 2, false);
    if (!pd_entry || !(*pd_entry & PTE_PRESENT))
        return 0;
    if (*pd_entry & PTE_LARGE)
        return *pd_entry & ~PTE_ADDRESS_MASK;
    uint64_t *pt = (uint64_t *)(uintptr_t)(*pd_entry & PTE_ADDRESS_MASK);
    return pt[TABLE_INDEX(virt, 1)] & ~PTE_ADDRESS_MASK;
}

uint64_t paging_root_phys(void) { return (uint64_t)(uintptr_t)root_table; }

static MUST_CHECK int map_range_large(uint64_t start, uint64_t end, uint64_t flags)
{
    for (uint64_t virt = start; virt < end; virt += LARGE_PAGE_BYTES) {
        uint64_t *pd_entry = walk(virt, 2, true);
        if (!pd_entry)
            return E_NOMEM;
        *pd_entry = virt | flags | PTE_LARGE;
    }
    return 0;
}

static MUST_CHECK int map_kernel_image(void)
{
    uint64_t text = (uint64_t)(uintptr_t)kernel_image_start, rodata = (uint64_t)(uintptr_t)kernel_text_end;
    uint64_t data = (uint64_t)(uintptr_t)kernel_rodata_end, end = (uint64_t)(uintptr_t)kernel_image_end;
    for (uint64_t virt = ALIGN_DOWN(text, LARGE_PAGE_BYTES); virt < end; virt += LARGE_PAGE_BYTES) {
        int err = split_large_page(virt);
        if (err)
            return err;
    }
    for (uint64_t virt = text; virt < end; virt += PAGE_SIZE_BYTES) {
        uint64_t flags = PTE_PRESENT | PTE_GLOBAL;
        if (virt >= rodata)
            flags |= no_execute;
        if (virt >= data)
            flags |= PTE_WRITABLE;
        uint64_t *pte = walk(virt, 1, true);
        if (!pte)
            return E_NOMEM;
        *pte = virt | flags;
    }
    return 0;
}

int paging_init(uint64_t ram_end_phys)
{
    no_execute = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NO_EXECUTE : 0;
    paging_load_pat();
    root_table = new_table();
    if (!root_table)
        return E_NOMEM;
    uint64_t end = ALIGN_UP(ram_end_phys > GiB(4) ? ram_end_phys : GiB(4), LARGE_PAGE_BYTES);
    /* Page 0..2 MiB is split by map_kernel_image; frame 0 stays unmapped: NULL faults. */
    int err = map_range_large(0, end, PTE_PRESENT | PTE_WRITABLE | no_execute);
    if (!err)
        err = map_kernel_image();
    if (!err)
        err = split_large_page(0);
    if (err) {
        log_error("paging: out of frames building the page tables (%s)", error_name(err));
        return err;
    }
    uint64_t *null_pte = walk(0, 1, false);
    *null_pte = 0;
    write_cr3(paging_root_phys());
    log_info("paging: RAM mapped to 0x%lx, kernel text RX, rodata R, data RW%s", end,
             no_execute ? "+NX" : " (this CPU has no NX)");
    return 0;
}
