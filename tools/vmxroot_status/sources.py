"""Where a copy of the status area comes from: a dump, a serial log, QEMU (QMP), /dev/mem."""
import json
import mmap
import os
import re
import socket
import tempfile
import time
import zlib

from vmxroot_status.decode import StatusError, check_area, decode_area, u16, u32
from vmxroot_status.layout import (EXIT_CHECKSUM, EXIT_NOT_FOUND, EXIT_OTHER, EXIT_TORN, GENERATION_OFFSET,
                                   HEADER_BYTES, KNOWN_MAJOR, MAGIC, MAX_AREA_PAGES, MAX_PAGES, PAGE_BYTES,
                                   READ_RETRIES, RETRY_DELAY_S)


def read_dump(path, offset=None):
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size == 0:
            raise StatusError(EXIT_NOT_FOUND, "%s is empty" % path)
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            if offset is not None:
                if offset >= size:
                    raise StatusError(EXIT_NOT_FOUND, "%s: offset 0x%x is past its end (%d bytes)" % (path, offset, size))
                area = data[offset:offset + MAX_AREA_PAGES * PAGE_BYTES]
                span = check_area(area, "%s at offset 0x%x" % (path, offset))
                return decode_area(area[:span], {"kind": "dump", "file": path, "offset": offset})
            return scan_buffer(data, path, 0)


def scan_buffer(data, where, base_address):
    """Finds the status page in a buffer: page-aligned magic with a right checksum first; failing
    that, any 8-byte-aligned place (a dump format whose file offsets are not page-aligned). The
    first page-aligned candidate's error is reported when none is good."""
    first_error = None
    unaligned = []
    position = data.find(MAGIC)
    while position >= 0:
        if position % PAGE_BYTES == 0 or position % 8 == 0:
            try:
                area = data[position:position + MAX_AREA_PAGES * PAGE_BYTES]
                span = check_area(area, "%s at 0x%x" % (where, base_address + position))
                if position % PAGE_BYTES == 0:
                    return decode_area(area[:span], {"kind": "scan", "file": where,
                                                     "offset": base_address + position})
                unaligned.append((position, area[:span]))
            except StatusError as error:
                if position % PAGE_BYTES == 0 and first_error is None:
                    first_error = error
        position = data.find(MAGIC, position + 1)
    if unaligned:
        position, area = unaligned[0]
        return decode_area(area, {"kind": "scan", "file": where, "offset": base_address + position})
    if first_error:
        raise first_error
    raise StatusError(EXIT_NOT_FOUND, "%s: no status page (magic VMXROOT at a 4 KiB boundary with a right "
                      "checksum) in %d bytes: was vmxroot past its early boot when this was taken?"
                      % (where, len(data)))


BEGIN_RE = re.compile(r"status-dump begin phys=0x([0-9a-fA-F]+) size=(\d+)")
HEX_RE = re.compile(r"status: ([0-9a-fA-F]+):((?: [0-9a-fA-F]{2}){16})\s*$")
END_RE = re.compile(r"status-dump end lines=(\d+) crc32=0x([0-9a-fA-F]+)")
READY_RE = re.compile(r"vmxroot: ready\b.*\bstatus=0x([0-9a-fA-F]+)")


def ready_address(path):
    """The status= address of the last ready line in a serial log, or None."""
    address = None
    with open(path, "r", errors="replace") as handle:
        for line in handle:
            match = READY_RE.search(line)
            if match:
                address = int(match.group(1), 16)
    return address


