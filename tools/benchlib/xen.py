"""Xen 4.17 as a peer of vmxroot in `make bench`: the same QEMU, the same CPU counts.

Xen (Debian's xen-hypervisor-4.17-amd64) boots from GRUB with Debian's kernel as its dom0
module, both fetched by tools/fetch-images into build/images/. With console_timestamps=boot
every console line carries Xen's own time:

    (XEN) [000000018a366182] Xen image load base address: 0xf800000     raw TSC, before calibration
    (XEN) [    0.258269] Detected 2099.999 MHz processor.                  seconds of system time
    (XEN) [    1.491762] Brought up 1 CPUs

System time counts from the TSC stamp Xen takes at its entry (head.S, "x86/time: always count
s_time from Xen boot"); lines before the TSC is calibrated show the raw TSC instead. The figure
measured is Xen's time from its first line to "Brought up N CPUs": the first line's system time
is placed by the TSC difference to the last raw-stamped line, which is taken as happening at the
first seconds-stamped line (so the figure may be short by that one gap, never long).

A boot ends when the "Brought up" line is complete: what follows (dom0's construction, its
kernel) is not part of the figure, and under 256 MiB Xen stops there anyway ("Not enough RAM
for domain 0 allocation"), after the figure.
"""

import dataclasses
import hashlib
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import vmxboot

CPU_COUNTS = (1, 16, 64, 255)
QUICK_CPU_COUNTS = (1, 16)
MEMORY_MB = 256  # the same as vmxroot's benchmark boots
# The bound on one boot, emulator start to "Brought up"; a boot past it is reported as not
# completed. With 2 host cores for 255 vCPUs, Xen at 255 CPUs had not left its AP loop after
# 705 s here (398 s of its own time), so 255 gets what a benchmark run can spend on it.
TIMEOUT_S = {1: 120, 16: 180, 64: 300, 255: 300}
POLL_S = 0.05

GRUB_CFG = """set timeout=0
set default=0
menuentry "xen" {
    multiboot2 /boot/xen.gz console=com1 com1=115200,8n1 console_timestamps=boot noreboot
    module2 /boot/vmlinuz console=hvc0 quiet
    module2 /boot/initrd.gz
    boot
}
"""
IMAGES = ("xen.gz", "vmlinuz", "initrd.gz")

LINE_RE = re.compile(r"^\(XEN\) \[\s*(?:(?P<raw>[0-9a-fA-F]{16})|(?P<s>\d+\.\d+))\] (?P<text>.*)$")
MHZ_RE = re.compile(r"Detected (\d+\.\d+) MHz processor")
BROUGHT_UP_RE = re.compile(r"Brought up (\d+) CPUs")
PANIC_RE = re.compile(r"Panic on CPU \d+")


@dataclasses.dataclass
class XenTimes:
    """What one Xen console log says; every time in seconds of Xen's system time."""
    cpus_up: int = None
    up_s: float = None  # "Brought up N CPUs": Xen's entry to all CPUs up
    first_line_s: float = None  # the first line, placed as the module docstring says
    tsc_mhz: float = None
    panic: str = ""
    before_up_s: float = None  # the line before "Brought up": the last one before the AP loop

    @property
    def bringup_s(self):
        """The AP loop (__start_xen's cpu_up for each present CPU, one after another, each AP's TSC
        synchronised with the boot CPU's): from the line before "Brought up" to it."""
        if self.up_s is None or self.before_up_s is None:
            return None
        return self.up_s - self.before_up_s

    @property
    def span_s(self):
        """First line to all CPUs up: the figure compared with vmxroot."""
        if self.up_s is None or self.first_line_s is None:
            return None
        return self.up_s - self.first_line_s


def parse_log(text):
    """XenTimes from Xen's serial log (pure: the unit tests feed it text)."""
    times = XenTimes()
    first_raw = last_raw = first_seconds = previous_seconds = None
    for line in text.splitlines():
        match = LINE_RE.match(line.rstrip("\r"))
        if not match:
            continue
        body = match.group("text")
        if match.group("raw") is not None:
            tsc = int(match.group("raw"), 16)
            first_raw = tsc if first_raw is None else first_raw
            last_raw = tsc
        else:
            seconds = float(match.group("s"))
            if first_seconds is None:
                first_seconds = seconds
            found = BROUGHT_UP_RE.search(body)
            if found and times.up_s is None:
                times.cpus_up, times.up_s, times.before_up_s = int(found.group(1)), seconds, previous_seconds
            previous_seconds = seconds
        mhz = MHZ_RE.search(body)
        if mhz and times.tsc_mhz is None:
            times.tsc_mhz = float(mhz.group(1))
        panic = PANIC_RE.search(body)
        if panic and not times.panic:
            times.panic = panic.group(0)
    if first_seconds is not None:
        if first_raw is None:
            times.first_line_s = first_seconds
        elif times.tsc_mhz:
            times.first_line_s = max(0.0, first_seconds - (last_raw - first_raw) / (times.tsc_mhz * 1e6))
    return times


