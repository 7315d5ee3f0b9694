/*
 * Building EPT paging structures (SDM: "EPT Translation Mechanism", "Format
 * of EPT Paging-Structure Entries"). Levels are numbered as the SDM's tables
 * nest: 4 = PML4 (512 GiB per entry), 3 = PDPT (1 GiB), 2 = PD (2 MiB),
 * 1 = PT (4 KiB). A non-leaf entry grants R, W and X so that the leaf alone
 * decides the access.
 */
#include "arch/x86/vmx/ept.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

#define ENTRIES 512u
#define TOP_LEVEL 4u
#define TABLE_ACCESS ((uint64_t)EPT_ACCESS_MASK)
#define EPTP_WALK_LENGTH_4 (3ull << 3) /* page-walk length minus one, bits 5:3 */

static unsigned level_shift(unsigned level) { return 12 + 9 * (level - 1); }
static uint64_t level_bytes(unsigned level) { return 1ull << level_shift(level); }
static size_t entry_index(uint64_t gpa, unsigned level)
{
    return (size_t)((gpa >> level_shift(level)) % ENTRIES);
}
/* An entry is present when any of R, W, X is set. */
static bool entry_present(uint64_t entry) { return (entry & TABLE_ACCESS) != 0; }
static bool entry_is_leaf(uint64_t entry, unsigned level)
{
    return level == 1 || ((level == 2 || level == 3) && (entry & EPT_ENTRY_LARGE) != 0);
}

static uint64_t *table_of(const struct ept_space *space, uint64_t entry)
{
    return space->allocator.phys_to_virt(space->allocator.ctx, entry & EPT_ENTRY_ADDRESS_MASK);
}

static int table_new(struct ept_space *space, struct ept_page *page)
{
    int err = space->allocator.alloc_page(space->allocator.ctx, page);
    if (err != 0)
        return err;
    memset(page->virt, 0, PAGE_SIZE_BYTES);
    space->table_count++;
    return 0;
}

/* Frees the table at table_phys (of level) and every table below it. */
static void table_free_subtree(struct ept_space *space, uint64_t table_phys, unsigned level)
{
    uint64_t *table = space->allocator.phys_to_virt(space->allocator.ctx, table_phys);
    for (size_t i = 0; level > 1 && i < ENTRIES; i++)
        if (entry_present(table[i]) && !entry_is_leaf(table[i], level))
            table_free_subtree(space, table[i] & EPT_ENTRY_ADDRESS_MASK, level - 1);
    space->allocator.free_page(space->allocator.ctx, (struct ept_page){ table, table_phys });
    space->table_count--;
}

/* Replaces the large leaf *entry (of level) by a table of 512 leaves with the same translation. */
static int split_leaf(struct ept_space *space, uint64_t *entry, unsigned level)
{
    struct ept_page page;
    int err = table_new(space, &page);
    if (err != 0)
        return err;
    uint64_t flags = *entry & ~(EPT_ENTRY_ADDRESS_MASK | EPT_ENTRY_LARGE);
    uint64_t hpa = *entry & EPT_ENTRY_ADDRESS_MASK;
    uint64_t *child = page.virt;
    for (size_t i = 0; i < ENTRIES; i++)
        child[i] = flags | (hpa + i * level_bytes(level - 1)) | (level - 1 > 1 ? EPT_ENTRY_LARGE : 0);
    *entry = page.phys | TABLE_ACCESS;
    /* The translation is the same, but the SDM asks for invalidation when a page's size changes. */
    space->invalidation_needed = true;
    return 0;
}

/* Installs leaf at level for gpa, creating tables and splitting large leaves on the way down. */
static int install_leaf(struct ept_space *space, uint64_t gpa, unsigned target_level, uint64_t leaf)
{
    uint64_t *table = space->pml4.virt;
    for (unsigned level = TOP_LEVEL; level > target_level; level--) {
        uint64_t *entry = &table[entry_index(gpa, level)];
        int err = 0;
        if (!entry_present(*entry)) {
            struct ept_page page;
            if ((err = table_new(space, &page)) == 0)
                *entry = page.phys | TABLE_ACCESS;
        } else if (entry_is_leaf(*entry, level)) {
            err = split_leaf(space, entry, level);
        }
        if (err != 0)
            return err;
        table = table_of(space, *entry);
    }
    uint64_t *entry = &table[entry_index(gpa, target_level)];
    if (entry_present(*entry) && !entry_is_leaf(*entry, target_level)) {
        table_free_subtree(space, *entry & EPT_ENTRY_ADDRESS_MASK, target_level - 1);
        space->invalidation_needed = true;
    } else if (entry_present(*entry) && *entry != leaf) {
        space->invalidation_needed = true;
    }
    *entry = leaf;
    return 0;
}

static bool range_fits(uint64_t base, uint64_t size_bytes, uint64_t limit)
{
    return size_bytes <= limit && base <= limit - size_bytes;
}

