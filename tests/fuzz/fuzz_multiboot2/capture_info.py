#!/usr/bin/python3
"""Captures the multiboot2 information block GRUB hands vmxroot, as a fuzz_multiboot2 seed.

    capture_info.py qemu OUT [QEMU ARGS...]   e.g. -M q35 -smp 4 -bios /usr/share/ovmf/OVMF.fd
    capture_info.py bochs OUT

QEMU: boots a test ISO (kernel command line "exit=never loglevel=debug") to the ready line,
saves guest RAM through the monitor (`pmemsave`) and cuts the block out of it. vmxroot
reserves the block's frames, so they still hold GRUB's bytes at ready.
Bochs: stops at the kernel's entry point (a physical breakpoint; EBX holds the block's address,
Multiboot2 spec "Machine state"), writes low memory with the debugger's `writemem`, cuts it out.

The block is found by its command-line tag and accepted only when its tags walk from the
total_size field to an end tag that ends exactly there (Multiboot2 spec, "Boot information format").
Run from the repository root after `make`; needs the packages of tools/install-deps.
"""
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools"))  # the vmxboot package
import vmxboot  # noqa: E402

CMDLINE = "exit=never loglevel=debug"
RAM_MB = 256


def find_info_block(ram):
    """The bytes of the one info block in a physical-memory image."""
    needle = CMDLINE.encode() + b"\0"
    found, pos = [], ram.find(needle)
    while pos >= 0:
        tag = pos - 8  # tag 1 (boot command line): type, size, then the string
        for start in range(tag - 8, max(tag - 80, -1), -8):  # tag 21 may come first
            total, reserved = struct.unpack_from("<II", ram, start)
            if reserved != 0 or not start + 16 <= tag + 8 <= start + total <= len(ram):
                continue
            off = 8
            while off + 8 <= total:
                tag_type, tag_size = struct.unpack_from("<II", ram, start + off)
                if tag_type == 0 and tag_size == 8 and off + 8 == total:
                    found.append(ram[start:start + total])
                    break
                if tag_size < 8:
                    break
                off += (tag_size + 7) & ~7
        pos = ram.find(needle, pos + 1)
    if len(found) != 1:
        raise SystemExit("expected one multiboot2 info block in the dump, found %d" % len(found))
    return found[0]


def monitor(sock, command, wait_s):
    sock.sendall((command + "\n").encode())
    deadline = time.monotonic() + wait_s
    reply = b""
    while time.monotonic() < deadline and not reply.rstrip().endswith(b"(qemu)"):
        try:
            reply += sock.recv(65536)
        except socket.timeout:
            pass
    return reply


def capture_qemu(tmp, qemu_args):
    iso = vmxboot.iso_for_cmdline(CMDLINE)
    serial, mon, ram = tmp / "serial.txt", tmp / "monitor.sock", tmp / "ram.bin"
    cmd = vmxboot.qemu_command(iso, "file:%s" % serial, memory_mb=RAM_MB) + list(qemu_args)
    cmd += ["-monitor", "unix:%s,server=on,wait=off" % mon]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while "vmxroot: ready" not in (serial.read_text(errors="replace") if serial.exists() else ""):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("no ready line; serial log:\n" + serial.read_text(errors="replace"))
            time.sleep(0.2)
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(str(mon))
        sock.settimeout(0.2)
        monitor(sock, "", 5)  # the banner and first prompt
        monitor(sock, "stop", 5)
        monitor(sock, 'pmemsave 0 %d "%s"' % (RAM_MB << 20, ram), 60)
        sock.sendall(b"quit\n")
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return ram.read_bytes()


def capture_bochs(tmp):
    iso = vmxboot.iso_for_cmdline(CMDLINE)
    elf = tmp / "vmxroot.elf"
    subprocess.run(["xorriso", "-osirrox", "on", "-indev", str(iso), "-extract", "/boot/vmxroot.elf", str(elf)],
                   check=True, capture_output=True)
    entry = struct.unpack_from("<Q", elf.read_bytes(), 24)[0]  # ELF64 e_entry
    ram = tmp / "ram.bin"
    command = vmxboot.write_bochs_files(tmp, "capture", iso, tmp / "serial.txt", tmp / "bochs.log", 1, RAM_MB,
                                          None)
    (tmp / "capture.bochs-rc").write_text('pb 0x%x\nc\nr\nwritemem "%s" 0 %d\nquit\n' % (entry, ram, 16 << 20))
    out = subprocess.run(command, env=vmxboot.bochs_environment(), stdin=subprocess.DEVNULL, capture_output=True,
                         text=True, timeout=300).stdout
    rbx = re.search(r"rbx: ([0-9a-f]{8})_([0-9a-f]{8})", out)
    print("bochs: stopped at entry 0x%x, EBX=0x%s" % (entry, rbx.group(2) if rbx else "?"))
    return ram.read_bytes()


def main(argv):
    if len(argv) < 3 or argv[1] not in ("qemu", "bochs"):
        raise SystemExit(__doc__)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        ram = capture_qemu(tmp, argv[3:]) if argv[1] == "qemu" else capture_bochs(tmp)
        block = find_info_block(ram)
    Path(argv[2]).write_bytes(block)
    print("%s: %d bytes, from %s" % (argv[2], len(block), " ".join(argv[1:2] + argv[3:])))


if __name__ == "__main__":
    os.umask(0o022)
    main(sys.argv)
