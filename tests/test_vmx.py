"""VMX root on every CPU, the VMCS pool, fault injection.

Bochs is the VMX platform (docs/testing.md): each model boots once and every CPU must enter VMX
root; QEMU TCG and Bochs `ryzen` have no VMX and must say so on every CPU. Each boot also
carries status=dump (a few serial lines, no change to the boot), and the dumped status page
is decoded by tools/vmxroot-status --json, so the page is checked against the log.

The one 4-CPU skylake boot carries selftest=vmcs as well; it is shared by the tests that read
it (module fixture), so each of them keeps its own verdict without another 5-15 s boot.
Every injection case boots once (1 CPU: the VMX cases run on cpu0) and checks its one
`inject: ... result=PASS` line, the error number, that the ready line still comes and that
the CPU still leaves VMX at shutdown, and the failure by error name on the status page.
"""
import re

import pytest

from helpers import cpu_list, no_vmx_lines, shutdown_count, status_page, vmx_root_lines
from vmxboot import assert_ready, boot


VMX_ROOT_DEBUG_RE = re.compile(r"^cpu(\d+): vmx: in VMX root operation \(VMXON region 0x[0-9a-f]+, "
                               r"revision 0x([0-9a-f]+)\)")
NO_VMX_TEXT = "VMX not available (CPUID.1:ECX.VMX=0): this CPU (or emulator) has no VT-x; going on without it"


# ----- helpers -------------------------------------------------------------------------------


def errors_by_name(cpu_record):
    """{error name: count} of one CPU record's VMfailValid counts."""
    return {entry["name"]: entry["count"] for entry in cpu_record["vmfail_valid_by_error"]}


def assert_all_in_vmx_root(result, cpus, revision):
    """Ready says vmx=cpus with cpus online; every CPU printed its VMX-root line with the revision,
    the status page agrees, and at shutdown every CPU left VMX operation."""
    fields = assert_ready(result, cpus=(cpus, cpus), vmx=cpus)
    assert fields["vmcs_total"] == 4 * cpus and fields["vmcs_free"] == fields["vmcs_total"], result.describe()
    assert vmx_root_lines(result.lines) == {cpu: revision for cpu in range(cpus)}, result.describe()
    # Bochs models with a crystal in CPUID leaf 0x15 (tigerlake) rightly warn that their TSC runs at ips.
    warnings = [w for w in result.warnings if "CPUID leaf 0x15 implies" not in w]
    assert not warnings, "warnings: %s\n%s" % (warnings, result.describe())
    page = status_page(result)
    header = page["header"]
    assert (header["cpus_found"], header["cpus_online"], header["cpus_vmx_root"]) == (cpus, cpus, cpus)
    assert header["boot_phase_name"] == "ready"
    assert header["vmx_revision_id"] == revision and "vmx" in header["vmx_feature_names"]
    assert (header["vmcs_pool_total"], header["vmcs_pool_free"], header["vmcs_per_cpu"]) == (4 * cpus, 4 * cpus, 4)
    assert len(page["cpus"]) == cpus
    for record in page["cpus"]:
        assert record["state_name"] == "online" and record["reason_name"] == "none", record
        assert record["vmx_revision_id"] == revision, record
        assert {"vmx-root", "vmx-capable"} <= set(record["flag_names"]), record
        assert record["vmfail_valid_count"] == 0 and record["vmfail_invalid_count"] == 0, record
    assert shutdown_count(result) == cpus, result.describe()
    return page


