/*
 * The status page: what vmxroot did, in memory anyone may read without a
 * call into the hypervisor (a host tool through QEMU, a memory dump, the
 * serial log; a guest later, mapped read-only). docs/status-page.md is the
 * ABI: every offset below is asserted here and checked against the table
 * in that document by tests/unit/test_status_page.c and
 * tests/test_status_tool.py.
 *
 * Writers: one page (or a run of contiguous pages, for more than 64 CPUs),
 * a seqlock generation (odd while a writer is inside) and a CRC-32 that is
 * recomputed when each write ends. A spinlock inside status_page.c
 * serializes writers on several CPUs. The page holds no pointer into
 * hypervisor memory.
 */
#ifndef CORE_STATUS_PAGE_H
#define CORE_STATUS_PAGE_H

#include "core/lib/compiler.h"
#include "arch/x86/smp/cpu_state.h"

/* "VMXROOT\0" read as a little-endian u64. */
#define STATUS_MAGIC 0x00544f4f52584d56ull
#define STATUS_VERSION_MAJOR 1
#define STATUS_VERSION_MINOR 2
#define STATUS_HEADER_BYTES 512u
#define STATUS_CPU_RECORD_BYTES 56u
/* CPU records in the first page; records go on into the following pages. */
#define STATUS_CPUS_PER_FIRST_PAGE ((PAGE_SIZE_BYTES - STATUS_HEADER_BYTES) / STATUS_CPU_RECORD_BYTES)
/* A reader's sanity bound on page_count: 64 pages hold 4671 CPU records. */
#define STATUS_MAX_PAGES 64u
/* Contiguous pages needed for cpu_count records. */
#define STATUS_PAGES_FOR_CPUS(cpu_count)                                                                     \
    (((uint64_t)STATUS_HEADER_BYTES + (uint64_t)(cpu_count)*STATUS_CPU_RECORD_BYTES + PAGE_SIZE_BYTES - 1) / \
     PAGE_SIZE_BYTES)
/* VM-instruction error numbers 1..28 (SDM: "VM Instruction Error Numbers"). */
#define STATUS_VM_ERROR_MAX 28u
/* Saturating 4-bit count per error number, two per byte. */
#define STATUS_VM_ERROR_COUNT_MAX 15u

/* header.boot_flags */
#define STATUS_BOOT_UEFI (1u << 0)       /* booted by UEFI firmware (else BIOS) */
#define STATUS_BOOT_X2APIC (1u << 1)     /* local APICs run in x2APIC mode */
#define STATUS_BOOT_SMP_SERIAL (1u << 2) /* smp=serial: APs started one at a time */
#define STATUS_BOOT_SMP_OFF (1u << 3)    /* smp=off: boot CPU only */
#define STATUS_BOOT_INIT_WAIT (1u << 4)  /* init_wait=on: the 10 ms INIT wait */
#define STATUS_BOOT_VMX_OFF (1u << 5)    /* vmx=off on the command line */
#define STATUS_BOOT_DUMP (1u << 6)       /* status=dump: page printed as hex at ready */

/* header.vmx_features: what the boot CPU offers (IA32_VMX_* MSRs). */
#define STATUS_VMX_SUPPORTED (1u << 0)     /* CPUID.1:ECX.VMX */
#define STATUS_VMX_EPT (1u << 1)           /* secondary control "enable EPT" allowed-1 */
#define STATUS_VMX_VPID (1u << 2)          /* secondary control "enable VPID" allowed-1 */
#define STATUS_VMX_UNRESTRICTED (1u << 3)  /* secondary control "unrestricted guest" allowed-1 */
#define STATUS_VMX_TRUE_CONTROLS (1u << 4) /* IA32_VMX_BASIC bit 55: IA32_VMX_TRUE_* MSRs exist */

/* cpu record flags */
#define STATUS_CPU_BOOT (1u << 0)        /* the boot CPU */
#define STATUS_CPU_VMX_ROOT (1u << 1)    /* in VMX root operation now */
#define STATUS_CPU_VMX_CAPABLE (1u << 2) /* CPUID.1:ECX.VMX set */

