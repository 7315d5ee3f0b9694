"""kvm-unit-tests as vmxroot guests: build the suite, boot one test in Bochs, judge it.

The suite is test input, never project code: it is built into build/kvm-unit-tests/ from
KVM_UNIT_TESTS_SRC (a directory or a .tar.gz), by default the pinned tarball beside the project
(../shared/kvm-unit-tests/kvm-unit-tests-<commit>.tar.gz), else a clone of upstream at the pinned
commit. Each test is a multiboot1 image (x86/NAME.flat), GRUB's first module2 with the test's
arguments as its string; the second module is its env (NR_CPUS, MEMSIZE and BOOTLOADER=1: Bochs has
no fw_cfg). vmxroot launches it as vm0 and ends with `vmxroot: guest vm0 ended: exit code <n>`
once the test writes its exit port. One verdict per test (XTF style):

  PASS   exit code 0 and the SUMMARY (if any) has no unexpected failures
  FAIL   another exit code, or unexpected failures in the SUMMARY
  SKIP   exit code 38 (kvm-unit-tests' "every test skipped", 77 >> 1) or the suite is not there
  CRASH  no end line (a timeout, a vCPU stopped, a hang): where it stopped is the last guest line
"""
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .linux_guest import linux_iso
from .paths import BUILD, REPO
from .runner import Boot
from .verdict import BootError

PINNED_COMMIT = "1da1819e49fc4938985edca67df669099b4c87a7"
UPSTREAM = "https://gitlab.com/kvm-unit-tests/kvm-unit-tests.git"
DEFAULT_TARBALL = REPO.parent / "shared" / "kvm-unit-tests" / ("kvm-unit-tests-%s.tar.gz" % PINNED_COMMIT[:8])
SUITE_DIR = BUILD / "kvm-unit-tests"
ENV_DIR = BUILD / "kvm-unit-tests-env"
MEMORY_MB = 256
EXIT_SKIP = 38  # report_summary's 77 >> 1 (every test skipped): QEMU's exit status would be 77

END_RE = re.compile(r"cpu\d+: vmxroot: guest vm0 ended: (.*)")
EXIT_CODE_RE = re.compile(r"^exit code (\d+)$")
SUMMARY_RE = re.compile(r"^SUMMARY: (\d+) tests(?:, (\d+) unexpected failures)?(?:, (\d+) known failures)?"
                        r"(?:, (\d+) expected failures)?(?:, (\d+) skipped)?", re.M)
NOT_LAUNCHED_RE = re.compile(r"guest: vm0 not launched: (.*)")
VMXROOT_LINE_RE = re.compile(r"^cpu\d+: ")


@dataclass
class Spec:
    """One test as the runner boots it, with the result the bare CPU gives in Bochs (the native
    baseline of ../shared/kvm-unit-tests/README.md, and the runs recorded in docs/guests.md)."""
    name: str
    cpus: int = 1
    args: str = ""
    native: str = ""          # the native SUMMARY line, or its last line (an abort's STACK)
    native_exit: int = 0
    native_failures: int = 0  # unexpected failures natively: under vmxroot no more are allowed
    expect: str = None        # what the run's summary must start with (default: native)
    timeout_s: float = 120
    fast: bool = False        # in make test (a few seconds each)
    known_gap: str = ""       # why vmxroot does not run it like the bare CPU yet (kept in the table)


# Native results: the bare CPU in Bochs 2.7 with relocate_apic's gate patched out, corei7_skylake_x
# (../shared/kvm-unit-tests/README.md's table; the aborts' STACK lines measured the same way).
TESTS = [
    Spec("dummy", native="Dummy Hello World!", fast=True),
    Spec("smptest", cpus=2, native="SUMMARY: 1 tests", fast=True),  # 3 and 4 CPUs too: tools/kvm-unit-tests
    Spec("tsc", native="SUMMARY: 3 tests", fast=True),
    Spec("xsave", native="SUMMARY: 386 tests", fast=True),
    Spec("pcid", native="SUMMARY: 2 tests", fast=True),
    Spec("setjmp", native="SUMMARY: 10 tests", fast=True),
    Spec("memory", native="SUMMARY: 7 tests, 1 skipped", fast=True),
    Spec("sieve", native="completes, exit 0 (no SUMMARY)", expect="", timeout_s=1800),
    Spec("vmexit", args="cpuid", native="cpuid 9", expect="cpuid ", timeout_s=1500),
    Spec("msr", native="SUMMARY: 1808 tests, 270 unexpected failures", native_exit=1, native_failures=270,
         expect="SUMMARY: 1808 tests", timeout_s=300, fast=True),
    Spec("emulator", native="STACK: @401972 4001ad", native_exit=63),  # #GP: Bochs's shld/shrd
    Spec("syscall", native="STACK: @4001e3 4001ad", native_exit=63),   # #UD: Bochs's 32-bit SYSCALL
    Spec("debug", native="SUMMARY: 25 tests, 3 unexpected failures", native_exit=1, native_failures=3,
         expect="SUMMARY: 25 tests", fast=True),  # the 3: Bochs's MOV SS blocking
    # #UD at test_pv_ipi's VMCALL after the broadcast tests, natively and under vmxroot. Natively 29 PASS and
    # 2 FAIL ("disabled to x2apic enabled", then "apic disabled to apic enabled": the patched Bochs takes the
    # disabled-to-x2APIC switch the SDM refuses); under vmxroot 31 PASS, 0 FAIL (vmxroot refuses it with #GP,
    # and the xAPIC after x2APIC -> disabled is emulated over the processor's x2APIC, vapic_x2apic.c).
    Spec("apic", native="STACK: @401036 401fd3 4001ad", native_exit=63, fast=True),
]
BY_NAME = {spec.name: spec for spec in TESTS}


