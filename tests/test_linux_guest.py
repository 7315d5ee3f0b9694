"""Debian's kernel as vmxroot's guest (docs/guests.md, the Linux column): GRUB's first module2 is
the kernel, its string the guest's command line, the second the busybox initramfs that
tools/fetch-images builds with tools/guest-init/init. A boot passes when the init script's result
line shows every CPU in VMX root online, the hypervisor flag, the status page's magic read with
devmem at the address vmxroot put on /proc/cmdline and (with 2 CPUs) CPU1 offline and online
again, the newest line of vmxroot's log ring on the status page (read by init with devmem and dd)
is the last line vmxroot printed before the guest took the UART, and vmxroot's
`vmxroot: guest vm0 ended: power off ...` line follows the guest's power-off.

One Linux boot is part of make test (skylake_x, 1 CPU): its COM1 is a socket (tools/vmxboot/
serial_socket.py), and the test types a line that the guest's init reads from its console and prints
back, so input reaches a guest userspace process through vmxroot's trapped UART data port, and that
process's output (every guest-init line) comes out. The others are test_slow (make test-slow).
The bad-input cases need no VMX (vmxroot checks the modules before anything VMX) and run in QEMU."""

import dataclasses
import re
import struct

import pytest

from helpers import status_tool_output
from vmxboot import Boot, assert_ready, boot
from vmxboot.linux_guest import BOCHS_LINES, GUEST_CMDLINE, MEMORY_MB, fetch_images, linux_iso
from vmxboot.serial_socket import SerialSocket

STATUS_MAGIC = 0x00544F4F52584D56  # "VMXROOT\0" little-endian (core/status_page.h)
RESULT = re.compile(r"guest-init: result cpus_online=(\d+) hypervisor=(\w+) status_page=(\S+) "
                    r"status_bytes=(\S+) cpu1=(\S+)")
END = re.compile(r"cpu\d+: vmxroot: guest vm0 ended: (.*)")
RING = re.compile(r'guest-init: vmxroot-log last="(.*)"')
VMXROOT_LINE = re.compile(r"^cpu\d+: .*$", re.M)
TYPE_PROMPT = "guest-init: type a line"
ECHO = re.compile(r'guest-init: echo typed=(.*)')
TYPED = "hello guest, from the host's keyboard 42"
# A Linux boot in Bochs is minutes of wall time on a loaded 2-core host.
LINUX_TIMEOUT_S = 1500


def linux_boot(model="corei7_skylake_x", smp=1, cmdline="exit=on-guest-exit", **iso_args):
    iso = linux_iso(cmdline, **iso_args)
    with Boot("bochs", smp=smp, memory_mb=MEMORY_MB, cpu_model=model, iso=iso, bochs_lines=BOCHS_LINES,
              timeout_s=LINUX_TIMEOUT_S) as running:
        return running.wait()


def linux_boot_typing(text, model="corei7_skylake_x", smp=1, cmdline="exit=on-guest-exit"):
    """A boot whose COM1 is a socket: once init asks, text and a newline are typed to the guest."""
    iso = linux_iso(cmdline, guest_cmdline=GUEST_CMDLINE + " guestinit_echo=1")
    with SerialSocket() as line:
        with Boot("bochs", smp=smp, memory_mb=MEMORY_MB, cpu_model=model, iso=iso,
                  bochs_lines=BOCHS_LINES + (line.bochs_line,), timeout_s=LINUX_TIMEOUT_S) as running:
            line.record_to(running.log_path)
            asked = running.wait_for(re.escape(TYPE_PROMPT))
            if asked is not None:
                line.type(text + "\n")
            result = running.wait()
        line.close()  # the last bytes Bochs sent are in the log before it is read again
    assert line.error is None, "%s\n%s" % (line.error, result.describe())
    return dataclasses.replace(result, log=result.log_path.read_text(errors="replace"))


def assert_linux_passes(result, cpus):
    match = RESULT.search(result.log)
    assert match, "no guest-init result line\n%s" % result.describe()
    online, hypervisor, page, page_bytes, cpu1 = match.groups()
    assert int(online) == cpus, "Linux has %s CPUs online, %d are in VMX root\n%s" % (online, cpus, result.describe())
    assert hypervisor == "yes", result.describe()
    ready = re.search(r"vmxroot: ready .* status=(0x[0-9a-f]+)", result.log)
    assert ready and int(page, 16) == int(ready.group(1), 16), "the command line's status page is not vmxroot's"
    assert int(page_bytes, 16) == STATUS_MAGIC, "devmem read %s at %s, not the status page's magic" % (page_bytes, page)
    if cpus > 1:
        assert cpu1 == "0,2-%d/0-%d" % (cpus - 1, cpus - 1) if cpus > 2 else cpu1 == "0/0-1", cpu1
    ring = RING.search(result.log)
    assert ring, "no vmxroot-log line from the guest's init\n%s" % result.describe()
    printed = VMXROOT_LINE.findall(result.log[:ring.start()])
    assert printed and ring.group(1) == printed[-1][:128], (
        "the log ring's newest line %r is not the last line vmxroot printed before the guest's %r" % (
            ring.group(1), printed[-1] if printed else None))
    end = END.search(result.log[match.end():])
    assert end and end.group(1).startswith("power off"), "no end line after the guest's power-off\n%s" % (
        result.describe())
    assert "PANIC" not in result.log, result.describe()