/* header.boot_phase: how far the boot got. Append only. */
enum status_boot_phase {
    STATUS_PHASE_EARLY = 0,    /* page set up, CPUs not yet started */
    STATUS_PHASE_SMP = 1,      /* starting the APs */
    STATUS_PHASE_VMX = 2,      /* entering VMX root, building the VMCS pool */
    STATUS_PHASE_READY = 3,    /* the ready line has been printed */
    STATUS_PHASE_SHUTDOWN = 4, /* leaving VMX, halting */
    STATUS_PHASE_PANIC = 5,    /* a CPU panicked */
};

struct status_header {
    uint64_t magic;                /* STATUS_MAGIC */
    uint16_t version_major;        /* a reader refuses a major it does not know */
    uint16_t version_minor;        /* a minor only appends fields */
    uint16_t header_size_bytes;    /* records start here */
    uint16_t record_size_bytes;    /* stride of the CPU records */
    uint32_t record_count;         /* CPU records in use (index 0..count-1) */
    uint32_t page_count;           /* contiguous 4 KiB pages of the whole area */
    uint32_t generation;           /* seqlock: odd while a writer is inside */
    uint32_t checksum;             /* CRC-32 of [0, checksum_bytes), see status_crc32 */
    uint32_t checksum_bytes;       /* bytes the checksum covers */
    uint32_t boot_phase;           /* enum status_boot_phase */
    uint64_t page_phys;            /* physical address of this page */
    uint32_t boot_flags;           /* STATUS_BOOT_* */
    uint32_t cpus_found;           /* CPUs the MADT listed (or 1) */
    uint32_t cpus_online;          /* CPUs running vmxroot */
    uint32_t cpus_vmx_root;        /* CPUs in VMX root operation */
    uint32_t tsc_khz;              /* calibrated TSC frequency */
    uint32_t vmcs_per_cpu;         /* vmcs_per_cpu= */
    uint64_t bringup_time_us;      /* first INIT to last AP online */
    uint64_t entry_to_ready_us;    /* kernel entry to the ready line */
    uint64_t memory_per_cpu_bytes; /* stacks, guards, VMXON region, VMCSs of one CPU */
    uint32_t vmx_revision_id;      /* IA32_VMX_BASIC bits 30:0 (boot CPU) */
    uint32_t vmx_features;         /* STATUS_VMX_* */
    uint64_t vmx_basic_msr;        /* IA32_VMX_BASIC as read */
    uint64_t vmx_ept_vpid_cap_msr; /* IA32_VMX_EPT_VPID_CAP as read (0 if absent) */
    uint32_t vmcs_pool_total;      /* VMCS regions in the pool */
    uint32_t vmcs_pool_free;       /* of which free */
    uint32_t vm_area_offset;       /* per-VM records (0: none in this version) */
    uint16_t vm_record_size_bytes; /* stride of the per-VM records */
    uint16_t vm_record_count;      /* per-VM records in use */
    /* 1.1: the guest blocks in the pages after the page_count pages (core/status_area.h). */
    uint32_t area_page_count;          /* pages of the whole area: page_count + the guest blocks' */
    uint32_t memory_block_offset;      /* struct status_memory_block, from the area's start */
    uint32_t memory_range_capacity;    /* ranges the block can hold */
    uint16_t memory_range_size_bytes;  /* stride of the ranges (16) */
    uint16_t vcpu_record_size_bytes;   /* stride of the vCPU records (320) */
    uint32_t vcpu_area_offset;         /* vCPU record 0, from the area's start */
    uint32_t vcpu_record_count;        /* vCPU records (one per CPU found) */
    uint32_t vcpu_publish_interval_us; /* exit counts are at most this old while a vCPU runs */
    /* 1.2: vmxroot's recent log lines (core/status_log_ring.h), 0 = none. */
    uint32_t log_ring_offset;     /* struct status_log_ring, from the area's start */
    uint32_t log_ring_size_bytes; /* the ring's bytes, its header included */
    uint8_t reserved[340];        /* zero; a minor version appends here */
};

