/*
 * The screen console's text: a grid of character cells with a colour each,
 * a cursor, line wrap at the right edge and scrolling at the bottom. Pure
 * memory (the cells are the caller's), so it is host-tested; a backend draws
 * the rows it reports as damaged. Scrolling moves scroll_rows rows at once
 * (a jump scroll): every moved cell must be redrawn, and on an uncached or
 * write-combining framebuffer a redraw per line would cost more than the log.
 */
#ifndef DRIVERS_VIDEO_TEXT_GRID_H
#define DRIVERS_VIDEO_TEXT_GRID_H

#include "core/lib/compiler.h"

struct text_cell {
    char ch;        /* ' ' for an empty cell */
    uint8_t colour; /* a palette index (drivers/video/log_colours.h) */
};

struct text_grid {
    struct text_cell *cells; /* rows * columns, row after row */
    uint32_t columns, rows;
    uint32_t scroll_rows; /* 1..rows */
    uint32_t cursor_row, cursor_column;
    bool damaged;
    uint32_t damage_first_row, damage_last_row; /* inclusive, when damaged */
    uint64_t scroll_count;
};

/* Clears cells (columns * rows of them) and puts the cursor top left. */
void text_grid_init(struct text_grid *grid, struct text_cell *cells, uint32_t columns, uint32_t rows,
                    uint32_t scroll_rows);

/*
 * Writes length bytes of text, colours[i] for text[i]. '\n' ends the line;
 * a line longer than the grid wraps onto the next rows; '\r' and other
 * control bytes are dropped (tabs become a space).
 */
void text_grid_write(struct text_grid *grid, const char *text, const uint8_t *colours, size_t length);

/* The rows changed since the last call: true and [*first_row, *last_row], or false when none. */
bool text_grid_take_damage(struct text_grid *grid, uint32_t *first_row, uint32_t *last_row);

/* Marks every row damaged (a backend that lost the screen and draws it again). */
void text_grid_damage_all(struct text_grid *grid);

static inline const struct text_cell *text_grid_cell(const struct text_grid *grid, uint32_t row,
                                                     uint32_t column)
{
    return &grid->cells[(size_t)row * grid->columns + column];
}

#endif
