"""The report's Markdown tables: header, QEMU, Bochs, size and memory, profiles."""
import hashlib
import statistics

import vmxboot

from .config import BOCHS_MODES, POLL_S, QEMU_MODES
from .image import biggest_symbols, bss_by_address, elf_sizes, objects_by_size, rodata_string_bytes
from .stats import fmt_ratio, fmt_spread, ok_count, paired_ratios, select


def qemu_table(samples, runs):
    smps = sorted({s.smp for s in select(samples, "qemu")})
    modes = [m for m in QEMU_MODES if select(samples, "qemu", mode=m)]
    out = ["## QEMU (TCG, `-M pc`, SeaBIOS, 256 MiB), %d run%s each" % (runs, "s" if runs > 1 else ""), "",
           "Times are medians [min-max]. Bring-up and kernel boot come from the TSC (the ready line);",
           "\"to ready\" is whole-process: emulator start to the ready line in the serial file (polled every",
           "%d ms); \"process\" is the emulator's wall time until it exits itself (exit=on-ready)." % (POLL_S * 1000),
           "Ratios are medians [min-max] of per-round ratios of runs made side by side.", "",
           "| CPUs | mode | ok | bring-up ms | kernel boot ms | to ready s | process s "
           "| to ready / -smp 1 | bring-up / parallel | to ready / parallel |",
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for smp in smps:
        for mode in modes:
            group = select(samples, "qemu", smp, mode)
            if not group:
                continue
            good = [s for s in group if s.ok]
            base = select(samples, "qemu", min(smps), mode)
            par = select(samples, "qemu", smp, "parallel")
            vs_one = fmt_ratio(paired_ratios(samples, group, base, "ready_s")) if smp != min(smps) else "1"
            if mode == "parallel":
                bring_vs_par, whole_vs_par = ("1" if smp > 1 else "-"), "1"
            else:
                bring_vs_par = fmt_ratio(paired_ratios(samples, group, par, "bringup_us")) if smp > 1 else "-"
                whole_vs_par = fmt_ratio(paired_ratios(samples, group, par, "ready_s"))
            out.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                smp, mode, ok_count(group), fmt_spread([s.bringup_us for s in good], 1e-3, 1),
                fmt_spread([s.boot_us for s in good], 1e-3, 1), fmt_spread([s.ready_s for s in good]),
                fmt_spread([s.exit_s for s in good]), vs_one, bring_vs_par, whole_vs_par))
    out += ["", "Modes: parallel = INIT-SIPI-SIPI broadcast to all APs at once (`smp=parallel`, the default);",
            "serial = one AP at a time (`smp=serial`); classic = one at a time with the 10 ms INIT wait",
            "(`smp=serial init_wait=on`), the reference of the targets.", ""]
    return out


def bochs_table(samples, runs):
    group_all = select(samples, "bochs")
    if not group_all:
        return ["## Bochs (VMX)", "", "Not run (bochs-bin or its BIOS is not installed).", ""]
    smps = sorted({s.smp for s in group_all})
    modes = [m for m in BOCHS_MODES if select(samples, "bochs", mode=m)]
    out = ["## Bochs 2.7 with VMX (`%s`, ips=%d), %d run%s each" % (
        vmxboot.BOCHS_DEFAULT_MODEL, vmxboot.BOCHS_IPS, runs, "s" if runs > 1 else ""), "",
        "Kernel times are from the TSC, which under Bochs runs in emulated time (instructions / ips), not host",
        "time. \"entry to all in VMX root\" is boot_us: ready is printed only after every AP has entered VMX",
        "root and the VMCS pool is set up. Whole-process times as for QEMU. Mode com1 is parallel with",
        "`console=com1`: no screen console, whose drawing costs Bochs about 0.77 s of emulated time a boot",
        "at any CPU count; the scaling target is judged on it.", "",
        "| CPUs | mode | ok | CPUs in VMX root | bring-up ms | entry to all in VMX root ms | to ready s | process s "
        "| to ready / 1 CPU |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for smp in smps:
        for mode in modes:
            group = select(samples, "bochs", smp, mode)
            if not group:
                continue
            good = [s for s in group if s.ok]
            base = select(samples, "bochs", min(smps), mode)
            vmx = sorted({s.vmx for s in good if s.vmx is not None})
            vs_one = fmt_ratio(paired_ratios(samples, group, base, "ready_s")) if smp != min(smps) else "1"
            out.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                smp, mode, ok_count(group), "/".join(str(v) for v in vmx) or "-",
                fmt_spread([s.bringup_us for s in good], 1e-3, 1), fmt_spread([s.boot_us for s in good], 1e-3, 1),
                fmt_spread([s.ready_s for s in good]), fmt_spread([s.exit_s for s in good]), vs_one))
    out.append("")
    return out


