"""selftest=vmentry: the software VM-entry check against Bochs's own VM entry (Bochs: QEMU's TCG has no VMX).

One boot of corei7_skylake_x with guest=none and a fixed seed runs a few hundred mutated VMCSs through our
check and through a real VMLAUNCH, and ends with the line

    cpu0: vmentry-diff: cases=<N> agree=<A> disagree=<D> stricter=<T> unsafe=<U> seed=<S> model=<M>

A missing line or a timeout is a CRASH (with the serial log). The run must compare most cases (the others
are counted as unsafe or not compared, never dropped silently), and every difference must be one the
Bochs-gap table explains: disagree=0, and no "vmentry-diff: disagree" line.
"""
import re

from vmxboot import boot

SUMMARY_RE = re.compile(r"^cpu0: vmentry-diff: cases=(\d+) agree=(\d+) disagree=(\d+) stricter=(\d+) "
                        r"unsafe=(\d+) seed=(\d+) model=(\S+)$")
NOT_COMPARED_RE = re.compile(r"^cpu0: vmentry-diff: not compared: never_launched=(\d+) unchecked=(\d+) "
                             r"not_written=(\d+)$")
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
    disagreements = [line for line in result.lines if "vmentry-diff: disagree" in line]
    assert cases == CASES and seed == SEED, result.describe()
    assert disagree == 0 and not disagreements, "\n".join(disagreements) + "\n" + result.describe()
    assert agree + stricter + unsafe + never + unchecked + not_written == cases, result.describe()
    assert agree >= cases // 2, "most cases must be compared\n%s" % result.describe()