def assert_no_vmx_anywhere(result, cpus, debug=False):
    """vmx=0 on the ready line, the summary names every CPU with the reason in words (with debug=True
    every CPU also said it itself), every CPU marked no-vmx."""
    assert_ready(result, cpus=(cpus, cpus), vmx=0, vmcs=(0, 0))
    assert no_vmx_lines(result.lines) == {cpu: ("no-vmx", NO_VMX_TEXT) for cpu in range(cpus)}, result.describe()
    everyone = "cpu0" if cpus == 1 else "cpu0-%d" % (cpus - 1)
    assert result.grep(r"vmx: %d CPUs without VMX \(no-vmx\): %s: VMX not available" % (cpus, everyone)), \
        result.describe()
    if debug:
        silent = [cpu for cpu in range(cpus) if not any(NO_VMX_TEXT in line for line in result.cpu_lines(cpu))]
        assert not silent, "no 'VMX not available' line from cpu %s\n%s" % (silent, result.describe())
    else:
        assert len([line for line in result.lines if NO_VMX_TEXT in line]) == 1, \
            "at the default log level only the summary says it\n" + result.describe()
    assert not vmx_root_lines(result.lines), result.describe()
    page = status_page(result)
    assert page["header"]["cpus_vmx_root"] == 0 and "vmx" not in page["header"]["vmx_feature_names"]
    assert [r["reason_name"] for r in page["cpus"]] == ["no-vmx"] * cpus, page["cpus"]
    assert shutdown_count(result) == 0, result.describe()


# ----- every CPU in VMX root: Bochs models -------------------------------------------------


@pytest.fixture(scope="module")
def skylake4():
    """corei7_skylake_x, 4 CPUs, with the status dump and the VMCS lifecycle selftest."""
    return boot("bochs", smp=4, cpu_model="corei7_skylake_x", cmdline="status=dump selftest=vmcs",
                name="vmx_skylake_x_4cpus")


@pytest.mark.bochs
def test_skylake_4_cpus_in_vmx_root(skylake4):
    assert_ready(skylake4, cpus=(4, 4), vmx=4, vmcs=(16, 16))
    assert vmx_root_lines(skylake4.lines) == {0: 0x2B, 1: 0x2B, 2: 0x2B, 3: 0x2B}, skylake4.describe()


@pytest.mark.bochs
def test_skylake_status_page(skylake4):
    # The selftest hands every VMCS back before the dump, so all 16 are free on the page too.
    page = status_page(skylake4)
    header = page["header"]
    assert (header["cpus_found"], header["cpus_online"], header["cpus_vmx_root"]) == (4, 4, 4)
    assert header["vmx_revision_id"] == 0x2B
    assert {"vmx", "ept", "vpid", "unrestricted-guest"} <= set(header["vmx_feature_names"])
    assert (header["vmcs_pool_total"], header["vmcs_pool_free"]) == (16, 16)
    for record in page["cpus"]:
        assert record["vmx_revision_id"] == 0x2B and "vmx-root" in record["flag_names"], record
    ready = skylake4.ready
    assert ready["status"] == header["page_phys"], "the ready line and the page disagree on its address"
    # The selftest's counters reach the page: the pool VMCLEARs 16 regions on cpu0 at init,
    # the lifecycle adds VMPTRLDs on cpu0 and at least one VMPTRLD on the CPU it migrated to.
    cpu0, cpu1 = page["cpus"][0], page["cpus"][1]
    assert cpu0["vmclear_count"] >= 16 and cpu0["vmptrld_count"] >= 4 and cpu0["vmptrld_skipped_count"] >= 1
    assert cpu1["vmptrld_count"] >= 1 and cpu1["vmclear_count"] >= 1, cpu1


SELFTEST_RE = re.compile(r"selftest: vmcs-lifecycle cpus=(\d+),(\d+) switch_vmptrld=(\d+) switch_vmclear=(\d+) "
                         r"switch_skipped=(\d+) migrate_vmclear_old=(\d+) migrate_vmclear_new=(\d+) "
                         r"readback_rip=(0x[0-9a-f]+) result=(\w+)")


