/*
 * Where the log goes: the UARTs and the screen console, as console= chose
 * (every one that is there by default), and the screen handed to a guest
 * that takes the display over. The log itself (core/lib/log.c) writes to
 * the UARTs and to each console added here.
 */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include "core/cmdline.h"
#include "mm/multiboot2.h"

/* Starts keeping lines for the screen GRUB set up (drawn once attached). */
void console_screen_init(const struct boot_framebuffer *fb);
/* console=: the UARTs to write to, the screen on or off; warns about the ones that are not there. */
void console_choose(const struct console_choice *choice);
/* After paging_init: maps the framebuffer and draws the lines so far. */
void console_screen_attach(void);
/*
 * A guest (owner names it) takes the display over: the last line drawn says
 * so and where the log goes on; from then on only the UARTs get it, until a
 * panic takes the screen back.
 */
void console_screen_handover(const char *owner);

#endif