static int check_gpa_range(uint64_t gpa, uint64_t size_bytes)
{
    if (size_bytes == 0 || !IS_ALIGNED(gpa, PAGE_SIZE_BYTES) || !IS_ALIGNED(size_bytes, PAGE_SIZE_BYTES)) {
        log_error("ept: range 0x%llx size 0x%llx is empty or not 4 KiB-aligned", (unsigned long long)gpa,
                  (unsigned long long)size_bytes);
        return E_INVAL;
    }
    if (!range_fits(gpa, size_bytes, EPT_GPA_LIMIT)) {
        log_error("ept: guest-physical range 0x%llx size 0x%llx runs past the 4-level limit 0x%llx",
                  (unsigned long long)gpa, (unsigned long long)size_bytes, (unsigned long long)EPT_GPA_LIMIT);
        return E_RANGE;
    }
    return 0;
}

/* The SDM's "EPT Misconfigurations": write without read, execute-only without the capability. */
static int check_access(const struct ept_space *space, uint32_t access)
{
    const char *why = NULL;
    if (access == 0 || (access & ~EPT_ACCESS_MASK) != 0)
        why = "is not a set of EPT_READ, EPT_WRITE, EPT_EXEC (unmap to remove access)";
    else if ((access & EPT_WRITE) && !(access & EPT_READ))
        why = "is write without read (an EPT misconfiguration)";
    else if (access == EPT_EXEC && !(space->ept_vpid_cap & EPT_CAP_EXECUTE_ONLY))
        why = "is execute-only, which IA32_VMX_EPT_VPID_CAP does not allow";
    if (why != NULL) {
        log_error("ept: access 0x%x %s", access, why);
        return E_INVAL;
    }
    return 0;
}

/* mtrr NULL: every leaf gets fixed_type. */
static int map_common(struct ept_space *space, uint64_t gpa, uint64_t hpa, uint64_t size_bytes,
                      uint32_t access, const struct mtrr_map *mtrr, uint8_t fixed_type)
{
    int err = check_gpa_range(gpa, size_bytes);
    if (err == 0)
        err = check_access(space, access);
    if (err != 0)
        return err;
    if (!IS_ALIGNED(hpa, PAGE_SIZE_BYTES) || !range_fits(hpa, size_bytes, space->hpa_limit)) {
        log_error("ept: host range 0x%llx size 0x%llx is not 4 KiB-aligned or runs past the physical width",
                  (unsigned long long)hpa, (unsigned long long)size_bytes);
        return IS_ALIGNED(hpa, PAGE_SIZE_BYTES) ? E_RANGE : E_INVAL;
    }
    while (size_bytes > 0) {
        unsigned level = 1;
        uint8_t type = fixed_type;
        for (unsigned large = 3; large >= 2 && level == 1; large--) {
            uint64_t bytes = level_bytes(large);
            /* 1 GiB only with 2 MiB too: splitting a 1 GiB leaf makes 2 MiB leaves. */
            uint64_t cap = large == 3 ? EPT_CAP_1GIB_PAGES | EPT_CAP_2MIB_PAGES : EPT_CAP_2MIB_PAGES;
            if ((space->ept_vpid_cap & cap) == cap && IS_ALIGNED(gpa, bytes) && IS_ALIGNED(hpa, bytes) &&
                size_bytes >= bytes && (mtrr == NULL || mtrr_type_of_range(mtrr, hpa, bytes, &type)))
                level = large;
        }
        if (level == 1 && mtrr != NULL)
            (void)mtrr_type_of_range(mtrr, hpa, PAGE_SIZE_BYTES, &type); /* a page always has one type */
        uint64_t leaf = hpa | access | ((uint64_t)type << EPT_ENTRY_MEMORY_TYPE_SHIFT) |
                        (level > 1 ? EPT_ENTRY_LARGE : 0);
        if ((err = install_leaf(space, gpa, level, leaf)) != 0)
            return err;
        gpa += level_bytes(level);
        hpa += level_bytes(level);
        size_bytes -= level_bytes(level);
    }
    return 0;
}

int ept_map_range(struct ept_space *space, uint64_t gpa, uint64_t hpa, uint64_t size_bytes, uint32_t access,
                  const struct mtrr_map *mtrr)
{
    return map_common(space, gpa, hpa, size_bytes, access, mtrr, MTRR_TYPE_UC);
}

int ept_map_range_typed(struct ept_space *space, uint64_t gpa, uint64_t hpa, uint64_t size_bytes,
                        uint32_t access, uint8_t memory_type)
{
    if (!mtrr_type_is_defined(memory_type)) {
        log_error("ept: memory type %u is reserved (an EPT misconfiguration)", memory_type);
        return E_INVAL;
    }
    return map_common(space, gpa, hpa, size_bytes, access, NULL, memory_type);
}