@pytest.mark.bochs
def test_vmcs_lifecycle_selftest(skylake4):
    lines = skylake4.grep(SELFTEST_RE.pattern)
    assert len(lines) == 1, "expected one selftest result line\n" + skylake4.describe()
    match = SELFTEST_RE.search(lines[0])
    old, new, vmptrld, vmclear, skipped, clear_old, clear_new, rip, verdict = match.groups()
    assert verdict == "PASS", lines[0]
    assert (int(old), int(new)) == (0, 1)
    # Switching between two VMCSs on one CPU: VMPTRLDs only, a reload of the current one skipped.
    assert (int(vmptrld), int(vmclear), int(skipped)) == (4, 0, 1), lines[0]
    # A migration costs exactly one VMCLEAR, on the old CPU.
    assert (int(clear_old), int(clear_new)) == (1, 0), lines[0]
    assert int(rip, 16) == 0xFFFFFFFF8123ABCD, "VMREAD after the migration differs from the VMWRITE"
    assert not skylake4.errors, skylake4.errors


@pytest.mark.bochs
def test_skylake_shutdown_leaves_vmx(skylake4):
    assert shutdown_count(skylake4) == 4, skylake4.describe()


@pytest.mark.bochs
@pytest.mark.parametrize("model, smp, revision", [
    ("tigerlake", 2, 0x4),
    ("corei7_sandy_bridge_2600k", 2, 0x2B),  # VMX without EPT
    ("bx_generic", 1, 0x2B),
])
def test_bochs_model_every_cpu_in_vmx_root(model, smp, revision):
    result = boot("bochs", smp=smp, cpu_model=model, cmdline="status=dump")
    assert_all_in_vmx_root(result, smp, revision)


# ----- no VMX: every CPU says why ------------------------------------------------------------


@pytest.mark.bochs
def test_bochs_ryzen_has_no_vmx():
    assert_no_vmx_anywhere(boot("bochs", smp=2, cpu_model="ryzen", cmdline="status=dump"), 2)


def test_qemu_tcg_has_no_vmx():
    assert_no_vmx_anywhere(boot("qemu", smp=2, cmdline="status=dump"), 2)


def test_qemu_tcg_no_vmx_per_cpu_with_loglevel_debug():
    """The per-CPU lines the summary replaces are still there with loglevel=debug."""
    assert_no_vmx_anywhere(boot("qemu", smp=4, cmdline="status=dump loglevel=debug"), 4, debug=True)


@pytest.mark.bochs
def test_bochs_vmx_root_per_cpu_with_loglevel_debug():
    """With loglevel=debug every CPU names its own VMXON region and revision, as the summary does."""
    result = boot("bochs", smp=2, cmdline="loglevel=debug")
    assert_ready(result, cpus=(2, 2), vmx=2)
    own = {int(m.group(1)): int(m.group(2), 16) for m in map(VMX_ROOT_DEBUG_RE.search, result.lines) if m}
    assert own == {0: 0x2B, 1: 0x2B} == vmx_root_lines(result.lines), result.describe()


def test_cpu_lists_in_summary_lines():
    assert cpu_list("cpu0-3,cpu5,cpu7-8") == [0, 1, 2, 3, 5, 7, 8]
    lines = ["cpu0: warning: vmx: 3 CPUs without VMX (no-vmx): cpu0,cpu2: VMX not available (x): y",
             "cpu0: warning: vmx: 3 CPUs without VMX (no-vmx), continued: cpu4",
             "cpu0: vmx: in VMX root operation (revision 0x2b): cpu1,cpu3"]
    assert no_vmx_lines(lines) == {0: ("no-vmx", "VMX not available (x): y"), 2: ("no-vmx", "VMX not available (x): y"),
                                   4: ("no-vmx", "VMX not available (x): y")}
    assert vmx_root_lines(lines) == {1: 0x2B, 3: 0x2B}


# ----- fault injection: each case once ------------------------------------------------------

INJECT_RE = re.compile(r'inject: case=(\S+) insn=(\w+) operand=(0x[0-9a-f]+) outcome="([^"]*)" '
                       r'expected="([^"]*)" result=(\w+)')


