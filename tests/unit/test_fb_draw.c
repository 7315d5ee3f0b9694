/*
 * drivers/video/fb_draw.c with the font the kernel is built with
 * (build/generated/font_console.c from console-setup's Terminus, made by
 * tools/psf2c.py): glyphs land in the right cells, in the pixel format of
 * the framebuffer (32, 24 and 16 bits, RGB and BGR), scaled, nothing drawn
 * outside the cell.
 */
// host-sources: drivers/video/fb_draw.c build/generated/font_console.c
#include <stdlib.h>
#include "drivers/video/fb_draw.h"
#include "tests/unit/check.h"

#define WIDTH 64
#define HEIGHT 48

static uint8_t pixels[HEIGHT * (WIDTH * 4 + 8)];

static struct fb_surface surface_of(uint8_t bytes_per_pixel, uint32_t scale)
{
    memset(pixels, 0xEE, sizeof pixels);
    struct fb_surface s = { .base = pixels,
                            .pitch_bytes = WIDTH * bytes_per_pixel + 8, /* rows padded, as some BIOS modes */
                            .width = WIDTH,
                            .height = HEIGHT,
                            .bytes_per_pixel = bytes_per_pixel,
                            .red_shift = 16,
                            .red_bits = 8,
                            .green_shift = 8,
                            .green_bits = 8,
                            .blue_shift = 0,
                            .blue_bits = 8,
                            .font = &font_console,
                            .scale = scale };
    if (bytes_per_pixel == 2)
        s = (struct fb_surface){ .base = pixels,
                                 .pitch_bytes = WIDTH * 2,
                                 .width = WIDTH,
                                 .height = HEIGHT,
                                 .bytes_per_pixel = 2,
                                 .red_shift = 11,
                                 .red_bits = 5,
                                 .green_shift = 5,
                                 .green_bits = 6,
                                 .blue_shift = 0,
                                 .blue_bits = 5,
                                 .font = &font_console,
                                 .scale = scale };
    return s;
}

static uint32_t pixel_at(const struct fb_surface *s, uint32_t x, uint32_t y)
{
    const uint8_t *p = pixels + (size_t)y * s->pitch_bytes + (size_t)x * s->bytes_per_pixel;
    uint32_t v = 0;
    for (unsigned i = 0; i < s->bytes_per_pixel; i++)
        v |= (uint32_t)p[i] << (8 * i);
    return v;
}

TEST(font_is_the_converted_console_font)
{
    CHECK_EQ(font_console.width, 8);
    CHECK_EQ(font_console.height, 16);
    CHECK_EQ(font_console.first_char, ' ');
    CHECK_EQ(font_console.last_char, '~');
    const uint8_t *space = font_glyph(&font_console, ' ');
    for (unsigned y = 0; y < 16; y++)
        CHECK_EQ(space[y], 0);
    /* '|' is a vertical bar: the same pixels in the rows it covers, and some rows lit. */
    const uint8_t *bar = font_glyph(&font_console, '|');
    unsigned lit = 0;
    for (unsigned y = 0; y < 16; y++)
        lit += bar[y] != 0;
    CHECK(lit >= 10);
    /* Every printable glyph but the space has pixels, and no two glyphs are the same. */
    for (int c = '!'; c <= '~'; c++) {
        const uint8_t *g = font_glyph(&font_console, (char)c);
        unsigned on = 0;
        for (unsigned y = 0; y < 16; y++)
            on += g[y] != 0;
        CHECK(on > 0);
        for (int d = c + 1; d <= '~'; d++)
            CHECK(memcmp(g, font_glyph(&font_console, (char)d), 16) != 0);
    }
    CHECK(font_glyph(&font_console, '\x01') == font_glyph(&font_console, '?'));
    CHECK(font_glyph(&font_console, (char)0xC3) == font_glyph(&font_console, '?'));
}

TEST(pixel_formats)
{
    struct fb_surface s = surface_of(4, 1);
    CHECK_EQ(fb_pixel_of_rgb(&s, 0x55FF55), 0x55FF55);
    s.red_shift = 0;
    s.blue_shift = 16; /* BGR order */
    CHECK_EQ(fb_pixel_of_rgb(&s, 0x102030), 0x302010);
    s = surface_of(2, 1);
    CHECK_EQ(fb_pixel_of_rgb(&s, 0xFFFFFF), 0xFFFF);
    CHECK_EQ(fb_pixel_of_rgb(&s, 0xFF0000), 0xF800);
    CHECK_EQ(fb_pixel_of_rgb(&s, 0x00FF00), 0x07E0);
}

static void check_cell(const struct fb_surface *s, uint32_t column, uint32_t row, char ch, uint32_t fg,
                       uint32_t bg)
{
    const uint8_t *glyph = font_glyph(&font_console, ch);
    uint32_t cw = 8 * s->scale, chh = 16 * s->scale;
    for (uint32_t y = 0; y < chh; y++)
        for (uint32_t x = 0; x < cw; x++) {
            bool on = font_pixel(&font_console, glyph, x / s->scale, y / s->scale);
            uint32_t got = pixel_at(s, column * cw + x, row * chh + y);
            if (got != (on ? fg : bg)) {
                CHECK_EQ(got, on ? fg : bg);
                return;
            }
        }
}

TEST(cells_in_every_depth)
{
    for (uint8_t bpp = 2; bpp <= 4; bpp++) {
        struct fb_surface s = surface_of(bpp, 1);
        CHECK_EQ(fb_columns(&s), 8);
        CHECK_EQ(fb_rows(&s), 3);
        uint32_t fg = fb_pixel_of_rgb(&s, 0xFFFF55), bg = fb_pixel_of_rgb(&s, 0x000000);
        fb_draw_cell(&s, 0, 0, 'A', fg, bg);
        fb_draw_cell(&s, 7, 2, 'g', fg, bg);
        check_cell(&s, 0, 0, 'A', fg, bg);
        check_cell(&s, 7, 2, 'g', fg, bg);
        /* The cell next to 'A' is untouched (0xEE filler). */
        CHECK_EQ(pixels[(size_t)3 * s.pitch_bytes + 8 * bpp], 0xEE);
    }
}

TEST(scaled_cells_and_fill)
{
    struct fb_surface s = surface_of(4, 2);
    CHECK_EQ(fb_columns(&s), 4);
    CHECK_EQ(fb_rows(&s), 1);
    fb_fill(&s, 0x000000);
    fb_draw_cell(&s, 1, 0, 'W', 0xAAAAAA, 0x000000);
    check_cell(&s, 1, 0, 'W', 0xAAAAAA, 0x000000);
    check_cell(&s, 0, 0, ' ', 0xAAAAAA, 0x000000);
    CHECK_EQ(pixel_at(&s, WIDTH - 1, HEIGHT - 1), 0); /* the fill reached the last pixel */
    CHECK_EQ(pixels[(size_t)(HEIGHT - 1) * s.pitch_bytes + WIDTH * 4], 0xEE); /* not the row padding */
}
