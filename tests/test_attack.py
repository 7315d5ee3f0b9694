"""The hostile guest (guest=attack): every case contained, judged by vmxroot itself.

Each boot passes guest=attack exit=on-guest-exit. Every case prints exactly one line

    cpu<N>: guest-attack: case=<name> result=CONTAINED|ESCAPED|SKIP <detail>

(the frames case one line per kind of vmxroot's memory on the status page), and the boot CPU
one summary `cpu0: vmxroot: attacks contained=<C>/<N> skipped=<K>` before the guests' summary.
A case is fine when CONTAINED, or SKIP with its reason in the detail; ESCAPED, a missing case,
a case printed twice, a summary that disagrees with the lines, or a timeout fails with the log.
Bochs's own log is the second oracle: no VMFAIL, no VMENTER FAIL.

Cost, measured on the 2-core test machine under load: 12-22 s for skylake_x with 4 CPUs, 15-16 s
for ivy bridge with 2 CPUs, whose cpu1 runs every destructive case in turn (the exit flood is 3 s of
TSC time, its watchdog 2 s more).
"""
import re

import pytest

import vmxboot
from test_guest import bochs_failures, guest_boot, results, summary

CASE_RE = re.compile(r"^cpu(\d+): guest-attack: case=(\S+) result=(CONTAINED|ESCAPED|SKIP) ?(.*)$")
ATTACKS_RE = re.compile(r"^cpu0: vmxroot: attacks contained=(\d+)/(\d+) skipped=(\d+)$")

# Every case the issue lists; the frames kinds are the ones every boot has (text, data, page tables,
# VMXON regions, VMCSs, EPT tables, stacks) plus the status area itself (readable, not writable).
EXPECTED_CASES = {
    "status-page", "vmx-instructions", "msrs", "pci-bar", "ipi", "exit-flood", "triple-fault",
    "df-storm", "cr0-pg-clear", "cr3-outside",
    "frames-text", "frames-rodata", "frames-data", "frames-bss", "frames-page-tables", "frames-vmxon",
    "frames-vmcs", "frames-ept", "frames-stack", "frames-status",
}


def attack_cases(result):
    """{case: (cpu, verdict, detail)}; a case printed twice is an error."""
    found = {}
    for line in result.lines:
        match = CASE_RE.match(line)
        if not match:
            continue
        cpu, case, verdict, detail = int(match.group(1)), match.group(2), match.group(3), match.group(4)
        if case in found:
            raise AssertionError("case %s printed twice\n%s" % (case, result.describe()))
        found[case] = (cpu, verdict, detail)
    return found


def attack_problems(result):
    """What is wrong with a guest=attack boot, as a list of short reasons (empty: all contained)."""
    problems = []
    try:
        found = attack_cases(result)
    except AssertionError as failure:
        return [str(failure).splitlines()[0]]
    missing = sorted(EXPECTED_CASES - set(found))
    if missing:
        problems.append("cases missing: %s" % ", ".join(missing))
    for case, (cpu, verdict, detail) in sorted(found.items()):
        if verdict == "ESCAPED":
            problems.append("cpu%d case=%s ESCAPED %s" % (cpu, case, detail))
        elif verdict == "SKIP" and not detail.strip():
            problems.append("cpu%d case=%s SKIP without a reason" % (cpu, case))
    lines = [line for line in result.lines if ATTACKS_RE.match(line)]
    if len(lines) != 1:
        problems.append("expected one attacks summary line, found %d" % len(lines))
    else:
        contained, total, skipped = (int(x) for x in ATTACKS_RE.match(lines[0]).groups())
        verdicts = [verdict for _, verdict, _ in found.values()]
        counted = (verdicts.count("CONTAINED"), len(verdicts), verdicts.count("SKIP"))
        if (contained, total, skipped) != counted:
            problems.append("summary contained=%d/%d skipped=%d, lines say %d/%d skipped=%d" % (
                (contained, total, skipped) + counted))
    return problems


def attack_boot(model, smp):
    return guest_boot(model, smp, cmdline="guest=attack", name="attack_%s_%dcpus" % (model, smp))


@pytest.mark.bochs
@pytest.mark.slow
@pytest.mark.parametrize("model, smp", [
    ("corei7_skylake_x", 4),         # each destructive case on a CPU of its own, beside the others
    ("corei7_ivy_bridge_3770k", 2),  # every destructive case on cpu1, one after the other, started again
])
def test_attack_guest_is_contained(model, smp):
    result = attack_boot(model, smp)
    vmxboot.assert_ready(result, cpus=(smp, smp), vmx=smp)
    problems = attack_problems(result)
    assert not problems, "\n".join(problems) + "\n" + result.describe()
    found = attack_cases(result)
    # Where vmxroot says it looked for itself: the host values, the BARs, the stop reasons.
    assert "host_unchanged=" in found["msrs"][2] and "tsc=monotonic" in found["msrs"][2]
    assert "changed" in found["pci-bar"][2] and found["pci-bar"][2].endswith(" 0 changed")
    flood = found["exit-flood"][2]
    assert flood.count("torn=0") == 2 and "stopped by the preemption timer" in flood, flood
    for case in ("triple-fault", "df-storm", "cr0-pg-clear"):
        assert "triple fault" in found[case][2], found[case]
    assert "paging-structure access" in found["cr3-outside"][2], found["cr3-outside"]
    assert found["ipi"][1] == "CONTAINED" and "refused=" in found["ipi"][2]
    # Every vCPU went through all its cases and passed as a whole; the guests' summary is the last line.
    vcpus = results(result)
    assert sorted(vcpus) == list(range(smp)) and all(v == "PASS" for v, _ in vcpus.values()), vcpus
    passed, launched, _, _ = summary(result)
    assert (passed, launched) == (smp, smp), result.describe()
    assert not bochs_failures(result), "Bochs log: %s\n%s" % (bochs_failures(result)[:3], result.describe())


# ----- the checks themselves (no emulator) ---------------------------------------------------

def _fake(lines):
    return vmxboot.BootResult(name="fake", emulator="bochs", command=[], cmdline="", log="\n".join(lines) + "\n",
                              log_path=None, emulator_log_path=None, wall_s=0.0, exit_code=1, timed_out=False)


def _good_lines():
    lines = ["cpu0: guest-attack: case=%s result=CONTAINED ok" % case for case in sorted(EXPECTED_CASES)]
    return lines + ["cpu0: vmxroot: attacks contained=%d/%d skipped=0" % (len(lines), len(lines))]


def test_attack_check_accepts_every_case_contained():
    assert attack_problems(_fake(_good_lines())) == []


def test_attack_check_finds_an_escape_a_missing_case_and_a_bare_skip():
    lines = _good_lines()
    lines[0] = lines[0].replace("CONTAINED", "ESCAPED")
    assert any("ESCAPED" in p for p in attack_problems(_fake(lines)))
    assert any("missing" in p for p in attack_problems(_fake(_good_lines()[1:])))
    lines = _good_lines()
    lines[0] = lines[0].replace("result=CONTAINED ok", "result=SKIP")
    problems = attack_problems(_fake(lines))
    assert any("without a reason" in p for p in problems) and any("summary" in p for p in problems)


def test_attack_check_wants_the_summary_to_agree():
    lines = _good_lines()
    lines[-1] = "cpu0: vmxroot: attacks contained=1/%d skipped=0" % (len(lines) - 1)
    assert any("summary" in p for p in attack_problems(_fake(lines)))
    lines = _good_lines() + [_good_lines()[0]]
    assert any("twice" in p for p in attack_problems(_fake(lines)))
