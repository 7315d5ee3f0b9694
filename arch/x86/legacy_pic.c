/*
 * The 8259s' interrupt masks (the OCW1 of each, read and written at its
 * data port; Intel 8259A data sheet). kvm-unit-tests' realmode halts with
 * interrupts on and is woken natively by the firmware's timer (IRQ 0,
 * unmasked by the BIOS, left so by GRUB); with every line still masked by
 * vmxroot it would halt for good.
 */
#include "arch/x86/legacy_pic.h"
#include "arch/x86/io.h"
#include <stdbool.h>

#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_DATA 0xA1

static uint8_t loader_master_mask, loader_slave_mask;
static bool loader_masks_kept;

void legacy_pic_mask_all(void)
{
    loader_master_mask = inb(PIC_MASTER_DATA);
    loader_slave_mask = inb(PIC_SLAVE_DATA);
    loader_masks_kept = true;
    outb(PIC_MASTER_DATA, 0xff);
    outb(PIC_SLAVE_DATA, 0xff);
}

void legacy_pic_restore_loader_masks(void)
{
    if (!loader_masks_kept)
        return;
    outb(PIC_MASTER_DATA, loader_master_mask);
    outb(PIC_SLAVE_DATA, loader_slave_mask);
}
