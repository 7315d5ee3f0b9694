"""tools/vmxroot-status and the version 1.1 guest blocks, on the host, no emulator.

The vCPU records and the memory block are built from the layout table of docs/status-page.md
(tests/status_pages.py); the C writer's own 1.1 sample is decoded in tests/test_status_tool.py.
Covered here: the decoded fields, torn blocks, compatibility both ways (the 1.0 tool on a 1.1 page, this
tool on a 1.0 page and on a newer minor), --devmem against a file that stands in for /dev/mem with a fake
/proc/cmdline, --watch (exits per second by reason and per CPU), and the exit-reason names against the
kernel's table.
"""
import json
import os
import subprocess
import sys
import threading
import time

import pytest

from helpers import load_status_tool, run_status_tool
from status_pages import (EXIT_NOT_FOUND, EXIT_OK, EXIT_OTHER, EXIT_TORN, FOUR_CPUS, REPO, build_area, build_guest_area, decode_json, guest_layout, seal, vcpu_record)

# The last commit of tools/vmxroot-status that read version 1.0 only: the "older minor" reader.
TOOL_1_0_COMMIT = "77d6edb"

RUNNING = vcpu_record(0, state=1, exits=[(10, 120), (30, 40), (31, 3)], last=(10, 0, 0x100020),
                      published_tsc=123456, publish_count=9)
STOPPED = vcpu_record(1, state=3, reason=10, text="exit 'RDPMC' unhandled", exits=[(15, 1)], other=2,
                      last=(15, 0x0, 0x2000))
FAILED = vcpu_record(2, state=3, reason=5, text="refused", failure={
    "kind": 3, "flags": 3, "number": 33, "field": 0x681E, "value": 0x8000000000000000, "count": 1,
    "name": "guest RIP canonical (64-bit guest)"})
NOT_LAUNCHED = vcpu_record(3, state=0, reason=2, text="no VMX")
VCPUS = [RUNNING, STOPPED, FAILED, NOT_LAUNCHED]
RANGES = [(0x100000, 40, 1, 0xFFFF), (0x1F000, 2, 9, 0xFFFF), (0x300000, 1, 5, 2)]


def guest_dump(tmp_path, area=None, name="area.bin"):
    path = tmp_path / name
    path.write_bytes(bytes(area if area is not None else build_guest_area(vcpus=VCPUS, ranges=RANGES)))
    return path


# --- decoding ---------------------------------------------------------------------------------


def test_vcpu_records_decode(tmp_path):
    status = decode_json("--dump", guest_dump(tmp_path), "--offset", "0")
    assert status["torn"] == [] and len(status["vcpus"]) == 4
    running, stopped, failed, idle = status["vcpus"]
    assert (running["state_name"], running["exit_count_total"], running["publish_count"]) == ("running", 163, 9)
    assert [(e["reason"], e["name"], e["count"]) for e in running["exits"]] == [
        (10, "CPUID", 120), (30, "I/O instruction", 40), (31, "RDMSR", 3)]
    assert running["last_exit"] == {"reason": 10, "name": "CPUID", "entry_failure": False, "qualification": 0,
                                    "guest_rip": 0x100020}
    assert running["entry_failure"] is None and running["published_tsc"] == 123456
    assert (stopped["state_name"], stopped["reason_name"], stopped["reason_text"]) == (
        "stopped", "unhandled-exit", "exit 'RDPMC' unhandled")
    assert stopped["exit_count_other"] == 2 and stopped["exit_count_total"] == 3
    failure = failed["entry_failure"]
    assert (failed["reason_name"], failure["kind_name"], failure["number"]) == ("entry-check",
                                                                               "invalid-guest-state", 33)
    assert failure["flag_names"] == ["refused-by-check", "named-by-check"]
    assert (failure["name"], failure["field"], failure["value"]) == ("guest RIP canonical (64-bit guest)", 0x681E,
                                                                     0x8000000000000000)
    assert (idle["state_name"], idle["reason_name"], idle["last_exit"]) == ("not-launched", "not-in-vmx-root", None)


def test_memory_ranges_decode(tmp_path):
    memory = decode_json("--dump", guest_dump(tmp_path))["memory"]
    assert memory["consistent"] and memory["capacity"] == 64 and memory["flag_names"] == []
    assert [(r["phys"], r["size_bytes"], r["kind_name"], r["cpu"]) for r in memory["ranges"]] == [
        (0x100000, 40 * 4096, "text", None), (0x1F000, 8192, "status", None), (0x300000, 4096, "vmxon", 2)]
    full = build_guest_area(vcpus=VCPUS, ranges=RANGES, memory_flags=1)
    assert decode_json("--dump", guest_dump(tmp_path, full))["memory"]["flag_names"] == ["incomplete"]


