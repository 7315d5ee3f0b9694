"""SMP bring-up: every CPU the firmware lists comes up, or the log says why not.

Each boot checks the ready line's cpus=<online>/<found>, the `smp: X of Y CPUs online` summary,
and that exactly the CPUs expected online reported their VMX result: every AP notes it once after
coming online and the boot CPU's VMX summary names each such CPU exactly once (a CPU left out is
never named); with loglevel=debug every AP also prints its own line.

Found counts what the MADT lists as enabled, including CPUs left out by maxcpus= or smp=off:
-smp 8 with maxcpus=3 gives cpus=3/8.
"""
import re

import pytest

from helpers import no_vmx_lines, status_page, vmx_root_lines
from vmxboot import BOCHS_MAX_CPUS, assert_ready, boot

SMP_LINE_RE = re.compile(r"^cpu0: smp: (\d+) of (\d+) CPUs online, bring-up (\d+) us \(([^)]*)\)")


def qemu_timeout_s(cpus):
    """SeaBIOS and GRUB take most of a boot with many vCPUs: about 20-40 s for 255 on a busy host."""
    return 60 + cpus * 0.5


def smp_summary(result):
    lines = [line for line in result.lines if SMP_LINE_RE.match(line)]
    assert len(lines) == 1, "expected one 'smp: X of Y CPUs online' line\n" + result.describe()
    online, found, bringup_us, mode = SMP_LINE_RE.match(lines[0]).groups()
    return int(online), int(found), int(bringup_us), mode


def cpus_that_reported(result):
    """The CPUs the VMX summary names (each AP's own outcome), checked to be named only once."""
    in_root, without = vmx_root_lines(result.lines), no_vmx_lines(result.lines)
    assert not set(in_root) & set(without), "a CPU both in and out of VMX root\n" + result.describe()
    return set(in_root) | set(without)


def assert_smp(result, online, found, vmx=None, left_out=(), mode=None):
    """The ready line, the summary line and the CPUs that printed agree with the expectation:
    CPUs 0..found-1 except left_out are online."""
    fields = assert_ready(result, cpus=(online, found), vmx=vmx)
    got_online, got_found, bringup_us, got_mode = smp_summary(result)
    assert (got_online, got_found) == (online, found), "smp line says %d of %d\n%s" % (
        got_online, got_found, result.describe())
    assert fields["bringup_us"] == bringup_us, "ready line and smp line differ\n" + result.describe()
    if mode is not None:
        assert got_mode.startswith(mode), "mode %r, expected %r\n%s" % (got_mode, mode, result.describe())
    expected = set(range(found)) - set(left_out)
    assert len(expected) == online, "test bug: %d expected online, %d given" % (len(expected), online)
    printed = cpus_that_reported(result)
    assert printed == expected, "CPUs that reported %s, expected %s (missing %s, extra %s)\n%s" % (
        sorted(printed), sorted(expected), sorted(expected - printed), sorted(printed - expected),
        result.describe())
    return fields


# ----- QEMU -------------------------------------------------------------------------------

@pytest.mark.parametrize("cpus", [1, 2, 4, 16, pytest.param(64, marks=pytest.mark.slow),
                                  pytest.param(255, marks=pytest.mark.slow)])
def test_qemu_pc(cpus):
    result = boot("qemu", smp=cpus, timeout_s=qemu_timeout_s(cpus))
    assert_smp(result, cpus, cpus, vmx=0, mode="parallel")


def test_qemu_q35_8():
    result = boot("qemu", smp=8, machine="q35")
    assert_smp(result, 8, 8, vmx=0)


@pytest.mark.slow
def test_qemu_ovmf_16():
    result = boot("qemu", smp=16, firmware="uefi", timeout_s=120)
    assert_smp(result, 16, 16, vmx=0)


@pytest.mark.parametrize("topology, cpus", [
    ("4,sockets=2,cores=2", 4),
    # cores=3 takes 2 bits of the APIC id: ids 0,1,2,4,5,6, so slots are found by id, not index
    ("6,sockets=2,cores=3", 6),
])
def test_qemu_topology(topology, cpus):
    result = boot("qemu", smp=topology, timeout_s=qemu_timeout_s(cpus))
    assert_smp(result, cpus, cpus, vmx=0)
    if cpus == 6:
        assert result.grep(r"^cpu0: madt: 6 CPUs usable"), result.describe()


def test_maxcpus_3_of_8():
    result = boot("qemu", smp=8, cmdline="maxcpus=3")
    assert_smp(result, 3, 8, vmx=0, left_out=range(3, 8))
    assert result.grep(r"maxcpus=3: 5 APs left out"), result.describe()


