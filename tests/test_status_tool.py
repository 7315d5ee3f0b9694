"""tools/vmxroot-status on the host, no emulator.

Pages are built here from the layout table in docs/status-page.md (not from the tool's own table), so
the tool is checked against the document; the tool's table is checked against the document too, and
one sample comes from the C writer itself (build/host/test_status_area). QEMU's QMP is played by a
small fake server that answers pmemsave from a bytearray. The version 1.1 guest blocks, --devmem and
--watch are tested in tests/test_status_guest.py; the page builders are in tests/status_pages.py.
"""
import json
import os
import re
import socket
import subprocess
import threading
import zlib

import pytest

from helpers import load_status_tool, run_status_tool
from status_pages import (EXIT_CHECKSUM, EXIT_MAJOR, EXIT_NOT_FOUND, EXIT_OK, EXIT_OTHER, EXIT_TORN, FOUR_CPUS, REPO, build_area, decode_json, doc_layout, doc_name_table, random_memory)


# --- the layout: one table in the doc, the C header and the tool follow it ----------------


def test_tool_layout_is_the_doc_table():
    assert load_status_tool().LAYOUT == doc_layout()


def test_doc_table_is_contiguous_and_sized():
    ends = {"header": 0, "cpu": 0, "memblock": 0, "range": 0, "vcpu": 0, "logring": 0, "logline": 0}
    for region, offset, size, _, name in doc_layout():
        assert offset == ends[region], "%s.%s starts at %d, the previous field ends at %d" % (
            region, name, offset, ends[region])
        ends[region] = offset + size
    assert ends == {"header": 512, "cpu": 56, "memblock": 16, "range": 16, "vcpu": 320, "logring": 64,
                    "logline": 128}
    assert 64 + 31 * 128 <= 4096  # the log ring's page
    assert 512 + 64 * 56 <= 4096


def test_c_header_asserts_every_doc_offset():
    """core/status_page.h has a _Static_assert(offsetof(...) == N) per field; they agree with the doc.
    (tests/unit/test_status_page.c checks offsetof and sizeof at run time from the same table.)"""
    header = "".join((REPO / "core" / name).read_text() for name in ("status_page.h", "status_area.h",
                                                                       "status_log_ring.h"))
    regions = {"header": "header", "cpu_record": "cpu", "memory_block": "memblock", "memory_range": "range",
               "vcpu_record": "vcpu", "log_ring": "logring", "log_line": "logline"}
    asserted = {}
    for struct_name, field, offset in re.findall(
            r"offsetof\(struct status_(header|cpu_record|memory_block|memory_range|vcpu_record|log_ring|log_line), "
            r"(\w+)\) == (\w+)", header):
        asserted[(regions[struct_name], field)] = int(offset) if offset.isdigit() else offset
    assert asserted.pop(("memblock", "ranges")) == 16  # the flexible array: where the range rows begin
    assert asserted.pop(("logring", "lines")) == "STATUS_LOG_RING_HEADER_BYTES"  # where the line slots begin
    for region, offset, _, _, name in doc_layout():
        assert asserted.get((region, name)) == offset, "%s.%s" % (region, name)
    assert len(asserted) == len(doc_layout())


def test_name_tables_match_the_doc_and_the_kernel():
    tool = load_status_tool()
    assert doc_name_table("### CPU state") == tool.STATES
    assert doc_name_table("### Reason") == tool.REASONS
    assert doc_name_table("### VM-instruction error numbers") == tool.VM_ERRORS
    assert doc_name_table("### Boot phase") == tool.BOOT_PHASES
    assert doc_name_table("### Boot flags") == tool.BOOT_FLAGS
    assert doc_name_table("### VMX features") == tool.VMX_FEATURES
    assert doc_name_table("### CPU flags") == tool.CPU_FLAGS
    kernel = (REPO / "arch" / "x86" / "smp" / "cpu_state.c").read_text()
    state_block = kernel.split("state_names[]", 1)[1].split("};", 1)[0]
    reason_block = kernel.split("reason_names[]", 1)[1].split("};", 1)[0]
    assert re.findall(r'"([a-z0-9-]+)"', state_block) == tool.STATES
    assert re.findall(r'"([a-z0-9-]+)"', reason_block) == tool.REASONS
    assert len(tool.VM_ERRORS) == 29
    # 1.1: the enums of core/lib/status_vcpu.h, named after their enumerators (STATUS_VCPU_NOT_LAUNCHED: not-launched).
    assert doc_name_table("### vCPU state") == tool.VCPU_STATES == c_enum_names("status_vcpu_state", "STATUS_VCPU_")
    assert doc_name_table("### vCPU reason") == tool.VCPU_REASONS == c_enum_names(
        "status_vcpu_reason", "STATUS_VCPU_REASON_")
    assert doc_name_table("### Entry failure kind") == tool.ENTRY_FAILURE_KINDS == c_enum_names(
        "status_entry_failure_kind", "STATUS_ENTRY_FAILURE_")
    assert doc_name_table("### Memory kind") == tool.MEMORY_KINDS == c_enum_names(
        "status_memory_kind", "STATUS_MEMORY_")


