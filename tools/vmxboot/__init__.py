"""Boot vmxroot in QEMU or Bochs and judge the run by its serial log.

One verdict per run, parsed from one defined line (like Xen's XTF runner): the kernel ends a
boot with exactly one line

    cpu0: vmxroot: ready cpus=<online>/<found> vmx=<n> vmcs=<free>/<total> status=0x<hex> ...

and a panic prints a line containing PANIC. A missing ready line, a panic or a timeout is a
CRASH, never a pass; every failure message carries the whole serial log.

The kernel command line is set per boot without running grub-mkrescue each time (vmxboot.iso).

Used by the pytest suite (tests/), tools/run.py and tools/bench.py, so the command lines live only
here. Modules: paths (where things are), verdict (BootResult and the checks on it), iso (test ISOs
with any command line), commands (QEMU and Bochs command lines), runner (Boot, boot).
"""
from .commands import (BOCHS, BOCHS_BIOS, BOCHS_DEFAULT_MODEL, BOCHS_IPS, BOCHS_MAX_CPUS, BOCHS_VGABIOS, OVMF,
                       QEMU, QEMU_DEBUG_EXIT, bochs_command, bochs_config, bochs_environment, host_has_vmx_kvm,
                       qemu_command, write_bochs_files)
from .iso import CMDLINE_SLOT_BYTES, grub_quote, iso_for_cmdline, kernel_cmdline
from .paths import BUILD, ELF, GRUB_CFG, ISO, ISO_CACHE, LOG_DIR, REPO
from .runner import TIMEOUT_SCALE, Boot, boot, default_timeout_s
from .verdict import (CPU_PREFIX_RE, ERROR_RE, PANIC_RE, READY_RE, WARNING_RE, BootError, BootResult,
                      assert_panic, assert_ready, parse_ready, parse_value)

__all__ = [
    "BOCHS",
    "BOCHS_BIOS",
    "BOCHS_DEFAULT_MODEL",
    "BOCHS_IPS",
    "BOCHS_MAX_CPUS",
    "BOCHS_VGABIOS",
    "OVMF",
    "QEMU",
    "QEMU_DEBUG_EXIT",
    "bochs_command",
    "bochs_config",
    "bochs_environment",
    "host_has_vmx_kvm",
    "qemu_command",
    "write_bochs_files",
    "CMDLINE_SLOT_BYTES",
    "grub_quote",
    "iso_for_cmdline",
    "kernel_cmdline",
    "BUILD",
    "ELF",
    "GRUB_CFG",
    "ISO",
    "ISO_CACHE",
    "LOG_DIR",
    "REPO",
    "TIMEOUT_SCALE",
    "Boot",
    "boot",
    "default_timeout_s",
    "CPU_PREFIX_RE",
    "ERROR_RE",
    "PANIC_RE",
    "READY_RE",
    "WARNING_RE",
    "BootError",
    "BootResult",
    "assert_panic",
    "assert_ready",
    "parse_ready",
    "parse_value",
]
