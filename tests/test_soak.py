"""Soak: 50 boots in a row under QEMU -smp 16 with parallel AP bring-up, then 50 of Bochs with
4 CPUs and the test guest on every CPU.

Every boot must bring every CPU online (`ready cpus=16/16`) through the parallel path and print
only whole, unmixed serial lines: each line is one "cpuN: " prefix with N < 16 followed by
printable text, and no line holds a second prefix (two CPUs writing into one line). All 50 boots
run even after a failure, so the report says how often a race hits, not only that it did.

The Bochs soak (corei7_skylake_x, 4 CPUs, exit=on-guest-exit) wants every boot to print
`guests passed=4/4` with every vCPU's result line PASS; its summary is in
build/test-logs/soak-bochs-summary.txt.

Runs only with --soak (`make soak`: 131 s for the 50 boots on the 2-core test machine while two
fuzzers ran); each boot's log is kept in build/test-logs/soak-NN.log, a summary in
build/test-logs/soak-summary.txt.
"""
import re
import time

import pytest

import vmxboot
from vmxboot import assert_ready, boot

SOAK_BOOTS = 50
SOAK_CPUS = 16

LINE_RE = re.compile(r"^cpu(\d+): [\x20-\x7e]*$")
PREFIX_RE = re.compile(r"cpu\d+: ")
PARALLEL_RE = re.compile(r"^cpu0: smp: %d of %d CPUs online, .*\(parallel\b" % (SOAK_CPUS, SOAK_CPUS))


def garbled_lines(result):
    """Lines that are not exactly one whole line from one of the machine's CPUs."""
    bad = []
    for line in result.lines:
        match = LINE_RE.match(line)
        if match is None or int(match.group(1)) >= SOAK_CPUS or len(PREFIX_RE.findall(line)) != 1:
            bad.append(line)
    return bad


def check_soak_boot(result):
    """None if the boot is good, else a one-line reason (the log is attached by the caller)."""
    try:
        assert_ready(result, cpus=(SOAK_CPUS, SOAK_CPUS))
    except AssertionError as failure:
        return str(failure).splitlines()[0]
    garbled = garbled_lines(result)
    if garbled:
        return "%d garbled serial line(s), first: %r" % (len(garbled), garbled[0])
    if not result.grep(PARALLEL_RE.pattern):
        return "no 'smp: %d of %d CPUs online ... (parallel' line: not the parallel bring-up" % (
            SOAK_CPUS, SOAK_CPUS)
    return None


def run_soak(title, summary_name, boot_one, check):
    """SOAK_BOOTS boots of boot_one(name), each judged by check(result) (None: good); all run even
    after a failure. The summary line goes to build/test-logs/<summary_name> and the output."""
    started = time.monotonic()
    failures = []  # (boot number, reason, text with the log)
    walls = []
    for number in range(1, SOAK_BOOTS + 1):
        try:
            result = boot_one(number)
        except vmxboot.BootError as failure:  # a timeout: a CRASH, with the log in the message
            failures.append((number, str(failure).splitlines()[0], str(failure)))
            continue
        walls.append(result.wall_s)
        reason = check(result)
        if reason is not None:
            failures.append((number, reason, result.describe()))
    total_s = time.monotonic() - started
    summary = "soak: %d boots of %s, %d failed, %.0f s in all" % (SOAK_BOOTS, title, len(failures), total_s)
    if walls:
        summary += ", boot wall time min %.2f s, max %.2f s, mean %.2f s" % (
            min(walls), max(walls), sum(walls) / len(walls))
    lines = [summary] + ["  boot %02d: %s" % (number, reason) for number, reason, _ in failures]
    vmxboot.LOG_DIR.mkdir(parents=True, exist_ok=True)
    (vmxboot.LOG_DIR / summary_name).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if failures:
        pytest.fail("\n".join(lines) + "\n\nfirst failing boot:\n" + failures[0][2], pytrace=False)


@pytest.mark.soak
def test_soak_parallel_bringup_16_cpus():
    # loglevel=debug: every CPU prints its own VMX line at the same time, as the console lock must take.
    run_soak("QEMU -smp %d smp=parallel" % SOAK_CPUS, "soak-summary.txt",
             lambda n: boot("qemu", smp=SOAK_CPUS, cmdline="smp=parallel loglevel=debug", name="soak-%02d" % n),
             check_soak_boot)


BOCHS_SOAK_CPUS = 4
GUESTS_RE = re.compile(r"^cpu0: vmxroot: guests passed=(\d+)/(\d+) exits=\d+")
GUEST_PASS_RE = re.compile(r"^cpu(\d+): guest: cpu\1 result=PASS ")


