#!/usr/bin/python3
"""Debian's kernel to its init as vmxroot's guest against the same kernel booted directly by GRUB.

Both boots run in the same Bochs (`corei7_skylake_x`, 1 CPU, 256 MiB, the Linux boot tests' clock:
`sync=none`, 20 MIPS), with the same kernel, initramfs and command line (vmxroot adds only
`vmxroot.status_page=`), one after the other in each round. Both command lines have
`lapic=notscdeadline`: Linux's timer must be the same in both, and it is not by default. Bochs's
CPUID says 3500 MHz while its TSC counts 20 MHz of emulated time; on the bare Bochs CPU Linux finds
microcode revision 0 and turns the TSC-deadline timer off ("TSC_DEADLINE disabled due to Errata"),
as vmxroot's guest it sees the hypervisor bit, skips that check and keeps it, and a TSC-deadline
tick programmed at 3500 MHz comes 175 times later in emulated time: the printk clock (clamped to
the tick-driven clock until sched_clock is marked stable) then runs at another rate (a first round
without it: 2.95 s as the guest, 8.31 s direct, 0.36x, which says nothing about vmxroot).

  - time to init: the printk timestamp of the kernel's "Run /init as init process" line. Linux's
    printk clock is its local_clock: sched_clock (the TSC at the frequency Linux detected), held to
    the tick-driven clock until sched_clock is marked stable; under Bochs both run in emulated time
    (instructions / ips), the same kind in both boots (vmxroot gives its guest TSC offset 0). The
    "ticks" are that time times the TSC frequency Linux detected (Linux's idea of TSC ticks).
    Target: the guest's at most 1.10x the direct boot's (tools/benchlib/targets.py, `linux_guest`).
  - wall time: from starting Bochs to that line in the serial file, and to Bochs's end (the init
    powers off). EPT walks and VM exits cost Bochs host time that the emulated clock does not show.

    tools/bench_linux.py                  print the table (about 5 minutes per round on 2 idle cores)
    tools/bench_linux.py --runs 2 --into BENCHMARKS.md   also replace its section of that file

tools/bench.py runs it as one of tools/benchlib/figures.py's sources (`make bench`, `--runs-of linux=N`);
this runs alone too.
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import bench_guest  # replace_section
import vmxboot
from vmxboot.linux_guest import BOCHS_LINES, GUEST_CMDLINE, MEMORY_MB, direct_linux_iso, linux_iso

MODEL = "corei7_skylake_x"
TARGET_RATIO = 1.10
SECTION_BEGIN = "<!-- bench_linux begin -->"
SECTION_END = "<!-- bench_linux end -->"
# A Linux boot in Bochs is minutes of wall time on a loaded 2-core host.
TIMEOUT_S = 1500
RUN_INIT_RE = re.compile(r"^\[\s*(\d+\.\d+)\] Run /init as init process", re.M)
TSC_MHZ_RE = re.compile(r"tsc: Detected (\d+\.\d+) MHz (?:processor|TSC)")
END_RE = re.compile(r"vmxroot: guest vm0 ended: power off")
KINDS = ("guest", "direct")


def parse_boot(log):
    """(printk seconds at "Run /init", the detected TSC MHz) from a serial log, or None for either."""
    run = RUN_INIT_RE.search(log)
    mhz = TSC_MHZ_RE.findall(log)
    return (float(run.group(1)) if run else None), (float(mhz[-1]) if mhz else None)


def one_run(kind, index):
    cmdline = GUEST_CMDLINE + " lapic=notscdeadline"  # one timer for both: see the docstring
    iso = linux_iso("exit=on-guest-exit", guest_cmdline=cmdline) if kind == "guest" else direct_linux_iso(cmdline)
    with vmxboot.Boot("bochs", smp=1, memory_mb=MEMORY_MB, cpu_model=MODEL, iso=iso, bochs_lines=BOCHS_LINES,
                      timeout_s=TIMEOUT_S, name="bench_linux_%s_%d" % (kind, index)) as running:
        seen = running.wait_for(RUN_INIT_RE.pattern)
        to_init_wall_s = time.monotonic() - running.start_time if seen else None
        result = running.wait()
    printk_s, mhz = parse_boot(result.log)
    ok = printk_s is not None and "guest-init: result" in result.log and (
        kind == "direct" or END_RE.search(result.log) is not None)
    return {"kind": kind, "round": index, "ok": ok, "printk_s": printk_s, "tsc_mhz": mhz,
            "ticks": int(printk_s * mhz * 1e6) if printk_s is not None and mhz else None,
            "to_init_wall_s": to_init_wall_s, "wall_s": result.wall_s, "log_path": str(result.log_path)}


def measure(runs=1, progress=None):
    """runs rounds of (guest, direct), alternating which goes first (benchlib/figures.py's interface:
    SystemExit when no boot could be made: the images missing, a boot timed out)."""
    samples = []
    for index in range(runs):
        for kind in (KINDS if index % 2 == 0 else KINDS[::-1]):
            try:
                sample = one_run(kind, index)
            except vmxboot.BootError as failure:
                raise SystemExit("bench_linux: %s" % str(failure).splitlines()[0])
            samples.append(sample)
            if progress:
                progress("[linux] %s round %d: %s" % (kind, index, "init at %.6f s printk, %.0f s wall" % (
                    sample["printk_s"], sample["wall_s"]) if sample["ok"] else "FAILED (%s)" % sample["log_path"]))
    return samples


def ratios(samples, key):
    """guest/direct of one round each, for rounds where both boots went through."""
    by_round = {}
    for s in samples:
        if s["ok"] and s[key] is not None:
            by_round.setdefault(s["round"], {})[s["kind"]] = s[key]
    return [r["guest"] / r["direct"] for r in by_round.values() if "guest" in r and "direct" in r]


def figures(samples):
    """The targets table's figure (tools/benchlib/targets.py: external linux_guest_vs_direct)."""
    found = ratios(samples, "printk_s")
    if not found:
        return {}
    ratio = statistics.median(found)
    guest = statistics.median(s["printk_s"] for s in samples if s["ok"] and s["kind"] == "guest")
    direct = statistics.median(s["printk_s"] for s in samples if s["ok"] and s["kind"] == "direct")
    return {"linux_guest_vs_direct": (ratio, "%.3fx (%.3f s against %.3f s of printk time to init, median of %d "
                                             "round%s)" % (ratio, guest, direct, len(found),
                                                           "" if len(found) == 1 else "s"))}


