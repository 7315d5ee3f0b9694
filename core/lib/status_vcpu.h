/*
 * Publishing guest state on the status page: the API the guest layer calls
 * (docs/status-page.md, "Version 1.1"). It is declared here, in the bottom
 * library, so arch/ may call it as it calls log_printf(); it is implemented
 * by the status publisher at the top (core/status_vcpu.c, core/status.c),
 * which is the only one that knows the page. Each CPU's counts live in memory
 * vmxroot owns: the events in struct status_vcpu_counts (core/status_vcpu_table.h),
 * the exit counts in the vCPU's own struct status_vcpu_exits, which its exit
 * path fills without a call (core/lib/status_vcpu_exits.h). The CPU's vCPU
 * record on the page is rewritten only when it is due:
 *
 *   - at once on a state change, an entry failure and status_vcpu_flush();
 *   - on an exit, only when STATUS_VCPU_PUBLISH_INTERVAL_US of TSC time has
 *     passed since this record was last written (the exit path compares the
 *     TSC it read at the exit: no call, no lock, no checksum per exit).
 *
 * A record is written by one CPU at a time under a per-vCPU lock, with a
 * seqlock generation and a CRC-32C of its own, so CPUs never wait for each
 * other and a write hashes 320 bytes, not the page. Nothing counted is lost:
 * a later publish carries every earlier count, and the panic path publishes
 * every CPU's counts (forced past a lock a stopped CPU may hold).
 *
 * Who calls: the calls for CPU `cpu` come from that CPU while its vCPU runs;
 * before it is launched or after it stopped, any CPU may call (the boot CPU
 * marking CPUs that launch nothing). Every call is a no-op without a status
 * page or for a cpu beyond the CPUs found, so callers need no checks.
 */
#ifndef CORE_LIB_STATUS_VCPU_H
#define CORE_LIB_STATUS_VCPU_H

#include "core/lib/compiler.h"
#include "core/lib/status_vcpu_exits.h"

#define STATUS_MEMORY_CPU_NONE 0xffffu /* a range that belongs to no one CPU */

/* vCPU state (record.state). Append only. */
enum status_vcpu_state {
    STATUS_VCPU_NOT_LAUNCHED = 0, /* no guest entered on this CPU (yet, or ever: the reason says) */
    STATUS_VCPU_RUNNING = 1,      /* entered; exits are being counted */
    STATUS_VCPU_HALTED = 2,       /* the guest waits (HLT, wait-for-SIPI): it may run again */
    STATUS_VCPU_STOPPED = 3,      /* will not run again: the reason says why */
};

/* Why (record.reason, with a short text in record.reason_text). Append only. */
enum status_vcpu_reason {
    STATUS_VCPU_REASON_NONE = 0,
    STATUS_VCPU_REASON_GUEST_NONE = 1,      /* guest=none: nothing to launch */
    STATUS_VCPU_REASON_NOT_IN_VMX_ROOT = 2, /* this CPU is not in VMX root (its CPU reason says why) */
    STATUS_VCPU_REASON_CONTROLS = 3,        /* a required VM-execution control is not allowed (no EPT, ...) */
    STATUS_VCPU_REASON_NO_MEMORY = 4,       /* no frame for the guest's memory, EPT or VMCS */
    STATUS_VCPU_REASON_ENTRY_CHECK = 5,     /* the software VM-entry check refused the VMCS */
    STATUS_VCPU_REASON_ENTRY_FAILED = 6,    /* VMLAUNCH/VMRESUME failed: see the entry failure */
    STATUS_VCPU_REASON_GUEST_PASSED = 7,    /* the test guest reported PASS and stopped */
    STATUS_VCPU_REASON_GUEST_FAILED = 8,    /* the test guest reported FAIL and stopped */
    STATUS_VCPU_REASON_TRIPLE_FAULT = 9,    /* exit reason 2 */
    STATUS_VCPU_REASON_UNHANDLED_EXIT = 10, /* an exit with no handler: the last exit names it */
    STATUS_VCPU_REASON_WATCHDOG = 11,       /* the VMX-preemption timer fired: the guest never exited */
    STATUS_VCPU_REASON_HLT = 12,            /* halted by HLT */
    STATUS_VCPU_REASON_WAIT_FOR_SIPI = 13,  /* halted by INIT, waiting for a SIPI */
    STATUS_VCPU_REASON_PANIC = 14,          /* vmxroot panicked */
    STATUS_VCPU_REASON_SHUTDOWN = 15,       /* vmxroot shut down */
    STATUS_VCPU_REASON_HANDLER_ERROR = 16,  /* a handler could not do its work (a VMREAD/VMWRITE failed) */
    STATUS_VCPU_REASON_GUEST_ENDED = 17, /* the guest powered off or reset its machine (or triple-faulted) */
    STATUS_VCPU_REASON_COUNT
};

/* What failed (record.entry_failure_kind). Append only. */
enum status_entry_failure_kind {
    STATUS_ENTRY_FAILURE_NONE = 0,
    STATUS_ENTRY_FAILURE_VMFAIL_INVALID = 1,      /* no current VMCS: no error number */
    STATUS_ENTRY_FAILURE_VMFAIL_VALID = 2,        /* number: the VM-instruction error (7, 8, ...) */
    STATUS_ENTRY_FAILURE_INVALID_GUEST_STATE = 3, /* exit reason 33; value: the exit qualification */
    STATUS_ENTRY_FAILURE_MSR_LOADING = 4,         /* exit reason 34; value: the exit qualification */
    STATUS_ENTRY_FAILURE_MACHINE_CHECK = 5,       /* exit reason 41 */
    STATUS_ENTRY_FAILURE_COUNT
};

