/*
 * Drawing character cells into a linear direct-colour framebuffer of 16, 24
 * or 32 bits per pixel, with the font scaled by a whole factor. Pure: it
 * writes only through surface->base, so host tests draw into a buffer and
 * read the pixels back. The caller maps the real framebuffer first.
 */
#ifndef DRIVERS_VIDEO_FB_DRAW_H
#define DRIVERS_VIDEO_FB_DRAW_H

#include "drivers/video/font.h"

struct fb_surface {
    volatile uint8_t *base;
    uint32_t pitch_bytes, width, height; /* pixels */
    uint8_t bytes_per_pixel;             /* 2, 3 or 4 */
    uint8_t red_shift, red_bits, green_shift, green_bits, blue_shift, blue_bits;
    const struct font *font;
    uint32_t scale; /* each font pixel is scale x scale screen pixels */
};

/* 0xRRGGBB in this surface's pixel format. */
uint32_t fb_pixel_of_rgb(const struct fb_surface *surface, uint32_t rgb);

/* Character cells that fit across and down. */
uint32_t fb_columns(const struct fb_surface *surface);
uint32_t fb_rows(const struct fb_surface *surface);

/* Draws ch (the font's replacement glyph outside its range) in cell (column, row). */
void fb_draw_cell(const struct fb_surface *surface, uint32_t column, uint32_t row, char ch,
                  uint32_t foreground, uint32_t background);

/* Every pixel of the surface to one value. */
void fb_fill(const struct fb_surface *surface, uint32_t pixel);

#endif
