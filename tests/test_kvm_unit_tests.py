"""kvm-unit-tests as vmxroot guests (the multiboot1 guest, vm0), and the multiboot1 loader's refusals.

Each suite test boots in Bochs with the test as GRUB's first module2 and its env module as the
second, and must end as it does on the bare CPU (../shared/kvm-unit-tests/README.md's table): the
same SUMMARY line and exit code in `vmxroot: guest vm0 ended: exit code <n>`. The fast ones run in
make test; the rest with --test-slow (make test-slow). Where the suite's source is absent and
cannot be fetched they SKIP with the reason. A timeout or a missing end line fails with the log.

The loader tests need no suite: a hand-made multiboot1 kernel reports the loader's magic and its
mem_upper through the exit port (Bochs), and bad images (no header, a bad checksum, a segment on
vmxroot's image, one outside RAM) are named while vmxroot stays up (QEMU: the check needs no VMX).
"""
import re
import struct

import pytest

from vmxboot import assert_ready, boot, Boot
from vmxboot import kvm_unit_tests as kut
from vmxboot import kut_native
from vmxboot.linux_guest import linux_iso


@pytest.fixture(scope="module")
def suite():
    try:
        return kut.build_suite()
    except kut.SuiteMissing as why:
        pytest.skip("kvm-unit-tests: %s" % why)


def check_as_natively(spec, x86_dir):
    result = kut.run_test(spec, x86_dir, name="kvm-unit-tests-%s" % spec.name)
    assert kut.same_as_native(spec, result), "%s\nnatively: %s, exit %d\nlog %s:\n%s" % (
        result.line(), spec.native, spec.native_exit, result.log_path, result.log[-4000:])


FAST = [spec for spec in kut.TESTS if spec.fast]
SLOW = [spec for spec in kut.TESTS if not spec.fast and not spec.known_gap]
GAPS = [spec for spec in kut.TESTS if spec.known_gap]


@pytest.mark.bochs
@pytest.mark.parametrize("spec", FAST, ids=[s.name for s in FAST])
def test_kvm_unit_test_as_natively(spec, suite):
    check_as_natively(spec, suite)


@pytest.mark.test_slow
@pytest.mark.parametrize("spec", SLOW, ids=[s.name for s in SLOW])
def test_kvm_unit_test_as_natively_slow(spec, suite):
    check_as_natively(spec, suite)


@pytest.mark.test_slow
@pytest.mark.parametrize("spec", GAPS, ids=[s.name for s in GAPS])
def test_kvm_unit_test_known_gap(spec, suite):
    """What does not run as natively yet (the Spec's known_gap says why): an xfail while it is so, a pass
    once it ends as natively."""
    result = kut.run_test(spec, suite, name="kvm-unit-tests-gap-%s" % spec.name)
    if not kut.same_as_native(spec, result):
        pytest.xfail("%s: %s" % (result.line(), spec.known_gap))


# ----- the native baseline (tools/kvm-unit-tests --native) ---------------------------------------

