"""Boot paths: firmware, machines, the default ISO, and the runner itself.

Each test boots once and asserts the one ready line. One CPU on QEMU's pc machine with SeaBIOS is
test_smp.py's test_qemu_pc[1]; memory sizes (32 MiB, 6 GiB) and hostile command lines are in
test_hardening.py.
"""
import pytest

from vmxboot import BootResult, assert_ready, boot, parse_ready, kernel_cmdline, ISO


def test_qemu_ovmf():
    # Under UEFI the RSDP comes only from multiboot2 tag 15 and GRUB puts the boot info low.
    result = boot("qemu", smp=1, memory_mb=256, firmware="uefi")
    assert_ready(result, cpus=(1, 1), vmx=0)  # TCG has no VMX


def test_qemu_q35():
    result = boot("qemu", smp=1, machine="q35")
    assert_ready(result, cpus=(1, 1), vmx=0)


@pytest.mark.bochs
def test_bochs():
    result = boot("bochs", smp=1)
    assert_ready(result, cpus=(1, 1))


def test_default_iso_reaches_ready():
    # build/vmxroot.iso as built, with tools/grub.cfg: no exit=on-ready, so stop at the ready line.
    result = boot("qemu", iso=ISO, stop_on_ready=True)
    assert_ready(result, cpus=None)


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
