"""The TSC frequency is measured, not believed: against the ACPI PM timer, the HPET or the PIT.

Every figure is the kernel's median of several windows within one boot (a loaded 2-core host
makes single windows noisy). selftest=clocks prints one line per clock the machine has:

    cpu0: tsc: clock source=<pm-timer|hpet|pit> khz=<n> spread_ppm=<n> windows=<n>
    cpu0: tsc: clock source=<name> absent (<why>)

and the line every boot prints names the clock it used:

    cpu0: tsc: <n> kHz from the <ACPI PM timer|HPET|PIT> (median of ...)
"""
import re

import pytest

from vmxboot import BOCHS_IPS, assert_ready, boot

CHOSEN_RE = re.compile(r"^cpu0: tsc: (\d+) kHz from the (ACPI PM timer|HPET|PIT) \(median of (\d+) windows")
SOURCE_RE = re.compile(r"^cpu0: tsc: clock source=([a-z-]+) (?:khz=(\d+)|absent)")
NO_CLOCK_TEXT = "warning: tsc: no clock to measure the TSC against"
CPUID15_TEXT = "warning: tsc: CPUID leaf 0x15 implies"
AGREE_PERCENT = 1.0


def chosen(result):
    lines = result.grep(CHOSEN_RE.pattern)
    assert len(lines) == 1, "want one 'tsc: N kHz from the ...' line\n" + result.describe()
    match = CHOSEN_RE.match(lines[0])
    return int(match.group(1)), match.group(2)


def sources(result):
    """{source: kHz or None when absent} from the selftest=clocks lines."""
    found = {}
    for line in result.grep(SOURCE_RE.pattern):
        match = SOURCE_RE.match(line)
        found[match.group(1)] = int(match.group(2)) if match.group(2) else None
    assert set(found) == {"pm-timer", "hpet", "pit"}, "selftest=clocks lines missing\n" + result.describe()
    return found


def percent_off(value, reference):
    return abs(value - reference) * 100.0 / reference


@pytest.fixture(scope="module")
def qemu_all_clocks():
    result = boot("qemu", cmdline="selftest=clocks")
    assert_ready(result)
    return result


def test_qemu_clocks_agree_with_the_pit(qemu_all_clocks):
    found = sources(qemu_all_clocks)
    assert found["pit"], qemu_all_clocks.describe()
    for name in ("pm-timer", "hpet"):
        assert found[name], "QEMU pc has a %s\n%s" % (name, qemu_all_clocks.describe())
        assert percent_off(found[name], found["pit"]) < AGREE_PERCENT, (found, qemu_all_clocks.describe())
    khz, source = chosen(qemu_all_clocks)
    assert source == "ACPI PM timer", qemu_all_clocks.describe()


@pytest.mark.parametrize("firmware", ["bios", "uefi"])
def test_qemu_no_pit_uses_the_pm_timer(qemu_all_clocks, firmware):
    pit_khz = sources(qemu_all_clocks)["pit"]
    result = boot("qemu", firmware=firmware, cmdline="inject=no-pit selftest=clocks")
    assert_ready(result)
    found = sources(result)
    assert found["pit"] is None and result.grep(r"source=pit absent \(hidden by inject=no-pit\)"), result.describe()
    khz, source = chosen(result)
    assert source == "ACPI PM timer", result.describe()
    # The same QEMU on the same host: the TSC rate is the host's, so the PIT of the other boot is the reference.
    assert percent_off(khz, pit_khz) < AGREE_PERCENT, (khz, pit_khz, result.describe())
    assert found["hpet"] and percent_off(found["hpet"], pit_khz) < AGREE_PERCENT, (found, pit_khz)


def test_qemu_no_clock_at_all_warns_and_boots():
    # No ACPI (so no PM timer, no HPET table, no MADT) and the PIT hidden: nothing to measure against.
    result = boot("qemu", cmdline="inject=no-pit", extra_args=["-machine", "acpi=off,hpet=off"])
    assert_ready(result)
    assert any(NO_CLOCK_TEXT in line for line in result.warnings), result.describe()
    assert not result.grep(CHOSEN_RE.pattern), result.describe()


@pytest.mark.bochs
def test_bochs_icelake_tsc_is_ips_not_cpuid15():
    # icelake_u's CPUID leaf 0x15 says 1,497,600 kHz; Bochs's TSC counts instructions at `ips`.
    icelake = boot("bochs", cpu_model="corei7_icelake_u")
    skylake = boot("bochs", cpu_model="corei7_skylake_x")
    khz, source = chosen(icelake)
    ips_khz = BOCHS_IPS // 1000
    assert percent_off(khz, ips_khz) < AGREE_PERCENT, (khz, ips_khz, icelake.describe())
    assert any(CPUID15_TEXT in line for line in icelake.warnings), icelake.describe()
    boot_us = assert_ready(icelake)["boot_us"]
    other_us = assert_ready(skylake)["boot_us"]
    assert other_us / 2 < boot_us < other_us * 2, (boot_us, other_us, icelake.describe())