struct status_cpu_record {
    uint16_t index;           /* CPU index (0 = boot CPU) */
    uint8_t state;            /* enum cpu_state */
    uint8_t reason;           /* enum cpu_reason */
    uint32_t apic_id;         /* local APIC id (x2APIC ids too) */
    uint32_t vmx_revision_id; /* this CPU's IA32_VMX_BASIC bits 30:0 */
    uint16_t flags;           /* STATUS_CPU_* */
    uint16_t vmcs_free;       /* VMCS counts by pool state */
    uint16_t vmcs_clear;
    uint16_t vmcs_active_current;
    uint16_t vmcs_active_not_current;
    uint16_t vmcs_launched;
    uint32_t vmclear_count;            /* VMCLEARs issued on this CPU */
    uint32_t vmptrld_count;            /* VMPTRLDs issued */
    uint32_t vmptrld_skipped_count;    /* VMPTRLDs skipped: already current */
    uint16_t vmfail_invalid_count;     /* VMfailInvalid outcomes (saturating) */
    uint16_t vmfail_valid_count;       /* VMfailValid outcomes (saturating) */
    uint8_t vmfail_valid_by_error[16]; /* 4-bit saturating count per error number */
};

struct status_page {
    struct status_header header;
    struct status_cpu_record cpus[STATUS_CPUS_PER_FIRST_PAGE];
} ALIGNED(4096);

