"""tools/vmxroot-status and the version 1.2 log ring, on the host, no emulator.

The ring is built here from the layout table of docs/status-page.md (tests/status_pages.py's put), not
from the tool's table: its lines come out oldest first across the wrap, a long line fills its slot,
a torn ring is named and exits 3, a 1.2 page without a ring (log_ring_offset 0) has no log, and the
1.1 tool (its last commit before the ring) still reads a 1.2 area. The C writer's own ring is decoded
in tests/test_status_tool.py (the sample of build/host/test_status_area).
"""
import json
import subprocess
import sys

import pytest

from status_pages import (EXIT_OK, EXIT_TORN, FOUR_CPUS, REPO, block_checksum, build_guest_area, decode_json,
                          guest_layout, put, put_bytes)
from helpers import run_status_tool

# The last commit of tools/vmxroot-status that read version 1.1 only.
TOOL_1_1_COMMIT = "6e66639"
SLOTS, SLOT_BYTES, RING_HEADER_BYTES = 31, 128, 64


def ring_area(lines, cut=0, generation=2, offset=True):
    """A 1.2 area: build_guest_area() and one more page holding a ring with these lines written in order."""
    _, _, pages = guest_layout(len(FOUR_CPUS))
    ring_offset = pages * 4096
    header = {"version_minor": 2, "area_page_count": pages + 1, "log_ring_offset": ring_offset if offset else 0,
              "log_ring_size_bytes": 4096 if offset else 0}
    area = build_guest_area(cpus=FOUR_CPUS, minor=2, header=header)
    area += bytearray(4096)
    ring = bytearray(4096)
    put(ring, 0, "logring", "line_count", len(lines))
    put(ring, 0, "logring", "line_slots", SLOTS)
    put(ring, 0, "logring", "line_size_bytes", SLOT_BYTES)
    put(ring, 0, "logring", "cut_count", cut)
    for n, text in enumerate(lines):
        put_bytes(ring, RING_HEADER_BYTES + (n % SLOTS) * SLOT_BYTES, "logline", "text", text.encode())
    covered = RING_HEADER_BYTES + SLOTS * SLOT_BYTES
    put(ring, 0, "logring", "generation", generation)
    put(ring, 0, "logring", "checksum", block_checksum(ring[:covered]))
    area[ring_offset:ring_offset + 4096] = ring
    return area


def dump(tmp_path, area):
    path = tmp_path / "area.bin"
    path.write_bytes(bytes(area))
    return path


def test_lines_oldest_first_across_the_wrap(tmp_path):
    lines = ["cpu0: line %d" % n for n in range(40)]
    status = decode_json("--dump", dump(tmp_path, ring_area(lines)), "--offset", "0")
    log = status["log"]
    assert status["torn"] == [] and log["consistent"]
    assert log["line_count"] == 40 and log["lines"] == lines[40 - SLOTS:]


def test_a_few_lines_and_a_full_slot(tmp_path):
    full = "x" * SLOT_BYTES  # fills its slot: no NUL, and the next slot is not read into it
    status = decode_json("--dump", dump(tmp_path, ring_area(["cpu0: one", full, "cpu1: three"], cut=1)))
    assert status["log"]["lines"] == ["cpu0: one", full, "cpu1: three"] and status["log"]["cut_count"] == 1


def test_table_shows_the_log(tmp_path):
    proc = run_status_tool("--dump", dump(tmp_path, ring_area(["cpu0: vmxroot: ready", "cpu0: guest: vm0"])))
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "log: the last 2 of 2 lines vmxroot printed\n  cpu0: vmxroot: ready\n  cpu0: guest: vm0" in proc.stdout


@pytest.mark.parametrize("damage", ["odd-generation", "changed-byte"])
def test_a_torn_ring_is_named_and_exits_3(tmp_path, damage):
    area = ring_area(["cpu0: one", "cpu0: two"], generation=3 if damage == "odd-generation" else 2)
    if damage == "changed-byte":
        area[-4096 + RING_HEADER_BYTES] ^= 0x20  # under the checksum
    path = dump(tmp_path, area)
    proc = run_status_tool("--dump", path, "--json")
    assert proc.returncode == EXIT_TORN and "log" in proc.stderr, proc.stderr
    status = json.loads(proc.stdout)
    assert status["torn"] == ["log"] and status["log"]["lines"] == []
    assert "TORN" in run_status_tool("--dump", path).stdout


def test_a_1_2_page_without_a_ring(tmp_path):
    status = decode_json("--dump", dump(tmp_path, ring_area(["cpu0: one"], offset=False)))
    assert "log" not in status and status["torn"] == []


@pytest.fixture(scope="module")
def tool_1_1(tmp_path_factory):
    show = subprocess.run(["git", "-C", str(REPO), "show", "%s:tools/vmxroot-status" % TOOL_1_1_COMMIT],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert show.returncode == 0, "the 1.1 tool is in the history at %s: %s" % (TOOL_1_1_COMMIT, show.stderr)
    directory = tmp_path_factory.mktemp("tool_1_1")
    (directory / "vmxroot-status").write_text(show.stdout)
    package = directory / "vmxroot_status"
    package.mkdir()
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "--name-only", TOOL_1_1_COMMIT,
                            "tools/vmxroot_status/"], stdout=subprocess.PIPE, text=True, check=True).stdout.split()
    for name in names:
        text = subprocess.run(["git", "-C", str(REPO), "show", "%s:%s" % (TOOL_1_1_COMMIT, name)],
                              stdout=subprocess.PIPE, text=True, check=True).stdout
        (package / name.rsplit("/", 1)[1]).write_text(text)
    assert "log_ring" not in (package / "layout.py").read_text()
    return directory / "vmxroot-status"


def test_the_1_1_tool_reads_a_1_2_area(tmp_path, tool_1_1):
    path = dump(tmp_path, ring_area(["cpu0: one", "cpu0: two"]))
    proc = subprocess.run([sys.executable, str(tool_1_1), "--dump", str(path), "--json"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    assert proc.returncode == EXIT_OK, proc.stderr
    old, new = json.loads(proc.stdout), decode_json("--dump", path)
    assert old["header"]["version_minor"] == 2 and "log" not in old
    assert old["cpus"] == new["cpus"] and old["vcpus"] == new["vcpus"] and old["memory"] == new["memory"]
