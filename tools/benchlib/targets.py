"""The targets the benchmarks are judged against, as data, and the table that judges them.

Each target is one row of TARGETS: its key (closing_note explains a missed one by it), the words of
the table, its limit(s), and the measurement that judges it (one function per kind of measurement,
in MEASUREMENTS). Changing a limit or adding a target of a known kind is a change to TARGETS only.
"""
import dataclasses
import statistics

from . import config
from .stats import fmt_ratio, paired_ratios, select
from .tables import memory_values


@dataclasses.dataclass(frozen=True)
class Target:
    key: str
    text: str  # the table's first column; {top} is the largest QEMU CPU count, {limit} the limit
    measurement: str  # a key of MEASUREMENTS
    limit: float
    second_limit: float = None  # memory: the bytes per VMCS


TARGETS = (
    Target("whole", "whole-process boot, {top} CPUs at most {limit:g}x 1 CPU", "whole_ratio", 3.0),
    Target("bringup", "parallel bring-up of {top} CPUs at most 1/10 of serial", "bringup_ratio", 0.1),
    Target("size", "vmxroot.elf loadable size under 128 KiB", "loadable_bytes", 128 * 1024),
    Target("memory", "fixed memory per CPU under 48 KiB, plus 4 KiB per VMCS", "memory_per_cpu", 48 * 1024, 4096),
)


def target(key):
    return next(t for t in TARGETS if t.key == key)


def verdict(met):
    return "met" if met else "**missed**"


def _top_smp(samples):
    """The largest QEMU CPU count run, or None when the run did not reach the planned largest (--quick)."""
    top = max((s.smp for s in select(samples, "qemu")), default=None)
    return top if top is not None and top >= max(config.QEMU_SMPS) else None


# Each measurement returns (the row's first column, the measured text, met) or None for no row;
# met None means "not judged" (the row says why in the measured text).

def _whole_ratio(t, samples, load_mem):
    top = max((s.smp for s in select(samples, "qemu")), default=None)
    if top is None:
        return None
    if _top_smp(samples) is None:
        return ("whole-process boot and parallel bring-up of %d CPUs" % max(config.QEMU_SMPS),
                "not judged: this run went up to %s CPUs (--quick)" % top, None)
    text = t.text.format(top=top, limit=t.limit)
    ratios = paired_ratios(samples, select(samples, "qemu", top, "parallel"), select(samples, "qemu", 1, "parallel"),
                           "ready_s")
    if not ratios:
        return text, "no successful pair of runs", False
    classic = paired_ratios(samples, select(samples, "qemu", top, "classic"), select(samples, "qemu", 1, "classic"),
                            "ready_s")
    return (text + " (parallel)", fmt_ratio(ratios) + ("; classic: %s" % fmt_ratio(classic) if classic else ""),
            statistics.median(ratios) <= t.limit)


def _bringup_ratio(t, samples, load_mem):
    top = _top_smp(samples)
    if top is None:
        return None
    text = t.text.format(top=top, limit=t.limit)
    many = select(samples, "qemu", top, "parallel")
    ratios = paired_ratios(samples, many, select(samples, "qemu", top, "serial"), "bringup_us")
    if not ratios:
        return (text, "no successful pair of runs", False) if select(samples, "qemu", top, "serial") else None
    classic = paired_ratios(samples, many, select(samples, "qemu", top, "classic"), "bringup_us")
    return (text, "parallel/serial %s%s" % (fmt_ratio(ratios, 3),
                                            "; parallel/classic %s" % fmt_ratio(classic, 3) if classic else ""),
            statistics.median(ratios) <= t.limit)


def _loadable_bytes(t, samples, load_mem):
    return t.text, "%d bytes (%.1f KiB)" % (load_mem, load_mem / 1024), load_mem < t.limit


def _memory_per_cpu(t, samples, load_mem):
    memory = memory_values(samples, "bochs") or memory_values(samples, "qemu")
    if not memory:
        return t.text, "not printed by the kernel", False
    fixed, per_vmcs = max(v[0] for v in memory), max(v[1] for v in memory)
    where = "Bochs, VMX" if memory_values(samples, "bochs") else "QEMU, no VMX"
    return (t.text, "%d bytes (%.1f KiB) + %d per VMCS (%s)" % (fixed, fixed / 1024, per_vmcs, where),
            fixed < t.limit and per_vmcs <= t.second_limit)


MEASUREMENTS = {
    "whole_ratio": _whole_ratio,
    "bringup_ratio": _bringup_ratio,
    "loadable_bytes": _loadable_bytes,
    "memory_per_cpu": _memory_per_cpu,
}


def targets_section(samples, load_mem):
    """The targets table and the keys of the missed targets."""
    out = ["## Targets", "", "| target | measured | |", "|---|---|---|"]
    missed = []
    for t in TARGETS:
        row = MEASUREMENTS[t.measurement](t, samples, load_mem)
        if row is None:
            continue
        text, measured, met = row
        out.append("| %s | %s | %s |" % (text, measured, "-" if met is None else verdict(met)))
        if met is False:
            missed.append(t.key)
    out.append("")
    return out, missed