def c_enum_names(enum, prefix):
    """The enumerators of a core/lib/status_vcpu.h enum in value order, as names (the COUNT entry left out)."""
    text = (REPO / "core" / "lib" / "status_vcpu.h").read_text()
    body = text.split("enum %s {" % enum, 1)[1].split("};", 1)[0]
    values = {int(value): name for name, value in re.findall(r"\b%s(\w+) = (\d+)" % prefix, body)}
    assert sorted(values) == list(range(len(values))), "%s: values 0..n-1" % enum
    return [values[value].lower().replace("_", "-") for value in sorted(values)]


# --- raw dumps -----------------------------------------------------------------------


def test_decode_at_offset(tmp_path):
    dump = tmp_path / "page.bin"
    dump.write_bytes(bytes(8192) + build_area(cpus=FOUR_CPUS))
    status = decode_json("--dump", dump, "--offset", "0x2000")
    header, cpus = status["header"], status["cpus"]
    assert header["version_major"] == 1 and header["generation"] == 42
    assert header["cpus_vmx_root"] == 4 and header["vmx_revision_id"] == 0x2B
    assert header["vmx_feature_names"] == ["vmx", "ept", "vpid", "unrestricted-guest", "true-controls"]
    assert header["boot_phase_name"] == "ready"
    assert [cpu["apic_id"] for cpu in cpus] == [0, 2, 4, 6]
    assert cpus[1]["vmcs_free"] == 2 and cpus[1]["vmclear_count"] == 3 and cpus[1]["vmptrld_skipped_count"] == 2
    assert cpus[3]["state_name"] == "no-answer" and cpus[3]["reason_name"] == "no-sipi-answer"
    errors = {entry["name"]: entry["count"] for entry in cpus[2]["vmfail_valid_by_error"]}
    assert errors == {"vmptrld-vmxon-pointer": 1, "vmptrld-wrong-revision": 1}
    assert status["source"] == {"kind": "dump", "file": str(dump), "offset": 0x2000}


def test_scan_finds_the_page_in_a_mebibyte(tmp_path):
    memory = random_memory()
    # Decoys: the magic where a kernel image holds it (not page-aligned), and a page-aligned
    # magic whose checksum is wrong (a stale page), before the real one.
    memory[0x1234:0x123C] = b"VMXROOT\0"
    stale = build_area(cpus=FOUR_CPUS[:1])
    stale[520] ^= 0xFF  # inside the one record the checksum covers
    memory[0x20000:0x21000] = stale
    memory[0x5A000:0x5B000] = build_area(cpus=FOUR_CPUS, phys=0x5A000)
    dump = tmp_path / "memory.bin"
    dump.write_bytes(memory)
    status = decode_json("--dump", dump)
    assert status["source"]["offset"] == 0x5A000
    assert status["header"]["page_phys"] == 0x5A000
    assert len(status["cpus"]) == 4
    assert decode_json("--dump", dump, "--scan")["source"]["offset"] == 0x5A000


def test_table_output(tmp_path):
    dump = tmp_path / "page.bin"
    dump.write_bytes(build_area(cpus=FOUR_CPUS))
    proc = run_status_tool("--dump", dump)
    assert proc.returncode == EXIT_OK, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("vmxroot status page 1.0 at 0x1f000")
    assert "4 found, 4 online, 4 in VMX root" in proc.stdout
    rows = [line for line in lines if re.match(r"\s+\d+\s+\d+\s+[a-z]", line)]
    assert len(rows) == 4
    assert "vmptrld-vmxon-pointer(10) x1" in rows[2] and "VMfailInvalid x1" in rows[2]
    assert "no-sipi-answer" in rows[3]


