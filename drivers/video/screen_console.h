/*
 * The screen console: the kernel log drawn on the framebuffer GRUB set up
 * (linear RGB from UEFI GOP or VBE, or EGA text), with the font of
 * drivers/video/font.h and the colours of log_colours.h, scrolling, and the
 * last lines (the ready line, a panic) left on screen.
 *
 * Lines are kept in a text grid from screen_console_init on; they are drawn
 * once screen_console_attach has mapped the framebuffer (write-combining,
 * never executable), so the lines before the page tables are not lost.
 * A guest that takes the display over calls screen_console_release: the
 * grid goes on filling, nothing is drawn; screen_console_reclaim (a panic)
 * draws the whole grid again. Callers serialize (the console lock).
 */
#ifndef DRIVERS_VIDEO_SCREEN_CONSOLE_H
#define DRIVERS_VIDEO_SCREEN_CONSOLE_H

#include "mm/multiboot2.h"

/* Grid limits; a larger screen gets the font scaled up (2x on 2560 wide and up). */
#define SCREEN_COLUMNS_MAX 240
#define SCREEN_ROWS_MAX 80

/* Starts keeping lines for this framebuffer; false (and no screen console) for BOOT_FB_NONE. */
bool screen_console_init(const struct boot_framebuffer *fb);
/* console= without fb: the screen is left as GRUB left it. */
void screen_console_disable(void);
/* Maps the framebuffer, clears it and draws the lines so far. 0, or E_NOMEM (then it stays off). */
int screen_console_attach(void);

/* One log line (ending in '\n'): into the grid, and on the screen unless released. */
void screen_console_write(const char *line, size_t length_bytes);

/* A guest owns the display now: stop drawing (lines are still kept). */
void screen_console_release(void);
/* Draw the whole grid again and go on drawing (a panic after a release). */
void screen_console_reclaim(void);

bool screen_console_present(void); /* init'ed and not disabled */
bool screen_console_drawing(void); /* attached and not released */
void screen_console_geometry(uint32_t *columns, uint32_t *rows, uint32_t *scale);

#endif
