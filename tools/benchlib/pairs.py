"""The kernel-boot scaling figure alone: QEMU boots at 1 and N CPUs in interleaved pairs.

    tools/bench.py --pairs 8            8 pairs of (-smp 1, -smp 255), parallel bring-up
    tools/bench.py --pairs 8 --pair-smp 64 --pair-mode serial

Each pair boots 1 CPU, then N CPUs, one emulator at a time, so both see about the same host load;
the figure is the median of the per-pair ratios boot_us(N) / boot_us(1) with its spread, as the
targets table judges it. The kernel's own steps (its "boot: us by step" line) and the host's load
average at each boot's start are printed beside it. Writes nothing but build/bench-pairs/.
"""
import statistics
import time

from .sample import run_one
from .stats import fmt_spread
from .steps import STEPS, steps_of


def _step_medians(samples):
    found = [f for f in (steps_of(s.log_path) for s in samples if s.ok) if f]
    return {step: statistics.median(f.get(step, 0) for f in found) / 1e3 for step in STEPS} if found else {}


def measure(pairs, smp, mode, progress, timeout_s=None):
    """Returns (low samples, high samples, ratios), pair by pair."""
    low, high, ratios = [], [], []
    for index in range(pairs):
        started = time.monotonic()
        one = run_one("qemu", 1, mode, index, timeout_s)
        many = run_one("qemu", smp, mode, index, timeout_s)
        low.append(one)
        high.append(many)
        ratio = many.boot_us / one.boot_us if one.ok and many.ok and one.boot_us and many.boot_us else None
        if ratio is not None:
            ratios.append(ratio)
        progress("[pair %d/%d] -smp 1: %s us, -smp %d: %s us (%d/%s online), ratio %s, load %s/%s (%.1f s)" % (
            index + 1, pairs, one.boot_us, smp, many.boot_us, many.cpus_online or 0, many.cpus_found,
            "%.2fx" % ratio if ratio is not None else "-", one.load_1min, many.load_1min,
            time.monotonic() - started))
        for sample in (one, many):
            if not sample.ok or sample.error:
                progress("  -smp %d: %s (%s)" % (sample.smp, sample.error or "not ok", sample.log_path))
    return low, high, ratios


def report(low, high, ratios, smp, mode):
    """The summary lines: the ratio, both boot_us, the steps, the load."""
    loads = [s.load_1min for s in low + high if s.load_1min is not None]
    lines = ["kernel boot (boot_us), QEMU -M pc %s, %d CPUs / 1 CPU, %d pairs: %s" % (
        mode, smp, len(ratios), fmt_spread(ratios) + "x" if ratios else "no complete pair"),
        "  boot_us ms: 1 CPU %s, %d CPUs %s (medians [min-max])" % (
            fmt_spread([s.boot_us for s in low if s.ok], 1e-3, 1), smp,
            fmt_spread([s.boot_us for s in high if s.ok], 1e-3, 1)),
        "  bringup_us ms at %d CPUs: %s" % (smp, fmt_spread([s.bringup_us for s in high if s.ok], 1e-3, 1)),
        "  load average (1 min) at the boots' start: %s" % fmt_spread(loads)]
    for name, group in (("1 CPU", low), ("%d CPUs" % smp, high)):
        medians = _step_medians(group)
        if medians:
            lines.append("  steps ms, %s: %s" % (name, " ".join("%s=%.1f" % (k, v) for k, v in medians.items())))
    return lines
