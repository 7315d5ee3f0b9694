"""The status page of a running kernel, read the ways docs/status-page.md promises.

QEMU (-smp 8, a QMP socket, exit=never): one boot is shared by the tests of this module. Once the
ready line is out, tools/vmxroot-status reads the page live through QMP (at the ready line's address,
with the address from the serial log, and by scanning guest memory), from a whole-memory pmemsave and
from a dump-guest-memory ELF file (both scanned, no address given), and from the status=dump hex in the
serial log. Every source must decode to the same page, and that page must say what the serial log says:
CPU count, online count, each CPU's state and reason, bring-up and entry-to-ready times, TSC, address.
The APIC ids are QEMU's own (qom-get apic-id of each CPU), so they are checked against the machine, not
against the kernel's own words. The kernel prints nothing after the ready line, so the page no longer
changes then: a generation that moved between two reads is a failure.

Bochs (the VMX platform): one 4-CPU corei7_skylake_x boot with inject=vmptrld-vmxon status=dump. The
page decoded from the serial log must show 4 CPUs in VMX root with revision 0x2b (each CPU as the
"in VMX root operation" summary line says), the pool at 16 free of 16, and the injected failure on cpu0 by
name: vmptrld-vmxon-pointer (VM-instruction error 10) counted once, in the JSON and in the table.
"""
import re
import subprocess

import pytest

from helpers import load_status_tool, no_vmx_lines, status_tool_output, vmx_root_lines
from vmxboot import REPO, Boot, assert_ready, boot, parse_ready

QEMU_CPUS = 8
QEMU_MEMORY_MB = 128
BOCHS_CPUS = 4

MADT_RE = re.compile(r"^cpu0: madt: (\d+) CPUs usable")
SMP_RE = re.compile(r"^cpu0: smp: (\d+) of (\d+) CPUs online, bring-up (\d+) us")
TSC_RE = re.compile(r"^cpu0: tsc: (\d+) kHz")
LAPIC_RE = re.compile(r"^cpu0: lapic: (xAPIC|x2APIC) mode, boot CPU apic id (\d+)")
LEFT_OUT_RE = re.compile(r"^cpu0: warning: cpu(\d+) \(apic (\d+)\): (no answer to SIPI|stalled)")
INJECT_RE = re.compile(r"^cpu(\d+): inject: case=vmptrld-vmxon insn=VMPTRLD .* outcome=\"VMfailValid error (\d+) "
                       r"\(.*result=(\w+)")


def log_facts(log):
    """What the serial log says about the boot: the numbers a page has to repeat."""
    lines = log.splitlines()

    def one(regex):
        found = [regex.search(line) for line in lines if regex.search(line)]
        assert len(found) == 1, "expected one line matching %r, found %d\n%s" % (regex.pattern, len(found), log)
        return found[0]

    ready = parse_ready([line for line in lines if "vmxroot: ready" in line][0])
    online, found, bringup_us = map(int, one(SMP_RE).groups())
    mode, boot_apic = one(LAPIC_RE).groups()
    reasons = {}
    reasons.update({cpu: reason for cpu, (reason, _) in no_vmx_lines(lines).items()})
    states = {}
    for line in lines:
        match = LEFT_OUT_RE.search(line)
        if match:
            kind = "no-answer" if match.group(3).startswith("no answer") else "stalled"
            states[int(match.group(1))] = kind
            reasons[int(match.group(1))] = "no-sipi-answer" if kind == "no-answer" else "stalled"
    return {
        "ready": ready, "found": int(one(MADT_RE).group(1)), "smp_found": found, "online": online,
        "bringup_us": bringup_us, "tsc_khz": int(one(TSC_RE).group(1)), "x2apic": mode == "x2APIC",
        "boot_apic": int(boot_apic), "states": states, "reasons": reasons,
        "vmx_root": vmx_root_lines(lines),
    }


