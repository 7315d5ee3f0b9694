#!/usr/bin/python3
"""kvm-unit-tests' `vmexit cpuid` under vmxroot, for the targets table (benchlib/figures.py's
"kut" source; tools/bench_guest.py is the model).

Bochs's TSC counts emulated instructions, so `cpuid N` is the CPUID exit round trip's length in
ticks (the bare CPU: 9). One run is about 10 minutes of wall time on a loaded 2-core host (the
test times 2^30 ticks of CPUIDs twice over), so a full `make bench` runs it once and --quick not.

    tools/bench_kut.py        one run, its figure on stdout
"""
import re
import sys

from vmxboot import kvm_unit_tests as kut

CPUID_FIGURE_RE = re.compile(r"^cpuid (\d+)\s*$", re.M)


def measure(runs):
    """One dict per run: the ticks, the exit code, the wall time. SystemExit when there is no figure."""
    try:
        x86_dir = kut.build_suite(log=lambda text: print(text, file=sys.stderr))
    except kut.SuiteMissing as why:
        raise SystemExit("kvm-unit-tests: %s" % why)
    samples = []
    for run in range(runs):
        result = kut.run_test(kut.BY_NAME["vmexit"], x86_dir, name="bench-kvm-unit-tests-vmexit-%d" % run)
        end = kut.END_RE.search(result.log)
        match = CPUID_FIGURE_RE.search(result.log[:end.start()] if end else result.log)
        if not match:
            raise SystemExit("no `cpuid N` line: %s (log %s)" % (result.line(), result.log_path))
        samples.append({"cpuid_ticks": int(match.group(1)), "exit_code": result.exit_code,
                        "wall_s": round(result.wall_s, 1)})
    return samples


def figures(samples):
    worst = max(s["cpuid_ticks"] for s in samples)
    return {"kut_vmexit_cpuid_ticks": (worst, "%d ticks (`vmexit cpuid`, the slowest of %d runs, exit code %s)" % (
        worst, len(samples), samples[0]["exit_code"]))}


def markdown(samples):
    return ""


if __name__ == "__main__":
    got = measure(1)
    print(figures(got)["kut_vmexit_cpuid_ticks"][1])
