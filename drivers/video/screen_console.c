#include "drivers/video/screen_console.h"
#include "drivers/video/fb_draw.h"
#include "drivers/video/log_colours.h"
#include "drivers/video/text_grid.h"
#include "arch/x86/io.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "mm/frames.h"
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

/*
 * Lines before the framebuffer is mapped (the page tables come after the
 * command line) are kept as text here and replayed into the grid, whose
 * cells come from the frame allocator: a 240x80 grid and its shadow are
 * 75 KiB, too much for the kernel image's bss.
 */
#define EARLY_TEXT_BYTES 2048

static enum screen_state state;
static struct boot_framebuffer framebuffer;
static struct fb_surface surface;
static struct text_grid grid;
static uint32_t grid_columns, grid_rows;
static struct text_cell *cells;
static struct text_cell *drawn; /* what is on the screen now, so that only changed cells are drawn */
static uint32_t pixel_of_colour[16];
static char early_text[EARLY_TEXT_BYTES];
static size_t early_text_bytes;

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
    grid_columns = columns > SCREEN_COLUMNS_MAX ? SCREEN_COLUMNS_MAX : columns;
    grid_rows = rows > SCREEN_ROWS_MAX ? SCREEN_ROWS_MAX : rows;
    state = SCREEN_KEEPING;
    return true;
}

/* Keeps a line until there is a grid; when full, the oldest whole lines go (the screen would scroll them). */
static void keep_early(const char *line, size_t length_bytes)
{
    if (length_bytes > EARLY_TEXT_BYTES)
        return;
    while (early_text_bytes + length_bytes > EARLY_TEXT_BYTES) {
        size_t first = 0;
        while (first < early_text_bytes && early_text[first] != '\n')
            first++;
        first = first < early_text_bytes ? first + 1 : early_text_bytes;
        memmove(early_text, early_text + first, early_text_bytes - first);
        early_text_bytes -= first;
    }
    memcpy(early_text + early_text_bytes, line, length_bytes);
    early_text_bytes += length_bytes;
}

static void grid_write(const char *text, size_t length_bytes);

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
    size_t cell_count = (size_t)grid_columns * grid_rows;
    size_t frame_count = (2 * cell_count * sizeof(struct text_cell) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    uint64_t cells_phys;
    int err = frames_alloc(frame_count, 0, &cells_phys);
    uint64_t size_bytes = (uint64_t)framebuffer.pitch_bytes * framebuffer.height;
    if (!err)
        err = paging_map_mmio(framebuffer.phys, size_bytes, PAGING_WRITE_COMBINING);
    if (err) {
        state = SCREEN_ABSENT;
        return err;
    }
    cells = (struct text_cell *)(uintptr_t)cells_phys; /* identity mapped */
    drawn = cells + cell_count;
    text_grid_init(&grid, cells, grid_columns, grid_rows, grid_rows >= 8 ? grid_rows / 4 : 1);
    grid_write(early_text, early_text_bytes);
    state = SCREEN_DRAWING;
    clear_screen();
    draw_damage();
    return E_OK;
}

/* Text of whole lines into the grid, each line in its colours. */
static void grid_write(const char *text, size_t length_bytes)
{
    uint8_t colours[LOG_LINE_BYTES];
    while (length_bytes > 0) {
        size_t line = 0;
        while (line < length_bytes && line < sizeof colours && text[line] != '\n')
            line++;
        if (line < length_bytes && line < sizeof colours)
            line++; /* the newline */
        log_colours_of_line(text, line, colours);
        text_grid_write(&grid, text, colours, line);
        text += line;
        length_bytes -= line;
    }
}

void screen_console_write(const char *line, size_t length_bytes)
{
    if (state == SCREEN_ABSENT)
        return;
    if (state == SCREEN_KEEPING) {
        keep_early(line, length_bytes);
        return;
    }
    grid_write(line, length_bytes);
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
    *columns = grid_columns;
    *rows = grid_rows;
    *scale = framebuffer.kind == BOOT_FB_RGB ? surface.scale : 1;
}