def read_serial_log(path):
    with open(path, "r", errors="replace") as handle:
        lines = handle.read().splitlines()
    dump = None  # (phys, size, bytearray, hex lines seen, end line match or None)
    last_complete = None
    for line in lines:
        begin = BEGIN_RE.search(line)
        if begin:
            size = int(begin.group(2))
            if not PAGE_BYTES <= size <= MAX_AREA_PAGES * PAGE_BYTES:
                raise StatusError(EXIT_CHECKSUM, "%s: status-dump size=%d is not a whole page count" % (path, size))
            dump = [int(begin.group(1), 16), size, bytearray(size), 0, None]
            continue
        if dump is None or dump[4] is not None:
            continue
        hex_line = HEX_RE.search(line)
        if hex_line:
            offset = int(hex_line.group(1), 16)
            if offset % 16 or offset + 16 > dump[1]:
                raise StatusError(EXIT_CHECKSUM, "%s: hex dump line at offset 0x%x is outside the %d-byte page"
                                  % (path, offset, dump[1]))
            dump[2][offset:offset + 16] = bytes.fromhex(hex_line.group(2))
            dump[3] += 1
            continue
        end = END_RE.search(line)
        if end:
            dump[4] = end
            last_complete = dump
    if last_complete is None:
        address = ready_address(path)
        if dump is not None:
            raise StatusError(EXIT_NOT_FOUND, "%s: the status dump has no end line (the log stops inside it): "
                              "let the boot finish, or read the page with --qmp" % path)
        hint = ("the ready line says the page is at 0x%x: read it live with --qmp SOCKET --address 0x%x"
                % (address, address)) if address is not None else "no ready line either"
        raise StatusError(EXIT_NOT_FOUND, "%s: no status dump (boot with status=dump on the command line); %s"
                          % (path, hint))
    phys, size, area, hex_lines, end = last_complete
    if hex_lines != int(end.group(1)) or zlib.crc32(bytes(area)) != int(end.group(2), 16):
        raise StatusError(EXIT_CHECKSUM, "%s: the status dump lost or garbled lines (%d hex lines of %s, crc32 "
                          "0x%08x, expected %s): read the log again or use --qmp"
                          % (path, hex_lines, end.group(1), zlib.crc32(bytes(area)), end.group(2)))
    span = check_area(area, "%s (dump of 0x%x)" % (path, phys))
    return decode_area(area[:span], {"kind": "serial-log", "file": path, "address": phys})


class Qmp:
    """A minimal QMP client: greeting, qmp_capabilities, then one command at a time."""

    def __init__(self, path, timeout_s=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout_s)
        try:
            self.sock.connect(path)
        except OSError as error:
            raise StatusError(EXIT_OTHER, "cannot connect to QMP socket %s: %s (start QEMU with "
                              "-qmp unix:%s,server,nowait)" % (path, error, path))
        self.stream = self.sock.makefile("rb")
        greeting = self._receive()
        if "QMP" not in greeting:
            raise StatusError(EXIT_OTHER, "%s does not speak QMP (greeting %r)" % (path, greeting))
        self.execute("qmp_capabilities")
        self.tempdir = tempfile.mkdtemp(prefix="vmxroot-status-")

    def _receive(self):
        line = self.stream.readline()
        if not line:
            raise StatusError(EXIT_OTHER, "QMP connection closed (did QEMU exit?)")
        return json.loads(line)

    def execute(self, command, **arguments):
        message = {"execute": command}
        if arguments:
            message["arguments"] = arguments
        self.sock.sendall(json.dumps(message).encode() + b"\n")
        while True:
            reply = self._receive()
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise StatusError(EXIT_OTHER, "QMP %s failed: %s" % (command, reply["error"].get("desc", reply)))

    def read_physical(self, address, size):
        path = os.path.join(self.tempdir, "page.bin")
        self.execute("pmemsave", val=address, size=size, filename=path)
        with open(path, "rb") as handle:
            data = handle.read()
        os.unlink(path)
        return data

    def memory_bytes(self):
        return int(self.execute("query-memory-size-summary").get("base-memory", 0))

    def close(self):
        # The file object from makefile() holds the socket open too: QEMU serves one QMP client at a
        # time, so a connection left half-closed here would keep the next client waiting for its greeting.
        self.stream.close()
        self.sock.close()
        try:
            os.rmdir(self.tempdir)
        except OSError:
            pass


