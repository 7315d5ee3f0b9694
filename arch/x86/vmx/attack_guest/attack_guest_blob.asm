; The hostile guest's flat image (built from attack_guest.nasm by build.mk), as data of the kernel.
bits 64
section .rodata
global attack_guest_image_start
global attack_guest_image_end
align 16
attack_guest_image_start:
    incbin ATTACK_GUEST_BIN
attack_guest_image_end:
