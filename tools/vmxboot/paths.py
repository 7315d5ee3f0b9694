"""Where the build puts what the runner boots, and where it keeps its logs and ISOs."""
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
BUILD = REPO / "build"
ELF = BUILD / "vmxroot.elf"
ISO = BUILD / "vmxroot.iso"
GRUB_CFG = REPO / "tools" / "grub.cfg"
LOG_DIR = BUILD / "test-logs"
ISO_CACHE = BUILD / "test-isos"
