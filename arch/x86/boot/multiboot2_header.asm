; The Multiboot2 header (Multiboot2 spec, "Header format"). It asks GRUB for
; the memory map, both ACPI RSDP copies and the EFI memory map. Every request
; is optional: GRUB gives what the firmware has (no EFI map under BIOS).
; Without the EFI boot-services tag GRUB exits boot services and enters in
; 32-bit protected mode under BIOS and UEFI alike.

%include "asm_defs.inc"                  ; MB2_TAG_*: the info tag types, from mm/multiboot2.h

MB2_MAGIC        equ 0xe85250d6
MB2_ARCH_I386    equ 0
MB2_TAG_END      equ 0
MB2_TAG_INFO_REQ equ 1
MB2_TAG_OPTIONAL equ 1

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
mb2_info_request_end:

align 8
    dw MB2_TAG_END, 0
    dd 8
mb2_header_end:
