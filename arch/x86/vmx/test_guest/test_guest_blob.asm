; The test guest's flat image (built from test_guest.nasm by build.mk), as data of the kernel.
bits 64
section .rodata
global test_guest_image_start
global test_guest_image_end
align 16
test_guest_image_start:
    incbin TEST_GUEST_BIN
test_guest_image_end:
