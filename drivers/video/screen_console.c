#include "drivers/video/screen_console.h"
#include "drivers/video/fb_draw.h"
#include "drivers/video/log_colours.h"
#include "drivers/video/text_grid.h"
#include "arch/x86/io.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "mm/paging.h"

enum screen_state {
    SCREEN_ABSENT = 0, /* no framebuffer, or console= without fb */
    SCREEN_KEEPING,    /* lines kept, framebuffer not mapped yet */
    SCREEN_DRAWING,
    SCREEN_RELEASED, /* a guest owns the display */
};

/* The VGA CRT controller's cursor-start register: bit 5 hides the blinking cursor GRUB leaves. */
#define VGA_CRTC_INDEX 0x3D4
#define VGA_CRTC_DATA 0x3D5
#define VGA_CRTC_CURSOR_START 0x0A
#define VGA_CURSOR_DISABLE 0x20

static enum screen_state state;
static struct boot_framebuffer framebuffer;
static struct fb_surface surface;
static struct text_grid grid;
static struct text_cell cells[SCREEN_COLUMNS_MAX * SCREEN_ROWS_MAX];
/* What is on the screen now, so that only changed cells are drawn. */
static struct text_cell drawn[SCREEN_COLUMNS_MAX * SCREEN_ROWS_MAX];
static uint32_t pixel_of_colour[16];

bool screen_console_init(const struct boot_framebuffer *fb)
{
    uint32_t columns, rows;
    framebuffer = *fb;
    if (fb->kind == BOOT_FB_EGA_TEXT) {
        columns = fb->width;
        rows = fb->height;
    } else if (fb->kind == BOOT_FB_RGB) {
        surface = (struct fb_surface){
            .base = (volatile uint8_t *)(uintptr_t)fb->phys,
            .pitch_bytes = fb->pitch_bytes,
            .width = fb->width,
            .height = fb->height,
            .bytes_per_pixel = (uint8_t)((fb->bits_per_pixel + 7) / 8),
            .red_shift = fb->red_shift,
            .red_bits = fb->red_bits,
            .green_shift = fb->green_shift,
            .green_bits = fb->green_bits,
            .blue_shift = fb->blue_shift,
            .blue_bits = fb->blue_bits,
            .font = &font_console,
            .scale = 1,
        };
        while (fb_columns(&surface) > SCREEN_COLUMNS_MAX || fb_rows(&surface) > SCREEN_ROWS_MAX)
            surface.scale++;
        columns = fb_columns(&surface);
        rows = fb_rows(&surface);
        for (unsigned i = 0; i < 16; i++)
            pixel_of_colour[i] = fb_pixel_of_rgb(&surface, log_palette_rgb[i]);
    } else {
        return false;
    }
    if (columns == 0 || rows == 0)
        return false;
    if (columns > SCREEN_COLUMNS_MAX)
        columns = SCREEN_COLUMNS_MAX;
    if (rows > SCREEN_ROWS_MAX)
        rows = SCREEN_ROWS_MAX;
    text_grid_init(&grid, cells, columns, rows, rows >= 8 ? rows / 4 : 1);
    state = SCREEN_KEEPING;
    return true;
}

void screen_console_disable(void) { state = SCREEN_ABSENT; }

static void draw_cell(uint32_t row, uint32_t column, struct text_cell cell)
{
    if (framebuffer.kind == BOOT_FB_EGA_TEXT) {
        volatile uint16_t *line =
            (volatile uint16_t *)(uintptr_t)(framebuffer.phys + (uint64_t)row * framebuffer.pitch_bytes);
        line[column] = (uint16_t)((uint8_t)cell.ch | (cell.colour & 0x0F) << 8); /* black background */
        return;
    }
    fb_draw_cell(&surface, column, row, cell.ch, pixel_of_colour[cell.colour & 0x0F],
                 pixel_of_colour[COLOUR_BACKGROUND]);
}

/* Draws the damaged rows' cells that differ from what is on the screen. */
static void draw_damage(void)
{
    uint32_t first, last;
    if (!text_grid_take_damage(&grid, &first, &last))
        return;
    for (uint32_t row = first; row <= last; row++) {
        for (uint32_t column = 0; column < grid.columns; column++) {
            size_t at = (size_t)row * grid.columns + column;
            if (cells[at].ch == drawn[at].ch && cells[at].colour == drawn[at].colour)
                continue;
            draw_cell(row, column, cells[at]);
            drawn[at] = cells[at];
        }
    }
}

/* Blanks the whole screen (GRUB's menu may still be there) and records it as blank. */
static void clear_screen(void)
{
    if (framebuffer.kind == BOOT_FB_EGA_TEXT) {
        for (uint32_t row = 0; row < framebuffer.height; row++)
            for (uint32_t column = 0; column < framebuffer.width; column++)
                draw_cell(row, column, (struct text_cell){ ' ', COLOUR_TEXT });
        outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_START);
        outb(VGA_CRTC_DATA, VGA_CURSOR_DISABLE);
    } else {
        fb_fill(&surface, pixel_of_colour[COLOUR_BACKGROUND]);
    }
    for (size_t i = 0; i < (size_t)grid.columns * grid.rows; i++)
        drawn[i] = (struct text_cell){ ' ', 0 };
    text_grid_damage_all(&grid);
}

int screen_console_attach(void)
{
    if (state != SCREEN_KEEPING)
        return E_OK;
    uint64_t size_bytes = (uint64_t)framebuffer.pitch_bytes * framebuffer.height;
    int err = paging_map_mmio(framebuffer.phys, size_bytes, PAGING_WRITE_COMBINING);
    if (err) {
        state = SCREEN_ABSENT;
        return err;
    }
    state = SCREEN_DRAWING;
    clear_screen();
    draw_damage();
    return E_OK;
}

void screen_console_write(const char *line, size_t length_bytes)
{
    if (state == SCREEN_ABSENT)
        return;
    uint8_t colours[LOG_LINE_BYTES];
    while (length_bytes > 0) { /* a line is at most LOG_LINE_BYTES; a longer write goes in pieces */
        size_t piece = length_bytes < sizeof colours ? length_bytes : sizeof colours;
        log_colours_of_line(line, piece, colours);
        text_grid_write(&grid, line, colours, piece);
        line += piece;
        length_bytes -= piece;
    }
    if (state == SCREEN_DRAWING)
        draw_damage();
}

void screen_console_release(void)
{
    if (state == SCREEN_DRAWING)
        state = SCREEN_RELEASED;
}

void screen_console_reclaim(void)
{
    if (state != SCREEN_RELEASED)
        return;
    state = SCREEN_DRAWING;
    clear_screen(); /* the guest drew over everything: nothing on it is ours */
    draw_damage();
}

bool screen_console_present(void) { return state != SCREEN_ABSENT; }
bool screen_console_drawing(void) { return state == SCREEN_DRAWING; }

void screen_console_geometry(uint32_t *columns, uint32_t *rows, uint32_t *scale)
{
    *columns = grid.columns;
    *rows = grid.rows;
    *scale = framebuffer.kind == BOOT_FB_RGB ? surface.scale : 1;
}