def read_live_page(read_physical, address, where):
    """The seqlock reader of docs/status-page.md over a live source (QMP pmemsave, /dev/mem):
    generation, copy, generation; and from 1.1 on every guest block's own generation and checksum.
    Retried while torn."""
    last_error = None
    for _ in range(READ_RETRIES):
        head = read_physical(address, HEADER_BYTES)
        if head[:8] != MAGIC:
            raise StatusError(EXIT_NOT_FOUND, "%s: no status page magic there (wrong --address?)" % where)
        check_major = u16(head, 8)
        if check_major != KNOWN_MAJOR:
            check_area(head, where)  # raises the unknown-major error
        first = u32(head, GENERATION_OFFSET)
        if first % 2 == 0:
            pages = min(max(u32(head, 20), 1), MAX_PAGES)
            if u16(head, 10) >= 1 and pages <= u32(head, 136) <= MAX_AREA_PAGES:
                pages = u32(head, 136)
            area = read_physical(address, pages * PAGE_BYTES)
            second = u32(read_physical(address, 36), GENERATION_OFFSET)
            if second == first and u32(area, GENERATION_OFFSET) == first:
                try:
                    span = check_area(area, where)
                    status = decode_area(area[:span], {"kind": "", "address": address})
                    if not status.get("torn"):
                        return status
                    last_error = StatusError(EXIT_TORN, "%s: %s stayed torn (odd generation or wrong checksum) "
                                             "over %d reads" % (where, ", ".join(status["torn"]), READ_RETRIES))
                except StatusError as error:
                    if error.exit_code != EXIT_CHECKSUM:
                        raise
                    last_error = error  # stable generation, wrong sum: damaged, but retry once more
            else:
                last_error = StatusError(EXIT_TORN, "%s: the generation kept moving (%d, then %d) over %d "
                                         "reads" % (where, first, second, READ_RETRIES))
        else:
            last_error = StatusError(EXIT_TORN, "%s: the generation stayed odd (%d) over %d reads: a writer "
                                     "is stuck inside (a CPU hung in a status update?)" % (where, first, READ_RETRIES))
        time.sleep(RETRY_DELAY_S)
    raise last_error


def read_qmp_page(qmp, address):
    status = read_live_page(qmp.read_physical, address, "guest memory at 0x%x" % address)
    status["source"] = {"kind": "qmp", "address": address}
    return status


def scan_qmp(qmp, chunk_bytes=16 << 20):
    """Scans guest RAM in pmemsave chunks: below 4 GiB up to the RAM size, then what lies above."""
    memory = qmp.memory_bytes()
    low = min(memory, 3 << 30)
    ranges = [(0, low)]
    if memory > low:
        ranges.append((4 << 30, (4 << 30) + memory - min(memory, 2 << 30)))
    for start, end in ranges:
        for chunk in range(start, end, chunk_bytes):
            data = qmp.read_physical(chunk, min(chunk_bytes, end - chunk))
            position = data.find(MAGIC)
            while position >= 0:
                if position % PAGE_BYTES == 0:
                    try:
                        return read_qmp_page(qmp, chunk + position)
                    except StatusError as error:
                        if error.exit_code != EXIT_CHECKSUM:
                            raise
                position = data.find(MAGIC, position + 1)
    raise StatusError(EXIT_NOT_FOUND, "no status page in %d MiB of guest memory: give --address or "
                      "--serial-log" % (memory >> 20))


CMDLINE_RE = re.compile(r"(?:^|\s)vmxroot\.status_page=(0[xX][0-9a-fA-F]+|[0-9]+)(?=\s|$)")


def cmdline_address(path):
    """The vmxroot.status_page= address on a Linux guest's kernel command line (/proc/cmdline)."""
    with open(path, "r", errors="replace") as handle:
        match = CMDLINE_RE.search(handle.read())
    if not match:
        raise StatusError(EXIT_NOT_FOUND, "%s has no vmxroot.status_page=0x...: give --address (the ready line's "
                          "status=, or the hypervisor CPUID leaf)" % path)
    return int(match.group(1), 0)


class DevMem:
    """Physical memory through /dev/mem (or a file that stands in for it: file offset = physical address)."""

    def __init__(self, path):
        self.path = path
        try:
            self.fd = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise StatusError(EXIT_OTHER, "cannot open %s: %s (run as root; with CONFIG_STRICT_DEVMEM Linux lets "
                              "/dev/mem read only what its memory map does not call System RAM, as vmxroot's "
                              "status page is)" % (path, error.strerror))

    def read_physical(self, address, size):
        try:
            data = os.pread(self.fd, size, address)
        except OSError as error:
            raise StatusError(EXIT_OTHER, "%s: reading 0x%x bytes at 0x%x: %s" % (self.path, size, address,
                                                                                 error.strerror))
        if len(data) < size:
            raise StatusError(EXIT_NOT_FOUND, "%s ends %d bytes into the %d bytes at 0x%x (wrong --address, or "
                              "a truncated stand-in file)" % (self.path, len(data), size, address))
        return data

    def close(self):
        os.close(self.fd)


def read_devmem_page(devmem, address):
    status = read_live_page(devmem.read_physical, address, "%s at 0x%x" % (devmem.path, address))
    status["source"] = {"kind": "devmem", "file": devmem.path, "address": address}
    return status