def markdown(samples):
    def cell(kind, key, form):
        values = [s[key] for s in samples if s["kind"] == kind and s["ok"] and s[key] is not None]
        if not values:
            return "-"
        low, high = min(values), max(values)
        return form % statistics.median(values) + ("" if low == high else (" [" + form + "-" + form + "]") % (
            low, high))

    def ratio_cell(key):
        found = ratios(samples, key)
        return "%.3fx" % statistics.median(found) if found else "-"

    found = ratios(samples, "printk_s")
    verdict = "-" if not found else ("met" if statistics.median(found) <= TARGET_RATIO else "**missed**")
    rounds = len({s["round"] for s in samples})
    out = [SECTION_BEGIN,
           "## A Linux guest against the same kernel without vmxroot (Bochs `%s`, 1 CPU, %d round%s)" % (
               MODEL, rounds, "" if rounds == 1 else "s"),
           "",
           "Debian's kernel and the busybox initramfs of the Linux boot test, booted by GRUB as vmxroot's guest and",
           "directly, in the same Bochs (`clock: sync=none`, `ips=20000000`, 256 MiB), both with `lapic=notscdeadline`",
           "(one timer for both: the docstring of tools/bench_linux.py says why). Time to init is the printk",
           "timestamp of \"Run /init as init process\": Linux's local_clock, emulated time under Bochs (ticks: that",
           "time x the TSC MHz Linux detected). Wall time is host time from starting Bochs, on a shared host (the",
           "load average moves it). Generated by `tools/bench_linux.py`.",
           "",
           "| figure | as vmxroot's guest | direct | guest / direct | |",
           "|---|---|---|---|---|",
           "| printk time to init, s | %s | %s | %s | target <= %.2fx: %s |" % (
               cell("guest", "printk_s", "%.3f"), cell("direct", "printk_s", "%.3f"), ratio_cell("printk_s"),
               TARGET_RATIO, verdict),
           "| ticks to init (printk time x the detected TSC MHz) | %s | %s | %s | |" % (
               cell("guest", "ticks", "%d"), cell("direct", "ticks", "%d"), ratio_cell("ticks")),
           "| wall time, Bochs start to the \"Run /init\" line, s | %s | %s | %s | |" % (
               cell("guest", "to_init_wall_s", "%.1f"), cell("direct", "to_init_wall_s", "%.1f"),
               ratio_cell("to_init_wall_s")),
           "| wall time, Bochs start to its end (init powers off), s | %s | %s | %s | |" % (
               cell("guest", "wall_s", "%.1f"), cell("direct", "wall_s", "%.1f"), ratio_cell("wall_s")),
           ""]
    failed = [s for s in samples if not s["ok"]]
    out += ["- %s round %d gave no init line (or no end line): serial log `%s`" % (
        s["kind"], s["round"], s["log_path"]) for s in failed]
    return "\n".join(out + ([""] if failed else []) + [SECTION_END])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="rounds of (guest, direct) boots (default 1)")
    parser.add_argument("--into", type=Path, help="a markdown file whose Linux section is replaced")
    args = parser.parse_args(argv)
    samples = measure(args.runs, lambda text: print(text, file=sys.stderr, flush=True))
    text = markdown(samples)
    print(text)
    if args.into:
        bench_guest.replace_section(args.into, text, SECTION_BEGIN, SECTION_END)
    return 0 if all(s["ok"] for s in samples) else 1


if __name__ == "__main__":
    sys.exit(main())
