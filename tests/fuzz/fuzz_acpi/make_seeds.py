#!/usr/bin/python3
"""Writes the synthetic seeds of tests/fuzz/fuzz_acpi.c into seeds/ beside this file.

Each seed is a flat "physical memory" image with the RSDP at offset 0
(ACPI spec, "Root System Description Pointer"), or a MADT on its own.
Run again after changing it; the seeds are committed.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = os.path.join(HERE, "seeds")


def checksum_fix(buf, start, length, at):
    buf[at] = 0
    buf[at] = (-sum(buf[start:start + length])) & 0xFF


def header(sig, body):
    length = 36 + len(body)
    h = bytearray(sig + struct.pack("<IBB6s8sIII", length, 1, 0, b"VMXRT ", b"FUZZSEED", 1, 0x54455354, 1)) + body
    checksum_fix(h, 0, length, 9)
    return h


def rsdp(revision, rsdt, xsdt):
    r = bytearray(b"RSD PTR " + struct.pack("<B6sBI", 0, b"VMXRT ", revision, rsdt))
    checksum_fix(r, 0, 20, 8)
    if revision >= 2:
        r += struct.pack("<IQB3x", 36, xsdt, 0)
        checksum_fix(r, 0, 36, 32)
    return r


def lapic(uid, apic_id, flags):
    return struct.pack("<BBBBI", 0, 8, uid, apic_id, flags)


def x2apic(apic_id, flags, uid):
    return struct.pack("<BBHIII", 9, 16, 0, apic_id, flags, uid)


def ioapic(ioapic_id, addr, gsi_base):
    return struct.pack("<BBBBII", 1, 12, ioapic_id, 0, addr, gsi_base)


def override(addr):
    return struct.pack("<BBHQ", 5, 12, 0, addr)


def madt(entries, lapic_phys=0xFEE00000, flags=1):
    return header(b"APIC", struct.pack("<II", lapic_phys, flags) + b"".join(entries))


def image(revision, tables, xsdt_ok=True, rsdt_ok=True):
    """RSDP at 0, RSDT at 0x40, XSDT at 0x80, tables from 0x100 (16-byte aligned)."""
    mem = bytearray(0x100)
    addrs, at = [], 0x100
    for t in tables:
        addrs.append(at)
        mem += t + bytes((-len(t)) % 16)
        at = len(mem)
    rsdt = header(b"RSDT", b"".join(struct.pack("<I", a) for a in addrs))
    xsdt = header(b"XSDT", b"".join(struct.pack("<Q", a) for a in addrs))
    if not rsdt_ok:
        rsdt[9] ^= 1
    if not xsdt_ok:
        xsdt[9] ^= 1
    assert len(rsdt) <= 0x40 and len(xsdt) <= 0x80
    mem[0x40:0x40 + len(rsdt)] = rsdt
    mem[0x80:0x80 + len(xsdt)] = xsdt
    r = rsdp(revision, 0x40, 0x80 if revision >= 2 else 0)
    mem[0:len(r)] = r
    return bytes(mem)


def main():
    os.makedirs(SEEDS, exist_ok=True)
    fadt = header(b"FACP", bytes(80))
    qemu_like = madt([lapic(i, i, 1) for i in range(4)] + [ioapic(0, 0xFEC00000, 0)] +
                     [struct.pack("<BBBBIH", 2, 10, 0, 0, 2, 0)] * 2 +
                     [struct.pack("<BBBHB", 4, 6, 0xFF, 0, 1)])
    mixed = madt([lapic(0, 0, 1), lapic(1, 1, 0), lapic(2, 2, 2), lapic(3, 0xFF, 1),
                  x2apic(256, 1, 4), x2apic(0x10000, 2, 5), x2apic(1, 1, 6), override(0xFEE00000)])
    seeds = {
        "v1_rsdt_madt": image(0, [fadt, qemu_like]),
        "v2_xsdt_madt": image(2, [fadt, mixed]),
        "v2_bad_xsdt_falls_back": image(2, [qemu_like], xsdt_ok=False),
        "v2_no_madt": image(2, [fadt]),
        "v2_two_madts": image(2, [mixed, qemu_like]),
        "madt_only_qemu_like": bytes(qemu_like),
        "madt_only_mixed": bytes(mixed),
        "madt_zero_length_entry": bytes(madt([lapic(0, 0, 1), bytes([0, 0, 1, 1])])),
    }
    for name, data in seeds.items():
        with open(os.path.join(SEEDS, name), "wb") as f:
            f.write(data)
    print(f"{len(seeds)} seeds in {SEEDS}")


if __name__ == "__main__":
    main()
