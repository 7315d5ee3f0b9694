"""kvm-unit-tests on the bare CPU in Bochs: the native column the vmxroot runs are held to.

No hypervisor: GRUB boots the test itself (`multiboot /boot/TEST.flat ARGS` and `module /boot/env`)
in a copy of Debian's bochs-bin whose gate in `BX_CPU_C::relocate_apic` is patched out
(../shared/kvm-unit-tests/README.md: stock Bochs 2.7 drops the IA32_APIC_BASE write that enables
the local APIC again, so every test hangs natively at its start). The copy lives in build/ only and is
made from the package version whose bytes were checked; anything else is refused. It is never used to
run vmxroot.

Without a hypervisor nobody reads the exit port. The test's own "Shutdown" ends Bochs before its
UART has sent the last bytes, so Bochs's debugger stops at `exit` (a breakpoint at the symbol in
TEST.elf), prints the registers (EDI/RDI is the exit code), turns exit into a loop, runs on for
10 ms of Bochs time and quits. With more than one CPU Bochs 2.7 sometimes runs past that breakpoint
(smptest on 2 CPUs, always): then the exit code is the port write in Bochs's log (its `unmapped`
device at debug level: `unmapped: 32-bit write to 00f4 = 0000003f`), the last line may lack its last
bytes, and the result says so. realmode has no exit symbol: it writes the port, prints
`--- DONE: N ---` and spins; that line ends it.
"""
import re
import shutil
import subprocess
from pathlib import Path

from .linux_guest import grub_iso
from .paths import BUILD
from .runner import Boot
from . import kvm_unit_tests as kut

BOCHS_SOURCE = Path("/usr/bin/bochs-bin")
BOCHS_PACKAGE_VERSION = "2.7+dfsg-4+deb12u1"
# The 6-byte `je` in relocate_apic that skips the move when the global-enable bit was clear.
GATE_OFFSET = 0x1b6aa0
GATE_BYTES = bytes.fromhex("0f848a000000")
NATIVE_BOCHS = BUILD / "bochs-native" / "bochs-bin"
DRAIN_STEPS = 40000  # 10 ms at Bochs's 4 MIPS: over a hundred bytes at 115200 baud
# What a test whose exit has no symbol (realmode) prints after its exit port write.
DONE_RE = re.compile(r"^--- DONE: (\d+) ---$", re.M)
REGISTER_RE = re.compile(r"\b(?:rdi|edi): (?:0x)?([0-9a-f_]+)", re.I)
EXIT_PORT_RE = re.compile(r"unmapped: \d+-bit write to 00f4 = ([0-9a-f]+)")
BOCHS_LINES = ("debug: action=ignore, unmapped=report",)  # the exit port write in Bochs's log
CUT_NOTE = " (Bochs ran past its breakpoint at exit: the last bytes may be cut)"


class NativeBochsRefused(Exception):
    """The installed bochs-bin is not the one whose bytes were checked: no patched copy is made."""


def _package_version():
    proc = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "bochs"], capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else "(not installed: %s)" % proc.stderr.strip()


def patched_bochs(source=BOCHS_SOURCE, version=None, into=NATIVE_BOCHS):
    """build/bochs-native/bochs-bin: Debian's bochs-bin with relocate_apic's gate replaced by NOPs.
    Refuses (NativeBochsRefused) unless the package version (version: dpkg's when None) and the 6
    bytes at the offset are the checked ones. The installed binary is only read."""
    version = _package_version() if version is None else version
    if version != BOCHS_PACKAGE_VERSION:
        raise NativeBochsRefused("bochs is %s, the patch is known only for %s" % (version, BOCHS_PACKAGE_VERSION))
    data = bytearray(Path(source).read_bytes())
    found = bytes(data[GATE_OFFSET:GATE_OFFSET + len(GATE_BYTES)])
    if found != GATE_BYTES:
        raise NativeBochsRefused("%s has %s at 0x%x, not %s: not patching" % (
            source, found.hex(" ") or "nothing", GATE_OFFSET, GATE_BYTES.hex(" ")))
    data[GATE_OFFSET:GATE_OFFSET + len(GATE_BYTES)] = b"\x90" * len(GATE_BYTES)
    into = Path(into)
    into.parent.mkdir(parents=True, exist_ok=True)
    if not into.exists() or into.read_bytes() != data:
        tmp = into.with_suffix(".tmp")
        tmp.write_bytes(bytes(data))
        shutil.copymode(source, tmp)
        tmp.rename(into)
    return into


