"""Guest launch: the built-in test guest on every CPU in VMX root (Bochs: QEMU's TCG has no VMX).

Each boot passes exit=on-guest-exit, so the emulator ends after the summary line

    cpu0: vmxroot: guests passed=<P>/<L> exits=<total>

and every vCPU has printed exactly one result line `cpuN: guest: cpuN result=PASS|FAIL <detail>`.
A missing line or a timeout is a CRASH (with the serial log). Bochs's own log is the second
oracle: a normal boot has no VMFAIL, no VMENTER FAIL and no "VMEXIT: ... invalid" line.

The inject=vmentry-* cases break one VMCS field on purpose: with the software VM-entry check on,
our check refuses the VMCS and names the rule; with vmentry_check=off Bochs must fail the entry
with the matching VM-instruction error or exit reason 33 (its log names the check it applied).
"""
import re

import pytest

from vmxboot import assert_ready, boot

GUEST_RE = re.compile(r"^cpu(\d+): guest: cpu(\d+) result=(PASS|FAIL) (.*)$")
SUMMARY_RE = re.compile(r"^cpu0: vmxroot: guests passed=(\d+)/(\d+) exits=(\d+)(.*)$")
INJECT_RE = re.compile(r"inject: case=(\S+) result=(PASS|FAIL)(.*)$")
CPUID_TICKS_RE = re.compile(r"cpuid_exit_ticks=(\d+)")
BOCHS_FAILURE_RE = re.compile(r"VMFAIL|VMENTER FAIL|VMEXIT:.*invalid", re.I)


def guest_boot(model="corei7_skylake_x", smp=1, cmdline="", name=None, emulator="bochs"):
    return boot(emulator, smp=smp, cpu_model=model if emulator == "bochs" else None,
                cmdline="exit=on-guest-exit " + cmdline, exit_on_ready=False, name=name,
                timeout_s=None if emulator == "qemu" else 90 + 8 * smp)


def results(result):
    """{cpu: (verdict, detail)} from the result lines; each CPU's own line only once."""
    found = {}
    for line in result.lines:
        match = GUEST_RE.search(line)
        if not match:
            continue
        cpu, named = int(match.group(1)), int(match.group(2))
        assert cpu == named, "cpu%d printed the result of cpu%d\n%s" % (cpu, named, result.describe())
        assert cpu not in found, "two result lines for cpu%d\n%s" % (cpu, result.describe())
        found[cpu] = (match.group(3), match.group(4))
    return found


def summary(result):
    lines = [line for line in result.lines if SUMMARY_RE.search(line)]
    assert len(lines) == 1, "CRASH: expected one guest summary line, found %d\n%s" % (len(lines),
                                                                                     result.describe())
    match = SUMMARY_RE.search(lines[0])
    return int(match.group(1)), int(match.group(2)), int(match.group(3)), match.group(4).strip()


def bochs_failures(result):
    text = result.emulator_log_path.read_text(errors="replace")
    return [line for line in text.splitlines() if BOCHS_FAILURE_RE.search(line)]


def assert_every_cpu_passes(result, cpus):
    assert_ready(result, cpus=(cpus, cpus), vmx=cpus)
    found = results(result)
    assert sorted(found) == list(range(cpus)), "result lines from %s\n%s" % (sorted(found), result.describe())
    failed = {cpu: detail for cpu, (verdict, detail) in found.items() if verdict != "PASS"}
    assert not failed, "failed: %s\n%s" % (failed, result.describe())
    passed, launched, exits, _ = summary(result)
    assert (passed, launched) == (cpus, cpus), result.describe()
    assert exits >= 80 * cpus, result.describe()
    assert not bochs_failures(result), "Bochs log: %s\n%s" % (bochs_failures(result)[:3], result.describe())
    return found


@pytest.mark.bochs
@pytest.mark.parametrize("model, smp", [
    ("corei7_skylake_x", 4),
    ("corei7_ivy_bridge_3770k", 1),   # no EPT A/D bits, no 1 GiB EPT pages
    ("tigerlake", 15),                # VMCS revision 0x4, the most CPUs Bochs runs
    ("corei7_icelake_u", 4),
    ("corei7_sandy_bridge_2600k", 2), # EPT in Bochs 2.7's VMX level 2, unlike the real CPU
])
def test_guest_passes_on_every_cpu(model, smp):
    result = guest_boot(model, smp, name="guest_%s_%dcpus" % (model, smp))
    found = assert_every_cpu_passes(result, smp)
    # Four CPUs or more start the guest in each of its three entry modes (real, 32-bit, 64-bit).
    if smp >= 3:
        entries = {re.search(r"entry=(\S+)", detail).group(1) for _, detail in found.values()}
        assert entries == {"real", "protected32", "long64"}, found


