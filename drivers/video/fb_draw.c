#include "drivers/video/fb_draw.h"

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
    case 4:
        for (uint32_t i = 0; i < count; i++)
            ((volatile uint32_t *)at)[i] = pixel;
        break;
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

void fb_draw_cell(const struct fb_surface *surface, uint32_t column, uint32_t row, char ch,
                  uint32_t foreground, uint32_t background)
{
    const struct font *font = surface->font;
    const uint8_t *glyph = font_glyph(font, ch);
    uint32_t scale = surface->scale;
    uint32_t x0 = column * font->width * scale, y0 = row * font->height * scale;
    for (uint32_t gy = 0; gy < font->height; gy++) {
        for (uint32_t sy = 0; sy < scale; sy++) {
            volatile uint8_t *line = surface->base + (size_t)(y0 + gy * scale + sy) * surface->pitch_bytes +
                                     (size_t)x0 * surface->bytes_per_pixel;
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
