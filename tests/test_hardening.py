"""Adversarial boots: fatal faults that must end cleanly, and hostile inputs.

Fatal faults (inject=stack-overflow, inject=write-text under QEMU; inject=ap-panic under Bochs
with 4 CPUs in VMX root) must end in one clear PANIC that names the fault and the CPU, and the
status page must still hold what it recorded before: every fatal boot carries status=dump, so
the page is printed once at ready and once more by the panic; both are decoded with
tools/vmxroot-status and compared field by field.

Hostile inputs (500 bytes of garbage on the command line, a corrupt MADT loaded by GRUB's
`acpi` command, 32 MiB, 6 GiB, OVMF with 64 CPUs; -no-acpi is in test_smp.py) must each give their warning and a
ready line.
"""
import re
import random
import string
import shutil
import struct
import subprocess

import pytest

import vmxboot
from vmxboot import assert_panic, assert_ready, boot
from helpers import shutdown_count, status_dump_count, status_page

# ----- the status page before and after a panic ---------------------------------------------

# Header fields fixed once the boot reached ready: a panic must leave them as they were.
HEADER_KEPT = ("page_phys", "record_count", "page_count", "cpus_found", "tsc_khz", "vmcs_per_cpu",
               "bringup_time_us", "entry_to_ready_us", "memory_per_cpu_bytes", "vmx_revision_id",
               "vmx_features", "vmx_basic_msr", "vmx_ept_vpid_cap_msr", "vmcs_pool_total")
CPU_KEPT = ("index", "apic_id", "vmx_revision_id")
CPU_COUNTERS = ("vmclear_count", "vmptrld_count", "vmptrld_skipped_count", "vmfail_invalid_count",
                "vmfail_valid_count")


def assert_page_kept_records(result, panicking_cpu):
    """Decodes the ready-time dump and the panic-time dump and checks that the panic only moved
    the page forward: same boot-wide facts, same CPUs, counters never lower, the boot and
    vmx-capable flags kept, every CPU halted and out of VMX root, the panicking CPU named."""
    assert status_dump_count(result) == 2, "expected a status dump at ready and one at the panic\n" + \
        result.describe()
    before, after = status_page(result, upto_dump=1), status_page(result)
    where = "\n%s" % result.describe()
    assert before["header"]["boot_phase_name"] == "ready", where
    assert after["header"]["boot_phase_name"] == "panic", where
    assert after["header"]["generation"] > before["header"]["generation"], where
    changed = ["%s: %r -> %r" % (k, before["header"][k], after["header"][k]) for k in HEADER_KEPT
               if before["header"][k] != after["header"][k]]
    assert not changed, "the panic changed what the page had recorded: %s%s" % (changed, where)
    assert after["header"]["cpus_vmx_root"] == 0, "a CPU is still in VMX root after the panic" + where
    assert len(after["cpus"]) == len(before["cpus"]), where
    for old, new in zip(before["cpus"], after["cpus"]):
        cpu = old["index"]
        for key in CPU_KEPT:
            assert old[key] == new[key], "cpu%d %s: %r -> %r%s" % (cpu, key, old[key], new[key], where)
        for key in CPU_COUNTERS:
            assert new[key] >= old[key], "cpu%d %s went down: %r -> %r%s" % (cpu, key, old[key], new[key], where)
        lost = {"boot", "vmx-capable"} & set(old["flag_names"]) - set(new["flag_names"])
        assert not lost, "cpu%d lost the flag(s) %s at the panic (before %s, after %s)%s" % (
            cpu, sorted(lost), old["flag_names"], new["flag_names"], where)
        assert new["state_name"] == "halted" and "vmx-root" not in new["flag_names"], (new, where)
        if cpu == panicking_cpu:
            # The first failure wins: an earlier reason (no-vmx under QEMU) stays, else "panic".
            expected = old["reason_name"] if old["reason_name"] != "none" else "panic"
            assert new["reason_name"] == expected, "the panicking cpu%d: %s%s" % (cpu, new, where)
        else:
            assert new["reason_name"] == old["reason_name"], "cpu%d reason %s -> %s%s" % (
                cpu, old["reason_name"], new["reason_name"], where)
    return before, after


def assert_failure_exit(result):
    """A panic under exit=on-ready leaves QEMU through isa-debug-exit with the failure value."""
    if result.emulator == "qemu":
        assert result.qemu_exit_value == 1, "QEMU exit %s, expected the panic's exit value 1%s" % (
            result.exit_code, result.describe())


# ----- memory protection --------------------------------------------------------------------


