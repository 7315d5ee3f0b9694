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
/* Waits (bounded) until the UART has sent its last bit: before leaving an emulator, or the tail is lost. */
void serial_drain(void);

#endif
