/* The orderly end of a boot: every CPU leaves VMX operation, then the machine stops or the emulator exits. */
#ifndef CORE_BOOT_H
#define CORE_BOOT_H

#include "arch/x86/emulator_exit.h"

void kernel_main(uint32_t boot_magic, uint32_t boot_info_phys);
NORETURN void boot_shutdown(enum emulator_exit_status status);

#endif
