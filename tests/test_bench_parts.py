"""The pure parts of `make bench` that stand alone (tools/benchlib/, tools/fetch-images): Xen's
console timestamps, the table of targets, the initramfs archive. No boots, no times asserted."""
import gzip
import importlib.machinery
import importlib.util
import stat
import sys
import types

import vmxboot
from benchlib import figures, targets, xen


def load_fetch_images():
    path = vmxboot.REPO / "tools" / "fetch-images"
    loader = importlib.machinery.SourceFileLoader("fetch_images", str(path))
    spec = importlib.util.spec_from_loader("fetch_images", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# The shape of a real log (QEMU TCG, -smp 4), shortened: raw TSC stamps until the TSC is calibrated.
XEN_LOG = """\
 Xen 4.17.7 banner line without a stamp
(XEN) [0000000100000000] Xen version 4.17.7 (Debian 4.17.7+13-g2445b30a44-0+deb12u1)
(XEN) [0000000100100000] Command line: console=com1 console_timestamps=boot
(XEN) [0000000102000000] Platform timer is 100.000MHz HPET
(XEN) [    0.300000] Detected 2000.000 MHz processor.
(XEN) [    1.500000] HVM: Hardware Assisted Paging (HAP) not detected
(XEN) [    1.750000] Brought up 4 CPUs
(XEN) [    1.760000] Scheduling granularity: cpu, 1 CPU per sched-resource
(XEN) [    7.500000] Panic on CPU 0:
"""


def test_xen_times_from_its_own_stamps():
    times = xen.parse_log(XEN_LOG)
    assert times.cpus_up == 4 and times.up_s == 1.75 and times.tsc_mhz == 2000.0
    # The raw stamps span 0x2000000 ticks = 16.78 ms at 2000 MHz, ending at the first seconds stamp.
    assert abs(times.first_line_s - (0.3 - 0x2000000 / 2000e6)) < 1e-9
    assert abs(times.span_s - (1.75 - times.first_line_s)) < 1e-9
    assert abs(times.bringup_s - 0.25) < 1e-9
    assert times.panic == "Panic on CPU 0"


def test_xen_log_without_brought_up_has_no_figure():
    times = xen.parse_log(XEN_LOG.split("(XEN) [    1.750000]")[0])
    assert times.up_s is None and times.span_s is None and times.bringup_s is None
    assert xen.parse_log("").first_line_s is None


def test_targets_from_other_benchmarks_judge_themselves():
    rows, missed = targets.targets_section([], 100000, {"cpuid_exit_ticks": (250, "250 ticks"),
                                                         "first_exit_ticks": (9000, "9000 ticks")})
    text = "\n".join(rows)
    assert "| 250 ticks | **missed** |" in text and "cpuid_exit" in missed
    assert "| 9000 ticks | reported |" in text
    assert text.count("| not measured yet | - |") == 2, text  # the Linux guest and kvm-unit-tests figures
    assert "| 100000 bytes (97.7 KiB) | met |" in text


def test_every_target_names_a_distinct_key():
    keys = [t.key for t in targets.TARGETS]
    assert len(keys) == len(set(keys))
    assert all(targets.measurement_of(t) for t in targets.TARGETS)  # a KeyError names one that has none


def test_a_new_source_and_row_judge_themselves(monkeypatch):
    """What BENCHMARKS.md says a new row takes: a module with measure/figures/markdown, one Source, one Target."""
    module = types.ModuleType("bench_fake")
    module.measure = lambda runs: [{"ticks": 150 + i} for i in range(runs)]
    module.figures = lambda samples: {"fake_ticks": (max(s["ticks"] for s in samples), "%d ticks" % max(
        s["ticks"] for s in samples))}
    module.markdown = lambda samples: "## Fake\n\n%d runs" % len(samples)
    monkeypatch.setitem(sys.modules, "bench_fake", module)
    monkeypatch.setattr(figures, "SOURCES", figures.SOURCES + (figures.Source("fake", "bench_fake", 2, 1, False),))
    monkeypatch.setattr(targets, "TARGETS", targets.TARGETS + (
        targets.Target("fake", "fake figure at most {limit:g} ticks", "external:fake_ticks", 151),))
    samples, skipped = figures.run_all({"fake": 2, "guest": 0}, False, lambda text: None)
    assert samples == {"fake": [{"ticks": 150}, {"ticks": 151}]} and "guest" in skipped
    rows, missed = targets.targets_section([], 100000, figures.external_figures(samples))
    assert "| fake figure at most 151 ticks | 151 ticks | met |" in rows and "fake" not in missed
    samples["fake"].append({"ticks": 152})
    rows, missed = targets.targets_section([], 100000, figures.external_figures(samples))
    assert "| fake figure at most 151 ticks | 152 ticks | **missed** |" in rows and "fake" in missed
    assert figures.sections(samples) == ["## Fake", "", "3 runs", ""]


def read_newc(data):
    """(name, mode, rdev major, rdev minor, data) of each member of a newc cpio archive."""
    members, offset = [], 0
    while True:
        assert data[offset:offset + 6] == b"070701", "bad magic at %d" % offset
        fields = [int(data[offset + 6 + 8 * i:offset + 14 + 8 * i], 16) for i in range(13)]
        mode, size, rdev_major, rdev_minor, name_size = fields[1], fields[6], fields[9], fields[10], fields[11]
        name_start = offset + 110
        name = data[name_start:name_start + name_size - 1].decode()
        assert data[name_start + name_size - 1] == 0
        body = (name_start + name_size + 3) & ~3
        if name == "TRAILER!!!":
            return members
        members.append((name, mode, rdev_major, rdev_minor, data[body:body + size]))
        offset = (body + size + 3) & ~3


def test_initramfs_holds_busybox_init_and_console(tmp_path):
    fetch = load_fetch_images()
    busybox = tmp_path / "busybox"
    busybox.write_bytes(b"\x7fELF fake busybox")
    archive = fetch.initramfs(busybox, fetch.INIT_SCRIPT)
    assert archive == fetch.initramfs(busybox, fetch.INIT_SCRIPT), "the same inputs give the same bytes"
    members = {m[0]: m for m in read_newc(gzip.decompress(archive))}
    assert members["init"][4] == fetch.INIT_SCRIPT.read_bytes() and members["init"][1] & 0o111
    assert members["bin/busybox"][4] == busybox.read_bytes()
    assert stat.S_ISLNK(members["bin/sh"][1]) and members["bin/sh"][4] == b"busybox"
    console = members["dev/console"]
    assert stat.S_ISCHR(console[1]) and console[2:4] == (5, 1)
    for directory in ("proc", "sys", "dev", "bin"):
        assert stat.S_ISDIR(members[directory][1])


def test_kernel_steps_line(tmp_path):
    from benchlib import steps
    log = tmp_path / "serial.log"
    log.write_text("cpu0: vmxroot: booting\ncpu0: boot: us by step: early=24137 discovery=9829 setup=1827 "
                   "bringup=153 ap_work=75 summary=8863 pool=480\ncpu0: vmxroot: ready cpus=1/1\n")
    assert steps.steps_of(log) == {"early": 24137, "discovery": 9829, "setup": 1827, "bringup": 153, "ap_work": 75,
                                   "summary": 8863, "pool": 480}
    assert set(steps.STEPS) == set(steps.steps_of(log))
    assert steps.steps_of(tmp_path / "missing.log") is None
