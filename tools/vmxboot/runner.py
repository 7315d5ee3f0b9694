"""Running one boot: start the emulator, wait (bounded) for it to end, return the BootResult."""
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from .commands import bochs_environment, qemu_command, write_bochs_files
from .iso import iso_for_cmdline, kernel_cmdline
from . import paths  # read at each boot: tools/bench.py points paths.LOG_DIR at its own directory
from .verdict import BootError, BootResult

# Whole-process limits on this machine kind are 0.5 s (QEMU, BIOS), 3.5 s (OVMF) and 1-5 s
# (Bochs); the defaults leave room for a loaded 2-core CI machine. VMXROOT_TIMEOUT_SCALE
# multiplies them for slower hosts.
TIMEOUT_SCALE = float(os.environ.get("VMXROOT_TIMEOUT_SCALE", "1"))


_names_used = set()


def _test_name(name):
    """A file-system-safe log name: the given one, or the current pytest test's."""
    if name is None:
        current = os.environ.get("PYTEST_CURRENT_TEST", "boot")
        name = current.split(" ")[0].split("::", 1)[-1]
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "boot"
    unique, n = name, 2
    while unique in _names_used:
        unique, n = "%s-%d" % (name, n), n + 1
    _names_used.add(unique)
    return unique


def default_timeout_s(emulator, smp, firmware):
    smp = int(str(smp).split(",")[0])  # a QEMU topology such as "4,sockets=2,cores=2" starts with the count
    if emulator == "bochs":
        base = 60 + 4 * smp
    elif firmware == "uefi":
        base = 60 + smp * 0.2
    else:
        base = 30 + smp * 0.2
    return base * TIMEOUT_SCALE


def _bochs_overrides(binary, debugger_lines):
    """Another bochs-bin (the native baseline's patched copy) or debugger commands, where given."""
    overrides = {}
    if binary is not None:
        overrides["binary"] = binary
    if debugger_lines is not None:
        overrides["debugger_lines"] = debugger_lines
    return overrides


class Boot:
    """A running emulator. wait() ends it and returns the BootResult; for tests that talk to
    a running kernel (QMP, exit=never), stop() kills it early."""

    def __init__(self, emulator="qemu", smp=1, memory_mb=256, firmware="bios", machine="pc", cpu_model=None,
                 cmdline="", exit_on_ready=True, extra_args=(), timeout_s=None, name=None, qmp_socket=None,
                 iso=None, bochs_lines=(), serial_port=True, bochs_binary=None, bochs_debugger=None):
        if emulator not in ("qemu", "bochs"):
            raise ValueError("emulator must be 'qemu' or 'bochs', not %r" % emulator)
        if emulator == "bochs" and (firmware != "bios" or machine != "pc"):
            raise ValueError("Bochs boots only SeaBIOS-style BIOS on its own machine")
        self.emulator = emulator
        self.name = _test_name(name)
        if iso is None:
            self.cmdline = ("exit=on-ready " if exit_on_ready else "") + cmdline
            iso = iso_for_cmdline(self.cmdline)
        else:
            self.cmdline = "(from %s)" % iso
        self.iso = Path(iso)
        self.timeout_s = timeout_s if timeout_s is not None else default_timeout_s(emulator, smp, firmware)
        paths.LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = paths.LOG_DIR / (self.name + ".log")
        self.log_path.write_text("")
        env = None
        if emulator == "qemu":
            self.emulator_log_path = paths.LOG_DIR / (self.name + ".qemu.log")
            self.command = qemu_command(self.iso, "file:%s" % self.log_path, smp, memory_mb, firmware, machine,
                                        cpu_model, qmp_socket, extra_args=extra_args, serial_port=serial_port)
        else:
            self.emulator_log_path = paths.LOG_DIR / (self.name + ".bochs.log")
            self.command = write_bochs_files(paths.LOG_DIR, self.name, self.iso, self.log_path,
                                             self.emulator_log_path, smp, memory_mb, cpu_model, bochs_lines,
                                             **_bochs_overrides(bochs_binary, bochs_debugger))
            self.command += [str(a) for a in extra_args]
            env = bochs_environment()
        self._stderr = open(self.emulator_log_path if emulator == "qemu" else
                            paths.LOG_DIR / (self.name + ".bochs.stderr"), "w")
        self.start_time = time.monotonic()
        # A session of its own, so that a timeout kills the emulator and anything it started.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self._stderr,
                                        stderr=subprocess.STDOUT, env=env, cwd=paths.LOG_DIR, start_new_session=True)

    def serial_text(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern, timeout_s=None):
        """Waits until a serial line matches; returns the line, or None if the emulator ended or
        the timeout passed first."""
        regex = re.compile(pattern, re.M)
        deadline = time.monotonic() + (timeout_s if timeout_s is not None else self.timeout_s)
        while time.monotonic() < deadline:
            match = regex.search(self.serial_text())
            if match:
                line_start = match.string.rfind("\n", 0, match.start()) + 1
                line_end = match.string.find("\n", match.end())
                return match.string[line_start:line_end if line_end >= 0 else None]
            if self.process.poll() is not None:
                return None
            time.sleep(0.02)
        return None

    def _kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()

    def stop(self):
        """Kills the emulator now and returns the result so far."""
        self._kill()
        return self._result(timed_out=False, stopped=True)

    def wait(self, expect_timeout=False, stop_on_ready=False):
        """Waits for the emulator to end by itself. On timeout it is killed and BootError raised
        with the log, unless expect_timeout (then timed_out is set in the result). With
        stop_on_ready the emulator is killed once the ready or a PANIC line is complete."""
        deadline = self.start_time + self.timeout_s
        timed_out = stopped = False
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self._kill()
                timed_out = True
                break
            if stop_on_ready and re.search(r"(vmxroot: ready|PANIC).*\n", self.serial_text()):
                time.sleep(0.1)  # lets the rest of the line and any panic details arrive
                self._kill()
                stopped = True
                break
            time.sleep(0.02)
        result = self._result(timed_out, stopped)
        if timed_out and not expect_timeout:
            raise BootError("CRASH: timeout after %.0f s, emulator killed\n%s" % (self.timeout_s,
                                                                               result.describe()))
        return result

    def _result(self, timed_out, stopped):
        self._stderr.close()
        wall_s = time.monotonic() - self.start_time
        return BootResult(name=self.name, emulator=self.emulator, command=self.command,
                          cmdline=kernel_cmdline(self.cmdline), log=self.serial_text(), log_path=self.log_path,
                          emulator_log_path=self.emulator_log_path, wall_s=wall_s,
                          exit_code=self.process.returncode, timed_out=timed_out, stopped_on_ready=stopped)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self._kill()
        if not self._stderr.closed:
            self._stderr.close()


def boot(emulator="qemu", smp=1, memory_mb=256, firmware="bios", machine="pc", cpu_model=None, cmdline="",
         exit_on_ready=True, extra_args=(), timeout_s=None, name=None, expect_timeout=False, stop_on_ready=False,
         iso=None, bochs_lines=()):
    """Boots once and returns the BootResult. exit=on-ready goes first on the kernel command
    line (so a later exit= in cmdline wins) unless exit_on_ready is False. A timeout kills the
    emulator and raises BootError with the serial log, unless expect_timeout."""
    with Boot(emulator, smp, memory_mb, firmware, machine, cpu_model, cmdline, exit_on_ready, extra_args,
              timeout_s, name, iso=iso, bochs_lines=bochs_lines) as running:
        return running.wait(expect_timeout=expect_timeout, stop_on_ready=stop_on_ready)
