"""What one benchmark run boots: CPU counts, bring-up modes, the lines it times."""
import re


POLL_S = 0.005


QEMU_SMPS = (1, 4, 16, 64, 255)


BOCHS_SMPS = (1, 4, 15)


QUICK_QEMU_SMPS = (1, 4)


QUICK_BOCHS_SMPS = (1,)


# The mode each emulator's kernel-boot scaling target is judged on (benchlib/targets.py).
TARGET_MODE = {"qemu": "parallel", "bochs": "com1"}


# mode name -> kernel command line. "classic" is the reference: one AP at a time with the
# 10 ms INIT wait of the SDM's MP initialization example.
# "com1": parallel with the serial console only. Bochs draws the screen console in emulated time
# (about 0.77 s a boot, whatever the CPU count), which would hide the kernel's per-CPU growth in
# a ratio: the Bochs scaling target is judged on com1 boots.
MODES = {"parallel": "smp=parallel", "serial": "smp=serial", "classic": "smp=serial init_wait=on",
         "com1": "smp=parallel console=com1"}


QEMU_MODES = ("parallel", "serial", "classic")


BOCHS_MODES = ("parallel", "serial", "com1")


QUICK_MODES = ("parallel", "serial")


MEMORY_RE = re.compile(r"mm: memory per CPU: (\d+) bytes fixed .*\+ (\d+) bytes per VMCS x (\d+)")


# SeaBIOS writes its log to the debug console port 0x402 (profile runs only).
SEABIOS_MARKS = (("bios_start", re.compile(r"SeaBIOS \(version")),
                 ("bios_cpus", re.compile(r"Found \d+ cpu\(s\)")),
                 ("bios_boot", re.compile(r"Booting from (DVD/CD|CD-ROM)")))


# Kernel lines whose arrival times split the kernel's share (profile, all runs).
KERNEL_MARKS = (("kernel_madt", re.compile(r"cpu0: madt: ")),
                ("kernel_smp_done", re.compile(r"cpu0: smp: \d+ of \d+ CPUs online")))
