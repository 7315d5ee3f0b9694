"""Helpers several test files share: tools/vmxroot-status as the tests use it (loaded as a module,
or run as a person runs it), the status page a boot dumped, the shutdown line, and the boot CPU's
VMX summary (which CPUs are in VMX root, which are not and why).
"""
import importlib.machinery
import importlib.util
import json
import re
import subprocess
import sys

from vmxboot import REPO

STATUS_TOOL = REPO / "tools" / "vmxroot-status"
DUMP_END_RE = re.compile(r"status-dump end\b")
SHUTDOWN_RE = re.compile(r"vmxroot: shutdown: (\d+) CPUs left VMX operation")
# The boot CPU's summary names every CPU once, as runs ("cpu0-3,cpu7"), one line per kind of outcome; a
# long list goes on in ", continued" lines. With loglevel=debug each CPU also says it for itself.
CPU_LIST = r"((?:cpu\d+(?:-\d+)?,?)+)"
VMX_ROOT_RE = re.compile(r"^cpu0: vmx: in VMX root operation \(revision 0x([0-9a-f]+)\)(?:, continued)?: %s$" % CPU_LIST)
NO_VMX_RE = re.compile(r"^cpu0: warning: vmx: (\d+) CPUs without VMX \(([a-z-]+)\)(?:, continued)?: %s(?:: (.*))?$"
                       % CPU_LIST)


def load_status_tool():
    """tools/vmxroot-status as a module (it has no .py suffix, so through a SourceFileLoader)."""
    loader = importlib.machinery.SourceFileLoader("vmxroot_status", str(STATUS_TOOL))
    spec = importlib.util.spec_from_loader("vmxroot_status", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def run_status_tool(*args, timeout=120):
    """Runs the tool as a person would; the finished process (stdout and stderr as text)."""
    return subprocess.run([sys.executable, str(STATUS_TOOL), *map(str, args)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=timeout)


def status_tool_output(*args, json_output=True, context=""):
    """The tool's JSON (or its table text); fails with the tool's stderr and the context."""
    command_args = list(args) + (["--json"] if json_output else [])
    proc = run_status_tool(*command_args)
    assert proc.returncode == 0, "vmxroot-status %s exited %d: %s%s\n%s" % (
        " ".join(map(str, command_args)), proc.returncode, proc.stdout, proc.stderr, context)
    return json.loads(proc.stdout) if json_output else proc.stdout


def status_page(result, upto_dump=None):
    """The status page a boot printed with status=dump, decoded by tools/vmxroot-status --json.
    The tool decodes the last dump in the log; upto_dump=N (1-based) decodes the N-th instead
    (the log is cut after its end line into a file next to the serial log)."""
    source = result.log_path
    if upto_dump is not None:
        lines, seen = [], 0
        for line in result.lines:
            lines.append(line)
            if DUMP_END_RE.search(line):
                seen += 1
                if seen == upto_dump:
                    break
        assert seen == upto_dump, "only %d status dumps in the log, wanted #%d\n%s" % (seen, upto_dump,
                                                                                        result.describe())
        source = result.log_path.with_suffix(".dump%d.log" % upto_dump)
        source.write_text("\n".join(lines) + "\n")
    return status_tool_output("--serial-log", source, context=result.describe())


def status_dump_count(result):
    return len(result.grep(DUMP_END_RE.pattern))


def shutdown_count(result):
    """The CPU count of the one "shutdown: N CPUs left VMX operation" line."""
    lines = result.grep(SHUTDOWN_RE.pattern)
    assert len(lines) == 1, "expected one shutdown line, found %d\n%s" % (len(lines), result.describe())
    return int(SHUTDOWN_RE.search(lines[0]).group(1))


def cpu_list(text):
    """'cpu0-3,cpu5,cpu7-8' -> [0, 1, 2, 3, 5, 7, 8] (the kernel's CPU lists in summary lines)."""
    cpus = []
    for part in text.strip(",").split(","):
        first, _, last = part[len("cpu"):].partition("-")
        cpus += range(int(first), int(last or first) + 1)
    return cpus


def vmx_root_lines(lines):
    """{cpu: revision} from the summary's "vmx: in VMX root operation (revision ...)" lines; a CPU named
    twice is an error."""
    found = {}
    for line in lines:
        match = VMX_ROOT_RE.search(line)
        for cpu in cpu_list(match.group(2)) if match else ():
            assert cpu not in found, "cpu%d named twice in the VMX summary:\n%s" % (cpu, "\n".join(lines))
            found[cpu] = int(match.group(1), 16)
    return found


def no_vmx_lines(lines):
    """{cpu: (reason, the CPU's note)} from the summary's "CPUs without VMX" lines (a continued line
    carries the note of the line it continues)."""
    found, note = {}, None
    for line in lines:
        match = NO_VMX_RE.search(line)
        if not match:
            continue
        note = match.group(4) if ", continued" not in line else note
        for cpu in cpu_list(match.group(3)):
            found[cpu] = (match.group(2), note)
    return found
