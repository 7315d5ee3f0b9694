"""Reading what vmxroot drew on the screen, from a QEMU screendump (PNG) or the EGA text buffer.

The kernel draws its log with the font tools/psf2c.py converts (the same PSF file); the test
draws nothing itself but reads each character cell back by comparing its pixels with every
glyph of that font, so a screenshot turns into text lines without OCR. A cell whose pixels
match no glyph reads as '\\ufffd'. The grid starts at the top-left pixel; the font may be
scaled by a whole factor (the kernel does on screens of 2560 pixels and wider).
"""
import struct
import zlib

import psf2c  # tools/psf2c.py, the build's font converter (tools/ is on sys.path, see conftest.py)
from vmxroot_status.sources import Qmp

FONT_PSF = "/usr/share/consolefonts/Lat15-TerminusBold16.psf.gz"
UNKNOWN = "\ufffd"


def qmp_client(socket_path):
    """tools/vmxroot_status's QMP client (greeting, capabilities, execute)."""
    return Qmp(str(socket_path))


class Image:
    def __init__(self, width, height, rows):
        self.width, self.height, self.rows = width, height, rows  # rows of (r, g, b) tuples

    def pixel(self, x, y):
        return self.rows[y][x]


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """An Image from an 8-bit RGB or RGBA, non-interlaced PNG (what QEMU's screendump writes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("%s is not a PNG" % path)
    offset, idat, header = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack_from(">I4s", data, offset)
        body = data[offset + 8:offset + 8 + length]
        offset += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError("%s: unsupported PNG (depth %d, colour type %d, interlace %d)" %
                         (path, depth, colour, interlace))
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        rows.append([tuple(line[x * channels:x * channels + 3]) for x in range(width)])
        previous = line
    return Image(width, height, rows)


class ScreenText:
    """The text of a screenshot: lines (trailing blanks cut) and the colour of each cell."""

    def __init__(self, lines, colours, scale):
        self.lines, self.colours, self.scale = lines, colours, scale

    def find(self, needle):
        """(row, column) of the first line holding needle, or None."""
        for row, line in enumerate(self.lines):
            column = line.find(needle)
            if column >= 0:
                return row, column
        return None

    def colour_at(self, row, column):
        return self.colours[row][column]

    def __str__(self):
        return "\n".join(self.lines)


def read_screen(image, font=None, background=(0, 0, 0)):
    """The text drawn on image: tries scales 1..3 and keeps the one that reads the most glyphs."""
    font = font or psf2c.load_font(FONT_PSF)
    glyphs = {}
    for code in range(psf2c.FIRST_CHAR, psf2c.LAST_CHAR + 1):
        rows = tuple(tuple(row) for row in font.pixel_rows(chr(code)))
        glyphs.setdefault(rows, chr(code))
    best = None
    for scale in (1, 2, 3):
        text = _read_at_scale(image, font, glyphs, scale, background)
        known = sum(len(line) - line.count(UNKNOWN) - line.count(" ") for line in text.lines)
        if best is None or known > best[0]:
            best = (known, text)
    return best[1]


def _read_at_scale(image, font, glyphs, scale, background):
    cell_w, cell_h = font.width * scale, font.height * scale
    lines, colours = [], []
    for row in range(image.height // cell_h):
        chars, row_colours = [], []
        for column in range(image.width // cell_w):
            x0, y0 = column * cell_w, row * cell_h
            colour = None
            mask = []
            for gy in range(font.height):
                pixels = image.rows[y0 + gy * scale]
                bits = []
                for gx in range(font.width):
                    p = pixels[x0 + gx * scale]
                    on = p != background
                    if on and colour is None:
                        colour = p
                    bits.append(on)
                mask.append(tuple(bits))
            chars.append(glyphs.get(tuple(mask), UNKNOWN))
            row_colours.append(colour)
        lines.append("".join(chars).rstrip())
        colours.append(row_colours)
    while lines and not lines[-1]:
        lines.pop()
        colours.pop()
    return ScreenText(lines, colours, scale)


def read_ega_text(buffer, columns=80, rows=25):
    """The lines of an EGA text buffer (character, attribute byte pairs) and each cell's attribute."""
    lines, attributes = [], []
    for row in range(rows):
        cells = buffer[row * columns * 2:(row + 1) * columns * 2]
        lines.append("".join(chr(c) if 0x20 <= c < 0x7F else " " for c in cells[0::2]).rstrip())
        attributes.append(list(cells[1::2]))
    while lines and not lines[-1]:
        lines.pop()
    return ScreenText(lines, attributes, 1)
