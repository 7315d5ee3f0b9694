"""Boot vmxroot in QEMU or Bochs and judge the run by its serial log.

One verdict per run, parsed from one defined line (like Xen's XTF runner): the kernel ends a
boot with exactly one line

    cpu0: vmxroot: ready cpus=<online>/<found> vmx=<n> vmcs=<free>/<total> status=0x<hex> ...

and a panic prints a line containing PANIC. A missing ready line, a panic or a timeout is a
CRASH, never a pass; every failure message carries the whole serial log.

The kernel command line is set per boot without running grub-mkrescue each time: once per
kernel build we make a test ISO whose grub.cfg holds a fixed-size slot of spaces on the
multiboot2 line, then every boot copies that ISO and overwrites the slot in place (ISO 9660
stores each file in one contiguous extent, so the bytes of grub.cfg sit at one offset).
A copy costs about 20 ms; grub-mkrescue costs about 0.5 s. Variants are cached by command line.

Used by the pytest suite (tests/) and by tools/run.py, so the command lines live only here.
"""

import dataclasses
import hashlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build"
ELF = BUILD / "vmxroot.elf"
ISO = BUILD / "vmxroot.iso"
GRUB_CFG = REPO / "tools" / "grub.cfg"
LOG_DIR = BUILD / "test-logs"
ISO_CACHE = BUILD / "test-isos"

QEMU = "qemu-system-x86_64"
OVMF = Path("/usr/share/ovmf/OVMF.fd")
BOCHS = "bochs-bin"  # /usr/bin/bochs is a wrapper script that adds -q
BOCHS_BIOS = Path("/usr/share/bochs/BIOS-bochs-latest")
BOCHS_VGABIOS = Path("/usr/share/vgabios/vgabios.bin")
BOCHS_DEFAULT_MODEL = "corei7_skylake_x"  # VMX with EPT, VPID, unrestricted guest
BOCHS_MAX_CPUS = 15  # count=16 crashes Bochs 2.7
BOCHS_IPS = 4000000  # lower is faster: firmware and GRUB wait on virtual time

# QEMU isa-debug-exit: a write of v to port 0xf4 ends QEMU with status (v << 1) | 1.
QEMU_DEBUG_EXIT = "isa-debug-exit,iobase=0xf4,iosize=0x04"

# The slot on the multiboot2 line of the test grub.cfg. Larger than the kernel's
# CMDLINE_MAX_BYTES (1024) so that tests can pass over-long command lines.
CMDLINE_SLOT_BYTES = 4096
CMDLINE_SLOT_MARKER = b"@@vmxroot-cmdline-slot@@"
ISO_VARIANTS_KEPT = 32

READY_RE = re.compile(r"vmxroot: ready\b(.*)$")
PANIC_RE = re.compile(r"PANIC")
WARNING_RE = re.compile(r"\bwarning: ")
ERROR_RE = re.compile(r"\berror: ")
CPU_PREFIX_RE = re.compile(r"^cpu(\d+): ")

# Whole-process limits on this machine kind are 0.5 s (QEMU, BIOS), 3.5 s (OVMF) and 1-5 s
# (Bochs); the defaults leave room for a loaded 2-core CI machine. VMXROOT_TIMEOUT_SCALE
# multiplies them for slower hosts.
TIMEOUT_SCALE = float(os.environ.get("VMXROOT_TIMEOUT_SCALE", "1"))


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


# ----- ISO variants ------------------------------------------------------------------------


def grub_quote(token):
    """One word for GRUB's script parser: single quotes keep everything literal but a quote."""
    return "'" + token.replace("'", "'\"'\"'") + "'"


def kernel_cmdline(cmdline):
    """What the kernel receives for a command line: GRUB joins the words with one space and
    puts a backslash before \\, ' and " (grub_create_loader_cmdline)."""
    return " ".join(re.sub(r"""([\\'"])""", r"\\\1", word) for word in cmdline.split())


def _file_digest(*paths):
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def _test_grub_cfg():
    """tools/grub.cfg with the arguments of its multiboot2 line replaced by the slot."""
    text = GRUB_CFG.read_text()
    slot = CMDLINE_SLOT_MARKER.decode() + " " * (CMDLINE_SLOT_BYTES - len(CMDLINE_SLOT_MARKER))
    new, count = re.subn(r"^(\s*multiboot2\s+\S+).*$", lambda m: m.group(1) + " " + slot, text,
                         count=1, flags=re.M)
    if count != 1:
        raise BootError("%s has no multiboot2 line to put the test command line on" % GRUB_CFG)
    return new