def test_linux_boots_to_init_skylake_1_cpu_and_reads_a_typed_line():
    result = linux_boot_typing(TYPED)
    assert TYPE_PROMPT in result.log, "init never asked for a line\n%s" % result.describe()
    echo = ECHO.search(result.log)
    assert echo and echo.group(1) == '"%s"' % TYPED, "the guest's init did not read back the typed line (%s)\n%s" % (
        echo.group(1) if echo else "no echo line", result.describe())
    assert_linux_passes(result, 1)


@pytest.mark.test_slow
@pytest.mark.parametrize("model, smp", [
    ("corei7_skylake_x", 2),
    ("corei7_ivy_bridge_3770k", 1),
])
def test_linux_boots_to_init(model, smp):
    assert_linux_passes(linux_boot(model, smp), smp)


@pytest.mark.test_slow
def test_linux_ap_panic_stops_every_cpu():
    """inject=ap-panic with Linux on 2 CPUs: cpu1 panics once Linux has started it and it takes interrupts
    (its first EOI); cpu0 is in the guest, which owns the APIC, and the panic's NMI stops it."""
    result = linux_boot(smp=2, cmdline="exit=on-guest-exit inject=ap-panic inject_cpu=1")
    own = [line for line in result.panic_lines if "inject=ap-panic" in line]
    assert own and own[0].startswith("cpu1: ") and "while Linux runs on every vCPU" in own[0], result.describe()
    assert result.grep(r"^cpu1: error: PANIC: other CPUs stopped; 0 did not answer the NMI"), result.describe()
    assert any("stopped by the panic, left VMX operation" in line for line in result.cpu_lines(0)), (
        "cpu0 (running the guest) was not stopped by the panic\n%s" % result.describe())
    assert "guest-init: result" not in result.log and not END.search(result.log), result.describe()
    assert "smp: Brought up 1 node, 2 CPUs" in result.log.split("PANIC")[0], (
        "Linux had not started both CPUs before the panic\n%s" % result.describe())


# ----- bad input: a clear message, nothing launched, vmxroot up with its status page ----------


def bad_input_boot(modules, cmdline=""):
    iso = linux_iso("exit=on-guest-exit status=dump " + cmdline, modules=modules)
    result = boot("qemu", iso=iso, exit_on_ready=False, timeout_s=60)
    assert_ready(result)
    line = re.search(r"guest: vm0 not launched: (.*)", result.log)
    assert line, "no refusal line\n%s" % result.describe()
    assert "vmxroot: guests passed=0/0" in result.log, result.describe()
    # The status page intact after the refusal: the dump after the guests decodes, checksums right, and its
    # log ring holds the refusal line itself.
    status = status_tool_output("--serial-log", result.log_path, context=result.describe())
    assert status["header"]["boot_phase_name"] == "ready" and status["torn"] == [], status["torn"]
    assert any("vm0 not launched: " + line.group(1)[:60] in text for text in status["log"]["lines"]), (
        status["log"]["lines"])
    return line.group(1)


@pytest.fixture(scope="module")
def images():
    return fetch_images()


def test_bad_input_not_a_bzimage(tmp_path, images):
    junk = tmp_path / "junk"
    junk.write_bytes(b"this is not a kernel\n" * 100)
    assert "not a bzImage" in bad_input_boot([(junk, "console=ttyS0"), (images[1], "initrd")])


def test_bad_input_protocol_too_old(tmp_path, images):
    old = tmp_path / "old"
    data = bytearray(images[0].read_bytes())
    struct.pack_into("<H", data, 0x206, 0x0209)
    old.write_bytes(bytes(data))
    assert "2.12" in bad_input_boot([(old, "console=ttyS0")])


def test_bad_input_truncated(tmp_path, images):
    cut = tmp_path / "cut"
    cut.write_bytes(images[0].read_bytes()[:1 << 20])
    assert "truncated" in bad_input_boot([(cut, "console=ttyS0")])


def test_bad_input_command_line_too_long(images):
    why = bad_input_boot([(images[0], "x" * 2100), (images[1], "initrd")])
    assert "command line" in why


def test_bad_input_does_not_fit(images):
    why = bad_input_boot([(images[0], "console=ttyS0"), (images[1], "initrd")], cmdline="guest_mem=16")
    assert "no usable RAM" in why and "init_size" in why, why


def test_guest_none_with_a_module_launches_nothing(images):
    iso = linux_iso("exit=on-guest-exit guest=none", modules=[(images[0], "console=ttyS0")])
    result = boot("qemu", iso=iso, exit_on_ready=False, timeout_s=60)
    assert_ready(result)
    assert "vmxroot: guests passed=0/0 exits=0 (guest=none)" in result.log, result.describe()
    assert "vm0" not in result.log


def test_x2apic_on_with_linux_refused_by_name(images):
    why = bad_input_boot([(images[0], "console=ttyS0")], cmdline="x2apic=on")
    assert why.startswith("x2apic=on"), why
