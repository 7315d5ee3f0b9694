"""Status pages built from docs/status-page.md for the tests of tools/vmxroot-status.

Pages are built from the layout table of the doc (not from the tool's own table), so the tool is
checked against the document. build_area() makes the 1.0 part (header and CPU records);
build_guest_area() adds the version 1.1 guest blocks (memory block, vCPU records) after it.
"""
import json
import random
import re
import zlib

from helpers import run_status_tool
from vmxboot import REPO

DOC = REPO / "docs" / "status-page.md"

EXIT_OK, EXIT_OTHER, EXIT_NOT_FOUND, EXIT_TORN, EXIT_CHECKSUM, EXIT_MAJOR = 0, 1, 2, 3, 4, 5


def doc_layout():
    """The status-layout block of the doc: [(region, offset, size, type, name)]."""
    text = DOC.read_text()
    block = re.search(r"```status-layout\n(.*?)```", text, re.S)
    assert block, "docs/status-page.md has no ```status-layout block"
    rows = []
    for line in block.group(1).splitlines():
        region, offset, size, kind, name = line.split(None, 5)[:5]
        rows.append((region, int(offset), int(size), kind, name))
    return rows


def doc_name_table(heading):
    """The `value | name` column pairs of the markdown table under a heading of the doc."""
    text = DOC.read_text()
    section = text.split(heading, 1)[1]
    names = {}
    for line in section.splitlines()[1:]:
        if line.startswith("#"):
            break
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].isdigit():
            names[int(cells[0])] = cells[1]
    return [names[value] for value in sorted(names)]


LAYOUT = {(region, name): (offset, size) for region, offset, size, _, name in doc_layout()}


def put(area, base, region, name, value):
    offset, size = LAYOUT[(region, name)]
    area[base + offset:base + offset + size] = value.to_bytes(size, "little")