@dataclasses.dataclass
class XenSample:
    smp: int
    round: int = 0
    ok: bool = False
    error: str = ""
    cpus_up: int = None
    up_s: float = None
    first_line_s: float = None
    span_s: float = None
    bringup_s: float = None
    wall_up_s: float = None  # whole process: QEMU start to the "Brought up" line in the file
    wall_first_s: float = None  # whole process: QEMU start to Xen's first line
    log_path: str = ""


def images_dir():
    return vmxboot.BUILD / "images"


def missing_images(directory=None):
    directory = Path(directory or images_dir())
    return [name for name in IMAGES if not (directory / name).exists()]


def build_iso(directory=None, cache=None):
    """A GRUB ISO of Xen, the dom0 kernel and the initramfs (cached by their digest)."""
    directory = Path(directory or images_dir())
    cache = Path(cache or vmxboot.BUILD / "bench-xen")
    digest = hashlib.sha256(GRUB_CFG.encode())
    for name in IMAGES:
        digest.update((directory / name).read_bytes())
    iso = cache / ("xen-%s.iso" % digest.hexdigest()[:16])
    if iso.exists():
        return iso
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        isodir = Path(tmp) / "iso"
        (isodir / "boot" / "grub").mkdir(parents=True)
        for name in IMAGES:
            shutil.copyfile(directory / name, isodir / "boot" / name)
        (isodir / "boot" / "grub" / "grub.cfg").write_text(GRUB_CFG)
        out = Path(tmp) / "xen.iso"
        proc = subprocess.run(["grub-mkrescue", "-o", str(out), str(isodir)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise vmxboot.BootError("grub-mkrescue failed for the Xen ISO:\n" + proc.stdout + proc.stderr)
        out.rename(iso)
    return iso


def run_one(iso, smp, round_index=0, timeout_s=None):
    """One Xen boot under QEMU TCG -M pc, stopped once "Brought up" (or a panic) is in the log."""
    timeout_s = timeout_s or TIMEOUT_S.get(smp, 600) * vmxboot.TIMEOUT_SCALE
    name = "bench-xen-%d-r%d" % (smp, round_index)
    sample = XenSample(smp, round_index)
    running = vmxboot.Boot("qemu", smp=smp, memory_mb=MEMORY_MB, iso=iso, name=name, timeout_s=timeout_s)
    sample.log_path = str(running.log_path)
    with running:
        while True:
            text = running.serial_text()
            now = time.monotonic() - running.start_time
            if sample.wall_first_s is None and "(XEN)" in text:
                sample.wall_first_s = now
            up = BROUGHT_UP_RE.search(text)
            if up and text.find("\n", up.end()) >= 0:
                sample.wall_up_s = now
                break
            if PANIC_RE.search(text) or running.process.poll() is not None:
                break
            if now > timeout_s:
                sample.error = "no \"Brought up\" line within the bound of %.0f s" % timeout_s
                break
            time.sleep(POLL_S)
        running.stop()
    times = parse_log(Path(sample.log_path).read_text(errors="replace"))
    sample.cpus_up, sample.up_s, sample.first_line_s = times.cpus_up, times.up_s, times.first_line_s
    sample.span_s, sample.bringup_s = times.span_s, times.bringup_s
    if times.up_s is None and not sample.error:
        sample.error = times.panic or "QEMU ended without a \"Brought up\" line"
    elif times.cpus_up is not None and times.cpus_up != smp:
        sample.error = "Xen brought up %d of %d CPUs" % (times.cpus_up, smp)
    sample.ok = times.up_s is not None and times.span_s is not None and not sample.error
    return sample


def _median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def _fmt(value, digits=2, scale=1.0):
    return "-" if value is None else "%.*f" % (digits, value * scale)


def section(samples, vmxroot, skipped=""):
    """The Markdown section. vmxroot maps a CPU count to lists of vmxroot's figures from the same
    run (QEMU, parallel): boot_us, bringup_us, ready_s."""
    out = ["## Xen 4.17 as a peer (the same QEMU: TCG, `-M pc`, SeaBIOS, %d MiB)" % MEMORY_MB, ""]
    if skipped:
        return out + ["Not measured in this run: %s." % skipped, ""]
    out += ["Xen's figure is its own console time (`console_timestamps=boot`) from its first line to",
            "\"Brought up N CPUs\"; vmxroot's is `boot_us` (entry to ready) and `bringup_us` from its ready",
            "line, medians of this run's parallel boots. Whole process is emulator start to that line in the",
            "serial file, for both. The ratio is Xen's time over vmxroot's.", "",
            "| CPUs | Xen runs ok | Xen first line to all up s | Xen entry to all up s | Xen AP loop s "
            "| Xen whole process s "
            "| vmxroot entry to ready ms | vmxroot bring-up ms | vmxroot whole process s "
            "| Xen / vmxroot (kernel) | Xen / vmxroot (whole process) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for smp in sorted({s.smp for s in samples}):
        group = [s for s in samples if s.smp == smp]
        good = [s for s in group if s.ok]
        span = _median([s.span_s for s in good])
        up = _median([s.up_s for s in good])
        loop = _median([s.bringup_s for s in good])
        wall = _median([s.wall_up_s for s in good])
        mine = vmxroot.get(smp, {})
        boot_us = _median(mine.get("boot_us", []))
        bringup_us = _median(mine.get("bringup_us", []))
        ready_s = _median(mine.get("ready_s", []))
        kernel_ratio = "%.0fx" % (span / (boot_us / 1e6)) if span and boot_us else "-"
        whole_ratio = "%.2fx" % (wall / ready_s) if wall and ready_s else "-"
        out.append("| %d | %d/%d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            smp, len(good), len(group), _fmt(span), _fmt(up), _fmt(loop, 3), _fmt(wall), _fmt(boot_us, 1, 1e-3),
            _fmt(bringup_us, 1, 1e-3), _fmt(ready_s), kernel_ratio, whole_ratio))
    out.append("")
    failed = [s for s in samples if not s.ok]
    out += ["- Xen -smp %d: %s (serial log `%s`)" % (s.smp, s.error, s.log_path) for s in failed]
    if failed:
        out.append("")
    out += ["What each figure covers, so that the comparison is fair:", "",
            "- **vmxroot, entry to ready** (`boot_us`): from the kernel's first instruction to its ready line:",
            "  the boot information, the frame allocator and page tables, ACPI and the MADT, every CPU's",
            "  per-CPU structure, INIT-SIPI-SIPI to all APs, each CPU's VMX step (QEMU's TCG has no VMX, so",
            "  there each CPU finds CPUID.1:ECX.VMX clear and reports it), the VMCS pool, the status page.",
            "  It launches no guest.",
            "- **Xen, first line to all CPUs up**: from its first console line (printed soon after its entry,",
            "  before the command line and the e820 map are parsed) to \"Brought up N CPUs\": its heap, ACPI,",
            "  the IOAPIC, the TSC and platform-timer calibration, its scheduler, HVM set-up (SVM on QEMU's",
            "  emulated CPU) and the start of every AP, one after another. Xen does more per CPU than vmxroot",
            "  (its own time and scheduler per CPU) and has not built dom0 yet at that line: dom0's",
            "  construction and its kernel come after and are not counted. \"Xen entry to all up\" is the",
            "  timestamp itself (Xen's system time starts at its entry).",
            "- **Xen AP loop**: from the line before \"Brought up\" (the last of its pre-SMP set-up) to it:",
            "  Xen starts each AP and waits for it (its TSC synchronised with the boot CPU's) one after",
            "  another. The nearest vmxroot figure is its bring-up (`bringup_us`, first INIT to last AP",
            "  online); the APs' VMX step after it is counted in entry to ready.",
            "- **Whole process** is the same measure for both: QEMU start to the line in the serial file, so",
            "  it includes SeaBIOS and GRUB (which loads 9 MB of Xen, dom0 kernel and initramfs for Xen,",
            "  0.1 MB for vmxroot).",
            "- The bound: a Xen boot that has not printed \"Brought up\" after %s s (by CPU count) counts as" % (
                ", ".join("%d: %d" % (n, t) for n, t in sorted(TIMEOUT_S.items()))),
            "  not completed. Both clocks are the emulated TSC (Xen's via its calibration), which under TCG",
            "  follows host time; with 2 host cores for up to 255 vCPUs, the host's load moves both.", ""]
    return out
