#!/usr/bin/python3
"""Converts a PC Screen Font (PSF 1 or 2, gzipped or not) into a C array of the printable
ASCII glyphs, for the kernel's screen console (drivers/video/font.h).

    tools/psf2c.py /usr/share/consolefonts/Lat15-TerminusBold16.psf.gz OUT.c

Glyphs are looked up through the font's Unicode table (a console font's glyph order is
its own); a font without one is taken in code-page order. One glyph is `height` rows of
ceil(width / 8) bytes, the leftmost pixel in the high bit, as PSF stores them. Also a
module: tests/screen.py draws text with load_font() to find it in screenshots.
"""
import gzip
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE_512 = 0x01
PSF1_MODE_HAS_TABLE = 0x02 | 0x04
PSF1_SEPARATOR = 0xFFFF
PSF1_START_SEQUENCE = 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR = 0xFF
PSF2_START_SEQUENCE = 0xFE

FIRST_CHAR = 0x20  # space
LAST_CHAR = 0x7E  # tilde
REPLACEMENT = "?"  # drawn for any other byte


class FontError(ValueError):
    pass


class Font:
    """width, height, bytes_per_row and {code point: glyph bytes}."""

    def __init__(self, width, height, glyphs, by_code_point):
        self.width, self.height = width, height
        self.bytes_per_row = (width + 7) // 8
        self.glyphs = glyphs
        self.by_code_point = by_code_point

    def glyph(self, char):
        index = self.by_code_point.get(ord(char))
        if index is None:
            index = self.by_code_point[ord(REPLACEMENT)]
        return self.glyphs[index]

    def pixel_rows(self, char):
        """The glyph as rows of booleans, leftmost pixel first."""
        data = self.glyph(char)
        rows = []
        for y in range(self.height):
            row = data[y * self.bytes_per_row:(y + 1) * self.bytes_per_row]
            bits = int.from_bytes(row, "big")
            total = 8 * self.bytes_per_row
            rows.append([bool(bits >> (total - 1 - x) & 1) for x in range(self.width)])
        return rows


def _psf1_table(data, count):
    table, index, i = {}, 0, 0
    while index < count and i + 1 < len(data):
        (value,) = struct.unpack_from("<H", data, i)
        i += 2
        if value == PSF1_SEPARATOR:
            index += 1
        elif value == PSF1_START_SEQUENCE:
            while i + 1 < len(data) and struct.unpack_from("<H", data, i)[0] != PSF1_SEPARATOR:
                i += 2  # sequences (combining characters) are not single code points
        else:
            table.setdefault(value, index)
    return table


def _utf8_values(chunk):
    try:
        return [ord(c) for c in chunk.decode("utf-8")]
    except UnicodeDecodeError as error:
        raise FontError("bad UTF-8 in the Unicode table: %s" % error)


def _psf2_table(data, count):
    table = {}
    entries = data.split(bytes([PSF2_SEPARATOR]))
    for index, entry in enumerate(entries[:count]):
        singles = entry.split(bytes([PSF2_START_SEQUENCE]))[0]
        for value in _utf8_values(singles):
            table.setdefault(value, index)
    return table


def parse_font(data):
    """A Font from the bytes of a PSF file (gzip-compressed or not)."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        if len(data) < 4:
            raise FontError("PSF1 header truncated")
        mode, height = data[2], data[3]
        count = 512 if mode & PSF1_MODE_512 else 256
        width, header, glyph_bytes = 8, 4, height
        has_table = bool(mode & PSF1_MODE_HAS_TABLE)
        table_parser = _psf1_table
    elif data[:4] == PSF2_MAGIC:
        if len(data) < 32:
            raise FontError("PSF2 header truncated")
        _, _, header, flags, count, glyph_bytes, height, width = struct.unpack_from("<4sIIIIIII", data, 0)
        has_table = bool(flags & PSF2_HAS_UNICODE_TABLE)
        table_parser = _psf2_table
        if glyph_bytes != height * ((width + 7) // 8):
            raise FontError("PSF2 glyph size %d does not match %dx%d" % (glyph_bytes, width, height))
    else:
        raise FontError("not a PSF font (magic %r)" % data[:4])
    if not (1 <= width <= 32 and 1 <= height <= 64 and count >= 1):
        raise FontError("unusable glyph size %dx%d or count %d" % (width, height, count))
    end = header + count * glyph_bytes
    if len(data) < end:
        raise FontError("font truncated: %d glyphs of %d bytes need %d bytes, have %d" %
                        (count, glyph_bytes, end, len(data)))
    glyphs = [data[header + i * glyph_bytes:header + (i + 1) * glyph_bytes] for i in range(count)]
    table = table_parser(data[end:], count) if has_table else {i: i for i in range(count)}
    missing = [chr(c) for c in range(FIRST_CHAR, LAST_CHAR + 1) if c not in table]
    if missing:
        raise FontError("the font has no glyph for %r" % "".join(missing))
    return Font(width, height, glyphs, table)


def load_font(path):
    with open(path, "rb") as f:
        return parse_font(f.read())


def c_source(font, source_name):
    """The C file: struct font font_console with the glyphs of ' '..'~'."""
    lines = [
        "/* Generated by tools/psf2c.py from %s: do not edit. */" % source_name,
        '#include "drivers/video/font.h"',
        "",
        "static const uint8_t glyphs[%d][%d] = {" % (LAST_CHAR - FIRST_CHAR + 1, font.height * font.bytes_per_row),
    ]
    for code in range(FIRST_CHAR, LAST_CHAR + 1):
        data = font.glyph(chr(code))
        text = ", ".join("0x%02x" % b for b in data)
        label = chr(code).replace("\\", "backslash")
        lines.append("    { %s }, /* %s */" % (text, label))
    lines += [
        "};",
        "",
        "const struct font font_console = {",
        "    .width = %d," % font.width,
        "    .height = %d," % font.height,
        "    .bytes_per_row = %d," % font.bytes_per_row,
        "    .first_char = 0x%02x," % FIRST_CHAR,
        "    .last_char = 0x%02x," % LAST_CHAR,
        "    .replacement_char = '%s'," % REPLACEMENT,
        "    .glyphs = &glyphs[0][0],",
        "};",
        "",
    ]
    return "\n".join(lines)


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: psf2c.py FONT.psf[.gz] OUT.c\n")
        return 2
    try:
        font = load_font(argv[1])
    except (OSError, FontError) as error:
        sys.stderr.write("psf2c: %s: %s\n" % (argv[1], error))
        return 1
    with open(argv[2], "w") as out:
        out.write(c_source(font, argv[1].rsplit("/", 1)[-1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