def test_smp_off():
    result = boot("qemu", smp=4, cmdline="smp=off")
    assert_smp(result, 1, 4, vmx=0, left_out=(1, 2, 3), mode="smp=off")
    assert result.grep(r"smp=off: 3 APs left out"), result.describe()


@pytest.fixture(scope="module")
def parallel_8():
    """One smp=parallel boot of 8 CPUs, the reference the other bring-up modes are compared with."""
    return boot("qemu", smp=8, cmdline="smp=parallel", name="smp8_parallel")


@pytest.mark.parametrize("options", ["smp=serial", "smp=serial init_wait=on", "init_wait=on"])
def test_serial_and_parallel_bring_up_the_same_set(options, parallel_8):
    parallel = parallel_8
    other = boot("qemu", smp=8, cmdline=options)
    assert_smp(parallel, 8, 8, mode="parallel")
    assert_smp(other, 8, 8, mode="serial" if "serial" in options else "parallel")
    assert cpus_that_reported(parallel) == cpus_that_reported(other)
    if "init_wait=on" in options:
        assert smp_summary(other)[3].endswith("10 ms INIT wait, xAPIC"), other.describe()


def test_no_acpi_runs_the_boot_cpu_alone():
    result = boot("qemu", smp=4, cmdline="status=dump", extra_args=["-no-acpi"])
    assert_smp(result, 1, 1, vmx=0)
    reason = result.grep(r"^cpu0: warning: smp: no ACPI RSDP .*: the boot CPU runs alone")
    assert reason, "no reason for running alone\n" + result.describe()
    assert status_page(result)["header"]["cpus_found"] == 1


# ----- a CPU that does not come: never answers vs answers and stalls -----------------------

NO_ANSWER_RE = r"^cpu0: warning: cpu{0} \(apic {0}\): no answer to SIPI after \d+ ms"
STALLED_RE = r"^cpu0: warning: cpu{0} \(apic {0}\): stalled in local APIC setup"


# inject= case: the warning it must give, and the one it must not (the other kind of absence).
AP_ABSENCES = {
    "ap-no-answer": (NO_ANSWER_RE, r"stalled", "a CPU that never answered is reported as stalled"),
    "ap-stall": (STALLED_RE, r"no answer", "a CPU that answered is reported as not answering"),
}


@pytest.mark.parametrize("mode", ["parallel", "serial"])
@pytest.mark.parametrize("case", sorted(AP_ABSENCES))
def test_ap_absent(case, mode):
    said, not_said, wrong = AP_ABSENCES[case]
    result = boot("qemu", smp=4, cmdline="smp=%s inject=%s inject_cpu=2" % (mode, case))
    assert_smp(result, 3, 4, vmx=0, left_out=(2,), mode=mode)
    assert len(result.grep(said.format(2))) == 1, result.describe()
    assert not result.grep(not_said), wrong + "\n" + result.describe()


def test_ap_left_out_in_the_middle_of_many():
    # The others carry on around the missing one: the last CPU too.
    result = boot("qemu", smp=16, cmdline="inject=ap-no-answer inject_cpu=15")
    assert_smp(result, 15, 16, vmx=0, left_out=(15,))
    assert result.grep(NO_ANSWER_RE.format(15)), result.describe()


# ----- Bochs (VMX on every CPU) -----------------------------------------------------------

@pytest.mark.bochs
@pytest.mark.parametrize("cpus", [2, 4, pytest.param(BOCHS_MAX_CPUS, marks=pytest.mark.slow)])
def test_bochs(cpus):
    result = boot("bochs", smp=cpus)
    assert_smp(result, cpus, cpus, vmx=cpus)


@pytest.mark.bochs
def test_bochs_serial():
    result = boot("bochs", smp=4, cmdline="smp=serial")
    assert_smp(result, 4, 4, vmx=4, mode="serial")


@pytest.mark.bochs
def test_bochs_x2apic():
    # QEMU 7.2's TCG has no x2APIC; Bochs's Skylake-X has. x2apic=on forces the mode where the
    # APIC ids would fit xAPIC, so the MSR path (IDs, ICR, EOI, IPI calls) runs on every CPU.
    result = boot("bochs", smp=4, cmdline="x2apic=on selftest=vmcs")
    unknown = result.grep(r'cmdline: unknown option "x2apic')
    assert not unknown, "the kernel does not know x2apic=: %s\n%s" % (unknown[0], result.describe())
    assert_smp(result, 4, 4, vmx=4)
    assert result.grep(r"^cpu0: lapic: x2APIC mode"), result.describe()
    assert smp_summary(result)[3].endswith("x2APIC"), result.describe()
