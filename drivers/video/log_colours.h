/*
 * Which colour each byte of a log line is drawn in on the screen: the CPU
 * prefix ("cpu3: ") in its own colour, then the rest by what the line is -
 * a warning, an error or panic, the ready line, or plain text. The indices
 * are the 16 VGA colours, so the EGA text backend uses them as they are.
 */
#ifndef DRIVERS_VIDEO_LOG_COLOURS_H
#define DRIVERS_VIDEO_LOG_COLOURS_H

#include "core/lib/compiler.h"

enum log_colour {
    COLOUR_BACKGROUND = 0, /* black */
    COLOUR_PREFIX = 3,     /* cyan */
    COLOUR_TEXT = 7,       /* light grey */
    COLOUR_READY = 10,     /* light green */
    COLOUR_ERROR = 12,     /* light red */
    COLOUR_WARNING = 14,   /* yellow */
    COLOUR_NOTICE = 15,    /* white: the console's own notes (display handed over) */
};

/* The 16 VGA colours as 0xRRGGBB. */
extern const uint32_t log_palette_rgb[16];

/* Fills colours[0..length) for one log line (with or without its '\n'). */
void log_colours_of_line(const char *line, size_t length, uint8_t *colours);

#endif
