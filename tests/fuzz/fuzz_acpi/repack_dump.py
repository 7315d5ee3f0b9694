#!/usr/bin/python3
"""Turns a guest physical-memory dump into a compact fuzz_acpi seed.

Finds the RSDP (16-byte aligned, valid checksum) anywhere in the dump, takes
the tables its RSDT / XSDT list, and lays them out again with the RSDP at 0
(pointers rewritten, checksums fixed). The tables' own bytes are kept as the
firmware made them. How the dumps were made (QEMU 7.2 monitor, no boot disk):

  (sleep 3; echo 'pmemsave 0 0x2000000 "seabios_pc.bin"'; sleep 1; echo quit) |
    qemu-system-x86_64 -M pc -m 32 -smp 4 -display none -nodefaults -monitor stdio

and likewise -M q35, and -bios /usr/share/ovmf/OVMF.fd (sleep 25) for OVMF.
Bochs 2.7 (no boot device, `panic: action=report`, 4 CPUs): an rc file with
`lb 0xf0c50` (the BIOS's "No bootable device" halt loop), `c`,
`writemem "mem.bin" 0 33554432`, `quit`, run as bochs-bin -q -f BOCHSRC -rc RC.
OVMF keeps an ACPI 1.0 RSDP and, 20 bytes after it, the 2.0 one it hands to
UEFI loaders (only 4-byte aligned); pass --rsdp=0x... to take that one.
Usage: repack_dump.py [--rsdp=PHYS] DUMP OUT_SEED [OUT_MADT]
"""
import struct
import sys


def checksum_ok(b):
    return sum(b) & 0xFF == 0


def fix(buf, start, length, at):
    buf[at] = 0
    buf[at] = (-sum(buf[start:start + length])) & 0xFF


def find_rsdp(mem):
    at = mem.find(b"RSD PTR ")
    while at >= 0:
        if at % 16 == 0 and checksum_ok(mem[at:at + 20]):
            return at
        at = mem.find(b"RSD PTR ", at + 1)
    raise SystemExit("no RSDP in the dump")


def table(mem, phys):
    length = struct.unpack_from("<I", mem, phys + 4)[0]
    return bytes(mem[phys:phys + length])


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--rsdp=")]
    forced = [int(a[7:], 0) for a in sys.argv[1:] if a.startswith("--rsdp=")]
    mem = open(args[0], "rb").read()
    at = forced[0] if forced else find_rsdp(mem)
    revision = mem[at + 15]
    rsdt_phys = struct.unpack_from("<I", mem, at + 16)[0]
    xsdt_phys = struct.unpack_from("<Q", mem, at + 24)[0] if revision >= 2 else 0
    root_phys, entry = (xsdt_phys, 8) if xsdt_phys else (rsdt_phys, 4)
    root = table(mem, root_phys)
    addrs = [struct.unpack_from("<Q" if entry == 8 else "<I", root, off)[0]
             for off in range(36, len(root), entry)]
    tables = [table(mem, a) for a in addrs]
    print(f"RSDP at {at:#x} rev {revision}, {'XSDT' if xsdt_phys else 'RSDT'} at {root_phys:#x}: "
          + " ".join(t[:4].decode(errors="replace") for t in tables))

    n = len(tables)
    rsdt_at, xsdt_at = 0x40, 0x40 + ((36 + 4 * n + 15) & ~15)
    out = bytearray(xsdt_at + ((36 + 8 * n + 15) & ~15))
    new_addrs = []
    for t in tables:
        new_addrs.append(len(out))
        out += t + bytes((-len(t)) % 16)
    rsdt = bytearray(root[:36] if not xsdt_phys else table(mem, rsdt_phys)[:36])
    rsdt[0:4] = b"RSDT"
    rsdt += b"".join(struct.pack("<I", a) for a in new_addrs)
    struct.pack_into("<I", rsdt, 4, len(rsdt))
    fix(rsdt, 0, len(rsdt), 9)
    out[rsdt_at:rsdt_at + len(rsdt)] = rsdt
    rsdp = bytearray(mem[at:at + (36 if revision >= 2 else 20)])
    struct.pack_into("<I", rsdp, 16, rsdt_at)
    if revision >= 2:
        xsdt = bytearray(root[:36]) + b"".join(struct.pack("<Q", a) for a in new_addrs)
        struct.pack_into("<I", xsdt, 4, len(xsdt))
        fix(xsdt, 0, len(xsdt), 9)
        out[xsdt_at:xsdt_at + len(xsdt)] = xsdt
        struct.pack_into("<Q", rsdp, 24, xsdt_at)
    fix(rsdp, 0, 20, 8)
    if revision >= 2:
        fix(rsdp, 0, 36, 32)
    out[0:len(rsdp)] = rsdp
    open(args[1], "wb").write(out)
    if len(args) > 2:
        madt = next(t for t in tables if t[:4] == b"APIC")
        open(args[2], "wb").write(madt)


if __name__ == "__main__":
    main()
