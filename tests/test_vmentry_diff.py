"""selftest=vmentry: the software VM-entry check against Bochs's own VM entry (Bochs: QEMU's TCG has no VMX).

One boot of corei7_skylake_x with guest=none and a fixed seed runs a few hundred mutated VMCSs through our
check and through a real VMLAUNCH, and ends with the line

    cpu0: vmentry-diff: cases=<N> agree=<A> disagree=<D> stricter=<T> unsafe=<U> seed=<S> model=<M>

A missing line or a timeout is a CRASH (with the serial log). The run must compare most cases (the others
are counted as unsafe or not compared, never dropped silently), and every difference must be one the
Bochs-gap table explains: disagree=0, and no "vmentry-diff: disagree" line.

The checker of the checker: a kernel built with one check broken on purpose
(`make VMENTRY_BROKEN_CHECK=<id> BUILD=<dir>`, that check then always passes) must make the same short run
report disagreements, each naming the case, the mutated field and both verdicts.
"""
import re
import subprocess

import vmxboot
from vmxboot import boot, vmentry_diff

SUMMARY_RE, NOT_COMPARED_RE = vmentry_diff.SUMMARY_RE, vmentry_diff.NOT_COMPARED_RE
CASES, SEED = 300, 1


def diff_boot(model="corei7_skylake_x", cases=CASES, seed=SEED, name=None):
    return boot("bochs", smp=1, cpu_model=model, exit_on_ready=False, name=name, timeout_s=300,
                cmdline="exit=on-guest-exit guest=none selftest=vmentry vmentry_cases=%d vmentry_seed=%d"
                        % (cases, seed))


def only_line(result, regex):
    lines = [line for line in result.lines if regex.search(line)]
    assert len(lines) == 1, "CRASH: expected one line matching %s, found %d\n%s" % (regex.pattern, len(lines),
                                                                                 result.describe())
    return [int(g) if g.isdigit() else g for g in regex.search(lines[0]).groups()]


def test_vmentry_diff_short_run_agrees_with_bochs():
    result = diff_boot(name="vmentry_diff_skylake_x")
    cases, agree, disagree, stricter, unsafe, seed, _model = only_line(result, SUMMARY_RE)
    never, unchecked, not_written = only_line(result, NOT_COMPARED_RE)
    disagreements = vmentry_diff.disagreements(result.lines, result.emulator_log_path.read_text(errors="replace"))
    assert cases == CASES and seed == SEED, result.describe()
    assert disagree == 0 and not disagreements, vmentry_diff.describe(disagreements) + "\n" + result.describe()
    assert agree + stricter + unsafe + never + unchecked + not_written == cases, result.describe()
    assert agree >= cases // 2, "most cases must be compared\n%s" % result.describe()


# Seed 1's 300 cases hit guest_efer_reserved 7 times (the "check ... cases=" lines of the run above),
# and no later check refuses those VMCSs: each becomes a case we accept and Bochs refuses.
BROKEN_CHECK = "guest_efer_reserved"
def broken_check_elf():
    directory = vmxboot.paths.BUILD / "broken-check"
    proc = subprocess.run(["make", "-s", "-j2", "BUILD=%s" % directory, "VMENTRY_BROKEN_CHECK=" + BROKEN_CHECK,
                           str(directory / "vmxroot.elf")], cwd=vmxboot.paths.REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return directory


def test_a_broken_check_makes_the_short_run_disagree(monkeypatch):
    directory = broken_check_elf()
    monkeypatch.setattr(vmxboot.paths, "ELF", directory / "vmxroot.elf")
    monkeypatch.setattr(vmxboot.paths, "ISO_CACHE", directory / "isos")
    result = diff_boot(name="vmentry_diff_broken_check")
    assert result.grep(r"vmentry-diff: this build breaks check %s on purpose" % BROKEN_CHECK), result.describe()
    cases, agree, disagree, _stricter, _unsafe, seed, _model = only_line(result, SUMMARY_RE)
    assert cases == CASES and seed == SEED, result.describe()
    found = vmentry_diff.disagreements(result.lines, result.emulator_log_path.read_text(errors="replace"))
    assert disagree > 0 and len(found) == disagree, \
        "the broken check went unnoticed: disagree=%d\n%s" % (disagree, result.describe())
    # Each one is a VMCS our broken check let through and Bochs refused; it names the field mutated, and
    # Bochs's own line for that VMLAUNCH (paired by tick count) names the same check.
    for d in found:
        assert d.ours == "ok" and any("EFER" in field for field in d.fields), vmentry_diff.describe(found)
        assert d.bochs_line and "EFER" in d.bochs_line, vmentry_diff.describe(found)
