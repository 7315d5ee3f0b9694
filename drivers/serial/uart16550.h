/*
 * 16550 UART consoles, 115200 8n1, polled: up to four ports, each line goes
 * to every one that answered. When none answers (scratch-register test),
 * output goes to the 0xE9 debug port (Bochs, QEMU -debugcon) instead of
 * hanging on a transmit register that never empties.
 */
#ifndef DRIVERS_SERIAL_UART16550_H
#define DRIVERS_SERIAL_UART16550_H

#include "core/lib/compiler.h"

#define SERIAL_COM1_PORT 0x3F8
#define SERIAL_COM2_PORT 0x2F8
#define SERIAL_COM3_PORT 0x3E8
#define SERIAL_COM4_PORT 0x2E8
#define DEBUG_CONSOLE_PORT 0xE9

/* Starts over with io_port alone; true when a UART answered there (false: the 0xE9 fallback). */
bool serial_init(uint16_t io_port);
/* No UART (console= without one): lines go to the 0xE9 debug port only. */
void serial_reset(void);
/* Adds another port; true when a UART answered there (or it is already in use). */
bool serial_add(uint16_t io_port);
void serial_write(const char *text, size_t length_bytes);
/* The ports in use (at most max of them); 0 means the 0xE9 fallback. */
unsigned serial_ports(uint16_t *out, unsigned max);
/*
 * The console shared with a guest whose writes to a UART's data port vmxroot
 * traps (docs in README.md, "The console with a guest"): each guest byte goes
 * out at once, under a lock that vmxroot's own lines also take, so a line of
 * one never gets a byte of the other. While a guest line is open (its last
 * byte was not a newline), serial_write waits up to SERIAL_GUEST_LINE_WAIT_US
 * for it to close, then ends it with a newline of its own and prints.
 */
#define SERIAL_GUEST_LINE_WAIT_US 200000u
void serial_guest_byte(uint16_t io_port, uint8_t byte);
/* True when io_port is one of the ports the log writes to. */
bool serial_is_console_port(uint16_t io_port);

/* Waits (bounded) until the UART has sent its last bit: before leaving an emulator, or the tail is lost. */
void serial_drain(void);

#endif