def test_stack_overflow_double_faults_on_ist():
    result = boot("qemu", smp=2, cmdline="inject=stack-overflow status=dump")
    assert_panic(result, "kernel stack overflow on cpu0")
    assert result.grep(r"cpu0: error: PANIC: exception #DF double fault \(vector 8\)"), result.describe()
    assert result.grep(r"PANIC: kernel stack overflow on cpu0: 0x[0-9a-f]+ is in a stack guard page"), \
        result.describe()
    assert result.grep(r"^cpu1: error: stopped by the panic"), result.describe()
    assert result.grep(r"PANIC: other CPUs stopped; 0 did not answer the NMI"), result.describe()
    assert_failure_exit(result)
    assert_page_kept_records(result, panicking_cpu=0)


@pytest.mark.parametrize("case, announce, fault", [
    # W^X: kernel text is read-only even for the kernel (CR0.WP).
    ("write-text", r"writing to kernel text at", r"protection, write"),
    # NX: a data page is never executable.
    ("exec-data", r"calling into data at", r"protection, read, instruction fetch\)"),
])
def test_page_protection_faults(case, announce, fault):
    result = boot("qemu", smp=2, cmdline="inject=%s status=dump" % case)
    target = re.search(r"inject: case=%s: %s (0x[0-9a-f]+)" % (case, announce), result.log)
    assert target, result.describe()
    assert_panic(result, "#PF page fault")
    cr2 = result.grep(r"PANIC: cr2=0x0*%s \(%s" % (target.group(1)[2:], fault))
    assert cr2, "no #PF report naming 0x%s as (%s\n%s" % (target.group(1)[2:], fault, result.describe())
    assert result.grep(r"PANIC: unhandled #PF page fault on cpu0"), result.describe()
    assert result.grep(r"protect: CR0\.WP on, NX on"), result.describe()
    assert_failure_exit(result)
    assert_page_kept_records(result, panicking_cpu=0)


def test_overwritten_canary_is_caught():
    result = boot("qemu", smp=2, cmdline="inject=stack-smash status=dump")
    assert_panic(result, "stack smashing detected: a stack canary was overwritten")
    assert not result.grep(r"no canary found|went unnoticed"), result.describe()
    assert_failure_exit(result)
    assert_page_kept_records(result, panicking_cpu=0)


@pytest.mark.bochs
def test_smep_smap_on_where_the_cpu_has_them():
    # Bochs's Skylake-X has SMEP and SMAP; QEMU's default CPU has neither, and says so.
    bochs = boot("bochs", smp=1, cpu_model="corei7_skylake_x")
    assert_ready(bochs, cpus=(1, 1), vmx=1)
    assert bochs.grep(r"protect: CR0\.WP on, NX on, SMEP on, SMAP on, stack protector on"), bochs.describe()
    qemu = boot("qemu", smp=1)
    assert qemu.grep(r"protect: CR0\.WP on, NX on, SMEP absent, SMAP absent"), qemu.describe()


@pytest.fixture(scope="module")
def ap_panic():
    """Bochs, 4 CPUs in VMX root; cpu1 panics (by IPI from cpu0) after the ready-time dump."""
    return boot("bochs", smp=4, cmdline="inject=ap-panic inject_cpu=1 status=dump", name="hardening_ap_panic")


@pytest.mark.bochs
def test_ap_panic_names_the_cpu(ap_panic):
    assert_panic(ap_panic, "deliberate panic on cpu1")
    assert [l for l in ap_panic.panic_lines if "inject=ap-panic" in l][0].startswith("cpu1: "), ap_panic.describe()
    assert ap_panic.grep(r"^cpu1: error: PANIC: other CPUs stopped; 0 did not answer the NMI"), ap_panic.describe()


@pytest.mark.bochs
def test_ap_panic_every_cpu_leaves_vmx(ap_panic):
    assert ap_panic.grep(r"^cpu0: vmx: in VMX root operation \(revision 0x2b\): cpu0-3$"), ap_panic.describe()
    for cpu in (0, 2, 3):
        assert any("stopped by the panic, left VMX operation" in l for l in ap_panic.cpu_lines(cpu)), \
            "cpu%d did not report leaving VMX\n%s" % (cpu, ap_panic.describe())
    # Only the CPU that panicked says so; the others were stopped and say that instead.
    own = ap_panic.grep(r"PANIC: left VMX operation on the panicking CPU")
    assert [l.split(":")[0] for l in own] == ["cpu1"], \
        "'left VMX operation on the panicking CPU' should come once, from cpu1; got:\n  %s\n%s" % (
            "\n  ".join(own), ap_panic.describe())


