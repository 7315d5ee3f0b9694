#include "drivers/video/fb_draw.h"
#include "arch/x86/insn.h"

static uint32_t scale_channel(uint32_t value_8bit, uint8_t bits) { return value_8bit >> (8 - bits); }

uint32_t fb_pixel_of_rgb(const struct fb_surface *surface, uint32_t rgb)
{
    return scale_channel((rgb >> 16) & 0xFF, surface->red_bits) << surface->red_shift |
           scale_channel((rgb >> 8) & 0xFF, surface->green_bits) << surface->green_shift |
           scale_channel(rgb & 0xFF, surface->blue_bits) << surface->blue_shift;
}

uint32_t fb_columns(const struct fb_surface *surface)
{
    return surface->width / (surface->font->width * surface->scale);
}

uint32_t fb_rows(const struct fb_surface *surface)
{
    return surface->height / (surface->font->height * surface->scale);
}

/* One run of count pixels of one value, starting at byte address at. */
static void put_pixels(const struct fb_surface *surface, volatile uint8_t *at, uint32_t count, uint32_t pixel)
{
    switch (surface->bytes_per_pixel) {
    case 4: {
        volatile uint32_t *p = (volatile uint32_t *)at;
        uint32_t i = 0;
        if (((uintptr_t)p & 7) && count)
            p[i++] = pixel;
        /* Two pixels per store, one string instruction: a clear of the whole screen is most of what the
         * console writes (and under Bochs every instruction is emulated time). */
        uint32_t pair_count = (count - i) / 2;
        cpu_rep_stosq((void *)(uintptr_t)(p + i), (uint64_t)pixel << 32 | pixel, pair_count);
        for (i += 2 * pair_count; i < count; i++)
            p[i] = pixel;
        break;
    }
    case 2:
        for (uint32_t i = 0; i < count; i++)
            ((volatile uint16_t *)at)[i] = (uint16_t)pixel;
        break;
    default:
        for (size_t i = 0; i < count; i++) {
            at[3 * i] = (uint8_t)pixel;
            at[3 * i + 1] = (uint8_t)(pixel >> 8);
            at[3 * i + 2] = (uint8_t)(pixel >> 16);
        }
        break;
    }
}

/* The common case, 32 bits per pixel at scale 1: one store per pixel, no call per pixel. */
static void draw_cell_32(const struct fb_surface *surface, volatile uint8_t *origin, const uint8_t *glyph,
                         uint32_t foreground, uint32_t background)
{
    const struct font *font = surface->font;
    for (uint32_t gy = 0; gy < font->height; gy++) {
        volatile uint32_t *line = (volatile uint32_t *)(origin + (size_t)gy * surface->pitch_bytes);
        const uint8_t *bits = glyph + (size_t)gy * font->bytes_per_row;
        unsigned byte = 0;
        for (uint32_t gx = 0; gx < font->width; gx++, byte <<= 1) {
            if (gx % 8 == 0)
                byte = bits[gx / 8];
            line[gx] = (byte & 0x80) ? foreground : background;
        }
    }
}

void fb_draw_cell(const struct fb_surface *surface, uint32_t column, uint32_t row, char ch,
                  uint32_t foreground, uint32_t background)
{
    const struct font *font = surface->font;
    const uint8_t *glyph = font_glyph(font, ch);
    uint32_t scale = surface->scale;
    uint32_t x0 = column * font->width * scale, y0 = row * font->height * scale;
    volatile uint8_t *origin =
        surface->base + (size_t)y0 * surface->pitch_bytes + (size_t)x0 * surface->bytes_per_pixel;
    if (surface->bytes_per_pixel == 4 && scale == 1) {
        draw_cell_32(surface, origin, glyph, foreground, background);
        return;
    }
    for (uint32_t gy = 0; gy < font->height; gy++) {
        for (uint32_t sy = 0; sy < scale; sy++) {
            volatile uint8_t *line = origin + (size_t)(gy * scale + sy) * surface->pitch_bytes;
            for (uint32_t gx = 0; gx < font->width; gx++) {
                uint32_t pixel = font_pixel(font, glyph, gx, gy) ? foreground : background;
                put_pixels(surface, line + (size_t)gx * scale * surface->bytes_per_pixel, scale, pixel);
            }
        }
    }
}

void fb_fill(const struct fb_surface *surface, uint32_t pixel)
{
    for (uint32_t y = 0; y < surface->height; y++)
        put_pixels(surface, surface->base + (size_t)y * surface->pitch_bytes, surface->width, pixel);
}
