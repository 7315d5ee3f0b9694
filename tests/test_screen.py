"""The screen console: what a person in front of a machine without a serial port sees.

QEMU with its standard VGA device and no UART (-serial none): the kernel's 0xE9 fallback is
captured with -debugcon (so the log is still kept and we know when the ready line is out),
then a QMP screendump is read back into text (tests/screen.py compares each character cell
with the glyphs of the font the kernel was built with). Every screenshot is kept next to the
serial logs in build/test-logs/NAME.png for people to look at.
"""
import shutil
import subprocess
import time

import pytest

import screen
from vmxboot import ELF, LOG_DIR, Boot, assert_ready

SCREENSHOT_TIMEOUT_S = 20
READY_GREEN = (0x55, 0xFF, 0x55)
PREFIX_CYAN = (0x00, 0xAA, 0xAA)
WARNING_YELLOW = (0xFF, 0xFF, 0x55)
ERROR_RED = (0xFF, 0x55, 0x55)


class Shot:
    def __init__(self, result, text, png):
        self.result, self.text, self.png = result, text, png

    def describe(self):
        return "screenshot %s reads:\n%s\n%s" % (self.png, self.text, self.result.describe())


def screenshot_boot(name, firmware="bios", cmdline="", serial_wait=r"(vmxroot: guests passed|PANIC: system halted)",
                    screen_wait=None, qemu_args=()):
    """Boots without a UART, waits for serial_wait in the 0xE9 log, then takes screenshots until
    screen_wait (default: the same line as the log has) is on the screen or the time is up.
    The default waits for the last line a boot prints (the guests summary comes after the ready line),
    so the screen and the log hold the same lines when they are compared."""
    socket_path = LOG_DIR / (name + ".qmp")
    png = LOG_DIR / (name + ".png")
    with Boot("qemu", firmware=firmware, cmdline=cmdline, exit_on_ready=False, qmp_socket=str(socket_path),
              name=name, serial_port=False, extra_args=["-vga", "std"] + list(qemu_args)) as running:
        line = running.wait_for(serial_wait + r".*\n")
        if line is None:
            pytest.fail("CRASH: no %r in the log\n%s" % (serial_wait, running.stop().describe()), pytrace=False)
        line = line.split("\n", 1)[0]
        wanted = screen_wait or line.split(": ", 1)[1][:60]  # after the CPU prefix; short enough not to wrap
        deadline = time.monotonic() + SCREENSHOT_TIMEOUT_S
        while True:
            qmp = screen.qmp_client(socket_path)
            try:
                qmp.execute("screendump", filename=str(png), format="png")
            finally:
                qmp.close()
            text = screen.read_screen(screen.read_png(png))
            if text.find(wanted) or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        result = running.stop()
    return Shot(result, text, png)


@pytest.mark.parametrize("firmware", ["bios", "uefi"])
def test_screen_shows_the_ready_line(firmware):
    shot = screenshot_boot("screen_ready_" + firmware, firmware=firmware)
    assert_ready(shot.result, cpus=None)
    ready = shot.result.ready_line
    where = shot.text.find(ready)
    assert where, "the ready line %r is not on the screen\n%s" % (ready, shot.describe())
    row, column = where
    assert shot.text.colour_at(row, column) == PREFIX_CYAN, shot.describe()
    assert shot.text.colour_at(row, column + len("cpu0: ")) == READY_GREEN, shot.describe()
    # Every line of the log is on the screen, in order (a boot this short does not scroll).
    log_lines = [line for line in shot.result.lines if line.startswith("cpu")]
    screen_lines = [line for line in shot.text.lines]
    joined = "\n".join(screen_lines)
    for line in log_lines:
        if len(line) < 80:
            assert line in joined, "%r not on screen\n%s" % (line, shot.describe())
    warning = shot.text.find("warning: vmx: ")
    assert warning and shot.text.colour_at(*warning) == WARNING_YELLOW, shot.describe()
    assert shot.text.find("screen: "), shot.describe()


def test_screen_shows_the_panic():
    shot = screenshot_boot("screen_panic", cmdline="inject=write-text")
    for text in ("PANIC: exception #PF page fault (vector 14)", "(protection, write, data)",
                 "PANIC: system halted"):
        where = shot.text.find(text)
        assert where, "%r is not on the screen\n%s" % (text, shot.describe())
        assert shot.text.colour_at(*where) == ERROR_RED, shot.describe()