@pytest.mark.bochs
@pytest.mark.parametrize("case, insn, error, name", [
    ("vmptrld-vmxon", "VMPTRLD", 10, "vmptrld-vmxon-pointer"),
    ("wrong-revision", "VMPTRLD", 11, "vmptrld-wrong-revision"),
    ("unaligned-vmcs", "VMPTRLD", 9, "vmptrld-invalid-address"),
    ("beyond-phys-width", "VMPTRLD", 9, "vmptrld-invalid-address"),
    ("vmclear-vmxon", "VMCLEAR", 3, "vmclear-vmxon-pointer"),
])
def test_inject_vmx_instruction(case, insn, error, name):
    result = boot("bochs", smp=1, cmdline="inject=%s status=dump" % case)
    lines = result.grep(INJECT_RE.pattern)
    assert len(lines) == 1, "expected one inject result line\n" + result.describe()
    got_case, got_insn, operand, outcome, expected, verdict = INJECT_RE.search(lines[0]).groups()
    assert (got_case, got_insn) == (case, insn), lines[0]
    assert outcome.startswith("VMfailValid error %d (" % error), lines[0]
    assert expected.startswith("VMfailValid error %d (" % error), lines[0]
    assert verdict == "PASS", lines[0]
    if case in ("vmptrld-vmxon", "vmclear-vmxon"):
        # The guard names its rule before the injected instruction is let through.
        assert result.grep(r"refusing %s of %s: it is cpu0's VMXON region" % (insn, operand)), result.describe()
    # The CPU stays usable: the ready line comes, the pool is whole, VMXOFF works at shutdown.
    assert_ready(result, cpus=(1, 1), vmx=1, vmcs=(4, 4))
    assert shutdown_count(result) == 1, result.describe()
    cpu0 = status_page(result)["cpus"][0]
    assert errors_by_name(cpu0) == {name: 1}, cpu0["vmfail_valid_by_error"]
    assert cpu0["vmfail_valid_count"] == 1 and cpu0["vmfail_invalid_count"] == 0, cpu0
    assert "vmx-root" in cpu0["flag_names"], cpu0


POOL_RE = re.compile(r"inject: case=pool-exhaustion acquired=(\d+) of (\d+) outcome=(\S+) expected=E_NOMEM "
                     r"free_after_release=(\d+) result=(\w+)")


@pytest.mark.bochs
def test_inject_pool_exhaustion():
    result = boot("bochs", smp=1, cmdline="inject=pool-exhaustion status=dump")
    lines = result.grep(POOL_RE.pattern)
    assert len(lines) == 1, "expected one inject result line\n" + result.describe()
    acquired, total, outcome, free_after, verdict = POOL_RE.search(lines[0]).groups()
    assert (int(acquired), int(total), outcome, int(free_after), verdict) == (4, 4, "E_NOMEM", 4, "PASS"), lines[0]
    assert_ready(result, cpus=(1, 1), vmx=1, vmcs=(4, 4))
    header = status_page(result)["header"]
    assert (header["vmcs_pool_total"], header["vmcs_pool_free"]) == (4, 4), "a refused acquire changed the pool"
    assert shutdown_count(result) == 1


@pytest.mark.bochs
def test_inject_feature_control_locked_off():
    result = boot("bochs", smp=4, cmdline="inject=feature-locked-off inject_cpu=2 status=dump")
    assert_ready(result, cpus=(4, 4), vmx=3, vmcs=(12, 12))
    firmware = "VMX disabled by firmware (IA32_FEATURE_CONTROL=0x1): enable VT-x in the firmware setup"
    assert no_vmx_lines(result.lines) == {2: ("vmx-locked-off", firmware)}, result.describe()
    assert set(vmx_root_lines(result.lines)) == {0, 1, 3}, result.describe()
    records = status_page(result)["cpus"]
    assert records[2]["reason_name"] == "vmx-locked-off" and "vmx-root" not in records[2]["flag_names"]
    assert records[2]["state_name"] == "online", "the CPU without VMX stays online"
    assert all("vmx-root" in records[i]["flag_names"] for i in (0, 1, 3)), records
    assert shutdown_count(result) == 3
