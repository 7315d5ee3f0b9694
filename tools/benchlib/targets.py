"""The targets the benchmarks are judged against, as data, and the table that judges them.

Each target is one row of TARGETS: its key (closing_note explains a missed one by it), the words of
the table, its limit(s), and the measurement that judges it (one function per kind of measurement,
in MEASUREMENTS). Changing a limit or adding a target of a known kind is a change to TARGETS only.

Figures other benchmarks make (the guest launch's CPUID round trip, a Linux guest's time to init,
kvm-unit-tests' vmexit) come in as `external`, a dict by figure name that bench.py fills from
the sources of benchlib/figures.py (each source's figures()). A target whose measurement is
"external:<figure name>" is judged on that figure, value at most its limit (limit None: shown
as "reported"), with no entry in MEASUREMENTS needed; while no source hands the figure over it
says "not measured yet". Adding such a row: one Target line below, and the source
(benchlib/figures.py says how).
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
    Target("kernel", "kernel boot (entry to ready, `boot_us`), {top} CPUs at most {limit:g}x 1 CPU, QEMU -M pc, "
           "same run", "boot_us_ratio_qemu", 3.0),
    Target("kernel_bochs", "kernel boot (`boot_us`), {top} CPUs at most {limit:g}x 1 CPU, Bochs with VMX, same run, "
           "`console=com1`",
           "boot_us_ratio_bochs", 1.5),
    Target("whole", "whole-process boot, {top} CPUs at most {limit:g}x 1 CPU", "whole_ratio", 3.0),
    Target("bringup", "parallel bring-up of {top} CPUs at most 1/10 of serial", "bringup_ratio", 0.1),
    Target("size", "vmxroot.elf loadable size under 128 KiB", "loadable_bytes", 128 * 1024),
    Target("memory", "fixed memory per CPU under 48 KiB, plus 4 KiB per VMCS", "memory_per_cpu", 48 * 1024, 4096),
    Target("cpuid_exit", "CPUID exit round trip, fastest of the test guest's 64 (guest RDTSC), Bochs 1 CPU, at most "
           "{limit:g} ticks", "external:cpuid_exit_ticks", 200),
    Target("first_exit", "VMCS setup start to the first VM exit, Bochs 1 CPU (reported, no limit)",
           "external:first_exit_ticks", None),
    Target("linux_guest", "Debian's kernel to init as vmxroot's guest at most {limit:g}x its direct boot (printk "
           "time), Bochs", "external:linux_guest_vs_direct", 1.10),
    Target("kut_vmexit", "kvm-unit-tests `vmexit` cpuid under vmxroot, Bochs 1 CPU, at most {limit:g} ticks "
           "(the bare CPU: 9)", "external:kut_vmexit_cpuid_ticks", 200),
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


def _boot_us_ratio(emulator, largest):
    def ratio_text(samples, top, mode):
        ratios = paired_ratios(samples, select(samples, emulator, top, mode), select(samples, emulator, 1, mode),
                               "boot_us")
        if not ratios:
            return None, None
        many = [s.boot_us for s in select(samples, emulator, top, mode) if s.ok and s.boot_us]
        one = [s.boot_us for s in select(samples, emulator, 1, mode) if s.ok and s.boot_us]
        return ratios, "%s (%.1f ms against %.1f ms, medians)" % (fmt_ratio(ratios), statistics.median(many) / 1e3,
                                                                  statistics.median(one) / 1e3)

    def measure(t, samples, load_mem, external):
        top = max((s.smp for s in select(samples, emulator)), default=None)
        if top is None:
            return None
        if top < max(largest()) or top == 1:
            return (t.text.format(top=max(largest()), limit=t.limit),
                    "not judged: this run went up to %s CPUs (--quick)" % top, None)
        mode = config.TARGET_MODE[emulator]
        text = t.text.format(top=top, limit=t.limit)
        ratios, shown = ratio_text(samples, top, mode)
        if not ratios:
            return text, "no successful pair of runs (%s)" % mode, False
        if mode != "parallel":
            _, default = ratio_text(samples, top, "parallel")
            shown = "%s: %s%s" % (mode, shown, "; the default console (screen too): %s" % default if default else "")
        return text, shown, statistics.median(ratios) <= t.limit
    return measure


def _external(name):
    """A figure another benchmark measured, handed over in external[name] as (value, text)."""
    def measure(t, samples, load_mem, external):
        text = t.text.format(top="", limit=t.limit if t.limit is not None else 0)
        if name not in external:
            return text, "not measured yet", None
        value, shown = external[name]
        return text, shown, None if t.limit is None else value <= t.limit
    return measure

def _whole_ratio(t, samples, load_mem, external):
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


def _bringup_ratio(t, samples, load_mem, external):
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


def _loadable_bytes(t, samples, load_mem, external):
    return t.text, "%d bytes (%.1f KiB)" % (load_mem, load_mem / 1024), load_mem < t.limit


def _memory_per_cpu(t, samples, load_mem, external):
    memory = memory_values(samples, "bochs") or memory_values(samples, "qemu")
    if not memory:
        return t.text, "not printed by the kernel", False
    fixed, per_vmcs = max(v[0] for v in memory), max(v[1] for v in memory)
    where = "Bochs, VMX" if memory_values(samples, "bochs") else "QEMU, no VMX"
    return (t.text, "%d bytes (%.1f KiB) + %d per VMCS (%s)" % (fixed, fixed / 1024, per_vmcs, where),
            fixed < t.limit and per_vmcs <= t.second_limit)


MEASUREMENTS = {
    "boot_us_ratio_qemu": _boot_us_ratio("qemu", lambda: config.QEMU_SMPS),
    "boot_us_ratio_bochs": _boot_us_ratio("bochs", lambda: config.BOCHS_SMPS),
    "whole_ratio": _whole_ratio,
    "bringup_ratio": _bringup_ratio,
    "loadable_bytes": _loadable_bytes,
    "memory_per_cpu": _memory_per_cpu,
}


def measurement_of(t):
    """The function that judges target t: its MEASUREMENTS entry, or an "external:" figure's."""
    if t.measurement in MEASUREMENTS:
        return MEASUREMENTS[t.measurement]
    if t.measurement.startswith("external:"):
        return _external(t.measurement.split(":", 1)[1])
    raise KeyError("target %s: no measurement %r" % (t.key, t.measurement))


def targets_section(samples, load_mem, external=None):
    """The targets table and the keys of the missed targets."""
    external = external or {}
    out = ["## Targets", "", "Every target of the project, each judged on one measurement (a row says \"not measured yet\"",
           "until the benchmark that makes its figure exists).", "", "| target | measured | |", "|---|---|---|"]
    missed = []
    for t in TARGETS:
        row = measurement_of(t)(t, samples, load_mem, external)
        if row is None:
            continue
        text, measured, met = row
        judged = "-" if met is None and t.limit is not None else ("reported" if met is None else verdict(met))
        judged = "-" if measured == "not measured yet" or measured.startswith("not judged") else judged
        out.append("| %s | %s | %s |" % (text, measured, judged))
        if met is False:
            missed.append(t.key)
    out += ["", "Adding a row: a benchmark module under tools/ with `measure(runs)`, `figures(samples)` and",
            "`markdown(samples)` (tools/bench_guest.py is the model), one `Source` line in",
            "tools/benchlib/figures.py, and one `Target` line in tools/benchlib/targets.py whose measurement",
            "is `external:<figure name>` (the value is judged at most the limit; no limit: \"reported\"). The",
            "row says \"not measured yet\" until a run's module hands that figure over; `make bench` runs it",
            "after the boots above and keeps its samples in samples.json (`tools/bench.py --runs-of NAME=N`",
            "sets how many runs, `--render` draws the table again).", ""]
    return out, missed