def test_screen_scrolls_and_keeps_the_last_lines():
    # 80 bad options: 80 warnings, more than the 37 rows of the screen (800x600).
    cmdline = " ".join("junk%02d" % i for i in range(80))
    shot = screenshot_boot("screen_scroll", cmdline=cmdline)
    assert_ready(shot.result, cpus=None)
    assert not shot.text.find('option "junk00" has no value'), "the first line should have scrolled away\n" + \
        shot.describe()
    # The log's last lines are the screen's last lines, in order (each short enough not to wrap).
    tail = [line for line in shot.result.lines if line.startswith("cpu")][-4:]
    screen_tail = [line for line in shot.text.lines if line.startswith("cpu")][-4:]
    assert [line[:90] for line in screen_tail] == [line[:90] for line in tail], shot.describe()
    row, _ = shot.text.find(shot.result.ready_line[:60])
    assert row >= len(shot.text.lines) - 5, "the ready line is not among the last\n" + shot.describe()


def test_screen_handed_over_is_not_drawn_then_a_panic_takes_it_back():
    shot = screenshot_boot("screen_handover", cmdline="selftest=display",
                           screen_wait="screen: selftest=display takes the display")
    assert_ready(shot.result, cpus=None)
    assert shot.result.grep(r"screen: released to selftest=display"), shot.result.describe()
    assert not shot.text.find("vmxroot: ready"), "drawn after the hand-over\n" + shot.describe()
    row, _ = shot.text.find("takes the display")
    assert not [line for line in shot.text.lines[row + 1:] if line.startswith("cpu")], "drawn after it\n" + \
        shot.describe()

    shot = screenshot_boot("screen_handover_panic", cmdline="selftest=display inject=write-text")
    assert shot.text.find("PANIC: system halted"), "the panic did not take the screen back\n" + shot.describe()
    # A line printed while the screen was released is drawn now: the grid kept it.
    assert shot.text.find("screen: released to selftest=display"), shot.describe()


def ega_text_iso(directory):
    """An ISO whose GRUB stays in EGA text mode under BIOS: the framebuffer tag then describes the 80x25
    text buffer at 0xB8000 and the kernel draws characters, not pixels. gfxpayload=text is set after the
    multiboot2 command, which sets it from the kernel's framebuffer request; GRUB reads it at boot."""
    isodir = directory / "iso"
    (isodir / "boot" / "grub").mkdir(parents=True)
    shutil.copyfile(ELF, isodir / "boot" / "vmxroot.elf")
    (isodir / "boot" / "grub" / "grub.cfg").write_text(
        "set timeout=0\nset default=0\nmenuentry \"vmxroot\" {\n"
        "    multiboot2 /boot/vmxroot.elf\n    set gfxpayload=text\n    boot\n}\n")
    iso = directory / "ega.iso"
    proc = subprocess.run(["grub-mkrescue", "-o", str(iso), str(isodir)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return iso


def test_ega_text_screen_shows_the_ready_line(tmp_path):
    name = "screen_ega_text"
    socket_path = LOG_DIR / (name + ".qmp")
    with Boot("qemu", iso=ega_text_iso(tmp_path), qmp_socket=str(socket_path), name=name, serial_port=False,
              extra_args=["-vga", "std"]) as running:
        if running.wait_for(r"vmxroot: ready.*\n") is None:
            pytest.fail("CRASH: no ready line\n" + running.stop().describe(), pytrace=False)
        time.sleep(0.3)
        dump = LOG_DIR / (name + ".b8000.bin")
        qmp = screen.qmp_client(socket_path)
        try:
            qmp.execute("pmemsave", val=0xB8000, size=80 * 25 * 2, filename=str(dump))
            qmp.execute("screendump", filename=str(LOG_DIR / (name + ".png")), format="png")
        finally:
            qmp.close()
        result = running.stop()
    text = screen.read_ega_text(dump.read_bytes())
    assert result.grep(r"screen: EGA text 80x25 at 0xb8000"), result.describe()
    ready = result.ready_line
    where = text.find(ready[:70])
    assert where, "the ready line is not in the text buffer:\n%s\n%s" % (text, result.describe())
    row, column = where
    assert text.colour_at(row, column) == 0x03 and text.colour_at(row, column + 6) == 0x0A, text.colours[row][:12]
