/*
 * The bitmap font of the screen console: the printable ASCII glyphs of a
 * Debian console font (console-setup's Lat15-TerminusBold16), converted at
 * build time by tools/psf2c.py into build/generated/font_console.c. A glyph
 * is `height` rows of bytes_per_row bytes, the leftmost pixel in the high bit.
 */
#ifndef DRIVERS_VIDEO_FONT_H
#define DRIVERS_VIDEO_FONT_H

#include "core/lib/compiler.h"

struct font {
    uint8_t width, height, bytes_per_row;
    uint8_t first_char, last_char; /* glyphs cover first_char..last_char */
    char replacement_char;         /* drawn for any other byte */
    const uint8_t *glyphs;
};

extern const struct font font_console;

/* The glyph's rows for c (the replacement glyph outside the font's range). */
static inline const uint8_t *font_glyph(const struct font *font, char c)
{
    unsigned char u = (unsigned char)c;
    if (u < font->first_char || u > font->last_char)
        u = (unsigned char)font->replacement_char;
    return font->glyphs + (size_t)(u - font->first_char) * font->height * font->bytes_per_row;
}

/* Whether pixel (x, y) of the glyph is set. */
static inline bool font_pixel(const struct font *font, const uint8_t *glyph, unsigned x, unsigned y)
{
    return (glyph[y * font->bytes_per_row + x / 8] >> (7 - x % 8)) & 1;
}

#endif
