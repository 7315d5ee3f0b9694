"""Checking and decoding one copy of the status area (docs/status-page.md)."""
import struct
import zlib

from vmxroot_status.layout import (BOOT_FLAGS, BOOT_PHASES, CPU_FLAGS, ENTRY_FAILURE_FLAGS, ENTRY_FAILURE_KINDS,
                                   EXIT_CHECKSUM, EXIT_MAJOR, EXIT_NOT_FOUND, EXIT_REASONS, EXIT_TORN,
                                   GENERATION_OFFSET, HEADER_BYTES, KNOWN_MAJOR, LAYOUT, LOG_RING_HEADER_BYTES, MAGIC, MAX_AREA_PAGES,
                                   MAX_PAGES, MEMORY_BLOCK_HEADER_BYTES, MEMORY_CPU_NONE, MEMORY_FLAGS,
                                   MEMORY_KINDS, MEMORY_RANGE_BYTES, PAGE_BYTES, REASONS, RECORD_BYTES, STATES,
                                   VCPU_REASONS, VCPU_RECORD_BYTES, VCPU_STATES, VMX_FEATURES, VM_ERRORS)


class StatusError(Exception):
    """A failure with the exit code it maps to."""

    def __init__(self, exit_code, message):
        super().__init__(message)
        self.exit_code = exit_code


def name_of(table, value):
    return table[value] if 0 <= value < len(table) else str(value)


def flag_names(table, bits):
    names = [name for bit, name in enumerate(table) if bits & (1 << bit)]
    unknown = bits & ~((1 << len(table)) - 1)
    if unknown:
        names.append("0x%x" % unknown)
    return names