def test_flipped_byte_is_a_bad_checksum(tmp_path):
    area = build_area(cpus=FOUR_CPUS)
    area[512 + 56 + 4] ^= 0x01  # cpu1's APIC id
    dump = tmp_path / "page.bin"
    dump.write_bytes(area)
    proc = run_status_tool("--dump", dump, "--offset", 0)
    assert proc.returncode == EXIT_CHECKSUM and "bad checksum" in proc.stderr
    assert run_status_tool("--dump", dump).returncode == EXIT_CHECKSUM


def test_wrong_major_version(tmp_path):
    area = build_area(cpus=FOUR_CPUS, header={"version_major": 2})
    dump = tmp_path / "page.bin"
    dump.write_bytes(area)
    proc = run_status_tool("--dump", dump, "--offset", 0)
    assert proc.returncode == EXIT_MAJOR and "version 2.0" in proc.stderr
    assert run_status_tool("--dump", dump).returncode == EXIT_MAJOR


def test_newer_minor_version_is_read(tmp_path):
    dump = tmp_path / "page.bin"
    dump.write_bytes(build_area(cpus=FOUR_CPUS, header={"version_minor": 7}))
    assert decode_json("--dump", dump)["header"]["version_minor"] == 7


def test_truncated_dump(tmp_path):
    memory = random_memory(0x30000)
    memory += build_area(cpus=FOUR_CPUS)[:2000]
    dump = tmp_path / "cut.bin"
    dump.write_bytes(memory)
    proc = run_status_tool("--dump", dump)
    assert proc.returncode == EXIT_NOT_FOUND and "truncated" in proc.stderr
    proc = run_status_tool("--dump", dump, "--offset", 0x30000)
    assert proc.returncode == EXIT_NOT_FOUND and "truncated" in proc.stderr
    proc = run_status_tool("--dump", dump, "--offset", 0x1000000)
    assert proc.returncode == EXIT_NOT_FOUND and "past its end" in proc.stderr


def test_second_page_cut_off(tmp_path):
    cpus = [{} for _ in range(70)]
    dump = tmp_path / "cut.bin"
    dump.write_bytes(build_area(cpus=cpus, pages=2)[:4096])
    proc = run_status_tool("--dump", dump, "--offset", 0)
    assert proc.returncode == EXIT_NOT_FOUND and "2 page(s)" in proc.stderr


def test_odd_generation_is_torn(tmp_path):
    dump = tmp_path / "page.bin"
    dump.write_bytes(build_area(cpus=FOUR_CPUS, odd=True))
    proc = run_status_tool("--dump", dump)
    assert proc.returncode == EXIT_TORN and "odd" in proc.stderr


def test_nothing_there(tmp_path):
    dump = tmp_path / "memory.bin"
    dump.write_bytes(random_memory(1 << 16))
    proc = run_status_tool("--dump", dump)
    assert proc.returncode == EXIT_NOT_FOUND and "no status page" in proc.stderr


def test_multi_page_area(tmp_path):
    cpus = [{"apic_id": 1000 + index} for index in range(136)]
    dump = tmp_path / "pages.bin"
    dump.write_bytes(bytes(4096) + build_area(cpus=cpus, pages=2))
    status = decode_json("--dump", dump)
    assert status["header"]["page_count"] == 2
    assert [cpu["apic_id"] for cpu in status["cpus"]] == [1000 + index for index in range(136)]


# --- serial log -----------------------------------------------------------------------