def test_native_bochs_refuses_other_bytes(tmp_path):
    """The patched copy is made only from the checked bytes: another binary or version is refused."""
    other = tmp_path / "bochs-bin"
    other.write_bytes(b"\0" * (kut_native.GATE_OFFSET + 16))
    with pytest.raises(kut_native.NativeBochsRefused, match="not patching"):
        kut_native.patched_bochs(source=other, version=kut_native.BOCHS_PACKAGE_VERSION, into=tmp_path / "copy")
    with pytest.raises(kut_native.NativeBochsRefused, match="known only for"):
        kut_native.patched_bochs(source=other, version="2.8-1", into=tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_native_bochs_copy_differs_only_at_the_gate(tmp_path):
    try:
        copy = kut_native.patched_bochs(into=tmp_path / "bochs-bin")
    except kut_native.NativeBochsRefused as why:
        pytest.skip(str(why))
    original, patched = kut_native.BOCHS_SOURCE.read_bytes(), copy.read_bytes()
    assert len(original) == len(patched)
    differing = [i for i in range(len(original)) if original[i] != patched[i]]
    assert differing == list(range(kut_native.GATE_OFFSET, kut_native.GATE_OFFSET + 6))
    assert patched[kut_native.GATE_OFFSET:kut_native.GATE_OFFSET + 6] == b"\x90" * 6


def test_native_exit_code_from_the_register_dump():
    assert kut_native.exit_code_from_debugger("rax: 00000000_00000000\nrdi: 00000000_0000003f\n") == 63
    assert kut_native.exit_code_from_debugger("edi: 0x00000001 esi: 0x0\n") == 1
    assert kut_native.exit_code_from_debugger("(0) [0x0000fffffff0] f000:fff0\n") is None


def test_native_exit_code_from_the_bochs_log():
    log = ("00000320115d[UNMAP ] unmapped: 8-bit write to 0278 = aa\n"
           "00104817208d[UNMAP ] unmapped: 32-bit write to 00f4 = 0000003f\n"
           "00104817213d[UNMAP ] unmapped: 8-bit write to 8900 = 53\n")
    assert kut_native.exit_code_from_bochs_log(log) == 63
    assert kut_native.exit_code_from_bochs_log("00000320115d[UNMAP ] unmapped: 8-bit write to 00f4 = 01\n") == 1
    assert kut_native.exit_code_from_bochs_log(log.replace("00f4", "00f8")) is None


@pytest.mark.bochs
def test_native_baseline_of_the_fast_ones(suite):
    """The bare CPU's result (the patched Bochs, no vmxroot) is still what TESTS records, for the fast
    tests that need a second or two natively."""
    try:
        bochs = kut_native.patched_bochs()
    except kut_native.NativeBochsRefused as why:
        pytest.skip(str(why))
    for spec in [s for s in kut.TESTS if s.fast and 0 < s.native_s <= 5][:NATIVE_CHECKED]:
        result = kut_native.run_native(spec, suite, bochs=bochs)
        assert kut.same_as_native(spec, result), "%s\nrecorded natively: %s, exit %d\nlog %s:\n%s" % (
            result.line(), spec.native, spec.native_exit, result.log_path, result.log[-3000:])


NATIVE_CHECKED = 3  # a few seconds each: the rest with tools/kvm-unit-tests --native


# ----- the loader, with no suite needed --------------------------------------------------------

LOAD_PHYS = 0x200000


def multiboot1_kernel(load_phys=LOAD_PHYS, bss_bytes=0x1000, checksum_delta=0, magic=0x1BADB002,
                      shutdown_only=False):
    """A flat multiboot1 kernel loaded by its address fields: with EAX the loader's magic it writes
    mem_upper >> 10 (MiB above 1 MiB) to the exit port, else 1; then halts. shutdown_only: it writes
    only "Shutdown" to port 0x8900 (Bochs's way out), no exit code."""
    flags = (1 << 16) | (1 << 1)
    shutdown = bytes.fromhex("66ba0089") + b"".join(b"\xb0" + bytes([c]) + b"\xee" for c in b"Shutdown")
    report = bytes.fromhex("3d02b0ad2b"      # cmp eax, 0x2BADB002
                           "750e"            # jne fail
                           "8b4308"          # mov eax, [ebx + 8]  (mem_upper, KiB)
                           "c1e80a"          # shr eax, 10
                           "66baf400" "ef"   # mov dx, 0xf4; out dx, eax
                           "f4" "ebfd"       # hlt; jmp $-1
                           "b801000000"      # fail: mov eax, 1
                           "66baf400" "ef"   # mov dx, 0xf4; out dx, eax
                           "f4" "ebfd")
    code = shutdown + bytes.fromhex("f4ebfd") if shutdown_only else report
    header_bytes = 32
    image = bytearray(header_bytes) + code
    struct.pack_into("<8I", image, 0, magic, flags, (-(magic + flags) + checksum_delta) & 0xFFFFFFFF, load_phys,
                     load_phys, 0, load_phys + len(image) + bss_bytes, load_phys + header_bytes)
    return bytes(image)


MEM_UPPER_RE = re.compile(r"guest: vm0: multiboot1 kernel .* mem_upper (\d+) KiB")
REGION_RE = re.compile(r"mm: vmxroot's memory: (0x[0-9a-f]+)\.\.")


@pytest.mark.bochs
def test_multiboot1_kernel_gets_magic_and_mem_upper_below_vmxroot(tmp_path):
    kernel = tmp_path / "mb1"
    kernel.write_bytes(multiboot1_kernel())
    iso = linux_iso("exit=on-guest-exit", modules=[(kernel, "hello world")])
    with Boot("bochs", smp=1, iso=iso, timeout_s=120) as running:
        result = running.wait()
    assert_ready(result)
    mem_upper, region = MEM_UPPER_RE.search(result.log), REGION_RE.search(result.log)
    assert mem_upper and region, result.describe()
    assert 'command line "hello world"' in result.log, result.describe()
    end = kut.END_RE.search(result.log)
    assert end, "no end line\n%s" % result.describe()
    assert end.group(1) == "exit code %d" % (int(mem_upper.group(1)) >> 10), result.describe()
    # mem_upper counts from 1 MiB: the RAM it names ends at or below vmxroot's region.
    assert (1 << 20) + (int(mem_upper.group(1)) << 10) <= int(region.group(1), 16), result.describe()


@pytest.mark.bochs
def test_multiboot1_kernel_ends_by_shutdown_port_without_exit_code(tmp_path):
    kernel = tmp_path / "mb1"
    kernel.write_bytes(multiboot1_kernel(shutdown_only=True))
    iso = linux_iso("exit=on-guest-exit", modules=[(kernel, "")])
    with Boot("bochs", smp=1, iso=iso, timeout_s=120) as running:
        result = running.wait()
    end = kut.END_RE.search(result.log)
    assert end and end.group(1) == '"Shutdown" to port 0x8900 without an exit code', result.describe()


def refused(tmp_path, image, cmdline="guest=multiboot1"):
    kernel = tmp_path / "kernel"
    kernel.write_bytes(image)
    iso = linux_iso("exit=on-guest-exit " + cmdline, modules=[(kernel, "")])
    result = boot("qemu", iso=iso, exit_on_ready=False, timeout_s=60)
    assert_ready(result)
    line = re.search(r"guest: vm0 not launched: (.*)", result.log)
    assert line, "no refusal line\n%s" % result.describe()
    assert "vmxroot: guests passed=0/0" in result.log, result.describe()
    assert "PANIC" not in result.log, result.describe()
    return line.group(1)


def test_multiboot1_refuses_an_image_without_header(tmp_path):
    assert "no multiboot1 header" in refused(tmp_path, b"not a kernel\n" * 100)


def test_multiboot1_refuses_a_bad_checksum(tmp_path):
    assert "bad checksum" in refused(tmp_path, multiboot1_kernel(checksum_delta=1))


def test_multiboot1_refuses_a_segment_on_vmxroot(tmp_path):
    why = refused(tmp_path, multiboot1_kernel(load_phys=0x100000))  # vmxroot's image is at 1 MiB
    assert "collides with vmxroot's memory" in why, why


def test_multiboot1_refuses_a_segment_outside_ram(tmp_path):
    why = refused(tmp_path, multiboot1_kernel(load_phys=0x40000000))  # QEMU has 256 MiB
    assert "outside the guest's usable RAM" in why, why


def test_guest_auto_picks_multiboot1_by_its_header(tmp_path):
    """guest=auto (the default) launches a module with a multiboot1 header as multiboot1: the load line."""
    kernel = tmp_path / "kernel"
    kernel.write_bytes(multiboot1_kernel())
    iso = linux_iso("exit=on-guest-exit", modules=[(kernel, "")])
    result = boot("qemu", iso=iso, exit_on_ready=False, timeout_s=60)
    assert MEM_UPPER_RE.search(result.log), result.describe()


APIC_LINE_RE = re.compile(r"guest: vm0 cpu(\d+) apic: ")


@pytest.mark.bochs
def test_guest_cpus_offers_two_of_three_cpus_to_smptest(suite):
    """guest_cpus=2 on a 3-CPU Bochs: smptest (env NR_CPUS=2) finds 2 CPUs and IPIs each; vmxroot says
    cpu2 is not offered, and only cpu0 and cpu1 were vm0's vCPUs (their `apic:` lines at vm0's end)."""
    spec = next(s for s in kut.TESTS if s.name == "smptest")
    result = kut.run_test(spec, suite, name="kvm-unit-tests-smptest-guest-cpus", machine_cpus=3,
                          cmdline="guest_cpus=2")
    detail = "%s\nlog %s:\n%s" % (result.line(), result.log_path, result.log[-4000:])
    assert result.verdict == "PASS" and result.detail.startswith("SUMMARY: 1 tests"), detail
    assert "found 2 cpus" in result.log, detail
    assert "ipi called, cpu 1" in result.log and "but wrong cpu" not in result.log, detail
    assert "guest: cpu2 not offered to vm0 (guest_cpus=2)" in result.log, detail
    assert sorted(int(n) for n in APIC_LINE_RE.findall(result.log)) == [0, 1], detail
