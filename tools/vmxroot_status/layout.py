"""The status area layout as docs/status-page.md states it, and its name tables.

The tests compare LAYOUT and every name table with the document and the kernel's C headers
(tests/test_status_tool.py, tests/test_status_guest.py)."""


EXIT_OK, EXIT_OTHER, EXIT_NOT_FOUND, EXIT_TORN, EXIT_CHECKSUM, EXIT_MAJOR = 0, 1, 2, 3, 4, 5

PAGE_BYTES = 4096
MAGIC = b"VMXROOT\x00"
KNOWN_MAJOR = 1
MAX_PAGES = 64
GENERATION_OFFSET = 24
READ_RETRIES = 20
RETRY_DELAY_S = 0.05
DEVMEM_ENV = "VMXROOT_STATUS_DEVMEM"  # a file that stands in for /dev/mem (tests)
CMDLINE_ENV = "VMXROOT_STATUS_CMDLINE"  # a file that stands in for /proc/cmdline (tests)

# The layout, exactly as the status-layout table in docs/status-page.md (tests compare the two):
# (region, offset, size, type, name).
LAYOUT = [
    ("header", 0, 8, "u64", "magic"),
    ("header", 8, 2, "u16", "version_major"),
    ("header", 10, 2, "u16", "version_minor"),
    ("header", 12, 2, "u16", "header_size_bytes"),
    ("header", 14, 2, "u16", "record_size_bytes"),
    ("header", 16, 4, "u32", "record_count"),
    ("header", 20, 4, "u32", "page_count"),
    ("header", 24, 4, "u32", "generation"),
    ("header", 28, 4, "u32", "checksum"),
    ("header", 32, 4, "u32", "checksum_bytes"),
    ("header", 36, 4, "u32", "boot_phase"),
    ("header", 40, 8, "u64", "page_phys"),
    ("header", 48, 4, "u32", "boot_flags"),
    ("header", 52, 4, "u32", "cpus_found"),
    ("header", 56, 4, "u32", "cpus_online"),
    ("header", 60, 4, "u32", "cpus_vmx_root"),
    ("header", 64, 4, "u32", "tsc_khz"),
    ("header", 68, 4, "u32", "vmcs_per_cpu"),
    ("header", 72, 8, "u64", "bringup_time_us"),
    ("header", 80, 8, "u64", "entry_to_ready_us"),
    ("header", 88, 8, "u64", "memory_per_cpu_bytes"),
    ("header", 96, 4, "u32", "vmx_revision_id"),
    ("header", 100, 4, "u32", "vmx_features"),
    ("header", 104, 8, "u64", "vmx_basic_msr"),
    ("header", 112, 8, "u64", "vmx_ept_vpid_cap_msr"),
    ("header", 120, 4, "u32", "vmcs_pool_total"),
    ("header", 124, 4, "u32", "vmcs_pool_free"),
    ("header", 128, 4, "u32", "vm_area_offset"),
    ("header", 132, 2, "u16", "vm_record_size_bytes"),
    ("header", 134, 2, "u16", "vm_record_count"),
    ("header", 136, 4, "u32", "area_page_count"),
    ("header", 140, 4, "u32", "memory_block_offset"),
    ("header", 144, 4, "u32", "memory_range_capacity"),
    ("header", 148, 2, "u16", "memory_range_size_bytes"),
    ("header", 150, 2, "u16", "vcpu_record_size_bytes"),
    ("header", 152, 4, "u32", "vcpu_area_offset"),
    ("header", 156, 4, "u32", "vcpu_record_count"),
    ("header", 160, 4, "u32", "vcpu_publish_interval_us"),
    ("header", 164, 4, "u32", "log_ring_offset"),
    ("header", 168, 4, "u32", "log_ring_size_bytes"),
    ("header", 172, 340, "u8[340]", "reserved"),
    ("cpu", 0, 2, "u16", "index"),
    ("cpu", 2, 1, "u8", "state"),
    ("cpu", 3, 1, "u8", "reason"),
    ("cpu", 4, 4, "u32", "apic_id"),
    ("cpu", 8, 4, "u32", "vmx_revision_id"),
    ("cpu", 12, 2, "u16", "flags"),
    ("cpu", 14, 2, "u16", "vmcs_free"),
    ("cpu", 16, 2, "u16", "vmcs_clear"),
    ("cpu", 18, 2, "u16", "vmcs_active_current"),
    ("cpu", 20, 2, "u16", "vmcs_active_not_current"),
    ("cpu", 22, 2, "u16", "vmcs_launched"),
    ("cpu", 24, 4, "u32", "vmclear_count"),
    ("cpu", 28, 4, "u32", "vmptrld_count"),
    ("cpu", 32, 4, "u32", "vmptrld_skipped_count"),
    ("cpu", 36, 2, "u16", "vmfail_invalid_count"),
    ("cpu", 38, 2, "u16", "vmfail_valid_count"),
    ("cpu", 40, 16, "u4[32]", "vmfail_valid_by_error"),
    ("memblock", 0, 4, "u32", "generation"),
    ("memblock", 4, 4, "u32", "checksum"),
    ("memblock", 8, 4, "u32", "count"),
    ("memblock", 12, 4, "u32", "flags"),
    ("range", 0, 8, "u64", "phys"),
    ("range", 8, 4, "u32", "size_pages"),
    ("range", 12, 2, "u16", "kind"),
    ("range", 14, 2, "u16", "cpu"),
    ("vcpu", 0, 4, "u32", "generation"),
    ("vcpu", 4, 4, "u32", "checksum"),
    ("vcpu", 8, 2, "u16", "index"),
    ("vcpu", 10, 1, "u8", "state"),
    ("vcpu", 11, 1, "u8", "reason"),
    ("vcpu", 12, 4, "u32", "last_exit_reason"),
    ("vcpu", 16, 8, "u64", "last_exit_qualification"),
    ("vcpu", 24, 8, "u64", "last_exit_guest_rip"),
    ("vcpu", 32, 8, "u64", "exit_count_total"),
    ("vcpu", 40, 8, "u64", "published_tsc"),
    ("vcpu", 48, 4, "u32", "exit_count_other"),
    ("vcpu", 52, 4, "u32", "entry_failure_count"),
    ("vcpu", 56, 1, "u8", "entry_failure_kind"),
    ("vcpu", 57, 1, "u8", "entry_failure_flags"),
    ("vcpu", 58, 1, "u8", "exit_slots_used"),
    ("vcpu", 59, 1, "u8", "reserved0"),
    ("vcpu", 60, 4, "u32", "entry_failure_number"),
    ("vcpu", 64, 4, "u32", "entry_failure_field"),
    ("vcpu", 68, 4, "u32", "publish_count"),
    ("vcpu", 72, 8, "u64", "entry_failure_value"),
    ("vcpu", 80, 48, "char[48]", "entry_failure_name"),
    ("vcpu", 128, 32, "char[32]", "reason_text"),
    ("vcpu", 160, 32, "u8[32]", "exit_slot_reason"),
    ("vcpu", 192, 128, "u32[32]", "exit_slot_count"),
    ("logring", 0, 4, "u32", "generation"),
    ("logring", 4, 4, "u32", "checksum"),
    ("logring", 8, 8, "u64", "line_count"),
    ("logring", 16, 2, "u16", "line_slots"),
    ("logring", 18, 2, "u16", "line_size_bytes"),
    ("logring", 20, 4, "u32", "cut_count"),
    ("logring", 24, 40, "u8[40]", "reserved"),
    ("logline", 0, 128, "char[128]", "text"),
]
HEADER_BYTES = 512
RECORD_BYTES = 56
# Version 1.1: the guest blocks after the page_count pages (docs/status-page.md, "Version 1.1").
MAX_AREA_PAGES = 1024
VCPU_RECORD_BYTES = 320
MEMORY_RANGE_BYTES = 16
MEMORY_BLOCK_HEADER_BYTES = 16
# Version 1.2: the log ring, the area's last page (docs/status-page.md, "Version 1.2").
LOG_RING_HEADER_BYTES = 64