def test_table_shows_vcpus_and_memory(tmp_path):
    proc = run_status_tool("--dump", guest_dump(tmp_path))
    assert proc.returncode == EXIT_OK, proc.stderr
    out = proc.stdout
    assert "CPUID x120, I/O instruction x40, RDMSR x3" in out
    assert "CPUID q=0x0 rip=0x100020" in out
    assert "unhandled-exit" in out and "exit 'RDPMC' unhandled" in out and "other x2" in out
    assert ("invalid-guest-state (exit 33) 'guest RIP canonical (64-bit guest)' field 0x681e=0x8000000000000000, "
            "refused by the software check") in out
    assert "memory: 3 ranges of vmxroot's own (table of 64)" in out
    assert "0x000000100000-0x000000127fff        160 KiB  text" in out
    assert "vmxon        cpu2" in out


@pytest.mark.parametrize("damage", ["odd", "checksum"])
def test_torn_vcpu_record_in_a_static_dump(tmp_path, damage):
    area = build_guest_area(vcpus=VCPUS, ranges=RANGES)
    _, vcpu_offset, _ = guest_layout(4)
    base = vcpu_offset + 320
    if damage == "odd":
        area[base] |= 1
    else:
        area[base + 40] ^= 0x10  # a count changed after the checksum was taken
    proc = run_status_tool("--dump", guest_dump(tmp_path, area))
    assert proc.returncode == EXIT_TORN and "vcpu1" in proc.stderr
    assert "stopped TORN" in proc.stdout or "TORN" in proc.stdout  # shown, and marked
    status = json.loads(run_status_tool("--dump", guest_dump(tmp_path, area), "--json").stdout)
    assert status["torn"] == ["vcpu1"] and status["vcpus"][0]["consistent"]


