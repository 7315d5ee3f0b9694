"""tools/bench.py still works: a quick run produces the table. Never asserts a time.

The full benchmark is `make bench` (several minutes); this runs `tools/bench.py --quick`
(QEMU -smp 1 and 4, parallel and serial, and Bochs with 1 CPU, once each: about 15 s).
"""
import json
import re
import subprocess
import sys

import pytest

import vmxboot
from benchlib.image import elf_sizes
from benchlib.sample import Sample
from benchlib.stats import fmt_spread, paired_ratios

BENCH = vmxboot.REPO / "tools" / "bench.py"


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    markdown, samples = out / "BENCHMARKS.md", out / "samples.json"
    proc = subprocess.run([sys.executable, str(BENCH), "--quick", "--output", str(markdown), "--json", str(samples)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=300 * vmxboot.TIMEOUT_SCALE)
    return proc, markdown, samples


def test_quick_bench_writes_the_table(quick_run):
    proc, markdown, samples = quick_run
    assert proc.returncode == 0, "tools/bench.py --quick failed:\n" + proc.stdout[-20000:]
    text = markdown.read_text()
    assert text.strip() in proc.stdout, "the table printed to stdout differs from the file"
    for heading in ("# vmxroot benchmarks", "## Targets", "## QEMU", "## Xen 4.17 as a peer", "## Size and memory"):
        assert heading in text, "missing %r in:\n%s" % (heading, text)
    for machine_row in ("| date |", "| CPU |", "| host CPUs (nproc) |", "| RAM |"):
        assert machine_row in text
    for smp in (1, 4):
        for mode in ("parallel", "serial"):
            row = re.search(r"^\| %d \| %s \| 1/1 \| [^|]*\d[^|]* \|" % (smp, mode), text, re.M)
            assert row, "no QEMU row for -smp %d %s with a number in:\n%s" % (smp, mode, text)
    assert re.search(r"\| \*\*loadable \(PT_LOAD in memory\)\*\* \| \*\*\d+\*\* \|", text)
    assert re.search(r"\| QEMU TCG [^|]* \| \d+ \(", text), "no memory per CPU from the running kernel"


def test_quick_bench_samples(quick_run):
    proc, markdown, samples = quick_run
    data = json.loads(samples.read_text())
    qemu = [s for s in data["samples"] if s["emulator"] == "qemu"]
    assert len(qemu) == 4
    for s in data["samples"]:
        assert s["ok"] and s["ready_s"] is not None, s
        assert isinstance(s["bringup_us"], int) and isinstance(s["boot_us"], int), s
        assert s["cpus_online"] == s["smp"], s
        assert s["per_vmcs_bytes"] == 4096, s
        if s["emulator"] == "bochs":
            assert s["vmx"] == s["smp"], "Bochs runs every CPU in VMX root: %r" % s


def test_elf_sizes_match_size_tool():
    sizes, load_mem, load_file = elf_sizes(vmxboot.ELF)
    out = subprocess.run(["size", "-A", str(vmxboot.ELF)], capture_output=True, text=True, check=True).stdout
    for name in (".text", ".rodata", ".bss"):
        match = re.search(r"^%s\s+(\d+)" % re.escape(name), out, re.M)
        assert match and int(match.group(1)) == sizes[name], (name, sizes, out)
    assert load_mem >= sizes[".text"] + sizes[".rodata"] + sizes[".bss"]
    assert load_file <= load_mem


def test_paired_ratios_pair_by_round():
    def sample(round_index, ready_s, ok=True):
        return Sample("qemu", 1, "parallel", round_index, ok=ok, ready_s=ready_s)

    numerator = [sample(0, 4.0), sample(1, 9.0), sample(2, 5.0)]
    denominator = [sample(0, 2.0), sample(1, 3.0), sample(2, 1.0, ok=False)]
    assert paired_ratios(None, numerator, denominator, "ready_s") == [2.0, 3.0]
    assert fmt_spread([1.0, 3.0, 2.0]) == "2.00 [1.00-3.00]"
    assert fmt_spread([None]) == "-"