@pytest.mark.bochs
def test_guest_reports_its_cpuid_round_trip():
    """One CPU: the guest measures its CPUID exits with RDTSC and says so. The figure is a speed goal
    (at most 200 ticks), which make bench judges and prints; a test only asserts that it is measured."""
    result = guest_boot("corei7_skylake_x", 1, name="guest_cpuid_ticks")
    found = assert_every_cpu_passes(result, 1)
    ticks = int(CPUID_TICKS_RE.search(found[0][1]).group(1))
    assert ticks > 0, "no CPUID round trip measured\n%s" % result.describe()


@pytest.mark.bochs
def test_guest_none_launches_nothing():
    result = guest_boot("corei7_skylake_x", 1, cmdline="guest=none", name="guest_none")
    assert_ready(result, cpus=(1, 1), vmx=1)
    assert not results(result), result.describe()
    assert summary(result) == (0, 0, 0, "(guest=none)"), result.describe()


@pytest.mark.bochs
def test_ryzen_runs_no_guest():
    result = guest_boot("ryzen", 2, name="guest_ryzen")
    assert_ready(result, cpus=(2, 2), vmx=0)
    passed, launched, exits, why = summary(result)
    assert (passed, launched, exits) == (0, 0, 0) and "no CPU is in VMX root" in why, result.describe()


def test_qemu_runs_no_guest():
    result = guest_boot(smp=2, emulator="qemu", name="guest_qemu")
    assert_ready(result, cpus=(2, 2), vmx=0)
    passed, launched, exits, why = summary(result)
    assert (passed, launched, exits) == (0, 0, 0) and "no CPU is in VMX root" in why, result.describe()


@pytest.mark.bochs
def test_vmx_without_ept_refuses_guests():
    """bx_generic is Bochs's model with VMX but no EPT. (corei7_sandy_bridge_2600k, which the real
    CPU would make EPT-less, has EPT in Debian's Bochs 2.7 built with --enable-vmx=2: its boot
    log says "EPT yes" and the test guest passes there, see test_guest_passes_on_every_cpu.)"""
    result = guest_boot("bx_generic", 2, name="guest_no_ept")
    assert_ready(result, cpus=(2, 2), vmx=2)
    refusal = result.grep(r"^cpu0: warning: vmx: cannot run guests: secondary control 'enable EPT' not allowed "
                          r"by IA32_VMX_PROCBASED_CTLS2$")
    assert refusal, result.describe()
    passed, launched, exits, _ = summary(result)
    assert (passed, launched, exits) == (0, 0, 0), result.describe()
    assert not results(result), result.describe()


@pytest.mark.bochs
def test_triple_fault_stops_only_that_vcpu():
    result = guest_boot("corei7_skylake_x", 4, cmdline="inject=guest-triple-fault inject_cpu=1",
                        name="guest_triple_fault")
    found = results(result)
    assert sorted(found) == [0, 1, 2, 3], result.describe()
    assert found[1][0] == "FAIL" and "triple fault" in found[1][1], result.describe()
    assert all(found[cpu][0] == "PASS" for cpu in (0, 2, 3)), result.describe()
    assert summary(result)[:2] == (3, 4), result.describe()


# (case, what our check's name says, what Bochs's log says with the check off; None: Bochs enters)
ENTRY_CASES = [
    ("vmentry-control-pin", "pin-based VM-execution controls", "VMX pin-based controls allowed 0-settings"),
    ("vmentry-control-cr3-targets", "CR3-target count", "too may CR3 targets"),
    ("vmentry-host-cr4", "host CR4", "VMCS host state invalid CR4"),
    ("vmentry-host-rip", "RIP", "VMCS host RIP non-canonical"),
    ("vmentry-guest-cr0", "CR0.PE must be 1", "CR0.PG without CR0.PE"),
    ("vmentry-guest-rflags", "RFLAGS", "RFLAGS[1] cleared"),
    ("vmentry-guest-link-pointer", "link pointer", "link pointer"),
    ("vmentry-guest-rip", "guest RIP", None),
]


def inject_line(result, case):
    lines = [INJECT_RE.search(line) for line in result.lines if INJECT_RE.search(line)]
    assert len(lines) == 1 and lines[0].group(1) == case, "CRASH: expected one inject line for %s\n%s" % (
        case, result.describe())
    return lines[0]


