"""Boot paths: firmware, memory sizes, machines, the command line (issue 2).

Each test boots once and asserts the one ready line. The expected CPU counts are parameters:
(smp, (online, found)).
"""
import random
import string

import pytest

from emulators import BootResult, assert_ready, boot, parse_ready, kernel_cmdline, ISO


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_qemu_seabios(smp, cpus):
    result = boot("qemu", smp=smp, memory_mb=256)
    assert_ready(result, cpus=cpus, vmx=0)  # TCG has no VMX


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_qemu_ovmf(smp, cpus):
    # Under UEFI the RSDP comes only from multiboot2 tag 15 and GRUB puts the boot info low.
    result = boot("qemu", smp=smp, memory_mb=256, firmware="uefi")
    assert_ready(result, cpus=cpus, vmx=0)


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_qemu_q35(smp, cpus):
    result = boot("qemu", smp=smp, machine="q35")
    assert_ready(result, cpus=cpus, vmx=0)


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_qemu_32_mib(smp, cpus):
    result = boot("qemu", smp=smp, memory_mb=32)
    assert_ready(result, cpus=cpus)


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_qemu_6_gib(smp, cpus):
    # -M pc puts 3 GiB below 4 GiB and the rest above: the memory map has a hole and RAM past 4 GiB.
    result = boot("qemu", smp=smp, memory_mb=6 * 1024)
    assert_ready(result, cpus=cpus)


@pytest.mark.bochs
@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_bochs(smp, cpus):
    result = boot("bochs", smp=smp)
    assert_ready(result, cpus=cpus)


def test_default_iso_reaches_ready():
    # build/vmxroot.iso as built, with tools/grub.cfg: no exit=on-ready, so stop at the ready line.
    result = boot("qemu", iso=ISO, stop_on_ready=True)
    assert_ready(result, cpus=None)


GARBAGE_OPTIONS = {
    # token on the command line: the option name a warning must mention
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


def garbage_cmdline(seed=2):
    """About 500 bytes of printable junk (deterministic) with the odd tokens mixed in."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + string.punctuation
    words = []
    while sum(len(w) + 1 for w in words) < 500:
        words.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 24))))
    for token in GARBAGE_OPTIONS:
        words.insert(rng.randrange(len(words) + 1), token)
    return " ".join(words)


@pytest.mark.parametrize("smp, cpus", [(1, (1, 1))])
def test_garbage_cmdline_warns_and_boots(smp, cpus):
    cmdline = garbage_cmdline()
    result = boot("qemu", smp=smp, cmdline=cmdline)
    assert_ready(result, cpus=cpus)
    unnamed = [name for name in GARBAGE_OPTIONS.values() if not any(name in w for w in result.warnings)]
    assert not unnamed, "no warning names %s\n%s" % (unnamed, result.describe())


# ----- the runner itself (no emulator) ------------------------------------------------------

def test_parse_ready_line():
    fields = parse_ready("cpu0: vmxroot: ready cpus=3/4 vmx=3 vmcs=12/16 status=0x1f000 extra=word")
    assert fields["cpus"] == (3, 4) and fields["cpus_online"] == 3 and fields["cpus_found"] == 4
    assert fields["vmx"] == 3 and fields["vmcs_free"] == 12 and fields["vmcs_total"] == 16
    assert fields["status"] == 0x1F000 and fields["extra"] == "word"


def test_assert_ready_fails_with_the_log():
    result = BootResult(name="fake", emulator="qemu", command=["qemu"], cmdline="", log="cpu0: hello\n",
                        log_path=ISO, emulator_log_path=ISO, wall_s=0.1, exit_code=0, timed_out=False)
    with pytest.raises(AssertionError, match="(?s)CRASH.*cpu0: hello"):
        assert_ready(result)


def test_grub_escapes_quotes_and_backslashes():
    assert kernel_cmdline("a  b'c \"d\\") == "a b\\'c \\\"d\\\\"
