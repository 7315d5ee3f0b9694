#!/usr/bin/env python3
"""vmxroot benchmarks: bring-up scaling, boot time, image size, memory per CPU, Xen as a peer.

    tools/bench.py                 the full run (several minutes); writes BENCHMARKS.md
    tools/bench.py --quick         one run each of QEMU -smp 1 and 4 and Bochs 1 CPU (< 30 s);
                                   writes build/BENCHMARKS-quick.md
    make bench [QUICK=1]           the same through make
    tools/bench.py --quick --xen-smps 1,16    the quick run plus Xen at 1 and 16 CPUs

What is measured, per boot (the kernel is booted with exit=on-ready):
- bringup_us and boot_us from the kernel's ready line. Both come from the TSC: bringup_us is
  first INIT to last AP online, boot_us is kernel entry to ready (after every AP's VMX enable).
- ready_s: whole-process time from starting the emulator to the ready line being in the serial
  file. The file is polled every POLL_S; each new line gets the time it was first seen.
- exit_s: the emulator's process wall time (it ends itself on exit=on-ready).
- first_s: the time the kernel's first line was seen, so ready_s - first_s is the kernel's share
  and first_s the emulator, firmware and GRUB's.
- Xen 4.17 (benchlib/xen.py) at 1, 16, 64 and 255 CPUs in the same QEMU after vmxroot's rounds
  (`--xen-smps`, `--xen-runs`; none in --quick unless asked): its own time from its first line
  to "Brought up N CPUs", beside vmxroot's. tools/fetch-images fetches it when it is missing.
- The targets (benchlib/targets.py) and a plot of the scaling (benchlib/plot.py, gnuplot SVG
  beside the Markdown file).

Runs are interleaved: every round boots each configuration once, in a shuffled order (fixed
seed), so the ratios (serial/parallel, each row / -smp 1) are medians of ratios of runs made
side by side in the same round. One emulator runs at a time: on a 2-core machine a second
emulator would take host CPU from the first and distort whole-process times.

Timings never make this tool fail. It exits 1 only if a boot gave no ready line (a crash, a
timeout) or the kernel printed no memory line, after writing the table.
"""

import argparse
import dataclasses
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "tools"))
import emulators  # noqa: E402  (the boot runner library, tests/emulators.py)
from benchlib import plot, targets, xen  # noqa: E402  (tools/benchlib/)

POLL_S = 0.005
QEMU_SMPS = (1, 4, 16, 64, 255)
BOCHS_SMPS = (1, 4, 15)
QUICK_QEMU_SMPS = (1, 4)
QUICK_BOCHS_SMPS = (1,)
# mode name -> kernel command line. "classic" is the reference: one AP at a time with the
# 10 ms INIT wait of the SDM's MP initialization example.
MODES = {"parallel": "smp=parallel", "serial": "smp=serial", "classic": "smp=serial init_wait=on"}
QEMU_MODES = ("parallel", "serial", "classic")
BOCHS_MODES = ("parallel", "serial")
QUICK_MODES = ("parallel", "serial")

MEMORY_RE = re.compile(r"mm: memory per CPU: (\d+) bytes fixed .*\+ (\d+) bytes per VMCS x (\d+)")
# SeaBIOS writes its log to the debug console port 0x402 (profile runs only).
SEABIOS_MARKS = (("bios_start", re.compile(r"SeaBIOS \(version")),
                 ("bios_cpus", re.compile(r"Found \d+ cpu\(s\)")),
                 ("bios_boot", re.compile(r"Booting from (DVD/CD|CD-ROM)")))

# Kernel lines whose arrival times split the kernel's share (profile, all runs).
KERNEL_MARKS = (("kernel_madt", re.compile(r"cpu0: madt: ")),
                ("kernel_smp_done", re.compile(r"cpu0: smp: \d+ of \d+ CPUs online")))



# ----- one boot ------------------------------------------------------------------------------


@dataclasses.dataclass
class Sample:
    emulator: str
    smp: int
    mode: str
    round: int
    ok: bool = False
    error: str = ""
    ready_s: float = None
    exit_s: float = None
    first_s: float = None
    bringup_us: int = None
    boot_us: int = None
    cpus_online: int = None
    cpus_found: int = None
    vmx: int = None
    fixed_per_cpu_bytes: int = None
    per_vmcs_bytes: int = None
    vmcs_per_cpu: int = None
    marks: dict = dataclasses.field(default_factory=dict)  # profile: phase name -> seconds
    log_path: str = ""
    load_1min: float = None  # the host's load average when the boot started


