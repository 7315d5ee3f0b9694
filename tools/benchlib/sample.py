"""One boot, watched: a Sample of its times, read from the serial file as lines arrive."""
import dataclasses
import subprocess
import time
from pathlib import Path

import vmxboot

from .config import KERNEL_MARKS, MEMORY_RE, MODES, POLL_S, SEABIOS_MARKS


@dataclasses.dataclass
class Sample:
    emulator: str
    smp: int
    mode: str
    round: int
    ok: bool = False
    error: str = ""
    ready_s: float = None
    exit_s: float = None
    first_s: float = None
    bringup_us: int = None
    boot_us: int = None
    cpus_online: int = None
    cpus_found: int = None
    vmx: int = None
    fixed_per_cpu_bytes: int = None
    per_vmcs_bytes: int = None
    vmcs_per_cpu: int = None
    marks: dict = dataclasses.field(default_factory=dict)  # profile: phase name -> seconds
    log_path: str = ""
    load_1min: float = None  # the host's load average when the boot started


class LineWatcher:
    """Reads what an emulator appends to a file and timestamps each complete line."""

    def __init__(self, path, start_time):
        self.path = Path(path)
        self.start_time = start_time
        self.handle = None
        self.partial = ""
        self.lines = []  # (seconds since start, line)

    def poll(self):
        if self.handle is None:
            try:
                self.handle = open(self.path, "r", errors="replace")
            except FileNotFoundError:
                return
        chunk = self.handle.read()
        if not chunk:
            return
        now = time.monotonic() - self.start_time
        text = self.partial + chunk
        *complete, self.partial = text.split("\n")
        self.lines += [(now, line) for line in complete]

    def first(self, regex):
        for seen_s, line in self.lines:
            if regex.search(line):
                return seen_s, line
        return None, None

    def close(self):
        if self.handle:
            self.handle.close()


def run_one(emulator, smp, mode, round_index, timeout_s=None, profile=False):
    """One boot with exit=on-ready, watched until the emulator ends. Never raises for the boot."""
    name = "bench-%s-%d-%s-r%d%s" % (emulator, smp, mode, round_index, "-profile" if profile else "")
    sample = Sample(emulator, smp, mode, round_index)
    try:
        sample.load_1min = float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError):
        pass
    extra_args = []
    debugcon = None
    if profile and emulator == "qemu":
        debugcon = vmxboot.LOG_DIR / (name + ".seabios.log")
        vmxboot.LOG_DIR.mkdir(parents=True, exist_ok=True)
        debugcon.write_text("")
        extra_args = ["-debugcon", "file:%s" % debugcon, "-global", "isa-debugcon.iobase=0x402"]
    if timeout_s is None:
        # Three times the test suite's limit: a slow boot is a measurement here, not a failure.
        timeout_s = 3 * vmxboot.default_timeout_s(emulator, smp, "bios")
    running = vmxboot.Boot(emulator, smp=smp, cmdline=MODES[mode], exit_on_ready=True, name=name,
                             timeout_s=timeout_s, extra_args=extra_args)
    sample.log_path = str(running.log_path)
    serial = LineWatcher(running.log_path, running.start_time)
    bios = LineWatcher(debugcon, running.start_time) if debugcon else None
    deadline = running.start_time + timeout_s
    timed_out = False
    with running:
        while True:
            exited = running.process.poll() is not None
            if exited:
                sample.exit_s = time.monotonic() - running.start_time
            serial.poll()
            if bios:
                bios.poll()
            if exited:
                break
            if time.monotonic() > deadline:
                timed_out = True
                break
            time.sleep(POLL_S)
        result = running.stop() if timed_out else running.wait()
    serial.close()
    if bios:
        bios.close()

    ready_s, ready_line = serial.first(vmxboot.READY_RE)
    sample.first_s = serial.lines[0][0] if serial.lines else None
    memory_s, memory_line = serial.first(MEMORY_RE)
    if ready_line is None:
        reason = "timeout after %.0f s" % timeout_s if timed_out else "no ready line (exit %s)" % result.exit_code
        panics = result.panic_lines
        sample.error = reason + (": " + panics[0] if panics else "")
        return sample
    fields = vmxboot.parse_ready(ready_line)
    sample.ready_s = ready_s
    sample.bringup_us = fields.get("bringup_us")
    sample.boot_us = fields.get("boot_us")
    sample.cpus_online = fields.get("cpus_online")
    sample.cpus_found = fields.get("cpus_found")
    sample.vmx = fields.get("vmx")
    if memory_line:
        match = MEMORY_RE.search(memory_line)
        sample.fixed_per_cpu_bytes, sample.per_vmcs_bytes, sample.vmcs_per_cpu = map(int, match.groups())
    if bios:
        for mark, regex in SEABIOS_MARKS:
            sample.marks[mark] = bios.first(regex)[0]
    sample.marks["kernel_first_line"] = sample.first_s
    for mark, regex in KERNEL_MARKS:
        sample.marks[mark] = serial.first(regex)[0]
    sample.marks["ready"] = ready_s
    sample.marks["exit"] = sample.exit_s
    problems = []
    if sample.cpus_online != smp:
        problems.append("%s of %s CPUs online" % (sample.cpus_online, smp))
    if emulator == "bochs" and sample.vmx != smp:
        problems.append("%s of %s CPUs in VMX root" % (sample.vmx, smp))
    if result.panic_lines:
        problems.append(result.panic_lines[0])
    sample.error = "; ".join(problems)
    sample.ok = not result.panic_lines
    return sample


def qemu_startup_s(smp):
    """Wall time of QEMU creating the machine paused (-S) and quitting at once: the emulator's
    own cost of a CPU count, before any firmware instruction runs."""
    cmd = [vmxboot.QEMU, "-M", "pc", "-smp", str(smp), "-m", "256", "-display", "none", "-S", "-monitor", "stdio"]
    started = time.monotonic()
    try:
        subprocess.run(cmd, input="quit\n", capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return time.monotonic() - started
