"""tools/psf2c.py, the build-time font conversion: PSF 1 and 2, gzipped or not, glyphs looked up
through the Unicode table, and fonts it must refuse. No emulator."""
import gzip
import struct
import subprocess
import sys

import pytest

import screen
from vmxboot import REPO

psf2c = screen.psf2c


def glyph_for(code, height):
    """A recognisable glyph: row y holds (code + y) & 0xFF."""
    return bytes((code + y) & 0xFF for y in range(height))


def psf2(count=128, width=8, height=16, table=True, order=None):
    """A PSF2 font; glyph i shows code point order[i] (reversed ASCII by default)."""
    order = order or [count - 1 - i for i in range(count)]
    bytes_per_glyph = height * ((width + 7) // 8)
    header = struct.pack("<4sIIIIIII", b"\x72\xb5\x4a\x86", 0, 32, 1 if table else 0, count, bytes_per_glyph,
                         height, width)
    glyphs = b"".join(glyph_for(order[i], height).ljust(bytes_per_glyph, b"\0") for i in range(count))
    unicode = b"".join(chr(order[i]).encode() + b"\xff" for i in range(count)) if table else b""
    return header + glyphs + unicode


def psf1(height=16):
    """A PSF1 font of 256 glyphs in code-page order with a Unicode table (with one sequence)."""
    header = bytes([0x36, 0x04, 0x02, height])
    glyphs = b"".join(glyph_for(i, height) for i in range(256))
    table = b""
    for i in range(256):
        table += struct.pack("<H", i)
        if i == ord("A"):
            table += struct.pack("<HHH", 0xFFFE, 0x41, 0x301)  # a sequence: not a single code point
        table += struct.pack("<H", 0xFFFF)
    return header + glyphs + table


def test_psf2_through_the_unicode_table():
    font = psf2c.parse_font(psf2())
    assert (font.width, font.height) == (8, 16)
    for char in "A~ 0":
        assert font.glyph(char) == glyph_for(ord(char), 16)  # not glyph index ord(char)
    assert font.glyph("\u00e9") == font.glyph("?")  # outside the font: the replacement glyph


def test_psf1_gzipped_and_pixel_rows():
    font = psf2c.parse_font(gzip.compress(psf1()))
    assert font.glyph("A") == glyph_for(ord("A"), 16)
    rows = font.pixel_rows("A")
    assert rows[0] == [bool(0x41 >> (7 - x) & 1) for x in range(8)]


def test_wide_glyphs_take_two_bytes_per_row():
    font = psf2c.parse_font(psf2(width=12, height=24))
    assert font.bytes_per_row == 2 and len(font.glyph("x")) == 48


def test_c_source_has_every_printable_glyph():
    font = psf2c.parse_font(psf2())
    text = psf2c.c_source(font, "test.psf")
    assert "static const uint8_t glyphs[95][16]" in text
    assert text.count("}, /* ") == 95
    assert "/* backslash */" in text and ".first_char = 0x20," in text and ".replacement_char = '?'," in text
    first = text.split("{ ", 2)[1].split(" }")[0]  # the space glyph's bytes
    assert first == ", ".join("0x%02x" % b for b in glyph_for(0x20, 16))


@pytest.mark.parametrize("data, message", [
    (b"nope", "not a PSF font"),
    (psf2()[:100], "truncated"),
    (psf2(count=64, order=list(range(64))), "has no glyph for"),  # no letters
    (psf2(width=0), "unusable glyph size"),
])
def test_bad_fonts_are_refused(data, message):
    with pytest.raises(psf2c.FontError, match=message):
        psf2c.parse_font(data)


def test_command_line(tmp_path):
    source = tmp_path / "font.psf"
    source.write_bytes(psf2())
    out = tmp_path / "font.c"
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "psf2c.py"), str(source), str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "const struct font font_console" in out.read_text()
    (tmp_path / "bad.psf").write_bytes(b"nope")
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "psf2c.py"), str(tmp_path / "bad.psf"), str(out)],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "not a PSF font" in proc.stderr
