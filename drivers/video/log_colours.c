#include "drivers/video/log_colours.h"
#include "core/lib/string.h"

/* The VGA text-mode palette (IBM VGA Technical Reference, "Attribute Controller"). */
const uint32_t log_palette_rgb[16] = {
    0x000000, 0x0000AA, 0x00AA00, 0x00AAAA, 0xAA0000, 0xAA00AA, 0xAA5500, 0xAAAAAA,
    0x555555, 0x5555FF, 0x55FF55, 0x55FFFF, 0xFF5555, 0xFF55FF, 0xFFFF55, 0xFFFFFF,
};

static bool starts_with(const char *text, size_t length, const char *word)
{
    size_t word_length = strlen(word);
    return length >= word_length && memcmp(text, word, word_length) == 0;
}

/* The length of a "cpuN: " prefix at line, or 0. */
static size_t prefix_length(const char *line, size_t length)
{
    if (!starts_with(line, length, "cpu"))
        return 0;
    size_t i = 3;
    while (i < length && line[i] >= '0' && line[i] <= '9')
        i++;
    if (i == 3 || !starts_with(line + i, length - i, ": "))
        return 0;
    return i + 2;
}

void log_colours_of_line(const char *line, size_t length, uint8_t *colours)
{
    size_t prefix = prefix_length(line, length);
    const char *body = line + prefix;
    size_t body_length = length - prefix;
    uint8_t colour = COLOUR_TEXT;
    if (starts_with(body, body_length, "warning: "))
        colour = COLOUR_WARNING;
    else if (starts_with(body, body_length, "error: "))
        colour = COLOUR_ERROR;
    else if (starts_with(body, body_length, "vmxroot: ready "))
        colour = COLOUR_READY;
    else if (starts_with(body, body_length, "screen: "))
        colour = COLOUR_NOTICE;
    for (size_t i = 0; i < length; i++)
        colours[i] = i < prefix ? COLOUR_PREFIX : colour;
}