@pytest.mark.bochs
@pytest.mark.parametrize("case, check_text, bochs_text", ENTRY_CASES)
def test_entry_check_refuses_by_name(case, check_text, bochs_text):
    result = guest_boot("corei7_skylake_x", 1, cmdline="inject=%s inject_cpu=0" % case, name="guest_" + case)
    match = inject_line(result, case)
    assert match.group(2) == "PASS" and check_text in match.group(3), result.describe()
    verdict, detail = results(result)[0]
    assert verdict == "FAIL" and "refused by the software VM-entry check" in detail, result.describe()
    assert not bochs_failures(result), "no entry was tried, yet Bochs logged %s" % bochs_failures(result)[:2]
    assert summary(result)[:2] == (0, 1), result.describe()


@pytest.mark.bochs
@pytest.mark.parametrize("case, check_text, bochs_text", ENTRY_CASES)
def test_entry_check_off_bochs_fails_the_same(case, check_text, bochs_text):
    result = guest_boot("corei7_skylake_x", 1, cmdline="inject=%s inject_cpu=0 vmentry_check=off" % case,
                        name="guest_%s_check_off" % case)
    match = inject_line(result, case)
    assert match.group(2) == "PASS", result.describe()
    verdict, detail = results(result)[0]
    assert verdict == "FAIL", result.describe()
    if bochs_text is None:
        # Bochs does not check a 64-bit guest's RIP for canonical form: it enters, the fetch faults
        # with no IDT, and the guest triple-faults. That is what this records.
        assert "entered=yes" in match.group(3) and "triple fault" in detail, result.describe()
        return
    assert any(bochs_text in line for line in bochs_failures(result)), "Bochs log lacks %r: %s\n%s" % (
        bochs_text, bochs_failures(result)[:3], result.describe())


def status_json(result):
    import json
    import subprocess
    import sys
    from vmxboot import REPO
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "vmxroot-status"), "--serial-log",
                           str(result.log_path), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr + result.describe()
    return json.loads(proc.stdout)


@pytest.mark.bochs
def test_status_page_shows_each_vcpu_as_the_guests_left_it():
    """status=dump prints the page again after the summary: each vCPU record is stopped with the
    guest's verdict, its exits by reason equal the exits the result line counts, and vmxroot's
    EPT tables and bitmaps are among its own memory ranges."""
    result = guest_boot("corei7_skylake_x", 4, cmdline="status=dump", name="guest_status_dump")
    found = assert_every_cpu_passes(result, 4)
    page = status_json(result)
    assert len(page["vcpus"]) == 4, page["vcpus"]
    for record in page["vcpus"]:
        cpu = record["index"]
        exits = int(re.search(r"exits=(\d+)", found[cpu][1]).group(1))
        assert record["consistent"] and record["state_name"] == "stopped", record
        assert record["reason_name"] == "guest-passed", record
        assert record["exit_count_total"] == exits, (record, found[cpu])
        by_name = {e["name"]: e["count"] for e in record["exits"]}
        assert by_name.get("CPUID", 0) >= 66 and by_name.get("HLT") == 2 and by_name.get("VMCALL") == 1, by_name
        assert record["last_exit"]["name"] == "HLT" and record["entry_failure"] is None, record
    kinds = {(r["kind_name"], r["cpu"]) for r in page["memory"]["ranges"]}
    for cpu in range(4):
        assert ("ept", cpu) in kinds and ("bitmaps", cpu) in kinds, sorted(kinds, key=str)


@pytest.mark.bochs
def test_status_page_names_a_refused_entry():
    result = guest_boot("corei7_skylake_x", 1, cmdline="status=dump inject=vmentry-host-cr4 inject_cpu=0",
                        name="guest_status_refused")
    record = status_json(result)["vcpus"][0]
    assert record["state_name"] == "stopped" and record["reason_name"] == "entry-check", record
    failure = record["entry_failure"]
    assert failure["number"] == 8 and "refused-by-check" in failure["flag_names"], failure
    assert failure["name"].startswith("host CR4"), failure


@pytest.mark.bochs
def test_watchdog_stops_a_guest_that_never_exits():
    """inject=guest-spin: cpu1's guest loops on PAUSE (no exit); the VMX-preemption timer stops that
    vCPU with the watchdog's reason, the others pass, and the boot ends."""
    result = guest_boot("corei7_skylake_x", 2, cmdline="inject=guest-spin inject_cpu=1", name="guest_spin")
    found = results(result)
    assert sorted(found) == [0, 1], result.describe()
    assert found[0][0] == "PASS", result.describe()
    assert found[1][0] == "FAIL" and "watchdog" in found[1][1], result.describe()
    assert summary(result)[:2] == (1, 2), result.describe()