def decode_fields(region, data, base):
    fields = {}
    for field_region, offset, size, kind, name in LAYOUT:
        if field_region != region or name == "reserved":
            continue
        raw = bytes(data[base + offset:base + offset + size])
        if kind == "u4[32]":
            fields[name] = [(raw[n // 2] >> (4 * (n % 2))) & 0xF for n in range(32)]
        elif kind.startswith("char["):
            fields[name] = raw.split(b"\0", 1)[0].decode("utf-8", "replace")
        elif kind == "u8[32]":
            fields[name] = list(raw)
        elif kind == "u32[32]":
            fields[name] = list(struct.unpack("<32I", raw))
        else:
            fields[name] = int.from_bytes(raw, "little")
    return fields


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        table.append(crc)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli), as SSE4.2's CRC32 instruction computes it; crc32c(b"123456789") == 0xE3069283."""
    crc ^= 0xFFFFFFFF
    table = CRC32C_TABLE
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc ^ 0xFFFFFFFF


def block_checksum(data, base, size):
    """CRC-32C of one 1.1 guest block (a vCPU record, the memory block) with its first 8 bytes read as zero."""
    return crc32c(bytes(8) + bytes(data[base + 8:base + size]))


def status_checksum(area, checksum_bytes):
    return zlib.crc32(bytes(area[:GENERATION_OFFSET]) + bytes(8) + bytes(area[32:checksum_bytes]))


def u16(data, offset):
    return struct.unpack_from("<H", data, offset)[0]


def u32(data, offset):
    return struct.unpack_from("<I", data, offset)[0]


def check_area(area, where):
    """Validates an area (bytes from the page's start) as docs/status-page.md says; returns the
    number of bytes it spans. Raises StatusError with the exit code that fits."""
    if len(area) < 36 or bytes(area[:8]) != MAGIC:
        if len(area) < 36 and bytes(area[:len(MAGIC)]) == MAGIC[:len(area[:8])]:
            raise StatusError(EXIT_NOT_FOUND, "%s: the input ends %d bytes into the status page "
                              "(truncated dump?): copy the whole page" % (where, len(area)))
        raise StatusError(EXIT_NOT_FOUND, "%s: no status page magic there" % where)
    major, minor = u16(area, 8), u16(area, 10)
    if major != KNOWN_MAJOR:
        raise StatusError(EXIT_MAJOR, "%s: status page version %d.%d, this tool reads major %d only: "
                          "use the vmxroot-status of the same vmxroot build" % (where, major, minor, KNOWN_MAJOR))
    header_size, record_size, page_count = u16(area, 12), u16(area, 14), u32(area, 20)
    if not 1 <= page_count <= MAX_PAGES or header_size < 136 or record_size < RECORD_BYTES:
        raise StatusError(EXIT_CHECKSUM, "%s: damaged header (page_count %d, header_size %d, record_size %d)"
                          % (where, page_count, header_size, record_size))
    span = page_count * PAGE_BYTES
    if len(area) < span:
        raise StatusError(EXIT_NOT_FOUND, "%s: the input ends %d bytes into the %d-byte status area "
                          "(truncated dump?): copy all %d page(s)" % (where, len(area), span, page_count))
    generation = u32(area, GENERATION_OFFSET)
    if generation % 2:
        raise StatusError(EXIT_TORN, "%s: generation %d is odd: a writer was inside when this copy was taken; "
                          "read again (a static dump cannot be retried)" % (where, generation))
    checksum_bytes = u32(area, 32)
    if not 36 <= checksum_bytes <= span:
        raise StatusError(EXIT_CHECKSUM, "%s: checksum_bytes %d is outside the %d-byte area (damaged page)"
                          % (where, checksum_bytes, span))
    stored, computed = u32(area, 28), status_checksum(area, checksum_bytes)
    if stored != computed:
        raise StatusError(EXIT_CHECKSUM, "%s: bad checksum: stored 0x%08x, computed 0x%08x (damaged or "
                          "torn copy)" % (where, stored, computed))
    whole = area_span(area)
    if len(area) < whole:
        raise StatusError(EXIT_NOT_FOUND, "%s: the input ends %d bytes into the %d-byte status area with its "
                          "guest blocks (truncated dump?): copy all %d page(s)" % (where, len(area), whole,
                                                                                  whole // PAGE_BYTES))
    return whole


def area_span(area):
    """Bytes of the whole area: the page_count pages, and from 1.1 on the guest blocks after them.
    Only called on a header whose checksum is right (the 1.1 fields are under it)."""
    pages = u32(area, 20)
    if u16(area, 10) >= 1 and len(area) >= HEADER_BYTES:
        total = u32(area, 136)
        if pages <= total <= MAX_AREA_PAGES:
            pages = total
    return pages * PAGE_BYTES


def decode_area(area, source):
    """Decodes a checked area into a plain dict (the --json output)."""
    header = decode_fields("header", area, 0)
    header["magic"] = bytes(area[:8]).rstrip(b"\0").decode("ascii", "replace")
    header["boot_phase_name"] = name_of(BOOT_PHASES, header["boot_phase"])
    header["boot_flag_names"] = flag_names(BOOT_FLAGS, header["boot_flags"])
    header["vmx_feature_names"] = flag_names(VMX_FEATURES, header["vmx_features"])
    cpus = []
    for index in range(header["record_count"]):
        base = header["header_size_bytes"] + index * header["record_size_bytes"]
        if base + RECORD_BYTES > len(area):
            break
        cpu = decode_fields("cpu", area, base)
        cpu["state_name"] = name_of(STATES, cpu["state"])
        cpu["reason_name"] = name_of(REASONS, cpu["reason"])
        cpu["flag_names"] = flag_names(CPU_FLAGS, cpu["flags"])
        nibbles = cpu.pop("vmfail_valid_by_error")
        cpu["vmfail_valid_by_error"] = [
            {"error": n, "name": name_of(VM_ERRORS, n), "count": count, "saturated": count == 15}
            for n, count in enumerate(nibbles) if count]
        cpus.append(cpu)
    status = {"source": source, "header": header, "cpus": cpus}
    if header["version_minor"] >= 1 and header["area_page_count"] > header["page_count"]:
        status["memory"] = decode_memory_block(area, header)
        status["vcpus"] = [decode_vcpu(area, header, index) for index in range(header["vcpu_record_count"])]
        status["torn"] = ([] if status["memory"]["consistent"] else ["memory"]) + [
            "vcpu%d" % vcpu["index"] for vcpu in status["vcpus"] if not vcpu["consistent"]]
    if header["version_minor"] >= 2 and header["log_ring_offset"]:
        status["log"] = decode_log_ring(area, header)
        if not status["log"]["consistent"]:
            status.setdefault("torn", []).append("log")
    return status


def decode_log_ring(area, header):
    """The 1.2 log ring: its lines oldest first (slot (line_count - 1) % line_slots is the newest)."""
    base = header["log_ring_offset"]
    ring = decode_fields("logring", area, base)
    slots, stride = ring["line_slots"], ring["line_size_bytes"]
    covered = LOG_RING_HEADER_BYTES + slots * stride
    ring["consistent"] = (ring["generation"] % 2 == 0 and slots > 0 and stride > 0 and
                          covered <= header["log_ring_size_bytes"] and base + covered <= len(area) and
                          block_checksum(area, base, covered) == ring["checksum"])
    held = min(ring["line_count"], slots) if ring["consistent"] else 0
    first = ring["line_count"] - held
    ring["lines"] = []
    for n in range(first, ring["line_count"]):
        start = base + LOG_RING_HEADER_BYTES + (n % slots) * stride
        ring["lines"].append(bytes(area[start:start + stride]).split(b"\0", 1)[0].decode("utf-8", "replace"))
    return ring


def decode_memory_block(area, header):
    base = header["memory_block_offset"]
    block = decode_fields("memblock", area, base)
    count = min(block["count"], header["memory_range_capacity"])
    stride = header["memory_range_size_bytes"] or MEMORY_RANGE_BYTES
    covered = MEMORY_BLOCK_HEADER_BYTES + count * stride
    block["consistent"] = (block["generation"] % 2 == 0 and base + covered <= len(area)
                           and block_checksum(area, base, covered) == block["checksum"])
    block["flag_names"] = flag_names(MEMORY_FLAGS, block["flags"])
    block["capacity"] = header["memory_range_capacity"]
    ranges = []
    for index in range(count):
        entry = decode_fields("range", area, base + MEMORY_BLOCK_HEADER_BYTES + index * stride)
        entry["kind_name"] = name_of(MEMORY_KINDS, entry["kind"])
        entry["size_bytes"] = entry["size_pages"] * PAGE_BYTES
        entry["cpu"] = None if entry["cpu"] == MEMORY_CPU_NONE else entry["cpu"]
        ranges.append(entry)
    block["ranges"] = ranges
    return block


def exit_reason_name(basic):
    return EXIT_REASONS.get(basic, "exit reason %d" % basic)


def decode_vcpu(area, header, index):
    stride = header["vcpu_record_size_bytes"] or VCPU_RECORD_BYTES
    base = header["vcpu_area_offset"] + index * stride
    vcpu = decode_fields("vcpu", area, base)
    vcpu["consistent"] = (vcpu["generation"] % 2 == 0 and
                          block_checksum(area, base, stride) == vcpu["checksum"])
    vcpu["state_name"] = name_of(VCPU_STATES, vcpu["state"])
    vcpu["reason_name"] = name_of(VCPU_REASONS, vcpu["reason"])
    used = min(vcpu.pop("exit_slots_used"), 32)
    reasons, counts = vcpu.pop("exit_slot_reason"), vcpu.pop("exit_slot_count")
    vcpu["exits"] = [{"reason": reasons[slot], "name": exit_reason_name(reasons[slot]), "count": counts[slot]}
                     for slot in range(used)]
    last = vcpu["last_exit_reason"]
    vcpu["last_exit"] = None if vcpu["exit_count_total"] == 0 else {
        "reason": last & 0xFFFF, "name": exit_reason_name(last & 0xFFFF), "entry_failure": bool(last >> 31),
        "qualification": vcpu["last_exit_qualification"], "guest_rip": vcpu["last_exit_guest_rip"]}
    kind = vcpu["entry_failure_kind"]
    vcpu["entry_failure"] = None if vcpu["entry_failure_count"] == 0 else {
        "count": vcpu["entry_failure_count"], "kind": kind, "kind_name": name_of(ENTRY_FAILURE_KINDS, kind),
        "number": vcpu["entry_failure_number"], "name": vcpu["entry_failure_name"],
        "field": vcpu["entry_failure_field"], "value": vcpu["entry_failure_value"],
        "flag_names": flag_names(ENTRY_FAILURE_FLAGS, vcpu["entry_failure_flags"]),
        "error_name": name_of(VM_ERRORS, vcpu["entry_failure_number"]) if kind == 2 else None}
    for name in ("last_exit_reason", "last_exit_qualification", "last_exit_guest_rip", "entry_failure_count",
                 "entry_failure_kind", "entry_failure_flags", "entry_failure_number", "entry_failure_name",
                 "entry_failure_field", "entry_failure_value", "reserved0"):
        vcpu.pop(name)
    return vcpu