class LineWatcher:
    """Reads what an emulator appends to a file and timestamps each complete line."""

    def __init__(self, path, start_time):
        self.path = Path(path)
        self.start_time = start_time
        self.handle = None
        self.partial = ""
        self.lines = []  # (seconds since start, line)

    def poll(self):
        if self.handle is None:
            try:
                self.handle = open(self.path, "r", errors="replace")
            except FileNotFoundError:
                return
        chunk = self.handle.read()
        if not chunk:
            return
        now = time.monotonic() - self.start_time
        text = self.partial + chunk
        *complete, self.partial = text.split("\n")
        self.lines += [(now, line) for line in complete]

    def first(self, regex):
        for seen_s, line in self.lines:
            if regex.search(line):
                return seen_s, line
        return None, None

    def close(self):
        if self.handle:
            self.handle.close()


def run_one(emulator, smp, mode, round_index, timeout_s=None, profile=False):
    """One boot with exit=on-ready, watched until the emulator ends. Never raises for the boot."""
    name = "bench-%s-%d-%s-r%d%s" % (emulator, smp, mode, round_index, "-profile" if profile else "")
    sample = Sample(emulator, smp, mode, round_index)
    try:
        sample.load_1min = float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        pass
    extra_args = []
    debugcon = None
    if profile and emulator == "qemu":
        debugcon = emulators.LOG_DIR / (name + ".seabios.log")
        emulators.LOG_DIR.mkdir(parents=True, exist_ok=True)
        debugcon.write_text("")
        extra_args = ["-debugcon", "file:%s" % debugcon, "-global", "isa-debugcon.iobase=0x402"]
    if timeout_s is None:
        # Three times the test suite's limit: a slow boot is a measurement here, not a failure.
        timeout_s = 3 * emulators.default_timeout_s(emulator, smp, "bios")
    running = emulators.Boot(emulator, smp=smp, cmdline=MODES[mode], exit_on_ready=True, name=name,
                             timeout_s=timeout_s, extra_args=extra_args)
    sample.log_path = str(running.log_path)
    serial = LineWatcher(running.log_path, running.start_time)
    bios = LineWatcher(debugcon, running.start_time) if debugcon else None
    deadline = running.start_time + timeout_s
    timed_out = False
    with running:
        while True:
            exited = running.process.poll() is not None
            if exited:
                sample.exit_s = time.monotonic() - running.start_time
            serial.poll()
            if bios:
                bios.poll()
            if exited:
                break
            if time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(POLL_S)
        result = running.stop() if timed_out else running.wait()
    serial.close()
    if bios:
        bios.close()

    ready_s, ready_line = serial.first(emulators.READY_RE)
    sample.first_s = serial.lines[0][0] if serial.lines else None
    memory_s, memory_line = serial.first(MEMORY_RE)
    if ready_line is None:
        reason = "timeout after %.0f s" % timeout_s if timed_out else "no ready line (exit %s)" % result.exit_code
        panics = result.panic_lines
        sample.error = reason + (": " + panics[0] if panics else "")
        return sample
    fields = emulators.parse_ready(ready_line)
    sample.ready_s = ready_s
    sample.bringup_us = fields.get("bringup_us")
    sample.boot_us = fields.get("boot_us")
    sample.cpus_online = fields.get("cpus_online")
    sample.cpus_found = fields.get("cpus_found")
    sample.vmx = fields.get("vmx")
    if memory_line:
        match = MEMORY_RE.search(memory_line)
        sample.fixed_per_cpu_bytes, sample.per_vmcs_bytes, sample.vmcs_per_cpu = map(int, match.groups())
    if bios:
        for mark, regex in SEABIOS_MARKS:
            sample.marks[mark] = bios.first(regex)[0]
    sample.marks["kernel_first_line"] = sample.first_s
    for mark, regex in KERNEL_MARKS:
        sample.marks[mark] = serial.first(regex)[0]
    sample.marks["ready"] = ready_s
    sample.marks["exit"] = sample.exit_s
    problems = []
    if sample.cpus_online != smp:
        problems.append("%s of %s CPUs online" % (sample.cpus_online, smp))
    if emulator == "bochs" and sample.vmx != smp:
        problems.append("%s of %s CPUs in VMX root" % (sample.vmx, smp))
    if result.panic_lines:
        problems.append(result.panic_lines[0])
    sample.error = "; ".join(problems)
    sample.ok = not result.panic_lines
    return sample


# ----- statistics ----------------------------------------------------------------------------