def build_area(header=None, cpus=(), pages=1, phys=0x1F000, odd=False):
    """A status area as docs/status-page.md describes it, with a right checksum."""
    area = bytearray(pages * 4096)
    area[0:8] = b"VMXROOT\0"
    fields = {"version_major": 1, "version_minor": 0, "header_size_bytes": 512, "record_size_bytes": 56,
              "record_count": len(cpus), "page_count": pages, "generation": 42 + (1 if odd else 0),
              "page_phys": phys, "boot_phase": 3, "cpus_found": len(cpus), "cpus_online": len(cpus),
              "cpus_vmx_root": len(cpus), "tsc_khz": 2893000, "vmx_revision_id": 0x2B, "vmx_features": 0x1F,
              "vmcs_pool_total": 4 * len(cpus), "vmcs_pool_free": 3 * len(cpus), "vmcs_per_cpu": 4,
              "bringup_time_us": 1234, "entry_to_ready_us": 567890, "memory_per_cpu_bytes": 45056}
    fields.update(header or {})
    for name, value in fields.items():
        put(area, 0, "header", name, value)
    for index, cpu in enumerate(cpus):
        base = 512 + index * 56
        record = {"index": index, "apic_id": index, "state": 3, "reason": 0, "vmx_revision_id": 0x2B,
                  "flags": 0b110 | (1 if index == 0 else 0)}
        record.update({k: v for k, v in cpu.items() if k != "errors"})
        for name, value in record.items():
            put(area, base, "cpu", name, value)
        offset, _ = LAYOUT[("cpu", "vmfail_valid_by_error")]
        for error, count in cpu.get("errors", {}).items():
            area[base + offset + error // 2] |= count << (4 * (error % 2))
    checksum_bytes = 512 + len(cpus) * 56
    put(area, 0, "header", "checksum_bytes", checksum_bytes)
    crc = zlib.crc32(bytes(area[:24]) + bytes(8) + bytes(area[32:checksum_bytes]))
    put(area, 0, "header", "checksum", crc)
    return area


FOUR_CPUS = [
    {},
    {"apic_id": 2, "vmcs_free": 2, "vmcs_clear": 1, "vmcs_active_current": 1, "vmclear_count": 3,
     "vmptrld_count": 5, "vmptrld_skipped_count": 2},
    {"apic_id": 4, "vmfail_valid_count": 2, "vmfail_invalid_count": 1, "errors": {10: 1, 11: 1}},
    {"apic_id": 6, "state": 4, "reason": 1, "vmx_revision_id": 0, "flags": 0},
]


def decode_json(*args):
    proc = run_status_tool(*args, "--json")
    assert proc.returncode == EXIT_OK, proc.stderr
    return json.loads(proc.stdout)


def random_memory(size=1 << 20, seed=5):
    return bytearray(random.Random(seed).randbytes(size))


# --- version 1.1: the guest blocks after the 1.0 pages ------------------------------------

VCPU_BYTES = 320


def put_bytes(area, base, region, name, data):
    offset, size = LAYOUT[(region, name)]
    area[base + offset:base + offset + size] = bytes(data).ljust(size, b"\0")[:size]


def crc32c(data):
    """CRC-32C as docs/status-page.md defines it, bit by bit (the tool uses a table: they must agree)."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def block_checksum(block):
    """CRC-32C of a guest block with its first 8 bytes (generation, checksum) read as zero."""
    return crc32c(bytes(8) + bytes(block[8:]))


def vcpu_record(index, state=1, reason=0, text="", exits=(), other=0, last=None, failure=None, generation=2,
                publish_count=1, published_tsc=0, size=VCPU_BYTES):
    """One vCPU record: exits is [(basic reason, count)] in slot order; last is (exit reason, qualification,
    guest RIP); failure a dict of entry_failure_* values (kind, flags, number, field, value, name, count)."""
    record = bytearray(size)
    fields = {"index": index, "state": state, "reason": reason, "exit_slots_used": len(exits),
              "exit_count_other": other, "exit_count_total": sum(count for _, count in exits) + other,
              "publish_count": publish_count, "published_tsc": published_tsc}
    if last:
        fields.update(last_exit_reason=last[0], last_exit_qualification=last[1], last_exit_guest_rip=last[2])
    if failure:
        fields.update({"entry_failure_" + key: value for key, value in failure.items() if key != "name"})
        put_bytes(record, 0, "vcpu", "entry_failure_name", failure.get("name", "").encode())
    for name, value in fields.items():
        put(record, 0, "vcpu", name, value)
    put_bytes(record, 0, "vcpu", "reason_text", text.encode())
    put_bytes(record, 0, "vcpu", "exit_slot_reason", bytes(reason for reason, _ in exits))
    put_bytes(record, 0, "vcpu", "exit_slot_count", b"".join((count & 0xFFFFFFFF).to_bytes(4, "little")
                                                             for _, count in exits))
    seal(record, generation, size)
    return record


def seal(block, generation, covered):
    """Sets a guest block's generation and its checksum over its first `covered` bytes."""
    block[0:4] = generation.to_bytes(4, "little")
    block[4:8] = block_checksum(block[:covered]).to_bytes(4, "little")


def guest_layout(cpu_count, capacity=64, vcpu_stride=VCPU_BYTES):
    memory = 4096
    vcpus = (memory + 16 + capacity * 16 + 63) // 64 * 64
    pages = (vcpus + cpu_count * vcpu_stride + 4095) // 4096
    return memory, vcpus, pages


def build_guest_area(cpus=FOUR_CPUS, vcpus=None, ranges=(), phys=0x1F000, minor=1, capacity=64, memory_flags=0,
                     vcpu_stride=VCPU_BYTES, header=None):
    """A 1.1 area: the 1.0 page of build_area() and, after it, the memory block (ranges: [(phys, pages,
    kind, cpu)]) and one vCPU record per CPU (vcpus: records from vcpu_record(); default not launched)."""
    vcpus = list(vcpus) if vcpus is not None else [vcpu_record(i, state=0) for i in range(len(cpus))]
    memory, vcpu_offset, pages = guest_layout(len(vcpus), capacity, vcpu_stride)
    fields = {"version_minor": minor, "area_page_count": pages, "memory_block_offset": memory,
              "memory_range_capacity": capacity, "memory_range_size_bytes": 16, "vcpu_record_size_bytes": vcpu_stride,
              "vcpu_area_offset": vcpu_offset, "vcpu_record_count": len(vcpus), "vcpu_publish_interval_us": 4000}
    fields.update(header or {})
    area = build_area(header=fields, cpus=cpus, pages=1, phys=phys)
    area += bytearray((pages - 1) * 4096)
    block = bytearray(16 + capacity * 16)
    put(block, 0, "memblock", "count", len(ranges))
    put(block, 0, "memblock", "flags", memory_flags)
    for index, (start, size_pages, kind, cpu) in enumerate(ranges):
        for name, value in (("phys", start), ("size_pages", size_pages), ("kind", kind), ("cpu", cpu)):
            put(block, 16 + index * 16, "range", name, value)
    seal(block, 0, 16 + len(ranges) * 16)
    area[memory:memory + len(block)] = block
    for index, record in enumerate(vcpus):
        base = vcpu_offset + index * vcpu_stride
        area[base:base + len(record)] = record
    return area