def memory_values(samples, emulator):
    vals = {(s.fixed_per_cpu_bytes, s.per_vmcs_bytes, s.vmcs_per_cpu) for s in select(samples, emulator)
            if s.fixed_per_cpu_bytes is not None}
    return sorted(vals)


def size_section(elf, sizes, load_mem, load_file, samples):
    kib = lambda n: "%.1f KiB" % (n / 1024)  # noqa: E731
    out = ["## Size and memory", "",
           "`build/vmxroot.elf` (sha256 %s...), section sizes as `size -A` gives them; loadable = the PT_LOAD" %
           hashlib.sha256(elf.read_bytes()).hexdigest()[:16],
           "segments' sizes in memory (what the loader places, bss included).", "",
           "| section | bytes | KiB |", "|---|---:|---:|"]
    for name in (".text", ".rodata", ".data", ".bss"):
        out.append("| %s | %d | %s |" % (name, sizes.get(name, 0), kib(sizes.get(name, 0))))
    others = {k: v for k, v in sizes.items() if k not in (".text", ".rodata", ".data", ".bss")}
    for name, size in sorted(others.items()):
        out.append("| %s | %d | %s |" % (name, size, kib(size)))
    out.append("| **loadable (PT_LOAD in memory)** | **%d** | **%s** |" % (load_mem, kib(load_mem)))
    out.append("| in the file (PT_LOAD file size) | %d | %s |" % (load_file, kib(load_file)))
    out += ["", "Memory per CPU, as the running kernel printed it (`mm: memory per CPU:` at ready; it counts every",
            "frame given to the CPU: per-CPU structure with GDT and TSS, kernel stack, IST stacks, guard pages,",
            "and the VMXON region when the CPU has VMX):", "",
            "| emulator | fixed bytes per CPU | bytes per VMCS | VMCS per CPU (vmcs_per_cpu) | total per CPU |",
            "|---|---:|---:|---:|---:|"]
    for emulator, label in (("bochs", "Bochs (VMX)"), ("qemu", "QEMU TCG (no VMX: no VMXON region)")):
        for fixed, per_vmcs, count in memory_values(samples, emulator):
            out.append("| %s | %d (%s) | %d | %d | %d (%s) |" % (label, fixed, kib(fixed), per_vmcs, count,
                                                                fixed + per_vmcs * count,
                                                                kib(fixed + per_vmcs * count)))
    out.append("")
    return out


def time_profile_section(profiles, startups, samples):
    def gap(marks, a, b):
        if marks.get(a) is None or marks.get(b) is None:
            return "-"
        return "%.2f" % (marks[b] - marks[a])

    out = ["## Where the time goes (QEMU, parallel)", "",
           "One extra boot per CPU count with SeaBIOS's debug console (port 0x402) captured; each phase ends when",
           "its first line appeared in a file (polled every %d ms). \"QEMU alone\" is a separate run of QEMU" %
           (POLL_S * 1000),
           "with the same CPU count, paused (`-S`) and told to quit: the emulator's own start-up and exit.", "",
           "| CPUs | QEMU alone s | start to SeaBIOS s | SeaBIOS to CPUs found s | to booting CD s "
           "| GRUB to kernel s | kernel to MADT s | MADT to APs online s | to ready s | ready to exit s | total s "
           "| kernel share |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for p in profiles:
        m = dict(p.marks)
        m["start"] = 0.0
        last_kernel = "kernel_smp_done" if m.get("kernel_smp_done") is not None else "kernel_madt"
        share = "-"
        if m.get("ready") is not None and m.get("kernel_first_line") is not None:
            share = "%.0f%%" % (100 * (m["ready"] - m["kernel_first_line"]) / m["ready"])
        startup = startups.get(p.smp)
        out.append("| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            p.smp, "%.2f" % startup if startup is not None else "-", gap(m, "start", "bios_start"),
            gap(m, "bios_start", "bios_cpus"), gap(m, "bios_cpus", "bios_boot"),
            gap(m, "bios_boot", "kernel_first_line"), gap(m, "kernel_first_line", "kernel_madt"),
            gap(m, "kernel_madt", "kernel_smp_done"), gap(m, last_kernel, "ready"), gap(m, "ready", "exit"),
            "%.2f" % m["exit"] if m.get("exit") is not None else "-", share))
    out += ["", "From all measured runs (medians): the part before the kernel's first serial line (QEMU, SeaBIOS,",
            "GRUB) and the kernel's part to ready, in wall time and from the TSC.", "",
            "| CPUs | mode | before the kernel s | kernel (wall) s | kernel boot_us (TSC) ms | kernel share |",
            "|---:|---|---:|---:|---:|---:|"]
    for smp in sorted({s.smp for s in select(samples, "qemu")}):
        for mode in QEMU_MODES:
            good = [s for s in select(samples, "qemu", smp, mode) if s.ok and s.first_s is not None]
            if not good:
                continue
            before = statistics.median(s.first_s for s in good)
            kernel = statistics.median(s.ready_s - s.first_s for s in good)
            out.append("| %d | %s | %.2f | %.2f | %.1f | %.0f%% |" % (
                smp, mode, before, kernel, statistics.median(s.boot_us for s in good) / 1000,
                100 * kernel / (before + kernel)))
    out.append("")
    return out


