#!/usr/bin/python3
"""vmxroot benchmarks: bring-up scaling, boot time, image size, memory per CPU, Xen as a peer.

    tools/bench.py                 the full run (several minutes); writes BENCHMARKS.md
    tools/bench.py --quick         one run each of QEMU -smp 1 and 4 and Bochs 1 CPU (< 30 s);
                                   writes build/BENCHMARKS-quick.md
    make bench [QUICK=1]           the same through make
    tools/bench.py --quick --xen-smps 1,16    the quick run plus Xen at 1 and 16 CPUs
    tools/bench.py --pairs 8       only the kernel-boot scaling figure: 8 interleaved pairs of QEMU
                                   -smp 1 and -smp 255 (a few minutes; benchlib/pairs); writes no report

What is measured, per boot (the kernel is booted with exit=on-ready):
- bringup_us and boot_us from the kernel's ready line. Both come from the TSC: bringup_us is
  first INIT to last AP online, boot_us is kernel entry to ready (after every AP's VMX enable).
- ready_s: whole-process time from starting the emulator to the ready line being in the serial
  file. The file is polled every POLL_S; each new line gets the time it was first seen.
- exit_s: the emulator's process wall time (it ends itself on exit=on-ready).
- first_s: the time the kernel's first line was seen, so ready_s - first_s is the kernel's share
  and first_s the emulator, firmware and GRUB's.
- Xen 4.17 (benchlib/xen) at 1, 16, 64 and 255 CPUs in the same QEMU after vmxroot's rounds
  (`--xen-smps`, `--xen-runs`; none in --quick unless asked): its own time from its first line
  to "Brought up N CPUs", beside vmxroot's. tools/fetch-images fetches it when it is missing.
- The guest launch's figures (tools/bench_guest.py's measure(), Bochs 1 CPU), which the targets
  table judges and whose section is written here too; a plot of the scaling (benchlib/plot,
  gnuplot SVG beside the Markdown file).

Runs are interleaved: every round boots each configuration once, in a shuffled order (fixed
seed), so the ratios (serial/parallel, each row / -smp 1) are medians of ratios of runs made
side by side in the same round. One emulator runs at a time: on a 2-core machine a second
emulator would take host CPU from the first and distort whole-process times.

The pieces are in tools/benchlib/, one concern each: config (what a run boots), sample (one boot,
timed), stats, image (sizes and symbols, read with pyelftools), variants (other -O levels),
machine, tables (the Markdown), targets (the targets as data), prose (the closing note), xen (the
peer), plot (the picture), steps (the kernel's own time by step).

Timings never make this tool fail. It exits 1 only if a boot gave no ready line (a crash, a
timeout) or the kernel printed no memory line, after writing the table.
"""

import argparse
import dataclasses
import json
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import vmxboot  # the boot runner package, tools/vmxboot
from benchlib import config, figures, pairs, plot, steps, xen
from benchlib.config import BOCHS_MODES, BOCHS_SMPS, MODES, QEMU_MODES, QUICK_BOCHS_SMPS, QUICK_MODES, QUICK_QEMU_SMPS
from benchlib.image import elf_sizes
from benchlib.machine import load_average, machine_info
from benchlib.prose import closing_note
from benchlib.sample import Sample, qemu_startup_s, run_one
from benchlib.tables import (bochs_table, bytes_profile_section, header, qemu_table, size_section,
                             time_profile_section)
from benchlib.stats import select
from benchlib.targets import targets_section
from benchlib.variants import optimization_variants

REPO = vmxboot.REPO


# ----- the runs ------------------------------------------------------------------------------


def plan(quick):
    """(emulator, smp, mode) for every configuration of one round."""
    if quick:
        configs = [("qemu", n, m) for n in QUICK_QEMU_SMPS for m in QUICK_MODES]
        configs += [("bochs", n, "parallel") for n in QUICK_BOCHS_SMPS]
    else:
        configs = [("qemu", n, m) for n in config.QEMU_SMPS for m in QEMU_MODES]
        configs += [("bochs", n, m) for n in BOCHS_SMPS for m in BOCHS_MODES]
    return configs


def have_bochs():
    return shutil.which(vmxboot.BOCHS) is not None and vmxboot.BOCHS_BIOS.exists()


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


def warm_up(configs, progress):
    """Builds every ISO variant and boots each emulator once untimed (page cache, ISO cache)."""
    for mode in {m for _, _, m in configs}:
        vmxboot.iso_for_cmdline("exit=on-ready " + MODES[mode])
    for emulator in sorted({e for e, _, _ in configs}):
        sample = run_one(emulator, 1, "parallel", -1)
        progress("[warm-up] %s: %s" % (emulator, "ok" if sample.ready_s is not None else sample.error))


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


# ----- main ----------------------------------------------------------------------------------


