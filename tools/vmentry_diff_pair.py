#!/usr/bin/python3
"""Print each disagreement of a differential run with Bochs's own log line for that VMLAUNCH.

    tools/vmentry_diff_pair.py SERIAL_LOG BOCHS_LOG     (make vmentry-diff runs it on build/run/)

Exit status 1 when the run has no summary line or reports a disagreement, 0 otherwise."""
import sys
from pathlib import Path

from vmxboot import vmentry_diff


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    serial = Path(sys.argv[1]).read_text(errors="replace").splitlines()
    bochs_log = Path(sys.argv[2]).read_text(errors="replace")
    found = vmentry_diff.disagreements(serial, bochs_log)
    if found:
        print(vmentry_diff.describe(found))
    summary = [line for line in serial if vmentry_diff.SUMMARY_RE.search(line)]
    if not summary:
        print("vmentry-diff: no summary line in %s: the run did not finish" % sys.argv[1])
        return 1
    print("%s (%d disagreement(s) paired with Bochs's log)" % (summary[0], len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
