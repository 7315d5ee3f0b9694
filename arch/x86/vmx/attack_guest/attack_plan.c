/* The hostile guest's plan and names (attack_plan.h). */
#include "arch/x86/vmx/attack_guest/attack_plan.h"
#include "core/lib/status_vcpu.h"

uint32_t attack_plan_case_mask(uint32_t rank, uint32_t ranks)
{
    uint32_t mask = 0;
    if (ranks == 0 || rank >= ranks)
        return 0;
    if (rank == 0)
        mask = (1u << ATTACK_FIRST_DESTRUCTIVE) - 1;
    for (uint32_t c = ATTACK_FIRST_DESTRUCTIVE; c < ATTACK_CASE_COUNT; c++) {
        uint32_t k = c - ATTACK_FIRST_DESTRUCTIVE;
        uint32_t home = ranks == 1 ? 0 : 1 + k % (ranks - 1);
        if (home == rank)
            mask |= 1u << c;
    }
    return mask;
}

const char *attack_case_name(uint32_t case_id)
{
    static const char *const names[ATTACK_CASE_COUNT] = {
        [ATTACK_CASE_STATUS_PAGE] = "status-page",
        [ATTACK_CASE_FRAMES] = "frames",
        [ATTACK_CASE_VMX_INSNS] = "vmx-instructions",
        [ATTACK_CASE_MSRS] = "msrs",
        [ATTACK_CASE_PCI_BAR] = "pci-bar",
        [ATTACK_CASE_IPI] = "ipi",
        [ATTACK_CASE_FLOOD] = "exit-flood",
        [ATTACK_CASE_TRIPLE_FAULT] = "triple-fault",
        [ATTACK_CASE_DF_STORM] = "df-storm",
        [ATTACK_CASE_CR0_PG] = "cr0-pg-clear",
        [ATTACK_CASE_CR3_OUTSIDE] = "cr3-outside",
    };
    return case_id < ATTACK_CASE_COUNT ? names[case_id] : "?";
}

const char *attack_memory_kind_name(uint32_t kind)
{
    static const char *const names[STATUS_MEMORY_KIND_COUNT] = {
        [STATUS_MEMORY_NONE] = "none",
        [STATUS_MEMORY_TEXT] = "text",
        [STATUS_MEMORY_RODATA] = "rodata",
        [STATUS_MEMORY_DATA] = "data",
        [STATUS_MEMORY_PAGE_TABLES] = "page-tables",
        [STATUS_MEMORY_VMXON] = "vmxon",
        [STATUS_MEMORY_VMCS] = "vmcs",
        [STATUS_MEMORY_EPT] = "ept",
        [STATUS_MEMORY_STACK] = "stack",
        [STATUS_MEMORY_STATUS] = "status",
        [STATUS_MEMORY_PER_CPU] = "per-cpu",
        [STATUS_MEMORY_BITMAPS] = "bitmaps",
        [STATUS_MEMORY_OTHER] = "other",
        [STATUS_MEMORY_BSS] = "bss",
    };
    return kind < STATUS_MEMORY_KIND_COUNT && names[kind] ? names[kind] : "?";
}

const char *attack_result_name(enum attack_result result)
{
    return result == ATTACK_CONTAINED ? "CONTAINED" : result == ATTACK_ESCAPED ? "ESCAPED" : "SKIP";
}
