#include "drivers/video/text_grid.h"
#include "core/lib/string.h"

static void damage_rows(struct text_grid *grid, uint32_t first, uint32_t last)
{
    if (!grid->damaged) {
        grid->damaged = true;
        grid->damage_first_row = first;
        grid->damage_last_row = last;
        return;
    }
    if (first < grid->damage_first_row)
        grid->damage_first_row = first;
    if (last > grid->damage_last_row)
        grid->damage_last_row = last;
}

static void clear_rows(struct text_grid *grid, uint32_t first, uint32_t count)
{
    for (size_t i = (size_t)first * grid->columns; i < (size_t)(first + count) * grid->columns; i++)
        grid->cells[i] = (struct text_cell){ ' ', 0 };
}

void text_grid_init(struct text_grid *grid, struct text_cell *cells, uint32_t columns, uint32_t rows,
                    uint32_t scroll_rows)
{
    *grid = (struct text_grid){ .cells = cells, .columns = columns, .rows = rows };
    grid->scroll_rows = scroll_rows < 1 ? 1 : scroll_rows > rows ? rows : scroll_rows;
    clear_rows(grid, 0, rows);
    damage_rows(grid, 0, rows - 1);
}

/* The cursor ran past the last row: move everything up by scroll_rows. */
static void scroll(struct text_grid *grid)
{
    uint32_t keep = grid->rows - grid->scroll_rows;
    memmove(grid->cells, grid->cells + (size_t)grid->scroll_rows * grid->columns,
            (size_t)keep * grid->columns * sizeof *grid->cells);
    clear_rows(grid, keep, grid->scroll_rows);
    grid->cursor_row = keep;
    grid->scroll_count++;
    damage_rows(grid, 0, grid->rows - 1);
}

static void new_line(struct text_grid *grid)
{
    grid->cursor_column = 0;
    if (++grid->cursor_row >= grid->rows)
        scroll(grid);
}

static void put(struct text_grid *grid, char ch, uint8_t colour)
{
    if (grid->cursor_column >= grid->columns)
        new_line(grid); /* wrap: the line goes on on the next row */
    size_t at = (size_t)grid->cursor_row * grid->columns + grid->cursor_column;
    grid->cells[at] = (struct text_cell){ ch, colour };
    damage_rows(grid, grid->cursor_row, grid->cursor_row);
    grid->cursor_column++;
}

void text_grid_write(struct text_grid *grid, const char *text, const uint8_t *colours, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '\n')
            new_line(grid);
        else if (c == '\t')
            put(grid, ' ', colours[i]);
        else if ((unsigned char)c >= 0x20 && c != 0x7F)
            put(grid, c, colours[i]);
    }
}

bool text_grid_take_damage(struct text_grid *grid, uint32_t *first_row, uint32_t *last_row)
{
    if (!grid->damaged)
        return false;
    *first_row = grid->damage_first_row;
    *last_row = grid->damage_last_row;
    grid->damaged = false;
    return true;
}

void text_grid_damage_all(struct text_grid *grid) { damage_rows(grid, 0, grid->rows - 1); }
