"""The same tree built with other optimization levels, for the bytes profile."""
import re
import subprocess

import vmxboot

from .image import elf_sizes


def optimization_variants(levels=("-O2", "-Os", "-Oz")):
    """Builds the current tree's kernel with other optimization levels (build/bench-variants/) and
    returns {level: (sizes, loadable)}: what a compiler flag alone would change. The flags are the
    build's own (make prints KERNEL_CFLAGS), with -O2 replaced."""
    try:
        cflags = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(vmxboot.REPO), "--eval",
                                 "bench-print-cflags: ; @echo $(KERNEL_CFLAGS)", "bench-print-cflags"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return {}
    found = {}
    for level in levels:
        build = vmxboot.BUILD / "bench-variants" / level.lstrip("-")
        flags = re.sub(r"(^|\s)-O[0-3sz](?=\s)", " " + level, cflags)
        proc = subprocess.run(["nice", "-n", "19", "make", "-s", "-C", str(vmxboot.REPO), "BUILD=%s" % build,
                               "KERNEL_CFLAGS=%s" % flags, str(build / "vmxroot.elf")], capture_output=True, text=True)
        if proc.returncode == 0:
            sizes, load_mem, _ = elf_sizes(build / "vmxroot.elf")
            found[level] = (sizes, load_mem)
    return found
