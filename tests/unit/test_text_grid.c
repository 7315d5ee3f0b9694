/*
 * drivers/video/text_grid.c and log_colours.c: what the screen console
 * keeps - wrap at the right edge, a line longer than the whole screen, jump
 * scrolling that keeps the last lines, damage reporting - and which colour
 * each part of a log line gets.
 */
// host-sources: drivers/video/text_grid.c drivers/video/log_colours.c
#include "drivers/video/text_grid.h"
#include "drivers/video/log_colours.h"
#include "tests/unit/check.h"

#define COLUMNS 10
#define ROWS 4

static struct text_cell cells[COLUMNS * ROWS];
static struct text_grid grid;

static void write_text(const char *text)
{
    uint8_t colours[512];
    size_t length = strlen(text);
    for (size_t i = 0; i < length; i++)
        colours[i] = (uint8_t)(i % 16);
    text_grid_write(&grid, text, colours, length);
}

/* Row r as a string, trailing blanks cut. */
static const char *row_text(uint32_t row)
{
    static char out[COLUMNS + 1];
    for (uint32_t c = 0; c < COLUMNS; c++)
        out[c] = text_grid_cell(&grid, row, c)->ch;
    out[COLUMNS] = 0;
    for (int c = COLUMNS - 1; c >= 0 && out[c] == ' '; c--)
        out[c] = 0;
    return out;
}

TEST(lines_and_newlines)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("ab\ncd\n");
    CHECK_STR(row_text(0), "ab");
    CHECK_STR(row_text(1), "cd");
    CHECK_STR(row_text(2), "");
    CHECK_EQ(grid.cursor_row, 2);
    CHECK_EQ(grid.cursor_column, 0);
    CHECK_EQ(text_grid_cell(&grid, 1, 1)->colour, 4); /* 'd' is byte 4 */
}

TEST(wrap_at_the_right_edge)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("0123456789ABC\n");
    CHECK_STR(row_text(0), "0123456789");
    CHECK_STR(row_text(1), "ABC");
    CHECK_EQ(grid.cursor_row, 2);
    /* Exactly one row's worth: no empty row after it. */
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("0123456789\nx");
    CHECK_STR(row_text(0), "0123456789");
    CHECK_STR(row_text(1), "x");
}

TEST(control_bytes_dropped_tab_is_a_space)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("a\tb\r\x01\x7f"
               "c\n");
    CHECK_STR(row_text(0), "a bc");
}

TEST(scroll_one_row_keeps_the_last_lines)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("one\ntwo\nthree\nfour\nfive\n");
    CHECK_STR(row_text(0), "three");
    CHECK_STR(row_text(1), "four");
    CHECK_STR(row_text(2), "five");
    CHECK_STR(row_text(3), "");
    CHECK_EQ(grid.scroll_count, 2);
}

TEST(jump_scroll)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 2);
    write_text("1\n2\n3\n4\n");
    CHECK_EQ(grid.scroll_count, 1); /* the cursor passed the bottom once, moving 2 rows */
    CHECK_STR(row_text(0), "3");
    CHECK_STR(row_text(1), "4");
    CHECK_STR(row_text(2), "");
    CHECK_EQ(grid.cursor_row, 2);
}

TEST(a_line_longer_than_the_screen)
{
    /* 55 characters on a 10x4 grid: only its last rows stay, the cursor after them. */
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    write_text("aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeefffff\n");
    CHECK_STR(row_text(0), "dddddddddd");
    CHECK_STR(row_text(1), "eeeeeeeeee");
    CHECK_STR(row_text(2), "fffff");
    CHECK_STR(row_text(3), "");
    CHECK_EQ(grid.cursor_row, 3);
    CHECK_EQ(grid.cursor_column, 0);
}

TEST(scroll_rows_clamped)
{
    text_grid_init(&grid, cells, COLUMNS, ROWS, 0);
    CHECK_EQ(grid.scroll_rows, 1);
    text_grid_init(&grid, cells, COLUMNS, ROWS, 99);
    CHECK_EQ(grid.scroll_rows, ROWS);
    write_text("1\n2\n3\n4\n5");
    CHECK_STR(row_text(0), "5"); /* the whole screen moved: a clear page */
}

TEST(damage_rows)
{
    uint32_t first, last;
    text_grid_init(&grid, cells, COLUMNS, ROWS, 1);
    CHECK(text_grid_take_damage(&grid, &first, &last)); /* init: all */
    CHECK_EQ(first, 0);
    CHECK_EQ(last, ROWS - 1);
    CHECK(!text_grid_take_damage(&grid, &first, &last));
    write_text("x\n");
    write_text("y");
    CHECK(text_grid_take_damage(&grid, &first, &last));
    CHECK_EQ(first, 0);
    CHECK_EQ(last, 1);
    write_text("\n\n\nz"); /* scrolls: every row moved */
    CHECK(text_grid_take_damage(&grid, &first, &last));
    CHECK_EQ(first, 0);
    CHECK_EQ(last, ROWS - 1);
    text_grid_damage_all(&grid);
    CHECK(text_grid_take_damage(&grid, &first, &last));
}

static void colours_of(const char *line, uint8_t *out) { log_colours_of_line(line, strlen(line), out); }

TEST(log_line_colours)
{
    uint8_t c[128];
    colours_of("cpu12: warning: VMX disabled\n", c);
    CHECK_EQ(c[0], COLOUR_PREFIX);
    CHECK_EQ(c[6], COLOUR_PREFIX); /* the space after "cpu12:" */
    CHECK_EQ(c[7], COLOUR_WARNING);
    CHECK_EQ(c[20], COLOUR_WARNING);
    colours_of("cpu0: error: PANIC: #PF", c);
    CHECK_EQ(c[5], COLOUR_PREFIX);
    CHECK_EQ(c[6], COLOUR_ERROR);
    colours_of("cpu0: vmxroot: ready cpus=1/1", c);
    CHECK_EQ(c[6], COLOUR_READY);
    colours_of("cpu0: screen: released", c);
    CHECK_EQ(c[6], COLOUR_NOTICE);
    colours_of("cpu0: tsc: 4000 kHz", c);
    CHECK_EQ(c[6], COLOUR_TEXT);
    colours_of("cpux: not a prefix", c); /* no digits: no prefix */
    CHECK_EQ(c[0], COLOUR_TEXT);
    colours_of("cpu1 warning", c);
    CHECK_EQ(c[0], COLOUR_TEXT);
    colours_of("cpu1", c); /* short lines never read past their end */
    CHECK_EQ(c[3], COLOUR_TEXT);
}
