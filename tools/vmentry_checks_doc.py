#!/usr/bin/python3
"""Writes docs/vmentry-checks.md, the coverage table of the software VM-entry check, from the code:
arch/x86/vmx/vmentry_check_list.h (the checks), tests/unit/vmentry_break_cases.h (the unit cases) and
arch/x86/vmx/vmentry_bochs_gaps.c (Bochs 2.7's departures). The text around the table is kept from
docs/vmentry-checks.md between the markers. test_vmentry_check checks that every check id is in the file.

    tools/vmentry_checks_doc.py            rewrite the table
    tools/vmentry_checks_doc.py --check    exit 1 if the file is not what it would write
    tools/vmentry_checks_doc.py --diff-log SERIAL.log   first keep the "vmentry-diff: check <id> cases=<n>"
        lines of a selftest=vmentry run in docs/vmentry-diff-counts.txt, which fills the last column
"""
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "vmentry-checks.md"
COUNTS = REPO / "docs" / "vmentry-diff-counts.txt"
BEGIN, END = "<!-- table: begin (tools/vmentry_checks_doc.py) -->", "<!-- table: end -->"
AREA = {"CONTROL": "controls (error 7)", "HOST": "host state (error 8)", "GUEST": "guest state (exit 33)",
        "MSR_LIST": "MSR loading (exit 34)", "MSR_ENTRY": "MSR loading (exit 34)"}
BASE = {"BASE_64": "64-bit", "BASE_32": "32-bit", "BASE_64_NO_UG": "64-bit, no UG", "BASE_V8086": "v8086",
        "BASE_PAE_EPT": "PAE+EPT", "BASE_PAE_NO_EPT": "PAE, no EPT"}
KIND = {"BOCHS_MISSING": "missing", "BOCHS_OTHER_CLASS": "other class", "BOCHS_OLDER_RULE": "older rule",
        "BOCHS_NEVER_LAUNCH": "never launch"}


def rows():
    text = (REPO / "arch/x86/vmx/vmentry_check_list.h").read_text()
    return re.findall(r'X\((\w+), (\w+), \w+, \w+, VMCS_(\w+), "((?:[^"\\]|\\.)*)"\)', text)


def cases():
    found = {}
    text = (REPO / "tests/unit/vmentry_break_cases.h").read_text()
    for check, base in re.findall(r"\{ VMENTRY_CHECK_(\w+), (BASE_\w+),", text):
        found.setdefault(check, []).append(BASE[base])
    return found


def gaps():
    text = (REPO / "arch/x86/vmx/vmentry_bochs_gaps.c").read_text()
    return {check: KIND[kind] for check, kind in re.findall(r"\{ VMENTRY_CHECK_(\w+), (BOCHS_\w+),", text)}


def diff_counts():
    if not COUNTS.exists():
        return {}
    return {ident: int(n) for ident, n in re.findall(r"check (\w+) cases=(\d+)", COUNTS.read_text())}


def table():
    c, g, d = cases(), gaps(), diff_counts()
    lines = ["| # | check | SDM check | area | unit cases (base) | Bochs 2.7 | differential cases |",
             "|---:|---|---|---|---|---|---:|"]
    for i, (area, ident, field, name) in enumerate(rows()):
        name = name.replace('\\"', '"').replace("|", "\\|")
        unit = ", ".join(c.get(ident, [])) or "**none**"
        lines.append(f"| {i} | `{ident}` | {name} (`{field}`) | {AREA[area]} | {unit} | {g.get(ident, 'as SDM')} "
                     f"| {d.get(ident, 0)} |")
    return "\n".join(lines)


def main():
    if "--diff-log" in sys.argv:
        log = Path(sys.argv[sys.argv.index("--diff-log") + 1]).read_text(errors="replace")
        COUNTS.write_text("".join(line + "\n" for line in re.findall(r"vmentry-diff: (check \w+ cases=\d+)", log)))
    old = DOC.read_text()
    head, rest = old.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{BEGIN}\n{table()}\n{END}{tail}"
    if "--check" in sys.argv:
        sys.exit(0 if new == old else 1)
    DOC.write_text(new)


if __name__ == "__main__":
    main()