def report(machine, quick, runs, samples, profiles, startups, elf, variants=None, xen_samples=(), xen_skipped="",
           plot_path=None, plot_link=None, figure_samples=None):
    sizes, load_mem, load_file = elf_sizes(elf)
    figure_samples = figure_samples or {}
    targets, missed = targets_section(samples, load_mem, figures.external_figures(figure_samples))
    lines = header(machine, quick, runs)
    lines += targets
    lines += qemu_table(samples, runs)
    lines += bochs_table(samples, runs)
    lines += steps.section(samples)
    lines += xen.section(xen_samples, vmxroot_for_xen(samples), xen_skipped)
    if plot_path is not None:
        lines += plot_section(samples, xen_samples, plot_path, plot_link)
    lines += figures.sections(figure_samples)
    lines += size_section(elf, sizes, load_mem, load_file, samples)
    if profiles:
        lines += time_profile_section(profiles, startups, samples)
    if not quick:
        lines += bytes_profile_section(elf, variants)
        lines += closing_note(samples, profiles, startups, missed, load_mem, elf)
    failures = [s for s in samples if not s.ok or s.ready_s is None or s.error]
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
    (the vmxboot package reads ELF and ISO_CACHE when it builds an ISO)."""
    directory = vmxboot.BUILD / name
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / "vmxroot.elf"
    shutil.copyfile(vmxboot.ELF, copy)
    # The runner reads vmxboot.paths at each boot (the names re-exported by vmxboot are copies).
    vmxboot.ELF = vmxboot.paths.ELF = copy
    vmxboot.ISO_CACHE = vmxboot.paths.ISO_CACHE = directory / "isos"
    vmxboot.LOG_DIR = vmxboot.paths.LOG_DIR = directory / "logs"
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
                        help="per boot (default: the vmxboot package's default for the CPU count)")
    parser.add_argument("--seed", type=int, default=7, help="the order of configurations within a round")
    parser.add_argument("--xen-smps", default=None,
                        help="Xen's CPU counts (default 1,16,64,255; none with --quick); 'none' for no Xen")
    parser.add_argument("--xen-runs", type=int, default=1, help="Xen boots per CPU count (default 1)")
    parser.add_argument("--guest-runs", type=int, default=None,
                        help="guest-launch boots (tools/bench_guest.py; default 3, quick 1; 0 for none)")
    parser.add_argument("--runs-of", action="append", default=[], metavar="NAME=N",
                        help="runs of one of benchlib/figures.py's sources (guest=3; 0 for none)")
    parser.add_argument("--pairs", type=int, default=None, metavar="N",
                        help="only N interleaved pairs of QEMU -smp 1 and -smp --pair-smp: the kernel-boot ratio")
    parser.add_argument("--pair-smp", type=int, default=255, help="the CPU count of --pairs (default 255)")
    parser.add_argument("--pair-mode", default="parallel", choices=sorted(MODES), help="the mode of --pairs")
    parser.add_argument("--elf", type=Path, default=None,
                        help="boot this kernel instead of build/vmxroot.elf (another commit's, to compare)")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    output = args.output or (vmxboot.BUILD / "BENCHMARKS-quick.md" if args.quick else REPO / "BENCHMARKS.md")
    json_path = args.json or vmxboot.BUILD / ("bench-quick" if args.quick else "bench") / "samples.json"
    if args.qemu_smps:
        config.QEMU_SMPS = tuple(int(n) for n in args.qemu_smps.split(","))
    if args.xen_smps is None:
        xen_smps = () if args.quick else xen.CPU_COUNTS
    else:
        xen_smps = () if args.xen_smps == "none" else tuple(int(n) for n in args.xen_smps.split(","))
    figure_runs = {f.name: f.quick_runs if args.quick else f.runs for f in figures.SOURCES}
    if args.guest_runs is not None:
        figure_runs["guest"] = args.guest_runs
    for item in args.runs_of:
        name, _, count = item.partition("=")
        if name not in figure_runs or not count.isdigit():
            parser.error("--runs-of %s: NAME=N with NAME one of %s" % (item, ", ".join(sorted(figure_runs))))
        figure_runs[name] = int(count)
    plot_path = output.with_name(output.stem + "-scaling.svg")

    def progress(text):
        print(text, file=sys.stderr, flush=True)

    if args.elf:
        vmxboot.ELF = vmxboot.paths.ELF = args.elf.resolve()
    if args.pairs:
        if not vmxboot.ELF.exists():
            progress("bench: %s is missing: run `make` first" % vmxboot.ELF)
            return 2
        snapshot_kernel("bench-pairs")
        low, high, ratios = pairs.measure(args.pairs, args.pair_smp, args.pair_mode, progress, args.timeout_s)
        print("\n".join(pairs.report(low, high, ratios, args.pair_smp, args.pair_mode)))
        return 0 if all(s.ok for s in low + high) else 1
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
        elf = Path(saved["elf"])
        xen_fields = {f.name for f in dataclasses.fields(xen.XenSample)}
        xen_samples = [xen.XenSample(**{k: v for k, v in d.items() if k in xen_fields}) for d in saved.get("xen", [])]
        xen_skipped = saved.get("xen_skipped", "" if saved.get("xen") else "not in the saved run")
        figure_samples = saved.get("figures", {"guest": saved.get("guest", [])})
    else:
        if not vmxboot.ELF.exists():
            progress("bench: %s is missing: run `make` first" % vmxboot.ELF)
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
        figure_samples, figure_skipped = figures.run_all(figure_runs, have_bochs(), progress)
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
            "variants": variants, "xen": [dataclasses.asdict(x) for x in xen_samples], "xen_skipped": xen_skipped,
            "figures": figure_samples, "figures_skipped": figure_skipped}, indent=1))
        progress("bench: samples in %s (`tools/bench.py --render %s` writes the report again)" % (
            json_path, json_path))
    text, missed = report(machine, quick, runs, samples, profiles, startups, elf, variants, xen_samples, xen_skipped,
                          plot_path, plot_path.name, figure_samples)
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
