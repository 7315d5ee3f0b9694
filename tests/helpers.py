"""Helpers several test files share: tools/vmxroot-status as the tests use it (loaded as a module,
or run as a person runs it), the status page a boot dumped, and the shutdown line.
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