/* The ABI, as docs/status-page.md gives it. */
_Static_assert(sizeof(struct status_header) == STATUS_HEADER_BYTES, "status header size");
_Static_assert(sizeof(struct status_cpu_record) == STATUS_CPU_RECORD_BYTES, "status cpu record size");
_Static_assert(sizeof(struct status_page) == PAGE_SIZE_BYTES, "status page is one page");
_Static_assert(STATUS_CPUS_PER_FIRST_PAGE >= 64, "at least 64 CPUs in one page");
_Static_assert(offsetof(struct status_page, cpus) == STATUS_HEADER_BYTES, "records follow the header");
_Static_assert(offsetof(struct status_header, magic) == 0, "magic");
_Static_assert(offsetof(struct status_header, version_major) == 8, "version_major");
_Static_assert(offsetof(struct status_header, version_minor) == 10, "version_minor");
_Static_assert(offsetof(struct status_header, header_size_bytes) == 12, "header_size_bytes");
_Static_assert(offsetof(struct status_header, record_size_bytes) == 14, "record_size_bytes");
_Static_assert(offsetof(struct status_header, record_count) == 16, "record_count");
_Static_assert(offsetof(struct status_header, page_count) == 20, "page_count");
_Static_assert(offsetof(struct status_header, generation) == 24, "generation");
_Static_assert(offsetof(struct status_header, checksum) == 28, "checksum");
_Static_assert(offsetof(struct status_header, checksum_bytes) == 32, "checksum_bytes");
_Static_assert(offsetof(struct status_header, boot_phase) == 36, "boot_phase");
_Static_assert(offsetof(struct status_header, page_phys) == 40, "page_phys");
_Static_assert(offsetof(struct status_header, boot_flags) == 48, "boot_flags");
_Static_assert(offsetof(struct status_header, cpus_found) == 52, "cpus_found");
_Static_assert(offsetof(struct status_header, cpus_online) == 56, "cpus_online");
_Static_assert(offsetof(struct status_header, cpus_vmx_root) == 60, "cpus_vmx_root");
_Static_assert(offsetof(struct status_header, tsc_khz) == 64, "tsc_khz");
_Static_assert(offsetof(struct status_header, vmcs_per_cpu) == 68, "vmcs_per_cpu");
_Static_assert(offsetof(struct status_header, bringup_time_us) == 72, "bringup_time_us");
_Static_assert(offsetof(struct status_header, entry_to_ready_us) == 80, "entry_to_ready_us");
_Static_assert(offsetof(struct status_header, memory_per_cpu_bytes) == 88, "memory_per_cpu_bytes");
_Static_assert(offsetof(struct status_header, vmx_revision_id) == 96, "vmx_revision_id");
_Static_assert(offsetof(struct status_header, vmx_features) == 100, "vmx_features");
_Static_assert(offsetof(struct status_header, vmx_basic_msr) == 104, "vmx_basic_msr");
_Static_assert(offsetof(struct status_header, vmx_ept_vpid_cap_msr) == 112, "vmx_ept_vpid_cap_msr");
_Static_assert(offsetof(struct status_header, vmcs_pool_total) == 120, "vmcs_pool_total");
_Static_assert(offsetof(struct status_header, vmcs_pool_free) == 124, "vmcs_pool_free");
_Static_assert(offsetof(struct status_header, vm_area_offset) == 128, "vm_area_offset");
_Static_assert(offsetof(struct status_header, vm_record_size_bytes) == 132, "vm_record_size_bytes");
_Static_assert(offsetof(struct status_header, vm_record_count) == 134, "vm_record_count");
_Static_assert(offsetof(struct status_header, area_page_count) == 136, "area_page_count");
_Static_assert(offsetof(struct status_header, memory_block_offset) == 140, "memory_block_offset");
_Static_assert(offsetof(struct status_header, memory_range_capacity) == 144, "memory_range_capacity");
_Static_assert(offsetof(struct status_header, memory_range_size_bytes) == 148, "memory_range_size_bytes");
_Static_assert(offsetof(struct status_header, vcpu_record_size_bytes) == 150, "vcpu_record_size_bytes");
_Static_assert(offsetof(struct status_header, vcpu_area_offset) == 152, "vcpu_area_offset");
_Static_assert(offsetof(struct status_header, vcpu_record_count) == 156, "vcpu_record_count");
_Static_assert(offsetof(struct status_header, vcpu_publish_interval_us) == 160, "vcpu_publish_interval_us");
_Static_assert(offsetof(struct status_header, log_ring_offset) == 164, "log_ring_offset");
_Static_assert(offsetof(struct status_header, log_ring_size_bytes) == 168, "log_ring_size_bytes");
_Static_assert(offsetof(struct status_header, reserved) == 172, "reserved");
_Static_assert(offsetof(struct status_cpu_record, index) == 0, "index");
_Static_assert(offsetof(struct status_cpu_record, state) == 2, "state");
_Static_assert(offsetof(struct status_cpu_record, reason) == 3, "reason");
_Static_assert(offsetof(struct status_cpu_record, apic_id) == 4, "apic_id");
_Static_assert(offsetof(struct status_cpu_record, vmx_revision_id) == 8, "cpu vmx_revision_id");
_Static_assert(offsetof(struct status_cpu_record, flags) == 12, "flags");
_Static_assert(offsetof(struct status_cpu_record, vmcs_free) == 14, "vmcs_free");
_Static_assert(offsetof(struct status_cpu_record, vmcs_clear) == 16, "vmcs_clear");
_Static_assert(offsetof(struct status_cpu_record, vmcs_active_current) == 18, "vmcs_active_current");
_Static_assert(offsetof(struct status_cpu_record, vmcs_active_not_current) == 20, "vmcs_active_not_current");
_Static_assert(offsetof(struct status_cpu_record, vmcs_launched) == 22, "vmcs_launched");
_Static_assert(offsetof(struct status_cpu_record, vmclear_count) == 24, "vmclear_count");
_Static_assert(offsetof(struct status_cpu_record, vmptrld_count) == 28, "vmptrld_count");
_Static_assert(offsetof(struct status_cpu_record, vmptrld_skipped_count) == 32, "vmptrld_skipped_count");
_Static_assert(offsetof(struct status_cpu_record, vmfail_invalid_count) == 36, "vmfail_invalid_count");
_Static_assert(offsetof(struct status_cpu_record, vmfail_valid_count) == 38, "vmfail_valid_count");
_Static_assert(offsetof(struct status_cpu_record, vmfail_valid_by_error) == 40, "vmfail_valid_by_error");

