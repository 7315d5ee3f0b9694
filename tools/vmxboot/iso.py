"""Test ISOs with any kernel command line, made by overwriting a slot in one base ISO.

Once per kernel build a test ISO is made whose grub.cfg holds a fixed-size slot of spaces on the
multiboot2 line; every boot copies that ISO and overwrites the slot in place (ISO 9660 stores each
file in one contiguous extent, so the bytes of grub.cfg sit at one offset). A copy costs about
20 ms; grub-mkrescue costs about 0.5 s. Variants are cached by command line.
"""
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from . import paths  # read at each call: tools/bench.py points paths.ELF and paths.ISO_CACHE at a snapshot
from .verdict import BootError

# The slot on the multiboot2 line of the test grub.cfg. Larger than the kernel's
# CMDLINE_MAX_BYTES (1024) so that tests can pass over-long command lines.
CMDLINE_SLOT_BYTES = 4096
CMDLINE_SLOT_MARKER = b"@@vmxroot-cmdline-slot@@"
ISO_VARIANTS_KEPT = 32


def grub_quote(token):
    """One word for GRUB's script parser: single quotes keep everything literal but a quote."""
    return "'" + token.replace("'", "'\"'\"'") + "'"


def kernel_cmdline(cmdline):
    """What the kernel receives for a command line: GRUB joins the words with one space and
    puts a backslash before \\, ' and " (grub_create_loader_cmdline)."""
    return " ".join(re.sub(r"""([\\'"])""", r"\\\1", word) for word in cmdline.split())


def _file_digest(*paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def _test_grub_cfg():
    """tools/grub.cfg with the arguments of its multiboot2 line replaced by the slot."""
    text = paths.GRUB_CFG.read_text()
    slot = CMDLINE_SLOT_MARKER.decode() + " " * (CMDLINE_SLOT_BYTES - len(CMDLINE_SLOT_MARKER))
    new, count = re.subn(r"^(\s*multiboot2\s+\S+).*$", lambda m: m.group(1) + " " + slot, text,
                         count=1, flags=re.M)
    if count != 1:
        raise BootError("%s has no multiboot2 line to put the test command line on" % paths.GRUB_CFG)
    return new


def _base_iso():
    """The test ISO for the current kernel and grub.cfg, and the offset of its slot."""
    if not paths.ELF.exists():
        raise BootError("%s is missing: run `make` first" % paths.ELF)
    key = _file_digest(paths.ELF, paths.GRUB_CFG)
    iso = paths.ISO_CACHE / ("base-%s.iso" % key)
    offset_file = iso.with_suffix(".offset")
    if iso.exists() and offset_file.exists():
        return key, iso, int(offset_file.read_text())
    paths.ISO_CACHE.mkdir(parents=True, exist_ok=True)
    # Older kernels' ISOs are stale; those of the last minutes may still be booting in another session.
    for old in paths.ISO_CACHE.glob("*.iso"):
        if not old.name.startswith(("base-%s" % key, key)) and time.time() - old.stat().st_mtime > 600:
            old.unlink(missing_ok=True)
            old.with_suffix(".offset").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=paths.ISO_CACHE) as tmp:
        isodir = Path(tmp) / "iso"
        (isodir / "boot" / "grub").mkdir(parents=True)
        shutil.copyfile(paths.ELF, isodir / "boot" / "vmxroot.elf")
        (isodir / "boot" / "grub" / "grub.cfg").write_text(_test_grub_cfg())
        out = Path(tmp) / "base.iso"
        proc = subprocess.run(["grub-mkrescue", "-o", str(out), str(isodir)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise BootError("grub-mkrescue failed:\n" + proc.stdout + proc.stderr)
        data = out.read_bytes()
        offset = data.find(CMDLINE_SLOT_MARKER)
        if offset < 0 or data.find(CMDLINE_SLOT_MARKER, offset + 1) >= 0:
            raise BootError("the command line slot is not exactly once in %s" % out)
        offset_file.write_text(str(offset))  # before the ISO appears: others check for both
        out.rename(iso)
    return key, iso, offset


def iso_for_cmdline(cmdline):
    """An ISO whose GRUB boots the current kernel with this command line (cached)."""
    words = cmdline.split()
    slot = " ".join(grub_quote(w) for w in words).encode()
    if len(slot) > CMDLINE_SLOT_BYTES:
        raise BootError("command line too long for the test ISO slot (%d > %d bytes)" %
                        (len(slot), CMDLINE_SLOT_BYTES))
    if b"\n" in slot or b"\r" in slot:
        raise BootError("a command line cannot hold a line break")
    key, base, offset = _base_iso()
    digest = hashlib.sha256(slot).hexdigest()[:16]
    variant = paths.ISO_CACHE / ("%s-%s.iso" % (key, digest))
    if variant.exists():
        os.utime(variant)
        return variant
    tmp = variant.with_suffix(".tmp%d" % os.getpid())
    shutil.copyfile(base, tmp)
    with open(tmp, "r+b") as iso:
        iso.seek(offset)
        iso.write(slot.ljust(CMDLINE_SLOT_BYTES, b" "))
    tmp.rename(variant)
    variants = sorted(paths.ISO_CACHE.glob("%s-*.iso" % key), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in variants[ISO_VARIANTS_KEPT:]:
        old.unlink(missing_ok=True)
    return variant