def check_guest_soak_boot(result, cpus=BOCHS_SOAK_CPUS):
    """None if every CPU's test guest passed, else a one-line reason."""
    try:
        assert_ready(result, cpus=(cpus, cpus), vmx=cpus)
    except AssertionError as failure:
        return str(failure).splitlines()[0]
    summaries = [GUESTS_RE.match(line) for line in result.lines if GUESTS_RE.match(line)]
    if len(summaries) != 1:
        return "expected one guests summary line, found %d" % len(summaries)
    if summaries[0].groups() != (str(cpus), str(cpus)):
        return "guests passed=%s/%s, not %d/%d" % (summaries[0].groups() + (cpus, cpus))
    passing = sorted({int(m.group(1)) for m in map(GUEST_PASS_RE.match, result.lines) if m})
    if passing != list(range(cpus)):
        return "PASS result lines from cpus %s" % passing
    return None


@pytest.mark.soak
def test_soak_bochs_test_guest_on_4_cpus():
    run_soak("Bochs corei7_skylake_x with %d CPUs and the test guest" % BOCHS_SOAK_CPUS, "soak-bochs-summary.txt",
             lambda n: boot("bochs", smp=BOCHS_SOAK_CPUS, cpu_model="corei7_skylake_x", cmdline="exit=on-guest-exit",
                            exit_on_ready=False, name="soak-bochs-%02d" % n, timeout_s=150),
             check_guest_soak_boot)


# ----- the checks themselves (no emulator; these run in every `make test`) -------------------

def _fake_result(log):
    return vmxboot.BootResult(name="fake", emulator="qemu", command=[], cmdline="", log=log,
                                log_path=None, emulator_log_path=None, wall_s=0.0, exit_code=3,
                                timed_out=False)


GOOD_LOG = ("cpu0: vmxroot: booting\n"
            "cpu0: smp: 16 of 16 CPUs online, bring-up 3954 us (parallel, xAPIC)\n"
            "cpu15: warning: VMX not available\n"
            "cpu0: cpu3 (apic 3): did not answer\n"
            "cpu0: vmxroot: ready cpus=16/16 vmx=0 vmcs=0/0 status=0x13d000\n")


def test_soak_check_accepts_a_good_log():
    assert check_soak_boot(_fake_result(GOOD_LOG)) is None


@pytest.mark.parametrize("bad_line", [
    "cpu3: warnicpu4: warning: VMX not available",  # two CPUs in one line
    "cpu16: warning: VMX not available",  # a CPU the machine does not have
    "pu3: warning: VMX not available",  # a lost byte
    "cpu3: warning: \x00VMX not available",  # a stray control byte
    "",  # an empty line: a lost prefix
])
def test_soak_check_finds_garbled_lines(bad_line):
    reason = check_soak_boot(_fake_result(GOOD_LOG + bad_line + "\n"))
    assert reason is not None and "garbled" in reason


def test_soak_check_wants_every_cpu_and_the_parallel_path():
    assert "cpus" in check_soak_boot(_fake_result(GOOD_LOG.replace("cpus=16/16", "cpus=15/16")))
    serial = GOOD_LOG.replace("(parallel, xAPIC)", "(serial, xAPIC)")
    assert "parallel" in check_soak_boot(_fake_result(serial))


GOOD_GUEST_LOG = ("cpu0: vmxroot: ready cpus=4/4 vmx=4 vmcs=12/16 status=0x13d000\n"
                  + "".join("cpu%d: guest: cpu%d result=PASS entry=long64 checks=24\n" % (i, i) for i in range(4))
                  + "cpu0: vmxroot: guests passed=4/4 exits=360\n")


def test_guest_soak_check_accepts_four_passing_guests():
    assert check_guest_soak_boot(_fake_result(GOOD_GUEST_LOG)) is None


def test_guest_soak_check_finds_a_failed_or_missing_guest():
    assert "passed=3/4" in check_guest_soak_boot(_fake_result(GOOD_GUEST_LOG.replace("passed=4/4", "passed=3/4")))
    missing = GOOD_GUEST_LOG.replace("cpu2: guest: cpu2 result=PASS", "cpu2: guest: cpu2 result=FAIL")
    assert "PASS result lines" in check_guest_soak_boot(_fake_result(missing))
    assert "cpus" in check_guest_soak_boot(_fake_result(GOOD_GUEST_LOG.replace("cpus=4/4", "cpus=3/4")))