STATES = ["absent", "found", "starting", "online", "no-answer", "stalled", "excluded", "halted"]
REASONS = ["none", "no-sipi-answer", "stalled", "maxcpus", "smp-off", "madt-disabled", "no-vmx",
           "vmx-locked-off", "vmxe-already-set", "fixed-bits", "vmx-basic", "caps-mismatch",
           "vmxon-failed", "no-memory", "panic", "apic-id-too-large"]
BOOT_PHASES = ["early", "smp", "vmx", "ready", "shutdown", "panic"]
BOOT_FLAGS = ["uefi", "x2apic", "smp-serial", "smp-off", "init-wait", "vmx-off", "status-dump"]
VMX_FEATURES = ["vmx", "ept", "vpid", "unrestricted-guest", "true-controls"]
CPU_FLAGS = ["boot", "vmx-root", "vmx-capable"]
CPU_FLAGS_SHORT = {"boot": "boot", "vmx-root": "root", "vmx-capable": "vmx"}  # for the table
VCPU_STATES = ["not-launched", "running", "halted", "stopped"]
VCPU_REASONS = ["none", "guest-none", "not-in-vmx-root", "controls", "no-memory", "entry-check", "entry-failed",
                "guest-passed", "guest-failed", "triple-fault", "unhandled-exit", "watchdog", "hlt",
                "wait-for-sipi", "panic", "shutdown", "handler-error", "guest-ended"]