# --- compatibility --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tool_1_0(tmp_path_factory):
    """tools/vmxroot-status as it was while the page was version 1.0."""
    show = subprocess.run(["git", "-C", str(REPO), "show", "%s:tools/vmxroot-status" % TOOL_1_0_COMMIT],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert show.returncode == 0, "the 1.0 tool is in the history at %s: %s" % (TOOL_1_0_COMMIT, show.stderr)
    assert "KNOWN_MAJOR = 1" in show.stdout and "area_page_count" not in show.stdout
    path = tmp_path_factory.mktemp("tool_1_0") / "vmxroot-status-1.0"
    path.write_text(show.stdout)
    return path


def test_the_1_0_tool_reads_a_1_1_area(tmp_path, tool_1_0):
    dump = guest_dump(tmp_path, build_guest_area(cpus=FOUR_CPUS, vcpus=VCPUS, ranges=RANGES))
    for args in (["--dump", dump, "--offset", "0"], ["--dump", dump]):
        proc = subprocess.run([sys.executable, str(tool_1_0), *map(str, args), "--json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        assert proc.returncode == EXIT_OK, proc.stderr
        old = json.loads(proc.stdout)
        new = decode_json(*args)
        assert old["header"]["version_minor"] == 1
        assert [cpu["apic_id"] for cpu in old["cpus"]] == [cpu["apic_id"] for cpu in new["cpus"]] == [0, 2, 4, 6]
        for field in ("cpus_found", "vmx_basic_msr", "vmcs_pool_free", "boot_phase_name"):
            assert old["header"][field] == new["header"][field]
        assert old["cpus"] == new["cpus"]


def test_this_tool_reads_a_1_0_page(tmp_path):
    status = decode_json("--dump", guest_dump(tmp_path, build_area(cpus=FOUR_CPUS)))
    assert status["header"]["version_minor"] == 0 and "vcpus" not in status and "memory" not in status


def test_a_newer_minor_with_longer_vcpu_records(tmp_path):
    """A 1.2 writer may append to a vCPU record: the stride grows, the known fields stay where they were."""
    longer = [vcpu_record(i, state=1, exits=[(10, i + 1)], size=384) for i in range(4)]
    for record in longer:
        record[320:384] = b"\xab" * 64  # fields this reader does not know
        seal(record, 4, 384)
    area = build_guest_area(vcpus=longer, minor=2, vcpu_stride=384)
    status = decode_json("--dump", guest_dump(tmp_path, area))
    assert status["torn"] == [] and [v["exits"][0]["count"] for v in status["vcpus"]] == [1, 2, 3, 4]


# --- /dev/mem inside a Linux guest ------------------------------------------------------------------


@pytest.fixture
def devmem(tmp_path):
    memory = bytearray(2 << 20)
    area = build_guest_area(vcpus=VCPUS, ranges=RANGES, phys=0x1F000)
    memory[0x1F000:0x1F000 + len(area)] = area
    mem = tmp_path / "mem"
    mem.write_bytes(bytes(memory))
    cmdline = tmp_path / "cmdline"
    cmdline.write_text("BOOT_IMAGE=/boot/vmlinuz root=/dev/vda1 console=ttyS0 vmxroot.status_page=0x1f000 quiet\n")
    return mem, cmdline


def test_devmem_with_the_address_from_the_cmdline(devmem):
    mem, cmdline = devmem
    status = decode_json("--devmem", mem, "--cmdline", cmdline)
    assert status["source"] == {"kind": "devmem", "file": str(mem), "address": 0x1F000}
    assert len(status["vcpus"]) == 4 and status["vcpus"][0]["exit_count_total"] == 163


def test_a_copy_of_the_tool_runs_on_its_own(devmem, tmp_path):
    """What a person copies into a guest: the script and its folder of modules, nothing else."""
    mem, cmdline = devmem
    guest = tmp_path / "guest"
    guest.mkdir()
    (guest / "vmxroot-status").write_text((REPO / "tools" / "vmxroot-status").read_text())
    (guest / "vmxroot_status").mkdir()
    for module in (REPO / "tools" / "vmxroot_status").glob("*.py"):
        (guest / "vmxroot_status" / module.name).write_text(module.read_text())
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "vmxroot-status").symlink_to(guest / "vmxroot-status")
    proc = subprocess.run([sys.executable, str(tmp_path / "bin" / "vmxroot-status"), "--devmem", str(mem),
                           "--cmdline", str(cmdline), "--json"], cwd=str(tmp_path), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, env={"PATH": os.environ.get("PATH", "")})
    assert proc.returncode == EXIT_OK, proc.stderr
    assert json.loads(proc.stdout)["vcpus"][0]["exit_count_total"] == 163


def test_devmem_paths_from_the_environment(devmem):
    mem, cmdline = devmem
    env = dict(os.environ, VMXROOT_STATUS_DEVMEM=str(mem), VMXROOT_STATUS_CMDLINE=str(cmdline))
    proc = subprocess.run([sys.executable, str(REPO / "tools" / "vmxroot-status"), "--devmem", "--json"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert json.loads(proc.stdout)["source"]["file"] == str(mem)


def test_devmem_errors(devmem, tmp_path):
    mem, cmdline = devmem
    plain = tmp_path / "plain-cmdline"
    plain.write_text("root=/dev/vda1 vmxroot.status_pagex=0x1f000\n")
    proc = run_status_tool("--devmem", mem, "--cmdline", plain)
    assert proc.returncode == EXIT_NOT_FOUND and "vmxroot.status_page=0x" in proc.stderr
    proc = run_status_tool("--devmem", mem, "--address", "0x40000")
    assert proc.returncode == EXIT_NOT_FOUND and "wrong --address" in proc.stderr
    proc = run_status_tool("--devmem", mem, "--address", "0x1fff00")  # 256 bytes before the end of the file
    assert proc.returncode == EXIT_NOT_FOUND and "ends" in proc.stderr
    proc = run_status_tool("--devmem", tmp_path / "no-such-mem", "--address", "0x1f000")
    assert proc.returncode == EXIT_OTHER and "run as root" in proc.stderr
    assert run_status_tool("--devmem", mem, "--address", "0x1f000", "--qmp", "x").returncode == EXIT_OTHER


def rewrite(path, offset, data, delay_s=0.0):
    """Writes data at offset in place (as a live page changes under /dev/mem), after delay_s."""
    def work():
        time.sleep(delay_s)
        with open(path, "r+b") as handle:
            handle.seek(offset)
            handle.write(bytes(data))
    thread = threading.Thread(target=work)
    thread.start()
    return thread


def test_devmem_retries_a_torn_vcpu_record(devmem):
    mem, cmdline = devmem
    _, vcpu_offset, _ = guest_layout(4)
    where = 0x1F000 + vcpu_offset
    torn = bytearray(RUNNING)
    torn[0] |= 1  # its writer is inside
    rewrite(mem, where, torn).join()
    proc = run_status_tool("--devmem", mem, "--cmdline", cmdline)
    assert proc.returncode == EXIT_TORN and "vcpu0 stayed torn" in proc.stderr
    fixed = rewrite(mem, where, vcpu_record(0, state=2, reason=12, exits=[(10, 121)], generation=4), delay_s=0.3)
    status = decode_json("--devmem", mem, "--cmdline", cmdline)
    fixed.join()
    assert status["vcpus"][0]["state_name"] == "halted" and status["vcpus"][0]["exit_count_total"] == 121


# --- --watch ---------------------------------------------------------------------------------------


def test_watch_gives_exits_per_second_by_reason_and_cpu(devmem):
    mem, cmdline = devmem
    _, vcpu_offset, _ = guest_layout(4)
    stop = threading.Event()

    def guest_runs():
        cpuid, generation = 120, 2
        while not stop.wait(0.1):
            cpuid, generation = cpuid + 50, generation + 2
            record = vcpu_record(0, state=1, exits=[(10, cpuid), (30, 40), (31, 3)], generation=generation)
            with open(mem, "r+b") as handle:
                handle.seek(0x1F000 + vcpu_offset)
                handle.write(bytes(record))
    writer = threading.Thread(target=guest_runs)
    writer.start()
    try:
        proc = run_status_tool("--devmem", mem, "--cmdline", cmdline, "--watch", "--interval", "0.4", "--watch-seconds",
                        "1.9", "--json")
    finally:
        stop.set()
        writer.join()
    assert proc.returncode == EXIT_OK, proc.stderr
    views = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(views) >= 3
    assert views[0]["seconds"] is None and all(r["per_s"] is None for r in views[0]["reasons"])  # no earlier read
    for before, after in zip(views, views[1:]):
        cpuid = {r["reason"]: r for r in after["reasons"]}[10]
        old = {r["reason"]: r for r in before["reasons"]}[10]
        # The rate is the difference over the time between the reads, and the guest did run.
        assert cpuid["per_s"] == pytest.approx((cpuid["total"] - old["total"]) / after["seconds"])
        assert {r["reason"]: r for r in after["reasons"]}[30]["per_s"] == 0
        cpu0 = after["cpus"][0]
        assert cpu0["busiest"] == "CPUID (10)" if cpu0["per_s"] else cpu0["busiest"] is None
    assert views[-1]["reasons"][0]["total"] > 120 and views[-1]["reasons"][0]["per_s"] > 0


def test_watch_table_view(tmp_path):
    dump = guest_dump(tmp_path)
    proc = run_status_tool("--dump", dump, "--watch", "--interval", "0.2", "--watch-seconds", "0.5")
    assert proc.returncode == EXIT_OK, proc.stderr
    assert proc.stdout.count("vmxroot exits: 4 vCPUs") >= 2
    assert proc.stdout.count("first read") == 1 and "s since the last read" in proc.stdout
    assert "CPUID (10)" in proc.stdout and "(other reasons)" in proc.stdout and "busiest" in proc.stdout
    last = proc.stdout.split("--- ")[-1]
    assert "CPUID (10)                                                    120        0.0" in last
    assert "   0 running" in last and "   1 stopped" in last


def test_watch_rates_survive_a_counter_wrapping(tmp_path):
    tool = load_status_tool()
    before = {"vcpus": [{"index": 0, "exits": [{"reason": 10, "count": 0xFFFFFFF0}], "exit_count_other": 0}]}
    after = {"vcpus": [{"index": 0, "exits": [{"reason": 10, "count": 0x10}], "exit_count_other": 0}]}
    (_, by_reason), = tool.exit_rates(before, after, 2.0)
    assert by_reason[10] == (0x10, 16.0)  # 0x20 exits in 2 s, across the wrap


# --- exit-reason names: one source of truth ----------------------------------------------------------


def test_exit_reason_names_are_the_kernels(tmp_path):
    """The tool's EXIT_REASONS against vmx_exit_reason_name() of the kernel, compiled for the host."""
    source = REPO / "arch" / "x86" / "vmx" / "vmx_exit_reason.c"
    if not source.exists():
        pytest.skip("arch/x86/vmx/vmx_exit_reason.c is not in this tree yet (it comes with the EPT work)")
    program = tmp_path / "names.c"
    program.write_text('#include <stdio.h>\n#include "arch/x86/vmx/vmx_exit_reason.h"\n'
                       'int main(void) { for (unsigned n = 0; n < 128; n++) { const char *name = '
                       'vmx_exit_reason_name(n); printf("%u\\t%s\\n", n, name ? name : ""); } return 0; }\n')
    binary = tmp_path / "names"
    build = subprocess.run(["clang", "-std=c11", "-DVMXROOT_HOST", "-I", str(REPO), str(program), str(source),
                            str(REPO / "core" / "lib" / "format.c"), "-o", str(binary)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert build.returncode == 0, build.stdout
    kernel = {}
    for line in subprocess.run([str(binary)], stdout=subprocess.PIPE, text=True, check=True).stdout.splitlines():
        number, name = line.split("\t", 1)
        kernel[int(number)] = name
    tool = load_status_tool().EXIT_REASONS
    for number, name in tool.items():
        assert kernel[number] == name, "exit reason %d" % number
    unknown = kernel[127]  # what the kernel says for a number the SDM does not define
    assert {n for n, name in kernel.items() if name and name != unknown} == set(tool)


def test_the_guest_blocks_checksum_is_crc32c():
    from status_pages import crc32c
    tool = load_status_tool()
    assert crc32c(b"123456789") == tool.crc32c(b"123456789") == 0xE3069283
    assert crc32c(bytes(32)) == tool.crc32c(bytes(32)) == 0x8A9136AA  # RFC 3720, B.4