/* VMX summary of the boot CPU, for status_set_vmx_summary(). */
struct status_vmx_summary {
    uint32_t revision_id;
    uint32_t features; /* STATUS_VMX_* */
    uint64_t basic_msr;
    uint64_t ept_vpid_cap_msr;
};

/*
 * VMCSs active on one CPU by pool state, for status_set_cpu_vmcs_counts(). A
 * free or clear VMCS is active nowhere and so belongs to no CPU (the pool is
 * shared, not split per CPU): the record's vmcs_free and vmcs_clear are 0 by
 * definition; the pool-wide counts are header.vmcs_pool_free/total.
 */
struct status_vmcs_counts {
    uint32_t active_current;
    uint32_t active_not_current;
    uint32_t launched;
};

/* Full counters of one CPU as the VMCS pool keeps them; stored compactly (saturating). */
struct status_cpu_counters {
    uint64_t vmclear;
    uint64_t vmptrld;
    uint64_t vmptrld_skipped;
    uint64_t vmfail_invalid;
    uint64_t vmfail_valid_by_error[STATUS_VM_ERROR_MAX + 1]; /* [0]: number unreadable or out of range */
};

/*
 * Set-up. page points at page_count contiguous, zero-able, page-aligned
 * pages (writable through this pointer); page_phys is their physical
 * address, published in the ready line. status_init is the one-page case
 * (up to 64 CPUs). Returns E_INVAL for a misaligned page or a page_count
 * of 0 or above STATUS_MAX_PAGES.
 */
MUST_CHECK int status_init_pages(struct status_page *page, uint64_t page_phys, uint32_t page_count);
void status_init(struct status_page *page, uint64_t page_phys);
/* CPU records the area can hold. */
uint32_t status_cpu_capacity(const struct status_page *page);

/*
 * A batch: status_write_begin(), then header fields written directly and any
 * number of status_record_*() calls, then status_write_end(). The whole batch
 * is one write for readers: one generation step (+2), one checksum. That is
 * how to publish many CPUs at once (a checksum per field would cost O(CPUs^2)
 * bytes hashed). The status_set_*() and status_count_*() setters further down
 * are each a write of their own, taking the lock: never call them between
 * begin and end (the lock is not recursive).
 */
void status_write_begin(struct status_page *page);
void status_write_end(struct status_page *page);
/*
 * After a panic (call it from the panic path, before the last updates): the
 * writer lock is waited for a bounded time, then writes go on without it, so
 * a CPU stopped inside a write (or the panicking CPU itself) cannot hang the
 * final update and the dump. The generation stays odd through such a write.
 */
void status_force_writer(void);
#ifdef VMXROOT_HOST
void status_force_writer_reset(void); /* host tests: back to the normal lock */
#endif
/* Record of CPU index, or NULL beyond the capacity. No lock taken. */
struct status_cpu_record *status_cpu_record(struct status_page *page, uint32_t index);

/* Boot-wide setters. Each is one write (generation += 2). A NULL page is ignored. */
void status_set_boot_phase(struct status_page *page, enum status_boot_phase phase);
void status_set_boot_flags(struct status_page *page, uint32_t flags);
void status_set_cpu_totals(struct status_page *page, uint32_t found, uint32_t online, uint32_t vmx_root);
void status_set_tsc_khz(struct status_page *page, uint32_t tsc_khz);
void status_set_bringup_time_us(struct status_page *page, uint64_t bringup_time_us);
void status_set_entry_to_ready_us(struct status_page *page, uint64_t entry_to_ready_us);
void status_set_vmx_summary(struct status_page *page, const struct status_vmx_summary *summary);
void status_set_vmcs_pool(struct status_page *page, uint32_t total, uint32_t free, uint32_t per_cpu);
void status_set_memory_per_cpu(struct status_page *page, uint64_t memory_per_cpu_bytes);

