/*
 * The two 8259 interrupt controllers' masks (ports 0x21 and 0xA1): vmxroot
 * masks every line at its start (it uses only the local APIC) and keeps
 * the loader's masks, so that a guest that owns the machine as a loader
 * would leave it (a multiboot1 kernel) gets them back before it starts.
 */
#ifndef ARCH_X86_LEGACY_PIC_H
#define ARCH_X86_LEGACY_PIC_H

/* Keeps the masks the loader left and masks every line. */
void legacy_pic_mask_all(void);
/* The loader's masks again (after legacy_pic_mask_all; nothing before it). */
void legacy_pic_restore_loader_masks(void);

#endif