def native_iso(image, args, env):
    """An ISO whose GRUB boots the test directly: multiboot1 with its arguments, the env as its module."""
    lines = ["set timeout=0", "menuentry \"kvm-unit-tests without vmxroot\" {",
             "    multiboot /boot/test.flat %s" % args, "    module /boot/env", "    boot", "}", ""]
    return grub_iso("native", lines, [(image, "test.flat"), (env, "env")])


def exit_address(elf):
    """The address of `exit` in TEST.elf (nm), or None."""
    proc = subprocess.run(["nm", str(elf)], capture_output=True, text=True)
    for line in proc.stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == "exit" and fields[1] in "Tt":
            return int(fields[0], 16)
    return None


def exit_code_from_debugger(text):
    """EDI at the breakpoint on exit, from the debugger's register dump (None when it never stopped)."""
    match = REGISTER_RE.search(text)
    return None if match is None else int(match.group(1).replace("_", ""), 16) & 0xFFFFFFFF


def exit_code_from_bochs_log(text):
    """The value of the test's first write to port 0xf4, from Bochs's log (None: it wrote none)."""
    match = EXIT_PORT_RE.search(text)
    return None if match is None else int(match.group(1), 16)


def run_native(spec, x86_dir, model=None, bochs=None):
    """Boots one test on the bare CPU in the patched Bochs; its kut.Result (a timeout is a CRASH)."""
    flat = spec.image_name()
    image, elf = Path(x86_dir) / (flat + ".flat"), Path(x86_dir) / (flat + ".elf")
    if not image.exists():
        return kut.Result(spec.name, spec.cpus, "SKIP", "%s was not built" % image, None, 0.0)
    address = exit_address(elf)
    debugger = ["c", "quit"] if address is None else [
        "lb 0x%x" % address, "c", "r",
        # exit's first bytes become `jmp $` (the test is over): Bochs runs on in place until the UART
        # has sent the test's last line, which the test's own "Shutdown" would cut short.
        "d 1", "setpmem 0x%x 2 0xfeeb" % address, "s %d" % DRAIN_STEPS, "quit"]
    iso = native_iso(image, spec.args, kut.env_module(spec.cpus))
    with Boot("bochs", smp=spec.cpus, memory_mb=kut.MEMORY_MB, cpu_model=model, iso=iso,
              timeout_s=spec.native_timeout_s, name="kvm-unit-tests-native-%s" % spec.name,
              bochs_binary=bochs or patched_bochs(), bochs_debugger=debugger, bochs_lines=BOCHS_LINES) as running:
        if address is None:  # realmode: its own static exit prints "--- DONE: N ---" and spins
            done = running.wait_for(DONE_RE.pattern)
            result = running.stop() if done else running.wait(expect_timeout=True)
        else:
            result = running.wait(expect_timeout=True)
    stdout_path, bochs_log = Path(result.log_path).with_suffix(".bochs.stderr"), Path(result.emulator_log_path)
    stdout = stdout_path.read_text(errors="replace") if stdout_path.exists() else ""
    stopped_at_exit = "Breakpoint 1," in stdout
    code = exit_code_from_debugger(stdout) if stopped_at_exit else (
        exit_code_from_bochs_log(bochs_log.read_text(errors="replace")) if bochs_log.exists() else None)
    before_end, done = result.log, DONE_RE.search(result.log)
    if done:  # what it printed before: under vmxroot the port write ends it there
        before_end = result.log[:done.start()]
    if code is None:
        where = "timeout" if result.timed_out else "Bochs ended without a write to the exit port"
        verdict = kut.crashed(spec.name, spec.cpus, where, result.log, result.wall_s)
    else:
        verdict = kut.ended(spec.name, spec.cpus, before_end, code, result.wall_s, result.log)
        if address is not None and not stopped_at_exit:
            verdict.detail += CUT_NOTE
    verdict.log_path = str(result.log_path)
    return verdict