def _base_iso():
    """The test ISO for the current kernel and grub.cfg, and the offset of its slot."""
    if not ELF.exists():
        raise BootError("%s is missing: run `make` first" % ELF)
    key = _file_digest(ELF, GRUB_CFG)
    iso = ISO_CACHE / ("base-%s.iso" % key)
    offset_file = iso.with_suffix(".offset")
    if iso.exists() and offset_file.exists():
        return key, iso, int(offset_file.read_text())
    ISO_CACHE.mkdir(parents=True, exist_ok=True)
    # Older kernels' ISOs are stale; those of the last minutes may still be booting in another session.
    for old in ISO_CACHE.glob("*.iso"):
        if not old.name.startswith(("base-%s" % key, key)) and time.time() - old.stat().st_mtime > 600:
            old.unlink(missing_ok=True)
            old.with_suffix(".offset").unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(dir=ISO_CACHE) as tmp:
        isodir = Path(tmp) / "iso"
        (isodir / "boot" / "grub").mkdir(parents=True)
        shutil.copyfile(ELF, isodir / "boot" / "vmxroot.elf")
        (isodir / "boot" / "grub" / "grub.cfg").write_text(_test_grub_cfg())
        out = Path(tmp) / "base.iso"
        proc = subprocess.run(["grub-mkrescue", "-o", str(out), str(isodir)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise BootError("grub-mkrescue failed:\n" + proc.stdout + proc.stderr)
        data = out.read_bytes()
        offset = data.find(CMDLINE_SLOT_MARKER)
        if offset < 0 or data.find(CMDLINE_SLOT_MARKER, offset + 1) >= 0:
            raise BootError("the command line slot is not exactly once in %s" % out)
        offset_file.write_text(str(offset))  # before the ISO appears: others check for both
        out.rename(iso)
    return key, iso, offset


def iso_for_cmdline(cmdline):
    """An ISO whose GRUB boots the current kernel with this command line (cached)."""
    words = cmdline.split()
    slot = " ".join(grub_quote(w) for w in words).encode()
    if len(slot) > CMDLINE_SLOT_BYTES:
        raise BootError("command line too long for the test ISO slot (%d > %d bytes)" %
                        (len(slot), CMDLINE_SLOT_BYTES))
    if b"\n" in slot or b"\r" in slot:
        raise BootError("a command line cannot hold a line break")
    key, base, offset = _base_iso()
    digest = hashlib.sha256(slot).hexdigest()[:16]
    variant = ISO_CACHE / ("%s-%s.iso" % (key, digest))
    if variant.exists():
        os.utime(variant)
        return variant
    tmp = variant.with_suffix(".tmp%d" % os.getpid())
    shutil.copyfile(base, tmp)
    with open(tmp, "r+b") as iso:
        iso.seek(offset)
        iso.write(slot.ljust(CMDLINE_SLOT_BYTES, b" "))
    tmp.rename(variant)
    variants = sorted(ISO_CACHE.glob("%s-*.iso" % key), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in variants[ISO_VARIANTS_KEPT:]:
        old.unlink(missing_ok=True)
    return variant


# ----- command lines -----------------------------------------------------------------------


def qemu_command(iso, serial, smp=1, memory_mb=256, firmware="bios", machine="pc", cpu_model=None,
                 qmp_socket=None, gdb=False, kvm=False, extra_args=(), serial_port=True):
    """The QEMU command line. serial is a QEMU chardev ("file:PATH", "stdio"). With serial_port
    False the machine has no UART (-serial none), as most laptops: the kernel's 0xE9 fallback
    goes to the same chardev through -debugcon, so the log is still kept."""
    output = ["-serial", serial] if serial_port else ["-serial", "none", "-debugcon", serial]
    cmd = [QEMU, "-M", machine, "-cdrom", str(iso), "-smp", str(smp), "-m", str(memory_mb),
           "-display", "none"] + output + ["-no-reboot", "-device", QEMU_DEBUG_EXIT]
    if firmware == "uefi":
        cmd += ["-bios", str(OVMF)]
    elif firmware != "bios":
        raise ValueError("firmware must be 'bios' or 'uefi', not %r" % firmware)
    if kvm:
        cmd += ["-enable-kvm", "-cpu", cpu_model or "host"]
    elif cpu_model:
        cmd += ["-cpu", cpu_model]
    if qmp_socket:
        cmd += ["-qmp", "unix:%s,server=on,wait=off" % qmp_socket]
    if gdb:
        cmd += ["-s", "-S"]  # gdb stub on tcp::1234, CPUs paused until gdb says continue
    return cmd + [str(a) for a in extra_args]


def bochs_config(iso, serial_path, log_path, smp=1, memory_mb=256, cpu_model=None, extra_lines=()):
    """The text of a bochsrc (see docs in TESTBED.md: a minimal working bochsrc)."""
    if not 1 <= smp <= BOCHS_MAX_CPUS:
        raise ValueError("Bochs runs 1..%d CPUs, not %d" % (BOCHS_MAX_CPUS, smp))
    lines = [
        "megs: %d" % memory_mb,
        "romimage: file=%s" % BOCHS_BIOS,
        "vgaromimage: file=%s" % BOCHS_VGABIOS,
        "display_library: sdl2",
        "cpu: model=%s, count=%d, ips=%d, reset_on_triple_fault=0" % (cpu_model or BOCHS_DEFAULT_MODEL,
                                                                       smp, BOCHS_IPS),
        "ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14",
        "ata0-master: type=cdrom, path=%s, status=inserted" % iso,
        "boot: cdrom",
        "com1: enabled=1, mode=file, dev=%s" % serial_path,
        "log: %s" % log_path,
        "panic: action=fatal",
    ]
    return "\n".join(lines + list(extra_lines)) + "\n"


def bochs_command(bochsrc, debugger_rc):
    return [BOCHS, "-q", "-f", str(bochsrc), "-rc", str(debugger_rc)]


def bochs_environment():
    # Debian's Bochs has no "nogui": SDL2 with its dummy video driver runs headless.
    return dict(os.environ, SDL_VIDEODRIVER="dummy")


def write_bochs_files(directory, stem, iso, serial_path, emulator_log_path, smp, memory_mb, cpu_model,
                      extra_lines=()):
    """Writes STEM.bochsrc and STEM.bochs-rc (debugger: continue, then quit) and returns the
    Bochs command line. The debugger built into Debian's bochs-bin stops at a prompt otherwise."""
    bochsrc = directory / (stem + ".bochsrc")
    debugger_rc = directory / (stem + ".bochs-rc")
    bochsrc.write_text(bochs_config(iso, serial_path, emulator_log_path, smp, memory_mb, cpu_model, extra_lines))
    debugger_rc.write_text("c\nquit\n")
    return bochs_command(bochsrc, debugger_rc)


# ----- running -----------------------------------------------------------------------------

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


class Boot:
    """A running emulator. wait() ends it and returns the BootResult; for tests that talk to
    a running kernel (QMP, exit=never), stop() kills it early."""

    def __init__(self, emulator="qemu", smp=1, memory_mb=256, firmware="bios", machine="pc", cpu_model=None,
                 cmdline="", exit_on_ready=True, extra_args=(), timeout_s=None, name=None, qmp_socket=None,
                 iso=None, bochs_lines=(), serial_port=True):
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
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = LOG_DIR / (self.name + ".log")
        self.log_path.write_text("")
        env = None
        if emulator == "qemu":
            self.emulator_log_path = LOG_DIR / (self.name + ".qemu.log")
            self.command = qemu_command(self.iso, "file:%s" % self.log_path, smp, memory_mb, firmware, machine,
                                        cpu_model, qmp_socket, extra_args=extra_args, serial_port=serial_port)
        else:
            self.emulator_log_path = LOG_DIR / (self.name + ".bochs.log")
            self.command = write_bochs_files(LOG_DIR, self.name, self.iso, self.log_path,
                                             self.emulator_log_path, smp, memory_mb, cpu_model, bochs_lines)
            self.command += [str(a) for a in extra_args]
            env = bochs_environment()
        self._stderr = open(self.emulator_log_path if emulator == "qemu" else
                            LOG_DIR / (self.name + ".bochs.stderr"), "w")
        self.start_time = time.monotonic()
        # A session of its own, so that a timeout kills the emulator and anything it started.
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=self._stderr,
                                        stderr=subprocess.STDOUT, env=env, cwd=LOG_DIR, start_new_session=True)

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


def host_has_vmx_kvm():
    """True if QEMU+KVM could run vmxroot with VMX: /dev/kvm and a host CPU with vmx."""
    if not os.path.exists("/dev/kvm") or not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("flags"):
                    return "vmx" in line.split(":", 1)[1].split()
    except OSError:
        pass
    return False