def spread(values):
    """(median, min, max) of the values that are not None, or None."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def paired_ratios(samples, numerator, denominator, field):
    """Ratios numerator/denominator of one field, one per round in which both ran."""
    by_round = {s.round: s for s in denominator if s.ok}
    ratios = []
    for s in numerator:
        d = by_round.get(s.round)
        if s.ok and d and getattr(s, field) is not None and getattr(d, field):
            ratios.append(getattr(s, field) / getattr(d, field))
    return ratios


# ----- the image and the machine -------------------------------------------------------------


def elf_sizes(path):
    """Section sizes (text, rodata, data, bss, as `size -A` names them) and the loadable size:
    the sum of the PT_LOAD segments' sizes in memory, read from the ELF64 headers."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2:
        raise ValueError("%s is not an ELF64 file" % path)
    (e_phoff, e_shoff) = struct.unpack_from("<QQ", data, 0x20)
    (e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx) = struct.unpack_from("<HHHHH", data, 0x36)
    sections = []
    for i in range(e_shnum):
        name_off, sh_type, flags, addr, offset, size = struct.unpack_from("<IIQQQQ", data, e_shoff + i * e_shentsize)
        sections.append((name_off, sh_type, flags, size, offset))
    strtab_offset = sections[e_shstrndx][4]

    def section_name(off):
        end = data.index(b"\0", strtab_offset + off)
        return data[strtab_offset + off:end].decode()

    sizes = {}
    SHF_ALLOC = 2
    for name_off, sh_type, flags, size, _ in sections:
        if flags & SHF_ALLOC:
            sizes[section_name(name_off)] = size
    load_mem = load_file = 0
    for i in range(e_phnum):
        p_type, _, _, _, _, p_filesz, p_memsz, _ = struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * e_phentsize)
        if p_type == 1:  # PT_LOAD
            load_mem += p_memsz
            load_file += p_filesz
    return sizes, load_mem, load_file


def biggest_symbols(path, count=12):
    """The largest symbols by section kind, from `nm --size-sort -S` (a profile of the bytes)."""
    try:
        out = subprocess.run(["nm", "--size-sort", "-S", "-C", str(path)], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return {}
    kinds = {"t": "text", "r": "rodata", "d": "data", "b": "bss"}
    found = {k: [] for k in kinds.values()}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) < 4:
            continue
        size, kind, name = int(parts[1], 16), parts[2].lower(), parts[3]
        if kind in kinds:
            found[kinds[kind]].append((size, name))
    return {k: sorted(v, reverse=True)[:count] for k, v in found.items()}


def load_average():
    """The 1-minute load average and what used the most host CPU, to show how busy the machine was."""
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"
    try:
        out = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True,
                             text=True, timeout=10).stdout.splitlines()
        busy = [line.split(None, 1) for line in out[:6]]
        busy = ["%s %s%%" % (name.strip(), cpu) for cpu, name in busy if float(cpu) >= 10 and name.strip() != "ps"]
    except (OSError, subprocess.TimeoutExpired, ValueError):
        busy = []
    return load + (" (busiest: %s)" % ", ".join(busy) if busy else "")


