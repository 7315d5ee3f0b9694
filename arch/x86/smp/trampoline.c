#include "arch/x86/smp/trampoline.h"
#include "arch/x86/cr.h"
#include "arch/x86/gdt.h"
#include "arch/x86/msr.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "mm/frames.h"
#include "mm/paging.h"

int trampoline_install(uint64_t ap_entry_virt, const struct ap_boot_slot *slots, uint32_t slot_count,
                       uint64_t *frame_phys_out)
{
    size_t code_bytes = (size_t)(trampoline_end - trampoline_start);
    /* The 32-bit part loads CR3, so the root table must sit below 4 GiB; the slot table is kept there too. */
    if (code_bytes > PAGE_SIZE_BYTES || ((uint64_t)(uintptr_t)slots >> 32) || (paging_root_phys() >> 32))
        return E_RANGE;
    uint64_t frame;
    /* The highest low frame: the lowest held GRUB's last code, whose invalidation costs QEMU 30 ms at 255 CPUs. */
    int err = frames_alloc(1, FRAMES_BELOW_1MIB | FRAMES_HIGHEST, &frame);
    if (err) {
        log_error("smp: no free frame below 1 MiB for the AP trampoline: APs stay off");
        return err;
    }
    /* The copy runs in real mode: make its frame executable in our tables too (it is in the direct map). */
    err = paging_set_page_flags(frame, PTE_PRESENT | PTE_WRITABLE);
    if (err) {
        log_error("smp: cannot make the AP trampoline's frame executable (%s): APs stay off",
                  error_name(err));
        frames_free(frame, 1);
        return err;
    }
    char *copy = (char *)(uintptr_t)frame;
    memcpy(copy, trampoline_start, code_bytes);
#define OFFSET(symbol) ((uint32_t)((symbol)-trampoline_start))
    struct trampoline_params *p = (struct trampoline_params *)(copy + OFFSET(trampoline_params_label));
    p->gdt_limit = (uint16_t)(trampoline_gdt_end - trampoline_gdt - 1);
    p->gdt_base_phys = (uint32_t)frame + OFFSET(trampoline_gdt);
    p->protected_mode_entry_phys = (uint32_t)frame + OFFSET(trampoline_protected_mode);
    p->protected_mode_selector = GDT_TRAMPOLINE_CODE32;
    p->long_mode_entry_phys = (uint32_t)frame + OFFSET(trampoline_long_mode);
    p->long_mode_selector = GDT_KERNEL_CODE;
    p->cr3_phys = paging_root_phys();
    p->cr4 = (uint32_t)(read_cr4() & (CR4_PAE | CR4_PGE));
    p->efer = (uint32_t)(rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE));
    p->ap_entry_virt = ap_entry_virt;
    p->slots_phys = (uint64_t)(uintptr_t)slots;
    p->slot_count = slot_count;
#undef OFFSET
    *frame_phys_out = frame;
    return 0;
}
