; The Multiboot2 header (Multiboot2 spec, "Header format"). It asks GRUB for
; the memory map, both ACPI RSDP copies, the EFI memory map and a framebuffer
; (a linear RGB one from UEFI GOP or VBE, for the screen console; where GRUB
; leaves EGA text mode under BIOS, it says so in the same tag). Every request
; is optional: GRUB gives what the firmware has (no EFI map under BIOS).
; Without the EFI boot-services tag GRUB exits boot services and enters in
; 32-bit protected mode under BIOS and UEFI alike.

%include "asm_defs.inc"                  ; MB2_TAG_*: the info tag types, from mm/multiboot2.h

MB2_MAGIC        equ 0xe85250d6
MB2_ARCH_I386    equ 0
MB2_TAG_END      equ 0
MB2_TAG_INFO_REQ equ 1
MB2_TAG_OPTIONAL equ 1
MB2_HEADER_TAG_FRAMEBUFFER equ 5         ; a header tag type, not an info tag type

section .multiboot2
align 8
mb2_header:
    dd MB2_MAGIC
    dd MB2_ARCH_I386
    dd mb2_header_end - mb2_header
    dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

align 8
mb2_info_request:
    dw MB2_TAG_INFO_REQ, MB2_TAG_OPTIONAL
    dd mb2_info_request_end - mb2_info_request
    dd MB2_TAG_CMDLINE, MB2_TAG_MMAP, MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW, MB2_TAG_EFI_MMAP
    dd MB2_TAG_FRAMEBUFFER
mb2_info_request_end:

; Width and height 0: no preference, GRUB keeps the firmware's mode (the panel's
; native one under UEFI) or picks one ("auto"); 32 bits per pixel preferred.
align 8
mb2_framebuffer_request:
    dw MB2_HEADER_TAG_FRAMEBUFFER, MB2_TAG_OPTIONAL
    dd 20
    dd 0, 0, 32

align 8
    dw MB2_TAG_END, 0
    dd 8
mb2_header_end:
