"""Every target vmxroot has set itself, in one table, as data.

A target names the measurement it is judged on; a measurement is a value in one dict that
`make bench` fills from what it measured (see bench.py's `measurements()`), keyed by name.
A target whose measurement is not in the dict prints "not measured yet": the work that adds a
measurement adds its value under the name below, and the row judges itself. No target holds
code of its own, so a measurement exists once, where it is made.

A measurement's value is a number (judged against the limit) or a (number, text) pair, the
text saying how it was measured (the spread, the parts of a ratio) for the table.
"""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Target:
    measurement: str  # key into the measurements dict
    what: str  # the target in words, with its conditions
    limit: float = None  # None: reported, no limit
    unit: str = ""  # printed after values and the limit ("x", " ticks", " bytes")
    below: bool = True  # met when value <= limit (False: value >= limit)
    source: str = ""  # which measurement makes it


TARGETS = (
    Target("qemu_boot_us_255_vs_1", "kernel boot (entry to ready, `boot_us`), 255 CPUs at most 3x 1 CPU, "
           "QEMU TCG -M pc, same run", 3.0, "x", source="QEMU parallel boots"),
    Target("bochs_boot_us_15_vs_1", "kernel boot (`boot_us`), 15 CPUs at most 1.5x 1 CPU, Bochs with VMX, "
           "same run", 1.5, "x", source="Bochs parallel boots"),
    Target("qemu_whole_255_vs_1", "whole-process boot (emulator start to ready), 255 CPUs at most 3x 1 CPU "
           "(parallel)", 3.0, "x", source="QEMU parallel boots"),
    Target("qemu_bringup_parallel_vs_serial_255", "parallel bring-up of 255 CPUs at most 1/10 of serial",
           0.1, "x", source="QEMU parallel and serial boots"),
    Target("loadable_bytes", "vmxroot.elf loadable size under 128 KiB", 128 * 1024 - 1, " bytes",
           source="build/vmxroot.elf"),
    Target("fixed_per_cpu_bytes", "fixed memory per CPU under 48 KiB (plus 4 KiB per VMCS)", 48 * 1024 - 1,
           " bytes", source="the kernel's `mm: memory per CPU` line (Bochs)"),
    Target("per_vmcs_bytes", "memory per VMCS 4 KiB", 4096, " bytes", source="the same line"),
    Target("cpuid_exit_round_trip_ticks", "CPUID exit round trip as the test guest measures it with RDTSC, "
           "Bochs 1 CPU, at most 200 ticks", 200, " ticks", source="the guest-launch benchmark"),
    Target("vmcs_setup_to_first_exit_ticks", "VMCS setup to the first VM exit, Bochs 1 CPU (reported)", None,
           " ticks", source="the guest-launch benchmark"),
    Target("linux_guest_vs_bare_init", "Debian's kernel to init as vmxroot's guest at most 1.10x its direct "
           "boot (printk time, emulated), Bochs", 1.10, "x", source="the Linux guest benchmark"),
    Target("kvm_unit_tests_vmexit_cpuid_ticks", "kvm-unit-tests `vmexit` cpuid under vmxroot, Bochs 1 CPU, "
           "at most 200 ticks (the bare CPU: 9)", 200, " ticks", source="the kvm-unit-tests run"),
)


def _number(value):
    return value[0] if isinstance(value, tuple) else value


def _text(value, unit):
    if isinstance(value, tuple):
        return value[1]
    if isinstance(value, float):
        return "%.3g%s" % (value, unit)
    return "%s%s" % (value, unit)


def judge(target, measurements):
    """'met', 'missed', 'reported' or 'not measured yet' for one target."""
    if target.measurement not in measurements or _number(measurements[target.measurement]) is None:
        return "not measured yet"
    if target.limit is None:
        return "reported"
    value = _number(measurements[target.measurement])
    return "met" if (value <= target.limit if target.below else value >= target.limit) else "missed"


def table(measurements, targets=TARGETS):
    """The Markdown rows, and the targets missed (by measurement name)."""
    out = ["| target | measured | | from |", "|---|---|---|---|"]
    missed = []
    for target in targets:
        verdict = judge(target, measurements)
        value = measurements.get(target.measurement)
        shown = _text(value, target.unit) if verdict != "not measured yet" else "-"
        if verdict == "missed":
            missed.append(target.measurement)
        out.append("| %s | %s | %s | %s |" % (target.what, shown,
                                              "**missed**" if verdict == "missed" else verdict, target.source))
    return out, missed
