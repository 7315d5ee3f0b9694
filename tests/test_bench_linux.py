"""The pure parts of tools/bench_linux.py (a Linux guest against its direct boot, `make bench`): the
time to init read from a serial log, the paired ratios, the figure handed to the targets table and
the section it writes. No boots, no times asserted."""
import bench_linux
from benchlib import figures, targets

# The lines bench_linux reads, as Debian's 6.1 prints them under Bochs (shortened).
LOG = """\
cpu0: vmxroot: ready cpus=1/1 vmx=1 vmcs=4/4 status=0xce1a000 bringup_us=0 boot_us=291473
[    0.000000] tsc: Detected 3500.000 MHz processor
[    0.000000] tsc: Detected 3499.912 MHz TSC
[    2.659906] evm: HMAC attrs: 0x1
[    2.949290] Run /init as init process
guest-init: result cpus_online=1 hypervisor=yes status_page=0xce1a000 status_bytes=0x00544F4F52584D56 cpu1=none
"""


def sample(kind, index, printk_s, wall_s=100.0, ok=True):
    return {"kind": kind, "round": index, "ok": ok, "printk_s": printk_s, "tsc_mhz": 3500.0,
            "ticks": int(printk_s * 3500e6), "to_init_wall_s": wall_s - 10, "wall_s": wall_s,
            "log_path": "build/bench/logs/bench_linux_%s_%d.log" % (kind, index)}


def test_time_to_init_and_the_tsc_from_a_log():
    assert bench_linux.parse_boot(LOG) == (2.94929, 3499.912)
    assert bench_linux.parse_boot("cpu0: vmxroot: ready\n[    1.000000] no init yet\n") == (None, None)


def test_ratios_pair_the_boots_of_one_round():
    samples = [sample("guest", 0, 3.3), sample("direct", 0, 3.0), sample("guest", 1, 2.2), sample("direct", 1, 2.0),
               sample("guest", 2, 9.0), sample("direct", 2, 1.0, ok=False)]  # round 2: no pair
    found = sorted(round(r, 6) for r in bench_linux.ratios(samples, "printk_s"))
    assert found == [1.1, 1.1]


def test_the_figure_the_targets_table_judges():
    met = bench_linux.figures([sample("guest", 0, 3.15), sample("direct", 0, 3.0)])
    value, text = met["linux_guest_vs_direct"]
    assert abs(value - 1.05) < 1e-9 and text.startswith("1.050x (3.150 s against 3.000 s")
    section, missed = targets.targets_section([], 1000, met)
    row = next(line for line in section if "direct boot" in line)
    assert row.endswith("| met |"), row
    section, missed = targets.targets_section([], 1000, bench_linux.figures(
        [sample("guest", 0, 3.6), sample("direct", 0, 3.0)]))
    assert "linux_guest" in missed
    assert bench_linux.figures([sample("guest", 0, 3.0)]) == {}  # no direct boot: not measured


def test_the_section_names_both_boots_and_a_failed_one():
    text = bench_linux.markdown([sample("guest", 0, 3.3, wall_s=150), sample("direct", 0, 3.0, wall_s=100),
                                 sample("guest", 1, 0.0, ok=False)])
    assert text.startswith(bench_linux.SECTION_BEGIN) and text.endswith(bench_linux.SECTION_END)
    assert "| printk time to init, s | 3.300 | 3.000 | 1.100x | target <= 1.10x: met |" in text
    assert "| wall time, Bochs start to its end (init powers off), s | 150.0 | 100.0 | 1.500x | |" in text
    assert "guest round 1 gave no init line" in text


def test_bench_runs_it_as_a_figure_source_for_the_linux_guest_row():
    source = next(s for s in figures.SOURCES if s.name == "linux")
    assert figures.module_of(source) is bench_linux and source.quick_runs == 0
    samples = {"linux": [sample("guest", 0, 3.15), sample("direct", 0, 3.0)]}
    assert "external:linux_guest_vs_direct" == targets.target("linux_guest").measurement
    assert figures.external_figures(samples)["linux_guest_vs_direct"][0] == bench_linux.figures(
        samples["linux"])["linux_guest_vs_direct"][0]
    assert any(line.startswith("## A Linux guest against") for line in figures.sections(samples))