def check_page_against_log(page, facts, apic_ids=None, context=""):
    """Every boot-wide number and every CPU record against the serial log (and QEMU's APIC ids)."""
    header, cpus, ready = page["header"], page["cpus"], facts["ready"]
    where = "\n" + context
    assert header["boot_phase_name"] == "ready", header["boot_phase_name"] + where
    assert header["page_phys"] == ready["status"], "page at 0x%x, ready line says 0x%x%s" % (
        header["page_phys"], ready["status"], where)
    assert (header["cpus_found"], header["cpus_online"], header["cpus_vmx_root"]) == (
        facts["found"], facts["online"], ready["vmx"]), header
    assert (ready["cpus_found"], ready["cpus_online"], facts["smp_found"]) == (facts["found"], facts["online"],
                                                                              facts["found"]), ready
    assert header["bringup_time_us"] == ready["bringup_us"] == facts["bringup_us"], (header["bringup_time_us"],
                                                                                      ready, where)
    assert header["entry_to_ready_us"] == ready["boot_us"], (header["entry_to_ready_us"], ready["boot_us"])
    assert header["tsc_khz"] == facts["tsc_khz"], (header["tsc_khz"], facts["tsc_khz"])
    assert (header["vmcs_pool_free"], header["vmcs_pool_total"]) == (ready["vmcs_free"], ready["vmcs_total"])
    assert ("x2apic" in header["boot_flag_names"]) == facts["x2apic"], header["boot_flag_names"]
    assert header["record_count"] == len(cpus) == facts["found"], (header["record_count"], len(cpus))
    for index, cpu in enumerate(cpus):
        what = "cpu%d record %r%s" % (index, cpu, where)
        assert cpu["index"] == index, what
        assert cpu["state_name"] == facts["states"].get(index, "online"), what
        assert cpu["reason_name"] == facts["reasons"].get(index, "none"), what
        assert ("boot" in cpu["flag_names"]) == (index == 0), what
        in_root = index in facts["vmx_root"]
        assert ("vmx-root" in cpu["flag_names"]) == in_root, what
        assert cpu["vmx_revision_id"] == facts["vmx_root"].get(index, 0), what
        # Free and clear VMCSs belong to no CPU (docs: "VMCS counts"); nothing is active at ready.
        assert (cpu["vmcs_free"], cpu["vmcs_clear"], cpu["vmcs_active_current"], cpu["vmcs_launched"]) == (0, 0, 0, 0), what
    assert cpus[0]["apic_id"] == facts["boot_apic"], cpus[0]
    if apic_ids is not None:
        assert [cpu["apic_id"] for cpu in cpus] == apic_ids, "page %s, QEMU %s" % (
            [cpu["apic_id"] for cpu in cpus], apic_ids)
    else:
        assert len({cpu["apic_id"] for cpu in cpus}) == len(cpus), [cpu["apic_id"] for cpu in cpus]
    check_guest_blocks(page, facts, where)


def kernel_symbols():
    """The linker script's section boundaries in build/vmxroot.elf."""
    symbols = {}
    for line in subprocess.run(["nm", str(REPO / "build" / "vmxroot.elf")], stdout=subprocess.PIPE, text=True,
                               check=True).stdout.splitlines():
        address, _, name = line.split()
        symbols[name] = int(address, 16)
    return symbols


