"""The closing note: what the numbers say about each missed target, in sentences."""
import os
import statistics

from . import config
from .image import bss_by_address, elf_sizes, rodata_string_bytes
from .steps import STEPS, steps_of
from .stats import fmt_ratio, paired_ratios, select
from .targets import target


MOVED = """\
**What moved where (per-CPU detail and per-CPU work).** Each CPU's own VMX line is printed only
with `loglevel=debug` and kept in words in its own structure (`percpu_note`); the console has one
summary line per kind of outcome, naming every CPU with a problem (`cpu0: warning: vmx: 1 CPUs
without VMX (vmx-locked-off): cpu2: VMX disabled by firmware ...`), and the status page keeps each
CPU's state and reason. The tests read the summary (and the per-CPU lines with `loglevel=debug`). The per-CPU work runs on the CPUs
at once: with every CPU the MADT lists to be started the boot CPU sends INIT, SIPI, SIPI once to
all (one AP first alone, so that QEMU translates the start-up code once; one AP at a time with
`smp=serial`, `maxcpus=` or an injected fault), each AP zeroes its own stacks in the trampoline and
enters VMX itself as soon as it is online; the boot CPU waits for them asleep (HLT bounded by the
APIC timer), reading one counter per look; the boot's memory ranges go to the status page in one
batch sorted once; the AP trampoline sits in the highest free frame below 1 MiB; the boot path's
functions are linked first (arch/x86/boot/boot_path.order), in 12 pages of code instead of 25.
Nothing printed before is gone: the same lines, the same ready line, the same status page."""