class SuiteMissing(Exception):
    """The suite's source is not here and cannot be fetched: the tests SKIP with this reason."""


def _source():
    """KVM_UNIT_TESTS_SRC, else the pinned tarball when it is there, else None (clone upstream)."""
    given = os.environ.get("KVM_UNIT_TESTS_SRC")
    if given:
        path = Path(given)
        if not path.exists():
            raise SuiteMissing("KVM_UNIT_TESTS_SRC=%s does not exist" % given)
        return path
    return DEFAULT_TARBALL if DEFAULT_TARBALL.exists() else None


def _unpack(source, into):
    if source is None:
        proc = subprocess.run(["git", "clone", "-q", UPSTREAM, str(into)], capture_output=True, text=True)
        if proc.returncode == 0:
            proc = subprocess.run(["git", "-C", str(into), "checkout", "-q", PINNED_COMMIT], capture_output=True,
                                  text=True)
        if proc.returncode != 0:
            raise SuiteMissing("no kvm-unit-tests source: %s is absent and `git clone %s` failed: %s" % (
                DEFAULT_TARBALL, UPSTREAM, (proc.stderr or proc.stdout).strip().splitlines()[-1:]))
    elif source.is_dir():
        shutil.copytree(source, into, symlinks=True)
    else:
        with tarfile.open(source) as tar:
            tar.extractall(into.parent / "unpack")
        tops = list((into.parent / "unpack").iterdir())
        if len(tops) != 1:
            raise SuiteMissing("%s does not hold one kvm-unit-tests directory" % source)
        tops[0].rename(into)
        (into.parent / "unpack").rmdir()


def build_suite(log=print):
    """build/kvm-unit-tests/x86/*.flat, built once per source (a stamp names it); returns the x86 dir."""
    source = _source()
    stamp_text = "%s\n" % (source or "%s@%s" % (UPSTREAM, PINNED_COMMIT))
    stamp = SUITE_DIR / ".vmxroot-built-from"
    if stamp.exists() and stamp.read_text() == stamp_text and (SUITE_DIR / "x86" / "dummy.flat").exists():
        return SUITE_DIR / "x86"
    if shutil.which("gcc") is None:
        raise SuiteMissing("gcc is not installed (tools/install-deps installs it)")
    shutil.rmtree(SUITE_DIR, ignore_errors=True)
    BUILD.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=BUILD) as tmp:
        into = Path(tmp) / "src"
        _unpack(source, into)
        log("kvm-unit-tests: building from %s" % (source or "%s at %s" % (UPSTREAM, PINNED_COMMIT)))
        start = time.monotonic()
        for command in (["./configure", "--arch=x86_64"], ["make", "-j2"]):
            proc = subprocess.run(command, cwd=into, capture_output=True, text=True)
            if proc.returncode != 0:
                raise BootError("kvm-unit-tests: `%s` failed:\n%s%s" % (" ".join(command), proc.stdout[-3000:],
                                                                        proc.stderr[-3000:]))
        into.rename(SUITE_DIR)
    stamp.write_text(stamp_text)
    log("kvm-unit-tests: built in %.0f s" % (time.monotonic() - start))
    return SUITE_DIR / "x86"


def env_module(cpus):
    """The env module (KEY=VALUE lines): what fw_cfg would give, and BOOTLOADER=1 (no program name in argv)."""
    ENV_DIR.mkdir(parents=True, exist_ok=True)
    path = ENV_DIR / ("env-%dcpu" % cpus)
    path.write_text("NR_CPUS=%d\nMEMSIZE=%d\nBOOTLOADER=1\n" % (cpus, MEMORY_MB))
    return path


