/*
 * 16550 UART console, 115200 8n1, polled. When no UART answers at the port
 * (scratch-register test), output goes to the 0xE9 debug port (Bochs, QEMU
 * -debugcon) instead of hanging on a transmit register that never empties.
 */
#ifndef DRIVERS_SERIAL_UART16550_H
#define DRIVERS_SERIAL_UART16550_H

#include "core/lib/compiler.h"

#define SERIAL_COM1_PORT 0x3F8
#define SERIAL_COM2_PORT 0x2F8
#define SERIAL_COM3_PORT 0x3E8
#define SERIAL_COM4_PORT 0x2E8
#define DEBUG_CONSOLE_PORT 0xE9

/* Returns true when a UART answered at io_port; false means the 0xE9 fallback. */
bool serial_init(uint16_t io_port);
void serial_write(const char *text, size_t length_bytes);
uint16_t serial_port(void);
/* Waits (bounded) until the UART has sent its last bit: before leaving an emulator, or the tail is lost. */
void serial_drain(void);

#endif