/* record.entry_failure_flags */
#define STATUS_ENTRY_REFUSED_BY_CHECK (1u << 0) /* the software check refused it: no entry was tried */
#define STATUS_ENTRY_NAMED_BY_CHECK (1u << 1)   /* the name (and field) come from the software check */

/* Kinds of vmxroot's own memory (memory range .kind). Append only. */
enum status_memory_kind {
    STATUS_MEMORY_NONE = 0,
    STATUS_MEMORY_TEXT = 1,        /* kernel code */
    STATUS_MEMORY_RODATA = 2,      /* kernel read-only data */
    STATUS_MEMORY_DATA = 3,        /* kernel data */
    STATUS_MEMORY_PAGE_TABLES = 4, /* vmxroot's own page tables */
    STATUS_MEMORY_VMXON = 5,       /* VMXON regions */
    STATUS_MEMORY_VMCS = 6,        /* VMCS regions */
    STATUS_MEMORY_EPT = 7,         /* EPT paging structures */
    STATUS_MEMORY_STACK = 8,       /* stacks and their guard pages */
    STATUS_MEMORY_STATUS = 9,      /* the status area itself (readable by guests, never writable) */
    STATUS_MEMORY_PER_CPU = 10,    /* per-CPU structures, the status counters */
    STATUS_MEMORY_BITMAPS = 11,    /* MSR and I/O bitmaps */
    STATUS_MEMORY_OTHER = 12,      /* any other frame vmxroot keeps */
    STATUS_MEMORY_BSS = 13,        /* kernel bss */
    STATUS_MEMORY_KIND_COUNT
};

/* memory block .flags */
#define STATUS_MEMORY_INCOMPLETE (1u << 0) /* a range was refused: the table was full */

/*
 * What a failed or refused VM entry was, for status_vcpu_entry_failure().
 * The guest layer fills it from the VM-instruction error or the exit
 * reason, and from the software check's verdict (name, field, value).
 */
struct status_entry_failure {
    enum status_entry_failure_kind kind;
    uint32_t flags;          /* STATUS_ENTRY_REFUSED_BY_CHECK, STATUS_ENTRY_NAMED_BY_CHECK */
    uint32_t number;         /* VM-instruction error, or the basic exit reason (33, 34, 41) */
    uint32_t field_encoding; /* VMCS field the check names, 0 for none */
    uint64_t value;          /* that field's value, or the exit qualification */
    const char *name;        /* the check's name in the SDM's words, or the error's name (NULL: none) */
};

/* At most one exit-driven publish per vCPU per this much TSC time ("a few milliseconds"). */
#define STATUS_VCPU_PUBLISH_INTERVAL_US 4000u

/*
 * A state change: published at once with every count so far. why is a short
 * text (the record keeps its first 31 bytes; NULL: none), e.g.
 * "exit 'RDPMC' unhandled" or "no EPT".
 */
void status_vcpu_state(uint32_t cpu, enum status_vcpu_state state, enum status_vcpu_reason reason,
                       const char *why);

/*
 * The exit counts of cpu's vCPU (core/lib/status_vcpu_exits.h), which its
 * exit path keeps: from now on every write of the record reads them, and
 * the first exit is due at once. They must stay valid as long as the page.
 */
void status_vcpu_attach_exits(uint32_t cpu, struct status_vcpu_exits *exits);

/* An exit found a publish due (status_vcpu_exits_count said so): the record is written, on cpu. */
void status_vcpu_exits_due(uint32_t cpu, uint64_t now_tsc);

/* A failed or refused VM entry: counted and published at once (the name is copied). */
void status_vcpu_entry_failure(uint32_t cpu, const struct status_entry_failure *failure);

/* Publishes what this vCPU counted since its last write (before a report line, before stopping). */
void status_vcpu_flush(uint32_t cpu);

/*
 * vmxroot's own memory, for a guest to know what it must not reach:
 * [phys, phys + size_bytes), rounded out to whole pages. A range that
 * touches or overlaps one of the same kind and CPU is merged into it.
 * Returns 0, E_INVAL (size 0, unknown kind), E_NOMEM (the table is full:
 * the page's memory block is then marked incomplete), or E_STATE (no page).
 */
MUST_CHECK int status_memory_range_add(enum status_memory_kind kind, uint64_t phys, uint64_t size_bytes);
/* The same for a range that belongs to one CPU (its stacks, VMXON region, VMCSs, EPT tables). */
MUST_CHECK int status_memory_range_add_cpu(enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                                           uint64_t size_bytes);

/*
 * Between these two, ranges this CPU adds go into one write of the memory
 * block (one checksum at the end; core/status_area.h says why); another CPU's
 * adds wait for the end. For the boot's own ranges, on the boot CPU.
 */
void status_memory_ranges_begin(void);
void status_memory_ranges_end(void);

/*
 * The status area as a guest may see it: its physical address (0: there is
 * no page) and its size in bytes, the 1.0 pages and the guest blocks (what
 * the EPT maps read-only and the hypervisor CPUID leaf gives). And the
 * status=dump hex of the whole area, for a boot that prints it again.
 */
uint64_t status_area_phys(void);
uint64_t status_area_size_bytes(void);
void status_area_dump(void);

#endif
