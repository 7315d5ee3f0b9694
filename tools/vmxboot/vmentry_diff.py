"""The differential run of the VM-entry check (selftest=vmentry): its result lines, and each disagreement
paired with Bochs's own log line for the same VMLAUNCH.

The kernel prints the TSC before each VMLAUNCH (`tsc=` on a disagreement line); Bochs's RDTSC returns its
tick count, and Bochs's log lines start with that count, so the first VM-entry failure line Bochs logs at or
after that tick is its verdict on the case.
"""
import dataclasses
import re

SUMMARY_RE = re.compile(r"^cpu0: vmentry-diff: cases=(\d+) agree=(\d+) disagree=(\d+) stricter=(\d+) "
                        r"unsafe=(\d+) seed=(\d+) model=(\S+)$")
NOT_COMPARED_RE = re.compile(r"^cpu0: vmentry-diff: not compared: never_launched=(\d+) unchecked=(\d+) "
                             r"not_written=(\d+)$")
DISAGREE_RE = re.compile(r"vmentry-diff: disagree seed=(\d+) case=(\d+) tsc=(\d+) ours=(\S+).* bochs=")
FIELD_RE = re.compile(r"vmentry-diff:   case=(\d+) (.*)$")
BOCHS_FAIL_RE = re.compile(r"^(\d+)[a-z]\[CPU\d+ *\] (VMENTER FAIL|VMFAIL): .*$", re.M)


@dataclasses.dataclass
class Disagreement:
    case: int
    tsc: int
    ours: str  # our verdict's first word: "ok" when our check let the VMCS through
    line: str  # the kernel's disagreement line
    fields: list  # the kernel's "case=N FIELD old -> new" lines
    bochs_line: str  # Bochs's own line for that VMLAUNCH, or None when it logged none


def bochs_line_after(bochs_log, tsc):
    for match in BOCHS_FAIL_RE.finditer(bochs_log):
        if int(match.group(1)) >= tsc:
            return match.group(0)
    return None


def disagreements(serial_lines, bochs_log):
    found = []
    for line in serial_lines:
        match = DISAGREE_RE.search(line)
        if match:
            case = int(match.group(2))
            fields = [f.group(2) for f in map(FIELD_RE.search, serial_lines) if f and int(f.group(1)) == case]
            tsc = int(match.group(3))
            found.append(Disagreement(case, tsc, match.group(4), line, fields, bochs_line_after(bochs_log, tsc)))
    return found


def describe(found):
    """The disagreements as text, each with Bochs's line under it."""
    out = []
    for d in found:
        out.append(d.line)
        out.extend("    " + field for field in d.fields)
        out.append("    bochs: %s" % (d.bochs_line or "(no VM-entry failure line in Bochs's log)"))
    return "\n".join(out)