int ept_unmap_range(struct ept_space *space, uint64_t gpa, uint64_t size_bytes)
{
    int err = check_gpa_range(gpa, size_bytes);
    while (err == 0 && size_bytes > 0) {
        uint64_t *table = space->pml4.virt, advance;
        for (unsigned level = TOP_LEVEL;; level--) {
            uint64_t *entry = &table[entry_index(gpa, level)];
            uint64_t span = level_bytes(level), offset = gpa & (span - 1);
            if (!entry_present(*entry)) {
                advance = span - offset;
                break;
            }
            if (offset == 0 && size_bytes >= span) { /* the whole entry goes */
                if (!entry_is_leaf(*entry, level))
                    table_free_subtree(space, *entry & EPT_ENTRY_ADDRESS_MASK, level - 1);
                *entry = 0;
                space->invalidation_needed = true;
                advance = span;
                break;
            }
            if (entry_is_leaf(*entry, level) && (err = split_leaf(space, entry, level)) != 0)
                return err;
            table = table_of(space, *entry);
        }
        advance = advance < size_bytes ? advance : size_bytes;
        gpa += advance;
        size_bytes -= advance;
    }
    return err;
}

int ept_lookup(const struct ept_space *space, uint64_t gpa, struct ept_translation *out)
{
    memset(out, 0, sizeof *out);
    if (gpa >= EPT_GPA_LIMIT)
        return E_NOENT;
    const uint64_t *table = space->pml4.virt;
    for (unsigned level = TOP_LEVEL;; level--) {
        uint64_t entry = table[entry_index(gpa, level)];
        if (!entry_present(entry)) {
            out->leaf_size_bytes = level_bytes(level);
            return E_NOENT;
        }
        if (entry_is_leaf(entry, level)) {
            uint64_t span = level_bytes(level);
            out->hpa = (entry & EPT_ENTRY_ADDRESS_MASK & ~(span - 1)) + (gpa & (span - 1));
            out->access = (uint32_t)(entry & EPT_ACCESS_MASK);
            out->memory_type = (uint8_t)((entry >> EPT_ENTRY_MEMORY_TYPE_SHIFT) & 7);
            out->ignore_pat = (entry & EPT_ENTRY_IGNORE_PAT) != 0;
            out->leaf_size_bytes = span;
            return 0;
        }
        table = table_of(space, entry);
    }
}

static void stats_walk(const struct ept_space *space, const uint64_t *table, unsigned level,
                       struct ept_stats *out)
{
    out->tables++;
    for (size_t i = 0; i < ENTRIES; i++) {
        if (!entry_present(table[i]))
            continue;
        if (!entry_is_leaf(table[i], level)) {
            stats_walk(space, table_of(space, table[i]), level - 1, out);
            continue;
        }
        out->mapped_bytes += level_bytes(level);
        out->leaves_4kib += level == 1;
        out->leaves_2mib += level == 2;
        out->leaves_1gib += level == 3;
    }
}

void ept_space_stats(const struct ept_space *space, struct ept_stats *out)
{
    memset(out, 0, sizeof *out);
    stats_walk(space, space->pml4.virt, TOP_LEVEL, out);
    out->table_bytes = (uint64_t)out->tables * PAGE_SIZE_BYTES;
}

uint64_t ept_pointer(const struct ept_space *space)
{
    return space->pml4.phys | space->paging_memory_type | EPTP_WALK_LENGTH_4;
}

int ept_space_init(struct ept_space *space, const struct ept_allocator *allocator, uint64_t ept_vpid_cap,
                   uint32_t phys_width_bits)
{
    memset(space, 0, sizeof *space);
    if (!(ept_vpid_cap & EPT_CAP_WALK_LENGTH_4)) {
        log_error("ept: IA32_VMX_EPT_VPID_CAP 0x%llx allows no 4-level page walk",
                  (unsigned long long)ept_vpid_cap);
        return E_NOTSUP;
    }
    if (!(ept_vpid_cap & (EPT_CAP_PAGING_WB | EPT_CAP_PAGING_UC))) {
        log_error("ept: IA32_VMX_EPT_VPID_CAP 0x%llx allows neither WB nor UC EPT paging structures",
                  (unsigned long long)ept_vpid_cap);
        return E_NOTSUP;
    }
    if (phys_width_bits < 32 || phys_width_bits > 52) {
        log_error("ept: physical-address width %u bits is outside 32..52", phys_width_bits);
        return E_INVAL;
    }
    space->allocator = *allocator;
    space->ept_vpid_cap = ept_vpid_cap;
    space->hpa_limit = 1ull << phys_width_bits;
    space->paging_memory_type = (ept_vpid_cap & EPT_CAP_PAGING_WB) ? MTRR_TYPE_WB : MTRR_TYPE_UC;
    return table_new(space, &space->pml4);
}

void ept_space_destroy(struct ept_space *space)
{
    if (space->pml4.virt != NULL)
        table_free_subtree(space, space->pml4.phys, TOP_LEVEL);
    space->pml4 = (struct ept_page){ NULL, 0 };
}