def closing_note(samples, profiles, startups, missed, load_mem, elf):
    """What the numbers say about each missed target, from the measurements above."""
    out = ["## Closing note", "", MOVED, ""]
    if not missed:
        return out + ["Every target is met.", ""]
    top = max(config.QEMU_SMPS)
    prof = {p.smp: p.marks for p in profiles}
    if "whole" in missed:
        one = [s for s in select(samples, "qemu", 1, "parallel") if s.ok]
        many = [s for s in select(samples, "qemu", top, "parallel") if s.ok]
        if one and many:
            whole_one = statistics.median(s.ready_s for s in one)
            whole_many = statistics.median(s.ready_s for s in many)
            before_many = statistics.median(s.first_s for s in many)
            kernel_many = statistics.median(s.ready_s - s.first_s for s in many)
            text = ("**Whole-process, %d CPUs vs 1 (missed).** %.2f s against %.2f s (medians). Of the %.2f s at "
                    "%d CPUs, %.2f s pass before the kernel prints its first line and %.2f s in the kernel (%.0f%%). "
                    "Before the kernel does anything the ratio is already %.1fx: the part before the kernel alone "
                    "is %.1f times the whole 1-CPU boot." % (
                        top, whole_many, whole_one, whole_many, top, before_many, kernel_many,
                        100 * kernel_many / whole_many, before_many / whole_one, before_many / whole_one))
            m = prof.get(top, {})
            if startups.get(top) is not None and startups.get(1) is not None:
                text += (" QEMU alone (machine created paused, then quit) takes %.2f s with %d CPUs against %.2f s "
                         "with 1." % (startups[top], top, startups[1]))
            if m.get("bios_start") is not None and m.get("bios_cpus") is not None:
                text += (" In the profile boot SeaBIOS took %.2f s from its first line to counting the CPUs "
                         "(it starts every AP itself) and GRUB %.2f s." % (
                             m["bios_cpus"] - m["bios_start"],
                             m["kernel_first_line"] - m["bios_boot"] if m.get("bios_boot") is not None and
                             m.get("kernel_first_line") is not None else float("nan")))
            if m.get("kernel_smp_done") is not None and m.get("kernel_madt") is not None and m.get("ready"):
                text += (" Inside the kernel: %.2f s from the first line to the MADT, %.2f s from the MADT to every "
                         "AP online (per-CPU set-up, then INIT-SIPI-SIPI), %.2f s from there to ready (every AP's "
                         "VMX step at once, the VMX summary, the VMCS pool)." % (
                             m["kernel_madt"] - m["kernel_first_line"], m["kernel_smp_done"] - m["kernel_madt"],
                             m["ready"] - m["kernel_smp_done"]))
            out += [text, ""]
    if "bringup" in missed:
        ratios = paired_ratios(samples, select(samples, "qemu", top, "parallel"),
                               select(samples, "qemu", top, "serial"), "bringup_us")
        par = [s.bringup_us for s in select(samples, "qemu", top, "parallel") if s.ok]
        ser = [s.bringup_us for s in select(samples, "qemu", top, "serial") if s.ok]
        if ratios and par and ser:
            out += ["**Parallel bring-up of %d CPUs (missed).** parallel/serial %s: parallel %.1f ms [%.1f-%.1f], "
                    "serial %.1f ms [%.1f-%.1f]. Under TCG every vCPU is a host thread and this host has %s CPUs: "
                    "the 254 APs' own start-up work in QEMU (INIT and SIPI handling under its global lock, TLB and "
                    "jump-cache flushes) takes host time from the boot CPU and from each other, so the spread is "
                    "wide." % (top, fmt_ratio(ratios, 3), statistics.median(par) / 1e3, min(par) / 1e3,
                                         max(par) / 1e3, statistics.median(ser) / 1e3, min(ser) / 1e3,
                                         max(ser) / 1e3, os.cpu_count()), ""]
    if "size" in missed:
        sizes, _, _ = elf_sizes(elf)
        bss = bss_by_address(elf, 40)
        reserved = {"early_pml4", "early_pdpt", "early_pd", "boot_stack_guard", "boot_stack_bottom"}
        asm = sum(size for size, name in bss if reserved & set(name.split(" / ")))
        out += ["**Loadable size (missed).** %d bytes, %d over 128 KiB: .text %d, .rodata %d (%d of it printable "
                "strings), .data %d, .bss %d, of which %d are the early page tables and the boot stack with its "
                "guard page if any (see the tables above)." % (
                    load_mem, load_mem - target("size").limit, sizes.get(".text", 0), sizes.get(".rodata", 0),
                    rodata_string_bytes(elf), sizes.get(".data", 0), sizes.get(".bss", 0), asm), ""]
    if "memory" in missed:
        out += ["**Memory per CPU (missed).** See the memory table: the kernel's own count is the measure.", ""]
    for key, emulator, largest in (("kernel", "qemu", top), ("kernel_bochs", "bochs", max(config.BOCHS_SMPS))):
        if key in missed:
            out += [_kernel_note(samples, emulator, largest), ""]
    return out


def _step_medians(samples, emulator, smp):
    found = [steps_of(s.log_path) for s in select(samples, emulator, smp, config.TARGET_MODE[emulator]) if s.ok]
    found = [f for f in found if f]
    return {step: statistics.median(f.get(step, 0) for f in found) / 1e3 for step in STEPS} if found else {}


def _kernel_note(samples, emulator, largest):
    """Which of the kernel's steps grew from 1 CPU to the largest count (its own TSC)."""
    one, many = _step_medians(samples, emulator, 1), _step_medians(samples, emulator, largest)
    name = "QEMU" if emulator == "qemu" else "Bochs"
    if not one or not many:
        return "**Kernel boot, %s (missed).** No `boot: us by step` lines to say where the time went." % name
    growth = sorted(((many[k] - one[k], k) for k in STEPS), reverse=True)
    return ("**Kernel boot, %s, %d CPUs against 1 (missed).** By the kernel's own steps (medians, ms, 1 CPU -> %d): "
            "%s. The most growth: %s." % (name, largest, largest, ", ".join(
                "%s %.1f -> %.1f" % (k, one[k], many[k]) for k in STEPS),
                ", ".join("%s +%.1f ms" % (k, d) for d, k in growth[:2])))