def check_guest_blocks(page, facts, where):
    """Version 1.1 and 1.2: a vCPU record per CPU, every block consistent (the log ring of 1.2 too), vmxroot's
    own memory as it is, and the log ring holding lines the serial log has."""
    header = page["header"]
    assert header["version_minor"] == 2 and page["torn"] == [], (header, page.get("torn"), where)
    assert page["log"]["lines"] and all(line in where for line in page["log"]["lines"][-3:]), (page["log"], where)
    assert header["vcpu_record_count"] == len(page["vcpus"]) == facts["found"], header
    assert [vcpu["index"] for vcpu in page["vcpus"]] == list(range(facts["found"])), page["vcpus"]
    ranges = page["memory"]["ranges"]
    assert page["memory"]["flag_names"] == [], page["memory"]
    by_kind = {}
    for entry in ranges:
        by_kind.setdefault(entry["kind_name"], []).append(entry)
    symbols = kernel_symbols()
    image = [(r["kind_name"], r["phys"], r["phys"] + r["size_bytes"]) for r in ranges
             if r["kind_name"] in ("text", "rodata", "data", "bss")]
    assert image == [("text", symbols["kernel_image_start"], symbols["kernel_text_end"]),
                     ("rodata", symbols["kernel_text_end"], symbols["kernel_rodata_end"]),
                     ("data", symbols["kernel_rodata_end"], symbols["kernel_bss_start"]),
                     ("bss", symbols["kernel_bss_start"], symbols["kernel_image_end"])], (image, where)
    status_pages = [r for r in by_kind["status"]]
    assert [(r["phys"], r["size_bytes"]) for r in status_pages] == [
        (header["page_phys"], header["area_page_count"] * 4096)], status_pages
    assert by_kind["page-tables"], ranges
    per_cpu = {r["cpu"] for r in by_kind["per-cpu"]}
    assert set(range(facts["found"])) <= per_cpu, (per_cpu, where)
    stacks = {r["cpu"] for r in by_kind.get("stack", [])}
    online = {i for i in range(facts["found"]) if facts["states"].get(i, "online") == "online"}
    assert online <= stacks, (stacks, where)
    vmxon = sorted(r["cpu"] for r in by_kind.get("vmxon", []))
    assert vmxon == sorted(facts["vmx_root"]), (vmxon, where)
    vmcs_pages = sum(r["size_bytes"] for r in by_kind.get("vmcs", [])) // 4096
    assert vmcs_pages == header["vmcs_pool_total"], (vmcs_pages, header["vmcs_pool_total"], where)


def without_source(page):
    return {key: value for key, value in page.items() if key != "source"}


# ----- QEMU: a live guest ------------------------------------------------------------------------


class LiveGuest:
    def __init__(self, running, socket_path, directory):
        self.running, self.socket_path, self.directory = running, socket_path, directory
        self.log = running.serial_text()
        self.facts = log_facts(self.log)

    def context(self):
        return "serial log %s:\n%s" % (self.running.log_path, self.log)

    def qmp(self):
        """A QMP session of the test's own (QEMU takes one client at a time: close it before the tool runs)."""
        return load_status_tool().Qmp(str(self.socket_path))


class _SerialView:
    """Enough of a BootResult for assert_ready while the emulator keeps running."""

    def __init__(self, running):
        self.log = running.serial_text()
        self.lines = self.log.splitlines()
        self.timed_out = False
        self.ready_lines = [line for line in self.lines if "vmxroot: ready" in line]
        self.panic_lines = [line for line in self.lines if "PANIC" in line]
        self.ready_line = self.ready_lines[0] if self.ready_lines else None
        self.ready = parse_ready(self.ready_line) if self.ready_line else None
        self.log_path = running.log_path

    def describe(self):
        return "serial log %s:\n%s" % (self.log_path, self.log)


@pytest.fixture(scope="module")
def live_qemu(tmp_path_factory):
    directory = tmp_path_factory.mktemp("status_live")
    socket_path = directory / "qmp.sock"
    with Boot("qemu", smp=QEMU_CPUS, memory_mb=QEMU_MEMORY_MB, cmdline="status=dump", exit_on_ready=False,
              qmp_socket=str(socket_path), name="status_live_qemu_%dcpus" % QEMU_CPUS) as running:
        if running.wait_for(r"(vmxroot: ready\b|PANIC).*\n") is None or "PANIC" in running.serial_text():
            result = running.stop()
            pytest.fail("CRASH: no ready line from the live guest\n" + result.describe(), pytrace=False)
        assert_ready(_SerialView(running), cpus=None)  # one ready line, no PANIC
        yield LiveGuest(running, socket_path, directory)
        assert running.process.poll() is None, "QEMU ended while the tests read its memory\n" + running.serial_text()