def hex_dump_lines(area, phys):
    """The status=dump format of docs/status-page.md, as the kernel log prints it."""
    lines = ["cpu0: status-dump begin phys=0x%x size=%d pages=%d" % (phys, len(area), len(area) // 4096)]
    count = 0
    for offset in range(0, len(area), 16):
        chunk = area[offset:offset + 16]
        if any(chunk):
            lines.append("cpu0: status: %04x: %s" % (offset, " ".join("%02x" % b for b in chunk)))
            count += 1
    lines.append("cpu0: status-dump end lines=%d crc32=0x%08x" % (count, zlib.crc32(bytes(area))))
    return lines


def serial_log(area, phys=0x1F000, noise=True):
    lines = ["SeaBIOS (version 1.16)", "cpu0: vmxroot: booting", "cpu2: online"]
    lines.append("cpu0: vmxroot: ready cpus=4/4 vmx=4 vmcs=12/16 status=0x%x" % phys)
    dump = hex_dump_lines(area, phys)
    if noise:
        dump.insert(5, "cpu3: an interleaved line from another CPU")
    return "\r\n".join(lines + dump + ["cpu0: vmxroot: exit"]) + "\r\n"


def test_serial_log_dump(tmp_path):
    log = tmp_path / "serial.txt"
    log.write_text(serial_log(build_area(cpus=FOUR_CPUS)))
    status = decode_json("--serial-log", log)
    assert status["source"] == {"kind": "serial-log", "file": str(log), "address": 0x1F000}
    assert [cpu["state_name"] for cpu in status["cpus"]] == ["online", "online", "online", "no-answer"]


def test_serial_log_uses_the_last_dump(tmp_path):
    log = tmp_path / "serial.txt"
    first = build_area(cpus=FOUR_CPUS[:2])
    second = build_area(cpus=FOUR_CPUS, header={"generation": 100})
    log.write_text(serial_log(first) + serial_log(second))
    assert decode_json("--serial-log", log)["header"]["generation"] == 100


def test_serial_log_lost_line(tmp_path):
    text = serial_log(build_area(cpus=FOUR_CPUS), noise=False)
    lines = text.split("\r\n")
    lost = [line for line in lines if "status: 0200:" in line]
    assert lost
    lines.remove(lost[0])
    log = tmp_path / "serial.txt"
    log.write_text("\r\n".join(lines))
    proc = run_status_tool("--serial-log", log)
    assert proc.returncode == EXIT_CHECKSUM and "lost or garbled" in proc.stderr


def test_serial_log_without_dump_names_the_address(tmp_path):
    log = tmp_path / "serial.txt"
    log.write_text("cpu0: vmxroot: ready cpus=1/1 vmx=1 vmcs=3/4 status=0x2a000\n")
    proc = run_status_tool("--serial-log", log)
    assert proc.returncode == EXIT_NOT_FOUND
    assert "status=dump" in proc.stderr and "0x2a000" in proc.stderr


def test_serial_log_cut_inside_the_dump(tmp_path):
    log = tmp_path / "serial.txt"
    log.write_text(serial_log(build_area(cpus=FOUR_CPUS)).split("status-dump end")[0])
    proc = run_status_tool("--serial-log", log)
    assert proc.returncode == EXIT_NOT_FOUND and "no end line" in proc.stderr


# --- the C writer's own output ---------------------------------------------------------


@pytest.fixture(scope="module")
def c_sample(tmp_path_factory):
    """The 1.1 sample area and its hex-dump log, written by build/host/test_status_area."""
    build = subprocess.run(["make", "-C", str(REPO), "build/host/test_status_area"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    assert build.returncode == 0, build.stdout
    directory = tmp_path_factory.mktemp("c_sample")
    env = dict(os.environ, VMXROOT_STATUS_SAMPLE=str(directory / "sample.bin"),
               VMXROOT_STATUS_SAMPLE_LOG=str(directory / "sample.log"))
    run = subprocess.run([str(REPO / "build/host/test_status_area"), "sample_area_for_the_tool"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(REPO))
    assert run.returncode == 0, run.stdout
    return directory / "sample.bin", directory / "sample.log"


def check_c_sample(status):
    header, cpus = status["header"], status["cpus"]
    assert header["page_count"] == 2 and header["page_phys"] == 0x7F000
    assert (header["cpus_found"], header["cpus_online"], header["cpus_vmx_root"]) == (70, 69, 68)
    assert header["boot_flag_names"] == ["x2apic"] and header["boot_phase_name"] == "ready"
    assert header["vmx_basic_msr"] == 0xDA04000000002B
    assert len(cpus) == 70 and cpus[69]["apic_id"] == 169
    assert cpus[0]["flag_names"] == ["boot", "vmx-root", "vmx-capable"]
    assert cpus[69]["state_name"] == "no-answer" and cpus[69]["reason_name"] == "no-sipi-answer"
    cpu = cpus[67]
    assert (cpu["vmclear_count"], cpu["vmptrld_count"], cpu["vmptrld_skipped_count"]) == (1, 1, 1)
    assert cpu["vmfail_invalid_count"] == 1 and cpu["vmfail_valid_count"] == 2
    assert [e["error"] for e in cpu["vmfail_valid_by_error"]] == [10, 11]
    # The 1.1 guest blocks, as the C writer left them.
    assert header["version_minor"] == 2 and header["area_page_count"] > header["page_count"]
    assert status["torn"] == [] and len(status["vcpus"]) == 70
    vcpu = status["vcpus"][0]
    assert (vcpu["state_name"], vcpu["reason_name"], vcpu["reason_text"]) == ("halted", "hlt", "hlt")
    assert vcpu["exit_count_total"] == 30 and vcpu["exit_count_other"] == 0
    assert [(e["reason"], e["name"], e["count"]) for e in vcpu["exits"]] == [(30, "I/O instruction", 10),
                                                                          (10, "CPUID", 20)]
    assert vcpu["last_exit"] == {"reason": 10, "name": "CPUID", "entry_failure": False, "qualification": 0x3F8,
                                 "guest_rip": 0x10001D}
    failure = status["vcpus"][1]["entry_failure"]
    assert status["vcpus"][1]["state_name"] == "stopped" and status["vcpus"][1]["reason_name"] == "entry-failed"
    assert (failure["kind_name"], failure["number"], failure["error_name"], failure["name"]) == (
        "vmfail-valid", 8, "entry-invalid-host-state", "host CR0: fixed bits")
    assert (failure["field"], failure["value"], failure["flag_names"]) == (0x6C00, 0x20, ["named-by-check"])
    assert status["vcpus"][69]["state_name"] == "not-launched"
    ranges = [(r["phys"], r["size_bytes"], r["kind_name"], r["cpu"]) for r in status["memory"]["ranges"]]
    assert ranges == [(0x7F000, 0x8000, "status", None), (0x100000, 0x9000, "text", None),
                      (0x234000, 0x1000, "vmxon", 3)]
    # 1.2: the log ring, its lines oldest first, without their newlines.
    log = status["log"]
    assert header["log_ring_offset"] == (header["area_page_count"] - 1) * 4096
    assert log["consistent"] and log["line_count"] == 2 and log["cut_count"] == 0
    assert log["lines"] == ["cpu0: vmxroot: ready cpus=69/70 vmx=68 vmcs=270/280 status=0x7f000",
                            "cpu1: guest: cpu1 result=FAIL VMLAUNCH failed"]


def test_c_writer_page_decodes(c_sample):
    check_c_sample(decode_json("--dump", c_sample[0]))


def test_c_hexdump_decodes(c_sample):
    check_c_sample(decode_json("--serial-log", c_sample[1]))


# --- QMP, against a fake QEMU ----------------------------------------------------------


class FakeQmp:
    """Answers the QMP commands the tool uses; pmemsave copies from self.memory. on_read is called
    before each pmemsave (to change memory between reads)."""

    def __init__(self, path, memory):
        self.memory = memory
        self.reads = 0
        self.on_read = None
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection, connection.makefile("rwb") as stream:
                stream.write(b'{"QMP": {"version": {}, "capabilities": []}}\r\n')
                stream.flush()
                for line in stream:
                    request = json.loads(line)
                    reply = self.answer(request["execute"], request.get("arguments", {}))
                    stream.write(json.dumps(reply).encode() + b"\r\n")
                    stream.flush()

    def answer(self, command, arguments):
        if command == "qmp_capabilities":
            return {"return": {}}
        if command == "query-memory-size-summary":
            return {"return": {"base-memory": len(self.memory), "plugged-memory": 0}}
        if command == "pmemsave":
            if self.on_read:
                self.on_read(self)
            self.reads += 1
            start, size = arguments["val"], arguments["size"]
            with open(arguments["filename"], "wb") as handle:
                handle.write(bytes(self.memory[start:start + size]).ljust(size, b"\xff"))
            return {"return": {}}
        return {"error": {"class": "CommandNotFound", "desc": "no command %s" % command}}

    def close(self):
        self.server.close()


@pytest.fixture
def qmp_guest(tmp_path):
    memory = random_memory(4 << 20)
    memory[0x1F000:0x20000] = build_area(cpus=FOUR_CPUS)
    fake = FakeQmp(tmp_path / "qmp.sock", memory)
    yield fake, tmp_path / "qmp.sock"
    fake.close()


def test_qmp_at_address(qmp_guest):
    fake, sock = qmp_guest
    status = decode_json("--qmp", sock, "--address", "0x1f000")
    assert status["source"] == {"kind": "qmp", "address": 0x1F000}
    assert len(status["cpus"]) == 4 and status["header"]["generation"] == 42


def test_qmp_scan_and_ready_line(qmp_guest, tmp_path):
    fake, sock = qmp_guest
    assert decode_json("--qmp", sock)["source"]["address"] == 0x1F000
    log = tmp_path / "serial.txt"
    log.write_text("cpu0: vmxroot: ready cpus=4/4 vmx=4 vmcs=12/16 status=0x1f000\n")
    assert decode_json("--qmp", sock, "--serial-log", log)["source"]["address"] == 0x1F000


def test_qmp_retries_a_torn_read(qmp_guest):
    fake, sock = qmp_guest
    good = bytes(fake.memory[0x1F000:0x20000])

    def writer_inside_for_three_reads(server):
        if server.reads < 3:
            server.memory[0x1F000 + 24] = 43  # odd: a writer is inside
        else:
            server.memory[0x1F000:0x20000] = good
    fake.on_read = writer_inside_for_three_reads
    status = decode_json("--qmp", sock, "--address", "0x1f000")
    assert status["header"]["generation"] == 42 and fake.reads > 3


def test_qmp_stuck_writer_is_torn(qmp_guest):
    fake, sock = qmp_guest
    fake.memory[0x1F000 + 24] = 43
    proc = run_status_tool("--qmp", sock, "--address", "0x1f000")
    assert proc.returncode == EXIT_TORN and "odd" in proc.stderr


def test_qmp_wrong_address(qmp_guest):
    fake, sock = qmp_guest
    proc = run_status_tool("--qmp", sock, "--address", "0x2000")
    assert proc.returncode == EXIT_NOT_FOUND and "wrong --address" in proc.stderr


def test_qmp_watch_reprints_on_change(qmp_guest):
    fake, sock = qmp_guest
    changed = build_area(cpus=FOUR_CPUS, header={"generation": 44, "cpus_online": 3})

    def change_once(server):
        if server.reads == 4:
            server.memory[0x1F000:0x20000] = changed
    fake.on_read = change_once
    proc = run_status_tool("--qmp", sock, "--address", "0x1f000", "--watch", "--watch-seconds", "2.5")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert proc.stdout.count("vmxroot status page") == 2
    assert "generation 44" in proc.stdout and "4 found, 3 online" in proc.stdout


def test_qmp_no_socket(tmp_path):
    proc = run_status_tool("--qmp", tmp_path / "none.sock", "--address", "0x1000")
    assert proc.returncode == EXIT_OTHER and "-qmp unix:" in proc.stderr


# --- usage -------------------------------------------------------------------------------


def test_help_documents_every_source():
    proc = run_status_tool("--help")
    assert proc.returncode == 0
    for option in ("--dump", "--offset", "--scan", "--qmp", "--devmem", "--cmdline", "--address", "--serial-log",
                   "--json", "--watch", "--interval", "pmemsave", "status=dump", "vmxroot.status_page=", "Exit codes"):
        assert option in proc.stdout, option


@pytest.mark.parametrize("args", [[], ["--address", "0x1000", "--dump", "x"],
                                  ["--dump", "x", "--offset", "0", "--scan"], ["--dump", "x", "--qmp", "y"],
                                  ["--dump", "x", "--offset", "zz"], ["--devmem", "x", "--dump", "y"]])
def test_usage_errors_exit_1(args):
    assert run_status_tool(*args).returncode == EXIT_OTHER


def test_qmp_serial_log_without_ready_line(qmp_guest, tmp_path):
    fake, sock = qmp_guest
    log = tmp_path / "serial.txt"
    log.write_text("cpu0: vmxroot: booting\n")
    proc = run_status_tool("--qmp", sock, "--serial-log", log)
    assert proc.returncode == EXIT_NOT_FOUND and "no ready line" in proc.stderr
