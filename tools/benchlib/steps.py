"""Where the kernel's own time goes: its "boot: us by step" line (TSC), per CPU count.

The kernel prints, before its ready line,

    cpu0: boot: us by step: early=24137 discovery=9829 setup=1827 bringup=153 ap_work=75 summary=8863 pool=480

(early: entry to the per-CPU stack, with the TSC calibration and the memory map; discovery: ACPI,
the MADT and every CPU's structure; setup: the status page, the local APIC, the boot CPU's VMX;
bringup: INIT-SIPI-SIPI until every AP is online (each AP runs its VMX step once online); ap_work:
the wait for the last of those steps;
summary: the VMX summary lines; pool: the VMCS pool and the status page's sync). The table is
read from the serial logs the samples kept, so `bench.py --render` can draw it again.
"""
import re
import statistics
from pathlib import Path

from .stats import select

STEPS_RE = re.compile(r"boot: us by step: (.*)$")
STEPS = ("early", "discovery", "setup", "bringup", "ap_work", "summary", "pool")


def steps_of(log_path):
    """{step: us} from one serial log, or None without the line."""
    try:
        text = Path(log_path).read_text(errors="replace")
    except (OSError, TypeError):
        return None
    for line in text.splitlines():
        match = STEPS_RE.search(line)
        if match:
            return {k: int(v) for k, v in (pair.split("=", 1) for pair in match.group(1).split()) if v.isdigit()}
    return None


def section(samples):
    out = ["## Where the kernel's time goes (its own TSC, parallel bring-up)", "",
           "Medians of the `boot: us by step` line of each run (ms): early = entry to the per-CPU stack (TSC",
           "calibration, memory map, page tables); discovery = ACPI, MADT and every CPU's structure; setup = status",
           "page, local APIC, the boot CPU's VMX; bringup = INIT-SIPI-SIPI to every AP online (each AP runs its VMX",
           "step as soon as it is online); ap_work = the wait for the last of those steps; summary = the VMX",
           "summary lines; pool = the VMCS pool and the status sync. In",
           "Bochs the console costs emulated time too (the UART runs at 115200 baud of emulated time, and the",
           "screen console is drawn one emulated instruction at a time: mode com1 boots without it).", "",
           "| emulator | mode | CPUs | runs | " + " | ".join(STEPS) + " | sum |",
           "|---|---|---:|---:|" + "---:|" * (len(STEPS) + 1)]
    rows = 0
    for emulator, mode in (("qemu", "parallel"), ("bochs", "parallel"), ("bochs", "com1")):
        for smp in sorted({s.smp for s in select(samples, emulator, mode=mode)}):
            found = [steps_of(s.log_path) for s in select(samples, emulator, smp, mode) if s.ok]
            found = [f for f in found if f]
            if not found:
                continue
            medians = [statistics.median(f.get(step, 0) for f in found) / 1e3 for step in STEPS]
            out.append("| %s | %s | %d | %d | %s | %.1f |" % (emulator, mode, smp, len(found),
                                                              " | ".join("%.1f" % m for m in medians), sum(medians)))
            rows += 1
    return out + [""] if rows else []