/*
 * Per-CPU record writers for a batch: no lock, no generation step, no
 * checksum; only between status_write_begin() and status_write_end(), the
 * only place where the generation is odd (E_STATE, nothing written, outside).
 * status_record_found() opens the record (state found, reason none) and
 * raises record_count to index + 1; the others need it done. E_RANGE for an
 * index beyond the capacity (nothing written), else 0.
 */
MUST_CHECK int status_record_found(struct status_page *page, uint32_t index, uint32_t apic_id, bool boot_cpu);
MUST_CHECK int status_record_state(struct status_page *page, uint32_t index, enum cpu_state state,
                                   enum cpu_reason reason);
MUST_CHECK int status_record_vmx(struct status_page *page, uint32_t index, uint32_t revision_id,
                                 bool vmx_capable, bool in_vmx_root);
MUST_CHECK int status_record_vmcs_counts(struct status_page *page, uint32_t index,
                                         const struct status_vmcs_counts *counts);
MUST_CHECK int status_record_counters(struct status_page *page, uint32_t index,
                                      const struct status_cpu_counters *counters);

/*
 * Per-CPU setters: each is the matching status_record_*() as a write of its
 * own (lock, generation += 2, checksum). status_cpu_found() opens the record.
 * E_RANGE for an index beyond the capacity (nothing written, no generation
 * step), else 0.
 */
MUST_CHECK int status_cpu_found(struct status_page *page, uint32_t index, uint32_t apic_id, bool boot_cpu);
MUST_CHECK int status_set_cpu_state(struct status_page *page, uint32_t index, enum cpu_state state,
                                    enum cpu_reason reason);
MUST_CHECK int status_set_cpu_vmx(struct status_page *page, uint32_t index, uint32_t revision_id,
                                  bool vmx_capable, bool in_vmx_root);
MUST_CHECK int status_set_cpu_vmcs_counts(struct status_page *page, uint32_t index,
                                          const struct status_vmcs_counts *counts);
MUST_CHECK int status_set_cpu_counters(struct status_page *page, uint32_t index,
                                       const struct status_cpu_counters *counters);
/* One-step counters, for callers that do not keep their own. */
MUST_CHECK int status_count_vmclear(struct status_page *page, uint32_t index);
MUST_CHECK int status_count_vmptrld(struct status_page *page, uint32_t index, bool skipped);
MUST_CHECK int status_count_vmfail_invalid(struct status_page *page, uint32_t index);
MUST_CHECK int status_count_vmfail_valid(struct status_page *page, uint32_t index, uint32_t error_number);

/* The 4-bit count of VMfailValid with error_number (0..28) in a record. */
uint32_t status_vm_error_count(const struct status_cpu_record *record, uint32_t error_number);

/*
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320, initial value and
 * final XOR 0xFFFFFFFF: zlib's crc32) of the first checksum_bytes of the
 * area with the generation and checksum fields read as zero.
 */
uint32_t status_checksum(const struct status_page *page);
uint32_t status_crc32(uint32_t crc, const void *data, size_t size_bytes);

/*
 * Prints the whole area (page_count pages) for the serial log, one line per
 * call of emit (no newline):
 *   status-dump begin phys=0x1f000 size=4096 pages=1
 *   status: 0000: 56 4d 58 52 4f 4f 54 00 01 00 00 00 00 02 38 00
 *   ... (lines whose 16 bytes are all zero are left out)
 *   status-dump end lines=N crc32=0x12345678
 * crc32 is zlib's crc32 of the whole size bytes as dumped. Holds the writer
 * lock while it prints, so the dump is one consistent snapshot.
 */
typedef void (*status_line_fn)(const char *line, void *context);
void status_hexdump(struct status_page *page, status_line_fn emit, void *context);

#endif