def machine_info():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, AttributeError):
        pass

    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            text = (out.stdout + out.stderr).strip().splitlines()
            return text[0].strip() if text else "?"
        except (OSError, subprocess.TimeoutExpired):
            return "not installed"

    commit = first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    bochs = "not installed"
    try:
        out = subprocess.run([emulators.BOCHS, "--help"], capture_output=True, text=True, timeout=10)
        match = re.search(r"Bochs x86 Emulator ([\w.]+)", out.stdout + out.stderr)
        bochs = "Bochs " + match.group(1) if match else "Bochs (version not printed)"
    except (OSError, subprocess.TimeoutExpired):
        pass
    return {
        "load": load_average(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram": ram,
        "os": "%s %s" % (platform.system(), platform.release()),
        "qemu": first_line([emulators.QEMU, "--version"]),
        "bochs": bochs,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }


# ----- the runs ------------------------------------------------------------------------------


def plan(quick):
    """(emulator, smp, mode) for every configuration of one round."""
    if quick:
        configs = [("qemu", n, m) for n in QUICK_QEMU_SMPS for m in QUICK_MODES]
        configs += [("bochs", n, "parallel") for n in QUICK_BOCHS_SMPS]
    else:
        configs = [("qemu", n, m) for n in QEMU_SMPS for m in QEMU_MODES]
        configs += [("bochs", n, m) for n in BOCHS_SMPS for m in BOCHS_MODES]
    return configs


def have_bochs():
    return shutil.which(emulators.BOCHS) is not None and emulators.BOCHS_BIOS.exists()


def run_all(configs, runs, seed, timeout_s, progress):
    """Every configuration `runs` times, one round after another, shuffled within a round."""
    samples = []
    total = len(configs) * runs
    for round_index in range(runs):
        order = list(configs)
        random.Random(seed + round_index).shuffle(order)
        for emulator, smp, mode in order:
            started = time.monotonic()
            sample = run_one(emulator, smp, mode, round_index, timeout_s)
            samples.append(sample)
            progress("[%d/%d] %s -smp %d %s: %s (%.1f s)" % (
                len(samples), total, emulator, smp, mode,
                "ready at %.2f s, bring-up %s us, boot %s us" % (sample.ready_s, sample.bringup_us, sample.boot_us)
                if sample.ready_s is not None else "FAILED: " + sample.error, time.monotonic() - started))
    return samples


def run_profiles(smps, timeout_s, progress):
    """One QEMU parallel boot per CPU count with SeaBIOS's debug console captured, for the phases."""
    profiles = []
    for smp in smps:
        sample = run_one("qemu", smp, "parallel", 0, timeout_s, profile=True)
        profiles.append(sample)
        progress("[profile] qemu -smp %d: %s" % (smp, ", ".join(
            "%s %.2f" % (k, v) for k, v in sample.marks.items() if v is not None) or sample.error))
    return profiles


def run_xen(smps, runs, progress):
    """Xen at each CPU count, runs times, after vmxroot's rounds (one emulator at a time). Returns
    (samples, why not measured or "")."""
    if not smps:
        return [], "no CPU counts asked for (--xen-smps)"
    if xen.missing_images():
        progress("[xen] build/images lacks %s: tools/fetch-images" % ", ".join(xen.missing_images()))
        proc = subprocess.run([str(REPO / "tools" / "fetch-images")], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0 or xen.missing_images():
            progress(proc.stdout)
            return [], "tools/fetch-images could not fetch the images (%s)" % proc.stdout.strip().splitlines()[-1]
    iso = xen.build_iso()
    samples = []
    for round_index in range(runs):
        for smp in smps:
            started = time.monotonic()
            sample = xen.run_one(iso, smp, round_index)
            samples.append(sample)
            progress("[xen] -smp %d: %s (%.1f s)" % (smp, "first line to %d CPUs up %.2f s, AP loop %.3f s" % (
                sample.cpus_up, sample.span_s, sample.bringup_s) if sample.ok else "FAILED: " + sample.error,
                time.monotonic() - started))
    return samples, ""


def vmxroot_for_xen(samples):
    """vmxroot's figures (QEMU, parallel) by CPU count, for the Xen section."""
    good = [s for s in select(samples, "qemu", mode="parallel") if s.ok]
    return {smp: {"boot_us": [s.boot_us for s in good if s.smp == smp],
                  "bringup_us": [s.bringup_us for s in good if s.smp == smp],
                  "ready_s": [s.ready_s for s in good if s.smp == smp]} for smp in {s.smp for s in good}}


def plot_section(samples, xen_samples, svg_path, link):
    """Bring-up and kernel boot time against the CPU count (log-log): vmxroot's modes and Xen."""
    def medians(group, field, scale):
        by_smp = {}
        for s in group:
            value = getattr(s, field)
            if s.ok and value is not None:
                by_smp.setdefault(s.smp, []).append(value * scale)
        return [(smp, statistics.median(v)) for smp, v in sorted(by_smp.items())]

    bringup, boot = {}, {}
    for emulator, modes in (("qemu", QEMU_MODES), ("bochs", BOCHS_MODES)):
        for mode in modes:
            group = select(samples, emulator, mode=mode)
            if group:
                name = "vmxroot %s, %s" % (mode, "QEMU" if emulator == "qemu" else "Bochs (emulated time)")
                bringup[name] = medians(group, "bringup_us", 1e-3)
                boot[name] = medians(group, "boot_us", 1e-3)
    if xen_samples:
        bringup["Xen AP loop, QEMU"] = medians(xen_samples, "bringup_s", 1e3)
        boot["Xen first line to all CPUs up, QEMU"] = medians(xen_samples, "span_s", 1e3)
    why = plot.draw([("bring-up (first INIT to last AP online; Xen: its AP loop)", "ms", bringup),
                     ("kernel boot (vmxroot: entry to ready; Xen: first line to all CPUs up)", "ms", boot)],
                    svg_path, "vmxroot and Xen 4.17: time against CPUs")
    out = ["## Scaling at a glance", ""]
    if why:
        return out + ["No plot: %s." % why, ""]
    return out + ["![bring-up and kernel boot time against the CPU count](%s)" % link, "",
                  "Medians of this run, both axes logarithmic ([%s](%s); the gnuplot script beside it)." % (
                      link, link), ""]


def warm_up(configs, progress):
    """Builds every ISO variant and boots each emulator once untimed (page cache, ISO cache)."""
    for mode in {m for _, _, m in configs}:
        emulators.iso_for_cmdline("exit=on-ready " + MODES[mode])
    for emulator in sorted({e for e, _, _ in configs}):
        sample = run_one(emulator, 1, "parallel", -1)
        progress("[warm-up] %s: %s" % (emulator, "ok" if sample.ready_s is not None else sample.error))


# ----- the report ----------------------------------------------------------------------------


def fmt_spread(values, scale=1.0, digits=2):
    s = spread([v * scale if v is not None else None for v in values])
    if s is None:
        return "-"
    med, lo, hi = s
    if len([v for v in values if v is not None]) == 1:
        return "%.*f" % (digits, med)
    return "%.*f [%.*f-%.*f]" % (digits, med, digits, lo, digits, hi)


def fmt_ratio(ratios, digits=2):
    return fmt_spread(ratios, digits=digits) + ("x" if ratios else "")


def select(samples, emulator, smp=None, mode=None):
    return [s for s in samples if s.emulator == emulator and (smp is None or s.smp == smp)
            and (mode is None or s.mode == mode)]


def ok_count(group):
    return "%d/%d" % (sum(1 for s in group if s.ready_s is not None and s.ok), len(group))


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
        emulators.BOCHS_DEFAULT_MODEL, emulators.BOCHS_IPS, runs, "s" if runs > 1 else ""), "",
        "Kernel times are from the TSC, which under Bochs runs in emulated time (instructions / ips), not host",
        "time. \"entry to all in VMX root\" is boot_us: ready is printed only after every AP has entered VMX",
        "root and the VMCS pool is set up. Whole-process times as for QEMU.", "",
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


def median_ratio(samples, emulator, numerator, denominator, field, digits=2):
    """(median, text) of the per-round ratios numerator/denominator, each (smp, mode); None without a pair."""
    ratios = paired_ratios(samples, select(samples, emulator, *numerator), select(samples, emulator, *denominator),
                           field)
    if not ratios:
        return None
    return statistics.median(ratios), fmt_ratio(ratios, digits)


def measurements(samples, load_mem):
    """Every figure a target in benchlib/targets.py is judged on, by its name. A target whose
    figure this run did not measure (a quick run, another benchmark's figure) is left out."""
    found = {}
    top = max((s.smp for s in select(samples, "qemu")), default=None)
    if top is not None and top == max(QEMU_SMPS) and top > 1:
        boot = median_ratio(samples, "qemu", (top, "parallel"), (1, "parallel"), "boot_us")
        if boot:
            found["qemu_boot_us_255_vs_1"] = boot
        whole = median_ratio(samples, "qemu", (top, "parallel"), (1, "parallel"), "ready_s")
        classic = median_ratio(samples, "qemu", (top, "classic"), (1, "classic"), "ready_s")
        if whole:
            found["qemu_whole_255_vs_1"] = (whole[0], whole[1] + ("; classic: %s" % classic[1] if classic else ""))
        bringup = median_ratio(samples, "qemu", (top, "parallel"), (top, "serial"), "bringup_us", 3)
        classic = median_ratio(samples, "qemu", (top, "parallel"), (top, "classic"), "bringup_us", 3)
        if bringup:
            found["qemu_bringup_parallel_vs_serial_255"] = (bringup[0], "parallel/serial %s%s" % (
                bringup[1], "; parallel/classic %s" % classic[1] if classic else ""))
    bochs_top = max((s.smp for s in select(samples, "bochs")), default=None)
    if bochs_top is not None and bochs_top == max(BOCHS_SMPS) and bochs_top > 1:
        boot = median_ratio(samples, "bochs", (bochs_top, "parallel"), (1, "parallel"), "boot_us")
        if boot:
            found["bochs_boot_us_15_vs_1"] = boot
    found["loadable_bytes"] = (load_mem, "%d bytes (%.1f KiB)" % (load_mem, load_mem / 1024))
    memory = memory_values(samples, "bochs") or memory_values(samples, "qemu")
    if memory:
        fixed, per_vmcs = max(v[0] for v in memory), max(v[1] for v in memory)
        where = "Bochs, VMX" if memory_values(samples, "bochs") else "QEMU, no VMX"
        found["fixed_per_cpu_bytes"] = (fixed, "%d bytes (%.1f KiB, %s)" % (fixed, fixed / 1024, where))
        found["per_vmcs_bytes"] = (per_vmcs, "%d bytes" % per_vmcs)
    return found


# Which paragraph of the closing note explains a missed target.
CLOSING_NOTE_KEYS = {"qemu_whole_255_vs_1": "whole", "qemu_bringup_parallel_vs_serial_255": "bringup",
                     "loadable_bytes": "size", "fixed_per_cpu_bytes": "memory", "per_vmcs_bytes": "memory",
                     "qemu_boot_us_255_vs_1": "kernel", "bochs_boot_us_15_vs_1": "kernel"}


def targets_section(samples, load_mem):
    rows, missed_names = targets.table(measurements(samples, load_mem))
    out = ["## Targets", "",
           "Every target of the project, each judged on one measurement; \"not measured yet\" until the",
           "benchmark that makes it exists (tools/benchlib/targets.py lists them as data).", ""]
    out += rows + [""]
    missed = sorted({CLOSING_NOTE_KEYS.get(name, name) for name in missed_names})
    return out, missed


# ----- profiles: where the time and the bytes go ---------------------------------------------


def qemu_startup_s(smp):
    """Wall time of QEMU creating the machine paused (-S) and quitting at once: the emulator's
    own cost of a CPU count, before any firmware instruction runs."""
    cmd = [emulators.QEMU, "-M", "pc", "-smp", str(smp), "-m", "256", "-display", "none", "-S", "-monitor", "stdio"]
    started = time.monotonic()
    try:
        subprocess.run(cmd, input="quit\n", capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return time.monotonic() - started


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


def bss_by_address(path, count=12):
    """bss objects sized by the distance to the next symbol, so that the assembly's reservations
    (early page tables, boot stack, which carry no size) are counted too."""
    try:
        out = subprocess.run(["nm", "-n", str(path)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    sizes, _, _ = elf_sizes(path)
    symbols = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "bB":
            symbols.append((int(parts[0], 16), parts[2]))
    if not symbols:
        return []
    bss_end = symbols[0][0] + sizes.get(".bss", 0)
    found = {}
    for i, (addr, name) in enumerate(symbols):
        nxt = next((a for a, _ in symbols[i + 1:] if a > addr), bss_end)
        if nxt > addr:  # several names at one address (a linker symbol on an object): both are shown
            found[addr] = (nxt - addr, found[addr][1] + " / " + name if addr in found else name)
    return sorted(found.values(), reverse=True)[:count]


def objects_by_size(count=15):
    """text and rodata of each kernel object in build/kernel (the build `make` left there)."""
    rows = []
    for obj in sorted((emulators.BUILD / "kernel").rglob("*.o")):
        try:
            out = subprocess.run(["size", "-A", str(obj)], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        text = rodata = 0
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                if parts[0].startswith(".text"):
                    text += int(parts[1])
                elif parts[0].startswith(".rodata"):
                    rodata += int(parts[1])
        rows.append((text + rodata, text, rodata, str(obj.relative_to(emulators.BUILD / "kernel"))))
    return sorted(rows, reverse=True)[:count]


def rodata_string_bytes(path):
    """Bytes of printable strings (4 characters or more) in .rodata: mostly log messages."""
    data = Path(path).read_bytes()
    (e_shoff,) = struct.unpack_from("<Q", data, 0x28)
    (e_shentsize, e_shnum, e_shstrndx) = struct.unpack_from("<HHH", data, 0x3A)
    headers = [struct.unpack_from("<IIQQQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    strtab = headers[e_shstrndx][4]
    for name_off, _, _, _, offset, size in headers:
        name = data[strtab + name_off:data.index(b"\0", strtab + name_off)]
        if name == b".rodata":
            return sum(len(m.group(0)) + 1 for m in re.finditer(rb"[\x20-\x7e\t\n]{4,}(?=\0)",
                                                                    data[offset:offset + size]))
    return 0


def optimization_variants(levels=("-O2", "-Os", "-Oz")):
    """Builds the current tree's kernel with other optimization levels (build/bench-variants/) and
    returns {level: (sizes, loadable)}: what a compiler flag alone would change. The flags are the
    build's own (make prints KERNEL_CFLAGS), with -O2 replaced."""
    try:
        cflags = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(REPO), "--eval",
                                 "bench-print-cflags: ; @echo $(KERNEL_CFLAGS)", "bench-print-cflags"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    found = {}
    for level in levels:
        build = emulators.BUILD / "bench-variants" / level.lstrip("-")
        flags = re.sub(r"(^|\s)-O[0-3sz](?=\s)", " " + level, cflags)
        proc = subprocess.run(["nice", "-n", "19", "make", "-s", "-C", str(REPO), "BUILD=%s" % build,
                               "KERNEL_CFLAGS=%s" % flags, str(build / "vmxroot.elf")], capture_output=True, text=True)
        if proc.returncode == 0:
            sizes, load_mem, _ = elf_sizes(build / "vmxroot.elf")
            found[level] = (sizes, load_mem)
    return found


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


def closing_note(samples, profiles, startups, missed, load_mem, elf):
    """What the numbers say about each missed target, from the measurements above."""
    out = ["## Closing note", ""]
    if not missed:
        return out + ["Every target is met.", ""]
    top = max(QEMU_SMPS)
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
                         "AP online (per-CPU set-up, then INIT-SIPI-SIPI), %.2f s from there to ready (waiting for the "
                         "APs' VMX step and their log lines, the VMCS pool)." % (
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
                    "APs that spin (trampoline, console lock) take host time from the ones still starting, so the "
                    "spread is wide." % (top, fmt_ratio(ratios, 3), statistics.median(par) / 1e3, min(par) / 1e3,
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
                    load_mem, load_mem - 128 * 1024, sizes.get(".text", 0), sizes.get(".rodata", 0),
                    rodata_string_bytes(elf), sizes.get(".data", 0), sizes.get(".bss", 0), asm), ""]
    if "memory" in missed:
        out += ["**Memory per CPU (missed).** See the memory table: the kernel's own count is the measure.", ""]
    return out


# ----- main ----------------------------------------------------------------------------------


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


def report(machine, quick, runs, samples, profiles, startups, elf, variants=None, xen_samples=(), xen_skipped="",
           plot_path=None, plot_link=None):
    sizes, load_mem, load_file = elf_sizes(elf)
    target_lines, missed = targets_section(samples, load_mem)
    lines = header(machine, quick, runs)
    lines += target_lines
    lines += qemu_table(samples, runs)
    lines += bochs_table(samples, runs)
    lines += xen.section(xen_samples, vmxroot_for_xen(samples), xen_skipped)
    if plot_path is not None:
        lines += plot_section(samples, xen_samples, plot_path, plot_link)
    lines += size_section(elf, sizes, load_mem, load_file, samples)
    if profiles:
        lines += time_profile_section(profiles, startups, samples)
    if not quick:
        lines += bytes_profile_section(elf, variants)
        lines += closing_note(samples, profiles, startups, missed, load_mem, elf)
    failures = [s for s in samples if not s.ok or s.ready_s is None or s.error]  # Xen's are in its section
    if failures:
        lines += ["## Runs with problems", ""]
        lines += ["- %s -smp %d %s round %d: %s (serial log `%s`)" % (
            s.emulator, s.smp, s.mode, s.round, s.error or "not ok",
            Path(s.log_path).relative_to(REPO) if s.log_path else "-") for s in failures]
        lines.append("")
    return "\n".join(lines), missed


def snapshot_kernel(name):
    """Boots a private copy of build/vmxroot.elf with ISOs of its own, so that a `make` or a test
    run during the benchmark cannot change the kernel half-way or delete the ISOs in use
    (tests/emulators.py reads ELF and ISO_CACHE when it builds an ISO)."""
    directory = emulators.BUILD / name
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / "vmxroot.elf"
    shutil.copyfile(emulators.ELF, copy)
    emulators.ELF = copy
    emulators.ISO_CACHE = directory / "isos"
    emulators.LOG_DIR = directory / "logs"
    return copy


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of QEMU -smp 1 and 4 and Bochs 1 CPU")
    parser.add_argument("--runs", type=int, default=None, help="runs per configuration (default 5, quick 1)")
    parser.add_argument("--output", type=Path, default=None,
                        help="the markdown file (default BENCHMARKS.md, quick build/BENCHMARKS-quick.md)")
    parser.add_argument("--json", type=Path, default=None,
                        help="every sample as JSON (default build/bench/samples.json, quick build/bench-quick/)")
    parser.add_argument("--render", type=Path, default=None, metavar="JSON",
                        help="no boots: write the report again from the samples a run saved")
    parser.add_argument("--qemu-smps", default=None, help="QEMU CPU counts instead of 1,4,16,64,255 (comma list)")
    parser.add_argument("--no-bochs", action="store_true", help="skip Bochs")
    parser.add_argument("--no-profile", action="store_true", help="skip the profile boots")
    parser.add_argument("--no-variants", action="store_true", help="skip building -Os/-Oz kernels for the size profile")
    parser.add_argument("--timeout-s", type=float, default=None,
                        help="per boot (default: tests/emulators.py's default for the CPU count)")
    parser.add_argument("--seed", type=int, default=7, help="the order of configurations within a round")
    parser.add_argument("--xen-smps", default=None,
                        help="Xen's CPU counts (default 1,16,64,255; none with --quick); 'none' for no Xen")
    parser.add_argument("--xen-runs", type=int, default=1, help="Xen boots per CPU count (default 1)")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    output = args.output or (emulators.BUILD / "BENCHMARKS-quick.md" if args.quick else REPO / "BENCHMARKS.md")
    json_path = args.json or emulators.BUILD / ("bench-quick" if args.quick else "bench") / "samples.json"
    if args.qemu_smps:
        global QEMU_SMPS
        QEMU_SMPS = tuple(int(n) for n in args.qemu_smps.split(","))
    if args.xen_smps is None:
        xen_smps = () if args.quick else xen.CPU_COUNTS
    else:
        xen_smps = () if args.xen_smps == "none" else tuple(int(n) for n in args.xen_smps.split(","))
    plot_path = output.with_name(output.stem + "-scaling.svg")

    def progress(text):
        print(text, file=sys.stderr, flush=True)

    if args.render:
        saved = json.loads(args.render.read_text())
        fields = {f.name for f in dataclasses.fields(Sample)}
        samples = [Sample(**{k: v for k, v in d.items() if k in fields}) for d in saved["samples"]]
        profiles = [Sample(**{k: v for k, v in d.items() if k in fields}) for d in saved["profiles"]]
        startups = {int(k): v for k, v in saved["qemu_alone_s"].items()}
        variants = {k: tuple(v) for k, v in saved.get("variants", {}).items()}
        if not variants and not saved["quick"] and not args.no_variants:
            variants = optimization_variants()
        machine, quick, runs, elapsed = saved["machine"], saved["quick"], saved["runs"], saved["elapsed_s"]
        xen_fields = {f.name for f in dataclasses.fields(xen.XenSample)}
        xen_samples = [xen.XenSample(**{k: v for k, v in d.items() if k in xen_fields}) for d in saved.get("xen", [])]
        xen_skipped = saved.get("xen_skipped", "" if saved.get("xen") else "not in the saved run")
        elf = Path(saved["elf"])
    else:
        if not emulators.ELF.exists():
            progress("bench: %s is missing: run `make` first" % emulators.ELF)
            return 2
        elf = snapshot_kernel("bench-quick" if args.quick else "bench")
        quick = args.quick
        configs = plan(quick)
        if args.no_bochs or not have_bochs():
            if not args.no_bochs:
                progress("bench: bochs-bin or its BIOS is missing: skipping Bochs (tools/install-deps installs it)")
            configs = [c for c in configs if c[0] != "bochs"]
        machine = machine_info()
        started = time.monotonic()
        warm_up(configs, progress)
        samples = run_all(configs, runs, args.seed, args.timeout_s, progress)
        profiles, startups = [], {}
        if not quick and not args.no_profile:
            smps = sorted({smp for e, smp, _ in configs if e == "qemu"})
            profiles = run_profiles(smps, args.timeout_s, progress)
            for smp in smps:
                startups[smp] = qemu_startup_s(smp)
                progress("[profile] qemu -smp %d alone (-S, quit): %.2f s" % (smp, startups[smp] or -1))
        xen_samples, xen_skipped = run_xen(xen_smps, args.xen_runs, progress)
        variants = {}
        if not quick and not args.no_variants:
            variants = optimization_variants()
            progress("[profile] optimization levels: %s" % ", ".join(
                "%s %d bytes" % (k, v[1]) for k, v in variants.items()))
        machine["load_end"] = load_average()
        loads = [s.load_1min for s in samples if s.load_1min is not None]
        if loads:
            machine["load_runs"] = "median %.2f, min %.2f, max %.2f" % (statistics.median(loads), min(loads),
                                                                         max(loads))
        elapsed = time.monotonic() - started
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps({
            "machine": machine, "quick": quick, "runs": runs, "elapsed_s": elapsed, "elf": str(elf),
            "samples": [dataclasses.asdict(s) for s in samples],
            "profiles": [dataclasses.asdict(p) for p in profiles], "qemu_alone_s": startups,
            "variants": variants, "xen": [dataclasses.asdict(x) for x in xen_samples], "xen_skipped": xen_skipped},
            indent=1))
        progress("bench: samples in %s (`tools/bench.py --render %s` writes the report again)" % (
            json_path, json_path))
    text, missed = report(machine, quick, runs, samples, profiles, startups, elf, variants, xen_samples, xen_skipped,
                          plot_path, plot_path.name)
    text += "\nThe whole benchmark took %.0f s.\n" % elapsed
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    progress("bench: wrote %s" % output)
    broken = [s for s in samples if s.ready_s is None or not s.ok or s.fixed_per_cpu_bytes is None]
    if broken:
        progress("bench: %d boot(s) gave no ready line, panicked or printed no memory line (see the table)"
                 % len(broken))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