@pytest.mark.bochs
def test_ap_panic_status_page_kept_records(ap_panic):
    before, after = assert_page_kept_records(ap_panic, panicking_cpu=1)
    assert before["header"]["cpus_vmx_root"] == 4 and before["header"]["vmx_revision_id"] == 0x2B


# ----- hostile command lines ----------------------------------------------------------------


# Tokens hidden in junk words, each an option a warning must name (the name the warning mentions).
NAMED_OPTIONS = {
    "loglevel=loud": "loglevel",
    "maxcpus=-3": "maxcpus",
    "maxcpus=99999999999999999999999": "maxcpus",
    "console=com9": "console",
    "vmcs_per_cpu=65": "vmcs_per_cpu",
    "inject=nonsense": "inject",
    "smp=": "smp",
    "no_such_option=1": "no_such_option",
    "=novalue": "=novalue",
}


def _junk_with_options(seed=2):
    """About 500 bytes of printable junk words (deterministic) with NAMED_OPTIONS mixed in."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + string.punctuation
    words = []
    while sum(len(w) + 1 for w in words) < 500:
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))))
    for token in NAMED_OPTIONS:
        words.insert(rng.randrange(len(words) + 1), token)
    return " ".join(words)


def _garbage(seed, alphabet, spaces=True):
    rng = random.Random(seed)
    text = ""
    while len(text.encode()) < 500:
        text += rng.choice(alphabet)
        if spaces and rng.random() < 0.08:
            text += " "
    return text


GARBAGE = {
    # kind: (about 500 bytes of junk, a warning the kernel must print about it, option names that
    # each must be named in a warning)
    # printable ASCII in words, '=' and quotes and backslashes included
    "ascii-words": (_garbage(6, "abcdefghijklmnopqrstuvwxyz=0123456789_,.-+x'\"\\=="),
                    r"warning: cmdline: (option \"[^\"]*\" has no value|unknown option)", ()),
    # printable junk words with bad values of real options and unknown options among them
    "named-options": (_junk_with_options(), r"warning: cmdline: ", tuple(NAMED_OPTIONS.values())),
    # one 500-byte word that starts like an option
    "one-long-option": ("loglevel=" + "d" * 491, r"warning: cmdline: bad value \"d+\.\.\.\" for loglevel", ()),
    # bytes above 0x7f (UTF-8 of Latin-1 letters) mixed with option-like fragments
    "high-bytes": (_garbage(7, "\u00e9\u00e0\u00fc\u00df\u20ac=vmcs_per_cpu=9\u00ff"),
                   r"warning: cmdline: option \"[^\"]*\" has non-printable bytes, ignored", ()),
}


@pytest.mark.parametrize("kind", sorted(GARBAGE))
def test_garbage_command_line(kind):
    # status=dump comes after the garbage: an option after it must still take effect.
    junk, warning, names = GARBAGE[kind]
    assert len(junk.encode()) >= 500
    result = boot("qemu", smp=2, cmdline=junk + " status=dump")
    assert_ready(result, cpus=(2, 2), vmx=0)
    assert result.grep(warning), "no warning matching %r\n%s" % (warning, result.describe())
    unnamed = [name for name in names if not any(name in w for w in result.warnings)]
    assert not unnamed, "no warning names %s\n%s" % (unnamed, result.describe())
    # Every kernel line keeps its CPU prefix: a hostile option cannot garble the log.
    kernel = result.lines[next(i for i, l in enumerate(result.lines) if "vmxroot: booting" in l):]
    garbled = [l for l in kernel if not vmxboot.CPU_PREFIX_RE.match(l)]
    assert not garbled, "lines without a cpuN: prefix: %r\n%s" % (garbled[:3], result.describe())
    assert status_page(result)["header"]["cpus_online"] == 2


# ----- firmware and ACPI --------------------------------------------------------------------


def _acpi_table(signature, body, corrupt_checksum=False):
    length = 36 + len(body)
    header = struct.pack("<4sIBB6s8sI4sI", signature, length, 3, 0, b"VMXRT ", b"ADVERSAR", 1, b"TEST", 1)
    data = bytearray(header + body)
    data[9] = (-sum(data)) & 0xFF
    if corrupt_checksum:
        data[9] ^= 0x5A
    return bytes(data)


def _madt_body(*entries):
    return struct.pack("<II", 0xFEE00000, 1) + b"".join(entries)


LAPIC_CPU0 = struct.pack("<BBBBI", 0, 8, 0, 0, 1)  # processor local APIC: ACPI id 0, APIC id 0, enabled
LAPIC_CPU1 = struct.pack("<BBBBI", 0, 8, 1, 1, 1)

# GRUB's `acpi` command replaces the firmware's tables with these (and makes a new RSDP/RSDT,
# which the multiboot2 tag carries). QEMU's own -acpitable cannot: it recalculates checksums.
CORRUPT_MADTS = {
    # (MADT bytes, warning the kernel must print, CPUs it may then use)
    "bad-checksum": (_acpi_table(b"APIC", _madt_body(LAPIC_CPU0, LAPIC_CPU1), corrupt_checksum=True),
                     r"warning: acpi: MADT at 0x[0-9a-f]+ fails its checksum, ignored", 1),
    "zero-length-entry": (_acpi_table(b"APIC", _madt_body(LAPIC_CPU0, b"\x00\x00" + b"\x00" * 6)),
                          r"warning: madt: entry at offset 0x[0-9a-f]+ \(type 0, length 0\) is malformed", 1),
}


def _grub_cfg_loading_acpi(table_name, cmdline):
    text = vmxboot.GRUB_CFG.read_text()
    new, count = re.subn(r"^(\s*)(multiboot2\s+\S+).*$",
                         lambda m: "%sinsmod acpi\n%sacpi --exclude=APIC /boot/%s\n%s%s %s" % (
                             m.group(1), m.group(1), table_name, m.group(1), m.group(2), cmdline),
                         text, count=1, flags=re.M)
    assert count == 1, "no multiboot2 line in %s" % vmxboot.GRUB_CFG
    return new


@pytest.fixture(scope="module")
def corrupt_acpi_isos(tmp_path_factory, kernel_build):
    """One ISO per corrupt MADT, built with grub-mkrescue (about 1 s each) from the current kernel."""
    isos = {}
    for name, (table, _, _) in CORRUPT_MADTS.items():
        root = tmp_path_factory.mktemp("acpi-" + name)
        (root / "iso" / "boot" / "grub").mkdir(parents=True)
        shutil.copyfile(vmxboot.ELF, root / "iso" / "boot" / "vmxroot.elf")
        (root / "iso" / "boot" / "bad-madt.aml").write_bytes(table)
        (root / "iso" / "boot" / "grub" / "grub.cfg").write_text(
            _grub_cfg_loading_acpi("bad-madt.aml", "exit=on-ready status=dump"))
        proc = subprocess.run(["grub-mkrescue", "-o", str(root / "acpi.iso"), str(root / "iso")],
                              capture_output=True, text=True)
        assert proc.returncode == 0, "grub-mkrescue failed:\n" + proc.stdout + proc.stderr
        isos[name] = root / "acpi.iso"
    return isos


@pytest.mark.parametrize("kind", sorted(CORRUPT_MADTS))
def test_corrupt_madt_warns_and_boots(kind, corrupt_acpi_isos):
    _, warning, cpus = CORRUPT_MADTS[kind]
    result = boot("qemu", smp=2, iso=corrupt_acpi_isos[kind])
    assert_ready(result, cpus=(cpus, cpus), vmx=0)
    assert result.grep(warning), "no warning matching %r\n%s" % (warning, result.describe())
    assert status_page(result)["header"]["cpus_found"] == cpus


# ----- memory sizes and many CPUs -----------------------------------------------------------


@pytest.mark.parametrize("memory_mb, ram_mib", [(32, 31), (6 * 1024, 6143)])
def test_memory_size_with_4_cpus(memory_mb, ram_mib):
    # 6 GiB: -M pc puts 3 GiB below 4 GiB and the rest above, so the map has a hole and RAM past 4 GiB.
    result = boot("qemu", smp=4, memory_mb=memory_mb, cmdline="status=dump")
    assert_ready(result, cpus=(4, 4), vmx=0)
    mm = result.grep(r"mm: (\d+) MiB RAM in the BIOS memory map, (\d+) MiB usable")
    assert mm and int(re.search(r"(\d+) MiB RAM", mm[0]).group(1)) == ram_mib, result.describe()
    page = status_page(result)["header"]
    assert page["cpus_online"] == 4 and page["memory_per_cpu_bytes"] > 0
    assert page["page_phys"] < 1 << 32, "the status page must sit below 4 GiB"
    assert shutdown_count(result) == 0


@pytest.mark.slow
def test_ovmf_64_cpus():
    result = boot("qemu", smp=64, firmware="uefi", cmdline="status=dump")
    assert_ready(result, cpus=(64, 64), vmx=0)
    page = status_page(result)
    assert page["header"]["cpus_online"] == 64 and page["header"]["page_count"] == 1
    assert "uefi" in page["header"]["boot_flag_names"], "the page says BIOS after a UEFI boot: %s" % (
        page["header"]["boot_flag_names"],)
    assert [r["state_name"] for r in page["cpus"]] == ["online"] * 64
