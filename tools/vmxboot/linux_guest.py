"""The reference Linux guest for the boot tests: Debian's kernel and the busybox initramfs that
tools/fetch-images makes (downloaded through the project's own tool, never by hand), put on an
ISO whose GRUB loads vmxroot with the kernel as its first module2 (the module's string is the
guest's command line) and the initramfs as the second."""

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import paths  # paths.ELF read at each call: tools/bench.py boots a snapshot of the kernel
from .paths import BUILD, REPO
from .verdict import BootError

IMAGES = BUILD / "images"
FETCH = REPO / "tools" / "fetch-images"
ISO_DIR = BUILD / "linux-isos"
# The guest's own console, and no wait after a panic (the test reads the log).
GUEST_CMDLINE = "console=ttyS0,115200 panic=-1"
# Bochs for a Linux guest (docs/testing.md): the clock runs free, 20 MIPS.
BOCHS_LINES = ("clock: sync=none, time0=local", "cpu: ips=20000000")
MEMORY_MB = 256


def fetch_images():
    """vmlinuz and initrd.gz from tools/fetch-images; a failure names the tool's own message."""
    proc = subprocess.run([str(FETCH), "--only", "linux,initrd", "--dir", str(IMAGES)], capture_output=True,
                          text=True)
    kernel, initrd = IMAGES / "vmlinuz", IMAGES / "initrd.gz"
    if proc.returncode != 0 or not kernel.exists() or not initrd.exists():
        raise BootError("tools/fetch-images could not fetch the Linux guest (exit %d):\n%s%s" % (
            proc.returncode, proc.stdout, proc.stderr))
    return kernel, initrd


def linux_iso(cmdline, guest_cmdline=GUEST_CMDLINE, kernel=None, initrd=None, modules=None):
    """An ISO booting vmxroot with cmdline and the guest (kernel, initrd: paths; modules: a list of
    (path, string) that replaces both). Cached by content."""
    if modules is None:
        if kernel is None or initrd is None:
            kernel, initrd = fetch_images()
        modules = [(kernel, guest_cmdline), (initrd, "initrd")]
    if not paths.ELF.exists():
        raise BootError("%s is missing: run `make` first" % paths.ELF)
    lines = ["set timeout=0", "menuentry \"vmxroot with a guest\" {",
             "    multiboot2 /boot/vmxroot.elf %s" % cmdline]
    files = [(paths.ELF, "vmxroot.elf")]
    for i, (path, string) in enumerate(modules):
        lines.append("    module2 /boot/module%d %s" % (i, string))
        files.append((path, "module%d" % i))
    return grub_iso("linux", lines + ["    boot", "}", ""], files)


def direct_linux_iso(guest_cmdline=GUEST_CMDLINE):
    """An ISO whose GRUB boots the same kernel and initramfs directly (no vmxroot), with the same
    command line vmxroot gives its guest (less the status page): the reference of make bench."""
    kernel, initrd = fetch_images()
    lines = ["set timeout=0", "menuentry \"Linux without vmxroot\" {", "    linux /boot/vmlinuz %s" % guest_cmdline,
             "    initrd /boot/initrd.gz", "    boot", "}", ""]
    return grub_iso("direct", lines, [(kernel, "vmlinuz"), (initrd, "initrd.gz")])


def grub_iso(prefix, cfg_lines, files):
    """grub-mkrescue of a grub.cfg and files [(path, name under /boot)], cached by content."""
    cfg = "\n".join(cfg_lines)
    digest = hashlib.sha256()
    for path, _ in files:
        digest.update(Path(path).read_bytes())
    digest.update(cfg.encode())
    iso = ISO_DIR / ("%s-%s.iso" % (prefix, digest.hexdigest()[:16]))
    if iso.exists():
        return iso
    ISO_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ISO_DIR) as tmp:
        isodir = Path(tmp) / "iso"
        (isodir / "boot" / "grub").mkdir(parents=True)
        for path, name in files:
            shutil.copyfile(path, isodir / "boot" / name)
        (isodir / "boot" / "grub" / "grub.cfg").write_text(cfg)
        out = Path(tmp) / "out.iso"
        proc = subprocess.run(["grub-mkrescue", "-o", str(out), str(isodir)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise BootError("grub-mkrescue failed:\n" + proc.stdout + proc.stderr)
        out.rename(iso)
    return iso