@dataclass
class Result:
    name: str
    cpus: int
    verdict: str   # PASS / FAIL / SKIP / CRASH
    detail: str    # the SUMMARY line, or where it stopped
    exit_code: object
    wall_s: float
    log: str = ""
    log_path: str = ""

    def line(self):
        code = "" if self.exit_code is None else ", exit code %s" % self.exit_code
        return "kvm-unit-tests: %s cpus=%d %s: %s%s (%.1f s)" % (self.name, self.cpus, self.verdict, self.detail,
                                                               code, self.wall_s)


def _guest_lines(log):
    return [line for line in log.splitlines() if line.strip() and not VMXROOT_LINE_RE.match(line)]


def judge(name, cpus, log, wall_s, timed_out=False):
    """The verdict of one run from its serial log."""
    end = END_RE.search(log)
    # Only what the test printed before vmxroot's end line counts: its last byte must be out first.
    before_end = log[:end.start()] if end else log
    summaries = SUMMARY_RE.findall(before_end)
    summary_line = next((m.group(0) for m in SUMMARY_RE.finditer(before_end)), "")
    not_launched = NOT_LAUNCHED_RE.search(log)
    if not_launched:
        return Result(name, cpus, "CRASH", "not launched: " + not_launched.group(1), None, wall_s, log)
    code_match = EXIT_CODE_RE.match(end.group(1)) if end else None
    if not code_match:
        lines = _guest_lines(log)
        where = end.group(1) if end else ("timeout" if timed_out else "no end line")
        last = lines[-1].strip() if lines else "(no output from the test)"
        return Result(name, cpus, "CRASH", "%s; last guest line: %s" % (where, last[:160]), None, wall_s, log)
    code = int(code_match.group(1))
    failures = int(summaries[0][1] or 0) if summaries else 0
    detail = summary_line or ((_guest_lines(before_end) or ["(no output)"])[-1].strip()[:160])
    if code == EXIT_SKIP:
        verdict = "SKIP"
    elif code == 0 and failures == 0:
        verdict = "PASS"
    else:
        verdict = "FAIL"
    return Result(name, cpus, verdict, detail, code, wall_s, log)


def run_test(spec, x86_dir, model=None, name=None, machine_cpus=None, cmdline=""):
    """Boots one test as vmxroot's guest in Bochs; its Result (a timeout is a CRASH). machine_cpus: Bochs's
    CPUs when the guest gets fewer (spec.cpus, with guest_cpus= in cmdline, vmxroot's own options)."""
    image = Path(x86_dir) / ("%s.flat" % spec.name)
    if not image.exists():
        return Result(spec.name, spec.cpus, "SKIP", "%s was not built" % image, None, 0.0)
    iso = linux_iso(("exit=on-guest-exit " + cmdline).strip(),
                    modules=[(image, spec.args), (env_module(spec.cpus), "env")])
    with Boot("bochs", smp=machine_cpus or spec.cpus, memory_mb=MEMORY_MB, cpu_model=model, iso=iso, timeout_s=spec.timeout_s,
              name=name or "kvm-unit-tests-%s" % spec.name) as running:
        result = running.wait(expect_timeout=True)
    verdict = judge(spec.name, spec.cpus, result.log, result.wall_s, result.timed_out)
    verdict.log_path = str(result.log_path)
    return verdict


def same_as_native(spec, result):
    """Whether the run ended as the bare CPU does: the same exit code and summary (or the same last line
    of an abort); for a test that fails natively, no more unexpected failures than natively."""
    if result.verdict == "CRASH" or result.exit_code != spec.native_exit:
        return False
    expect = spec.native if spec.expect is None else spec.expect
    if not result.detail.startswith(expect):
        return False
    if spec.native_failures:
        match = SUMMARY_RE.search(result.detail)
        return bool(match) and int(match.group(2) or 0) <= spec.native_failures
    return True


def table(rows):
    """The Markdown table at the end: test, CPUs, verdict, what it printed, the native result, same?"""
    out = ["| test | CPUs | under vmxroot | summary or where it stopped | natively | as natively | wall s |",
           "|---|---|---|---|---|---|---|"]
    for spec, result in rows:
        out.append("| %s | %d | %s | %s%s | %s | %s | %.0f |" % (
            spec.name, spec.cpus, result.verdict, result.detail.replace("|", "/"),
            "" if result.exit_code is None else ", exit %s" % result.exit_code, spec.native,
            "yes" if same_as_native(spec, result) else ("no: " + spec.known_gap if spec.known_gap else "no"),
            result.wall_s))
    return "\n".join(out)

