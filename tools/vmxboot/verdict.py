"""One verdict per run, from the serial log: the ready line, PANIC lines, warnings and errors."""
import dataclasses
import re
from pathlib import Path

READY_RE = re.compile(r"vmxroot: ready\b(.*)$")
PANIC_RE = re.compile(r"PANIC")
WARNING_RE = re.compile(r"\bwarning: ")
ERROR_RE = re.compile(r"\berror: ")
CPU_PREFIX_RE = re.compile(r"^cpu(\d+): ")


class BootError(AssertionError):
    """A boot that did not give a verdict: timeout, emulator failure, missing ISO."""


@dataclasses.dataclass
class BootResult:
    name: str
    emulator: str
    command: list
    cmdline: str  # what the kernel was given (GRUB escapes \ ' " with a backslash)
    log: str  # the serial output
    log_path: Path
    emulator_log_path: Path  # Bochs's own log, QEMU's stderr
    wall_s: float
    exit_code: int
    timed_out: bool
    stopped_on_ready: bool = False

    @property
    def lines(self):
        return self.log.splitlines()

    @property
    def ready_lines(self):
        return [line for line in self.lines if READY_RE.search(line)]

    @property
    def ready_line(self):
        found = self.ready_lines
        return found[0] if found else None

    @property
    def ready(self):
        """The ready line's key=value pairs (see parse_ready), or None without one."""
        line = self.ready_line
        return parse_ready(line) if line is not None else None

    @property
    def panic_lines(self):
        return [line for line in self.lines if PANIC_RE.search(line)]

    @property
    def warnings(self):
        return [line for line in self.lines if WARNING_RE.search(line)]

    @property
    def errors(self):
        return [line for line in self.lines if ERROR_RE.search(line)]

    @property
    def qemu_exit_value(self):
        """The value the kernel wrote to isa-debug-exit, or None if QEMU ended otherwise."""
        if self.emulator != "qemu" or self.exit_code <= 0 or self.exit_code % 2 == 0:
            return None
        return self.exit_code >> 1

    def grep(self, pattern):
        """Lines matching a regular expression."""
        regex = re.compile(pattern)
        return [line for line in self.lines if regex.search(line)]

    def cpu_lines(self, cpu):
        """Lines printed by one CPU ("cpuN: ...")."""
        prefix = "cpu%d: " % cpu
        return [line for line in self.lines if line.startswith(prefix)]

    def describe(self):
        """A header for failure messages, then the whole serial log."""
        head = "%s boot '%s' (%.2f s, exit %s%s)\n  command: %s\n  kernel cmdline: %r\n" % (
            self.emulator, self.name, self.wall_s, self.exit_code,
            ", TIMED OUT" if self.timed_out else "",
            " ".join(str(c) for c in self.command), self.cmdline)
        head += "  serial log: %s\n  emulator log: %s\n" % (self.log_path, self.emulator_log_path)
        return head + "----- serial log -----\n" + self.log + "----- end of serial log -----"


def parse_value(text):
    """'12' -> 12, '0x1f' -> 31, '3/4' -> (3, 4), anything else stays a string."""
    if re.fullmatch(r"\d+/\d+", text):
        a, b = text.split("/")
        return int(a), int(b)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def parse_ready(line):
    """key=value pairs of a ready line. For a pair "k=a/b" there are also k_online/k_found for
    cpus and k_free/k_total for vmcs, so tests read ready['cpus_online']."""
    match = READY_RE.search(line)
    if match is None:
        raise ValueError("not a ready line: %r" % line)
    fields = {}
    for token in match.group(1).split():
        key, sep, value = token.partition("=")
        if not sep:
            continue
        fields[key] = parse_value(value)
    names = {"cpus": ("online", "found"), "vmcs": ("free", "total")}
    for key, (first, second) in names.items():
        if isinstance(fields.get(key), tuple):
            fields[key + "_" + first], fields[key + "_" + second] = fields[key]
    return fields


def assert_ready(result, cpus=(1, 1), vmx=None, allow_panic=False, **expect):
    """Fails unless the run printed exactly one ready line with the expected values and no
    PANIC. cpus=(online, found) or None to skip; vmx=n or None; any other key=value of the
    ready line can be checked by name (vmcs=(free, total), status=0). Returns the fields."""
    if result.timed_out:
        raise AssertionError("CRASH: timed out without finishing\n" + result.describe())
    if not result.ready_lines:
        raise AssertionError("CRASH: no 'vmxroot: ready' line\n" + result.describe())
    if len(result.ready_lines) > 1:
        raise AssertionError("more than one ready line\n" + result.describe())
    if result.panic_lines and not allow_panic:
        raise AssertionError("PANIC in the log: %s\n%s" % (result.panic_lines[0], result.describe()))
    fields = result.ready
    wanted = dict(expect)
    if cpus is not None:
        wanted["cpus"] = tuple(cpus)
    if vmx is not None:
        wanted["vmx"] = vmx
    wrong = ["%s=%r (expected %r)" % (k, fields.get(k), v) for k, v in wanted.items() if fields.get(k) != v]
    if wrong:
        raise AssertionError("ready line differs: %s\n  %s\n%s" % (", ".join(wrong), result.ready_line,
                                                                    result.describe()))
    return fields


def assert_panic(result, text=None):
    """Fails unless the run printed a PANIC line (containing text, if given) and no ready line."""
    if not result.panic_lines:
        raise AssertionError("expected a PANIC line, found none\n" + result.describe())
    if text is not None and not any(text in line for line in result.panic_lines):
        raise AssertionError("no PANIC line contains %r\n%s" % (text, result.describe()))
    if result.ready_lines:
        raise AssertionError("a ready line after a PANIC\n" + result.describe())
