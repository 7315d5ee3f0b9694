"""The emulator command lines (QEMU, Bochs): the only place they are written down."""
import os
from pathlib import Path

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
    """The text of a bochsrc (docs/testing.md: what Bochs needs to boot the ISO headless)."""
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


def bochs_command(bochsrc, debugger_rc, binary=BOCHS):
    return [str(binary), "-q", "-f", str(bochsrc), "-rc", str(debugger_rc)]


def bochs_environment():
    # Debian's Bochs has no "nogui": SDL2 with its dummy video driver runs headless.
    return dict(os.environ, SDL_VIDEODRIVER="dummy")


def write_bochs_files(directory, stem, iso, serial_path, emulator_log_path, smp, memory_mb, cpu_model,
                      extra_lines=(), binary=BOCHS, debugger_lines=("c", "quit")):
    """Writes STEM.bochsrc and STEM.bochs-rc (debugger: continue, then quit, unless debugger_lines
    say more) and returns the Bochs command line. The debugger built into Debian's bochs-bin stops
    at a prompt otherwise."""
    bochsrc = directory / (stem + ".bochsrc")
    debugger_rc = directory / (stem + ".bochs-rc")
    bochsrc.write_text(bochs_config(iso, serial_path, emulator_log_path, smp, memory_mb, cpu_model, extra_lines))
    debugger_rc.write_text("".join(line + "\n" for line in debugger_lines))
    return bochs_command(bochsrc, debugger_rc, binary)


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