def qemu_apic_ids(guest):
    """Each CPU's APIC id as QEMU set it, in cpu-index order (the MADT's order, boot CPU first)."""
    qmp = guest.qmp()
    try:
        cpus = sorted(qmp.execute("query-cpus-fast"), key=lambda cpu: cpu["cpu-index"])
        return [int(qmp.execute("qom-get", path=cpu["qom-path"], property="apic-id")) for cpu in cpus]
    finally:
        qmp.close()


def test_live_page_matches_the_serial_log(live_qemu):
    """QMP at the ready line's address: every field the log states, every CPU, QEMU's APIC ids."""
    page = status_tool_output("--qmp", live_qemu.socket_path, "--address", hex(live_qemu.facts["ready"]["status"]),
                    context=live_qemu.context())
    assert page["source"] == {"kind": "qmp", "address": live_qemu.facts["ready"]["status"]}
    apic_ids = qemu_apic_ids(live_qemu)
    assert len(apic_ids) == QEMU_CPUS, apic_ids
    check_page_against_log(page, live_qemu.facts, apic_ids, context=live_qemu.context())
    # QEMU TCG has no VMX: every CPU says so on the page as in the log, and the pool is empty.
    assert [cpu["reason_name"] for cpu in page["cpus"]] == ["no-vmx"] * QEMU_CPUS, page["cpus"]
    assert page["header"]["cpus_vmx_root"] == 0 and page["header"]["vmcs_pool_total"] == 0


def test_live_sources_agree(live_qemu):
    """The address from --serial-log, a scan of guest memory without any address, and the status=dump
    hex in the log all give the page read at the address, byte for byte (same generation). The vCPU
    records are the exception for the dump: they have seqlocks of their own and the guest layer writes
    them after the ready line's dump (here, with no VMX: not launched, and why)."""
    address = live_qemu.facts["ready"]["status"]
    context = live_qemu.context()
    at_address = status_tool_output("--qmp", live_qemu.socket_path, "--address", hex(address), context=context)
    from_log = status_tool_output("--qmp", live_qemu.socket_path, "--serial-log", live_qemu.running.log_path, context=context)
    scanned = status_tool_output("--qmp", live_qemu.socket_path, context=context)
    hex_dump = status_tool_output("--serial-log", live_qemu.running.log_path, context=context)
    assert from_log["source"] == {"kind": "qmp", "address": address}
    assert scanned["source"] == {"kind": "qmp", "address": address}
    assert hex_dump["source"]["kind"] == "serial-log" and hex_dump["source"]["address"] == address
    for other in (from_log, scanned):
        assert without_source(other) == without_source(at_address), (other["source"], at_address["header"],
                                                                     other["header"])
    without_vcpus = {key: value for key, value in without_source(at_address).items() if key != "vcpus"}
    assert {key: value for key, value in without_source(hex_dump).items() if key != "vcpus"} == without_vcpus
    assert [v["index"] for v in hex_dump["vcpus"]] == [v["index"] for v in at_address["vcpus"]]
    assert {v["state_name"] for v in hex_dump["vcpus"] + at_address["vcpus"]} == {"not-launched"}, at_address["vcpus"]


def test_live_table_names_every_cpu(live_qemu):
    text = status_tool_output("--qmp", live_qemu.socket_path, "--serial-log", live_qemu.running.log_path,
                    json_output=False, context=live_qemu.context())
    assert "checksum ok" in text and "phase ready" in text, text
    assert "cpus:      %d found, %d online, 0 in VMX root" % (QEMU_CPUS, QEMU_CPUS) in text, text
    assert "bring-up %d us" % live_qemu.facts["bringup_us"] in text, text
    rows = [line for line in text.splitlines() if re.match(r"^\s*\d+\s+\d+\s+online\s+no-vmx\b", line)]
    assert len(rows) == QEMU_CPUS, text


