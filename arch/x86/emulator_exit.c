#include "arch/x86/emulator_exit.h"
#include "arch/x86/insn.h"
#include "arch/x86/io.h"
#include "drivers/serial/uart16550.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT 0x8900

void emulator_exit(enum emulator_exit_status status)
{
    serial_drain(); /* Bochs ends at once: the last line must be on the wire first */
    /* QEMU: exits with status (value << 1) | 1, so 1 for success, 3 for failure. */
    outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)status);
    /* Bochs: the string "Shutdown", byte by byte, ends the simulation. */
    static const char shutdown[] = "Shutdown";
    for (unsigned i = 0; i < sizeof shutdown - 1; i++)
        outb(BOCHS_SHUTDOWN_PORT, (uint8_t)shutdown[i]);
    cpu_halt_forever();
}