ENTRY_FAILURE_KINDS = ["none", "vmfail-invalid", "vmfail-valid", "invalid-guest-state", "msr-loading",
                       "machine-check"]
ENTRY_FAILURE_FLAGS = ["refused-by-check", "named-by-check"]
MEMORY_KINDS = ["none", "text", "rodata", "data", "page-tables", "vmxon", "vmcs", "ept", "stack", "status",
                "per-cpu", "bitmaps", "other", "bss"]
MEMORY_FLAGS = ["incomplete"]
MEMORY_CPU_NONE = 0xFFFF
# Basic exit reasons, from the SDM's appendix "VMX Basic Exit Reasons". The kernel's own table is
# arch/x86/vmx/vmx_exit_reason.c; tests/test_status_guest.py checks that the two agree.
EXIT_REASONS = {
    0: "Exception or non-maskable interrupt (NMI)", 1: "External interrupt", 2: "Triple fault",
    3: "INIT signal", 4: "Start-up IPI (SIPI)", 5: "I/O system-management interrupt (SMI)", 6: "Other SMI",
    7: "Interrupt window", 8: "NMI window", 9: "Task switch", 10: "CPUID", 11: "GETSEC", 12: "HLT",
    13: "INVD", 14: "INVLPG", 15: "RDPMC", 16: "RDTSC", 17: "RSM", 18: "VMCALL", 19: "VMCLEAR",
    20: "VMLAUNCH", 21: "VMPTRLD", 22: "VMPTRST", 23: "VMREAD", 24: "VMRESUME", 25: "VMWRITE",
    26: "VMXOFF", 27: "VMXON", 28: "Control-register accesses", 29: "MOV DR", 30: "I/O instruction",
    31: "RDMSR", 32: "WRMSR", 33: "VM-entry failure due to invalid guest state",
    34: "VM-entry failure due to MSR loading", 36: "MWAIT", 37: "Monitor trap flag", 39: "MONITOR",
    40: "PAUSE", 41: "VM-entry failure due to machine-check event", 43: "TPR below threshold",
    44: "APIC access", 45: "Virtualized EOI", 46: "Access to GDTR or IDTR", 47: "Access to LDTR or TR",
    48: "EPT violation", 49: "EPT misconfiguration", 50: "INVEPT", 51: "RDTSCP",
    52: "VMX-preemption timer expired", 53: "INVVPID", 54: "WBINVD or WBNOINVD", 55: "XSETBV",
    56: "APIC write", 57: "RDRAND", 58: "INVPCID", 59: "VMFUNC", 60: "ENCLS", 61: "RDSEED",
    62: "Page-modification log full", 63: "XSAVES", 64: "XRSTORS", 65: "PCONFIG", 66: "SPP-related event",
    67: "UMWAIT", 68: "TPAUSE", 69: "LOADIWKEY", 70: "ENCLV", 72: "ENQCMD PASID translation failure",
    73: "ENQCMDS PASID translation failure", 74: "Bus lock", 75: "Instruction timeout", 76: "SEAMCALL",
    77: "TDCALL", 78: "RDMSRLIST", 79: "WRMSRLIST",
}
# SDM "VM Instruction Error Numbers"; slot 0 counts numbers that could not be read or are not defined.
VM_ERRORS = [
    "unknown", "vmcall-in-vmx-root", "vmclear-invalid-address", "vmclear-vmxon-pointer",
    "vmlaunch-non-clear-vmcs", "vmresume-non-launched-vmcs", "vmresume-after-vmxoff",
    "entry-invalid-control-fields", "entry-invalid-host-state", "vmptrld-invalid-address",
    "vmptrld-vmxon-pointer", "vmptrld-wrong-revision", "unsupported-vmcs-component",
    "vmwrite-read-only-component", "reserved-14", "vmxon-in-vmx-root", "entry-invalid-executive-vmcs",
    "entry-non-launched-executive-vmcs", "entry-executive-vmcs-not-vmxon", "vmcall-non-clear-vmcs",
    "vmcall-invalid-exit-controls", "reserved-21", "vmcall-wrong-mseg-revision", "vmxoff-dual-monitor",
    "vmcall-invalid-smm-monitor", "entry-invalid-executive-controls", "entry-events-blocked-by-mov-ss",
    "reserved-27", "invalid-invept-invvpid-operand",
]