def test_whole_memory_pmemsave_is_scanned(live_qemu):
    """All guest RAM saved with QMP pmemsave (file offset = physical address), decoded with --scan."""
    dump = live_qemu.directory / "memory.bin"
    qmp = live_qemu.qmp()
    try:
        qmp.execute("pmemsave", val=0, size=QEMU_MEMORY_MB << 20, filename=str(dump))
    finally:
        qmp.close()
    assert dump.stat().st_size == QEMU_MEMORY_MB << 20
    page = status_tool_output("--dump", dump, "--scan", context=live_qemu.context())
    address = live_qemu.facts["ready"]["status"]
    assert page["source"] == {"kind": "scan", "file": str(dump), "offset": address}, page["source"]
    check_page_against_log(page, live_qemu.facts, context=live_qemu.context())
    dump.unlink()


def test_dump_guest_memory_elf_is_scanned(live_qemu):
    """QEMU's dump-guest-memory ELF core: file offsets are not physical addresses, the scan still finds
    the page (by magic, version and checksum) and page_phys names where it was in the guest."""
    dump = live_qemu.directory / "guest.elf"
    qmp = live_qemu.qmp()
    try:
        qmp.execute("dump-guest-memory", paging=False, protocol="file:%s" % dump)
    finally:
        qmp.close()
    assert dump.read_bytes()[:4] == b"\x7fELF"
    page = status_tool_output("--dump", dump, context=live_qemu.context())
    assert page["source"]["kind"] == "scan"
    check_page_against_log(page, live_qemu.facts, context=live_qemu.context())
    dump.unlink()
    # The guest runs on after the dump and QMP takes the next client (the session above is closed
    # but its object still lives: a half-closed socket would leave the tool without a greeting).
    live = status_tool_output("--qmp", live_qemu.socket_path, "--serial-log", live_qemu.running.log_path,
                    context=live_qemu.context())
    assert without_source(live) == without_source(page)


# ----- Bochs: VMX root on every CPU, an injected failure, read from the serial log ---------------


@pytest.mark.bochs
def test_bochs_page_from_the_serial_log_with_an_injected_failure():
    result = boot("bochs", smp=BOCHS_CPUS, cpu_model="corei7_skylake_x", cmdline="inject=vmptrld-vmxon status=dump",
                  name="status_live_bochs_skylake_x_inject")
    assert_ready(result, cpus=(BOCHS_CPUS, BOCHS_CPUS), vmx=BOCHS_CPUS, vmcs=(16, 16))
    facts = log_facts(result.log)
    assert facts["vmx_root"] == dict.fromkeys(range(BOCHS_CPUS), 0x2B), result.describe()
    injected = [INJECT_RE.search(line) for line in result.lines if INJECT_RE.search(line)]
    assert len(injected) == 1 and injected[0].groups() == ("0", "10", "PASS"), result.describe()

    page = status_tool_output("--serial-log", result.log_path, context=result.describe())
    check_page_against_log(page, facts, context=result.describe())
    header, cpus = page["header"], page["cpus"]
    assert header["cpus_vmx_root"] == BOCHS_CPUS and header["vmx_revision_id"] == 0x2B, header
    assert (header["vmcs_pool_free"], header["vmcs_pool_total"]) == (16, 16), header
    for cpu in cpus:
        assert {"vmx-root", "vmx-capable"} <= set(cpu["flag_names"]) and cpu["vmx_revision_id"] == 0x2B, cpu
    # The injected VMPTRLD of cpu0's VMXON region: error 10 once, by name, on cpu0 only.
    assert cpus[0]["vmfail_valid_by_error"] == [
        {"error": 10, "name": "vmptrld-vmxon-pointer", "count": 1, "saturated": False}], cpus[0]
    assert cpus[0]["vmfail_valid_count"] == 1 and cpus[0]["vmfail_invalid_count"] == 0, cpus[0]
    for cpu in cpus[1:]:
        assert cpu["vmfail_valid_count"] == 0 and not cpu["vmfail_valid_by_error"], cpu
    table = status_tool_output("--serial-log", result.log_path, json_output=False, context=result.describe())
    cpu0_row = [line for line in table.splitlines() if re.match(r"^\s*0\s+\d+\s+online\b", line)]
    assert len(cpu0_row) == 1 and "vmptrld-vmxon-pointer(10) x1" in cpu0_row[0], table
