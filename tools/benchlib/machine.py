"""The machine a run was made on: CPU, RAM, versions, how busy it was."""
import datetime
import os
import platform
import re
import subprocess
from pathlib import Path

import vmxboot


def load_average():
    """The 1-minute load average and what used the most host CPU, to show how busy the machine was."""
    try:
        load = Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"
    try:
        out = subprocess.run(["ps", "-eo", "pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True,
                             text=True, timeout=10).stdout.splitlines()
        busy = [line.split(None, 1) for line in out[:6]]
        busy = ["%s %s%%" % (name.strip(), cpu) for cpu, name in busy if float(cpu) >= 10 and name.strip() != "ps"]
    except (OSError, subprocess.TimeoutExpired, ValueError):
        busy = []
    return load + (" (busiest: %s)" % ", ".join(busy) if busy else "")


def machine_info():
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        ram = "%.1f GiB" % (kib / 1024 / 1024)
    except (OSError, AttributeError):
        pass

    def first_line(cmd):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
            text = (out.stdout + out.stderr).strip().splitlines()
            return text[0].strip() if text else "?"
        except (OSError, subprocess.TimeoutExpired):
            return "not installed"

    commit = first_line(["git", "-C", str(vmxboot.REPO), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(vmxboot.REPO), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True).stdout.strip()
    bochs = "not installed"
    try:
        out = subprocess.run([vmxboot.BOCHS, "--help"], capture_output=True, text=True, timeout=10)
        match = re.search(r"Bochs x86 Emulator ([\w.]+)", out.stdout + out.stderr)
        bochs = "Bochs " + match.group(1) if match else "Bochs (version not printed)"
    except (OSError, subprocess.TimeoutExpired):
        pass
    return {
        "load": load_average(),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram": ram,
        "os": "%s %s" % (platform.system(), platform.release()),
        "qemu": first_line([vmxboot.QEMU, "--version"]),
        "bochs": bochs,
        "commit": commit + (" (with uncommitted changes)" if dirty else ""),
    }