def bytes_profile_section(elf, variants=None):
    out = ["## Where the bytes go", ""]
    if variants:
        out += ["The same tree built with other optimization levels (build/bench-variants/; the tree as it is "
                "now, which may differ a little from the kernel measured above):", "",
                "| flags | .text | .rodata | .bss | loadable |", "|---|---:|---:|---:|---:|"]
        for level, (sizes, load_mem) in variants.items():
            out.append("| %s | %d | %d | %d | %d (%.1f KiB) |" % (level, sizes.get(".text", 0),
                                                               sizes.get(".rodata", 0), sizes.get(".bss", 0),
                                                               load_mem, load_mem / 1024))
        out.append("")
    bss = bss_by_address(elf)
    if bss:
        out += ["The largest bss objects (by address, so the assembly's page tables and stack count):", "",
                "| bss object | bytes |", "|---|---:|"]
        out += ["| `%s` | %d |" % (name, size) for size, name in bss]
        out.append("")
    strings = rodata_string_bytes(elf)
    if strings:
        sizes, _, _ = elf_sizes(elf)
        out += ["Printable strings (log messages, names) are %d of the %d bytes of .rodata." % (
            strings, sizes.get(".rodata", 0)), ""]
    objects = objects_by_size()
    if objects:
        out += ["The largest kernel objects (`size -A build/kernel/...o`; -O2 as built):", "",
                "| object | text | rodata |", "|---|---:|---:|"]
        out += ["| %s | %d | %d |" % (name, text, rodata) for _, text, rodata, name in objects]
        out.append("")
    symbols = biggest_symbols(elf, 10)
    if symbols.get("text"):
        out += ["The largest functions (`nm --size-sort -S`): %s." % ", ".join(
            "`%s` %d" % (name, size) for size, name in symbols["text"]), ""]
    return out


def header(machine, quick, runs):
    return ["# vmxroot benchmarks", "",
            "Generated by `tools/bench.py`%s (`make bench%s`). Do not edit by hand: run it again." % (
                " --quick" if quick else "", " QUICK=1" if quick else ""), "",
            "| machine | |", "|---|---|",
            "| date | %s |" % machine["date"],
            "| CPU | %s |" % machine["cpu"],
            "| host CPUs (nproc) | %s |" % machine["nproc"],
            "| RAM | %s |" % machine["ram"],
            "| OS | %s |" % machine["os"],
            "| QEMU | %s |" % machine["qemu"],
            "| Bochs | %s |" % machine["bochs"],
            "| vmxroot commit | %s |" % machine["commit"],
            "| load average (1 min) at the start | %s |" % machine["load"],
            "| load average (1 min) at the end | %s |" % machine.get("load_end", "?"),
            "| load average (1 min) at each boot's start | %s |" % machine.get("load_runs", "?"),
            "| runs per configuration | %d, interleaved in rounds; one emulator at a time |" % runs, "",
            "Only one emulator runs at a time: with 2 host CPUs a second one would take CPU time from the first",
            "and distort the whole-process times. Other work on the machine does the same: see the load average.",
            ""]
