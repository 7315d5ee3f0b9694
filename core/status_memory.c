/*
 * vmxroot's own memory on the status page (the memory block of
 * docs/status-page.md): what exists once the VMCS pool is built. The guest
 * layer adds its own (EPT tables, guest VMCSs, bitmaps) as it allocates.
 * A guest reads the block to know what it must never reach; the EPT
 * builder never maps any of it into a guest.
 */
#include "core/status.h"
#include "core/status_vcpu.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "mm/paging.h"

/* The linker script's boundaries (arch/x86/boot/linker.ld), each 4 KiB aligned. */
extern char kernel_image_start[], kernel_text_end[], kernel_rodata_end[], kernel_bss_start[],
    kernel_image_end[];

#define TABLE_ENTRIES 512u

/* Every paging-structure frame below a table of this level (4: the PML4), the table itself included. */
static void add_page_tables(uint64_t table_phys, int level)
{
    (void)status_memory_range_add(STATUS_MEMORY_PAGE_TABLES, table_phys, PAGE_SIZE_BYTES);
    if (level == 1)
        return;
    const uint64_t *entries = (const uint64_t *)(uintptr_t)table_phys; /* identity mapped */
    for (uint32_t i = 0; i < TABLE_ENTRIES; i++)
        if ((entries[i] & PTE_PRESENT) && !(entries[i] & PTE_LARGE))
            add_page_tables(entries[i] & PTE_ADDRESS_MASK, level - 1);
}

static uint64_t phys_of(const void *address) { return (uint64_t)(uintptr_t)address; }

static void add_cpu(uint32_t index)
{
    const struct percpu *cpu = cpu_table[index];
    if (!cpu)
        return;
    (void)status_memory_range_add_cpu(STATUS_MEMORY_PER_CPU, index, phys_of(cpu), sizeof *cpu);
    if (cpu->stack_area_phys)
        (void)status_memory_range_add_cpu(STATUS_MEMORY_STACK, index, cpu->stack_area_phys,
                                          CPU_STACK_AREA_BYTES);
    if (cpu->vmxon_region_phys)
        (void)status_memory_range_add_cpu(STATUS_MEMORY_VMXON, index, cpu->vmxon_region_phys,
                                          PAGE_SIZE_BYTES);
}

void status_publish_memory_ranges(void)
{
    if (!status_publish_page())
        return;
    status_memory_ranges_begin(); /* one write for all of them: hundreds of ranges at 255 CPUs */
    (void)status_memory_range_add(STATUS_MEMORY_TEXT, phys_of(kernel_image_start),
                                  (uint64_t)(kernel_text_end - kernel_image_start));
    (void)status_memory_range_add(STATUS_MEMORY_RODATA, phys_of(kernel_text_end),
                                  (uint64_t)(kernel_rodata_end - kernel_text_end));
    (void)status_memory_range_add(STATUS_MEMORY_DATA, phys_of(kernel_rodata_end),
                                  (uint64_t)(kernel_bss_start - kernel_rodata_end));
    (void)status_memory_range_add(STATUS_MEMORY_BSS, phys_of(kernel_bss_start),
                                  (uint64_t)(kernel_image_end - kernel_bss_start));
    add_page_tables(paging_root_phys(), 4);
    for (uint32_t i = 0; i < cpu_count_found; i++)
        add_cpu(i);
    struct vmcs_pool *pool = vmcs_service_pool();
    if (pool) {
        (void)status_memory_range_add(STATUS_MEMORY_OTHER, phys_of(pool), sizeof *pool);
        for (uint32_t i = 0; i < vmcs_service_total(); i++)
            (void)status_memory_range_add(STATUS_MEMORY_VMCS, vmcs_pool_phys(pool, (int)i), PAGE_SIZE_BYTES);
    }
    status_memory_ranges_end();
}
