/*
 * The software VM-entry check: the SDM's "Checks on VMX Controls", "Checks on
 * Host-State Area", "Checks on Guest-State Area" and the failures of "Loading
 * MSRs", each one predicate named in the SDM's words (KVM's CC() idea: the
 * failing check is named, not only the class). A pure function of a VMCS image,
 * the capability MSRs, a few CPU facts and the memory the checks read; it runs
 * on the host (tests, fuzzing) exactly as in the kernel.
 *
 * Order is the processor's: controls (VMfailValid 7), host state (VMfailValid
 * 8), guest state (VM exit 33 with bit 31 set), MSR loading (exit 34); within
 * an area, the SDM's order. The first failing check is the verdict.
 *
 * The list of checks is arch/x86/vmx/vmentry_check_list.h; the Bochs 2.7 gaps
 * (checks it does not implement, or implements differently) are
 * vmentry_bochs_gaps[] below; docs/vmentry-checks.md is the coverage table.
 */
#ifndef ARCH_X86_VMX_VMENTRY_CHECK_H
#define ARCH_X86_VMX_VMENTRY_CHECK_H

#include "arch/x86/vmx/vmcs_image.h"
#include "arch/x86/vmx/vmentry_check_list.h"
#include "arch/x86/vmx/vmx_caps.h"

enum vmentry_class {
    VMENTRY_OK = 0,
    VMENTRY_BAD_CONTROL,  /* VMfailValid, VM-instruction error 7 */
    VMENTRY_BAD_HOST,     /* VMfailValid, VM-instruction error 8 */
    VMENTRY_BAD_GUEST,    /* VM exit, basic reason 33 with bit 31 set */
    VMENTRY_BAD_MSR_LOAD, /* VM exit, basic reason 34 with bit 31 set */
    VMENTRY_NOT_CHECKED,  /* a memory read the checks needed failed: no verdict */
};

/* VMENTRY_CHECK_<id>, one per check, in check order (vmentry_check_list.h). */
enum vmentry_check_id {
#define VMENTRY_CHECK_ENUM(area, id, predicate, param, field, name) VMENTRY_CHECK_##id,
    VMENTRY_CHECK_LIST(VMENTRY_CHECK_ENUM)
#undef VMENTRY_CHECK_ENUM
        VMENTRY_CHECK_COUNT,
    VMENTRY_CHECK_NONE = VMENTRY_CHECK_COUNT, /* the verdict of an entry that passes */
};

/* Reads `bytes` bytes of physical memory at phys; 0, or a negative E_* (no such memory). */
typedef int (*vmentry_read_phys_fn)(void *ctx, uint64_t phys, void *buffer, size_t bytes);

/* Would WRMSR(msr, value) succeed in the guest's context? Used for the MSR-load area. */
typedef bool (*vmentry_msr_writable_fn)(void *ctx, uint32_t msr, uint64_t value);

/*
 * Facts about the processor that the checks depend on and that no VMX
 * capability MSR reports (CPUID leaves, the current VMCS). vmentry_cpu_default()
 * gives the values for a 64-bit Intel host outside SMM without RTM, SGX or
 * 5-level paging.
 */
struct vmentry_cpu {
    uint32_t linear_address_width_bits;     /* 48, or 57 with 5-level paging: canonical form */
    uint64_t efer_allowed_bits;             /* IA32_EFER bits that are not reserved */
    uint64_t debugctl_allowed_bits;         /* IA32_DEBUGCTL bits that are not reserved */
    uint64_t perf_global_ctrl_allowed_bits; /* from CPUID leaf 0AH: counters and fixed counters */
    uint64_t current_vmcs_phys;             /* the VMCS being entered (~0: unknown, not compared) */
    bool rtm;                               /* CPUID.(EAX=07H,ECX=0):EBX.RTM[bit 11] */
    bool sgx;                               /* CPUID.(EAX=07H,ECX=0):EBX.SGX[bit 2] */
    bool in_smm;                            /* vmxroot never is */
    bool host_ia32e_mode;                   /* the processor is in IA-32e mode (vmxroot always is) */
};

void vmentry_cpu_default(struct vmentry_cpu *cpu);

struct vmentry_check_input {
    const struct vmcs_image *image;
    const struct vmx_caps *caps;
    uint32_t phys_address_width_bits;     /* CPUID.80000008H:EAX[7:0]; clamped to 32..52 */
    const struct vmentry_cpu *cpu;        /* NULL: vmentry_cpu_default() */
    vmentry_read_phys_fn read_phys;       /* NULL: any check that reads memory gives VMENTRY_NOT_CHECKED */
    vmentry_msr_writable_fn msr_writable; /* NULL: the "WRMSR would fault" check is skipped */
    void *ctx;                            /* passed to both callbacks */
};

struct vmentry_verdict {
    enum vmentry_class class_;
    enum vmentry_check_id check; /* VMENTRY_CHECK_NONE when the entry passes */
    const char *check_name;      /* the SDM's words; "" when the entry passes */
    uint32_t field;              /* the VMCS field the check names (0 when it passes) */
    uint64_t value;              /* that field's value in the image */
    /* What the processor reports: */
    uint32_t vm_instruction_error; /* 7 or 8 for the VMfailValid classes, else 0 */
    uint32_t exit_reason;          /* 0x80000021 or 0x80000022 for the VM-exit classes, else 0 */
    uint64_t exit_qualification;   /* exit 33: 0, 2 (PDPTE), 3 (NMI and STI blocking), 4 (link
                                      pointer); exit 34: the failing entry's number, from 1 */
    uint32_t msr_index;            /* exit 34: the failing entry's MSR index */
};

/*
 * Runs every check in order and fills *out with the first failure, or with
 * VMENTRY_OK. Returns 0, or E_FAULT when a memory read failed (out->class_ is
 * then VMENTRY_NOT_CHECKED and out->check names the check that needed it).
 */
int vmentry_check(const struct vmentry_check_input *in, struct vmentry_verdict *out);

/*
 * Whether one check passes on this input by itself (the checks before it are
 * not run; an MSR-entry check is run on every entry of the list). For the
 * differential test, which needs every check a case breaks, not only the
 * first. 0, E_INVAL for an id out of range, or E_FAULT when a memory read failed.
 */
int vmentry_check_one(const struct vmentry_check_input *in, enum vmentry_check_id id, bool *passes);

/* The class as the processor would report it: "invalid control field (VM-instruction error 7)", ... */
const char *vmentry_class_name(enum vmentry_class class_);

/* The list, for coverage tables and the differential test. */
struct vmentry_check_info {
    enum vmentry_check_id id;
    enum vmentry_class class_; /* the class a failure of this check gives */
    const char *id_name;       /* "guest_rip_canonical" */
    const char *name;          /* the SDM's words */
    uint32_t field;
};
const struct vmentry_check_info *vmentry_check_info(enum vmentry_check_id id); /* NULL if out of range */

/* The check a test-only build (`make VMENTRY_BROKEN_CHECK=<id>`) broke on purpose, else VMENTRY_CHECK_NONE. */
extern const enum vmentry_check_id vmentry_check_broken_id;

/*
 * Where Bochs 2.7 (bochs/cpu/vmx.cc) departs from the SDM, one row per check.
 *   BOCHS_MISSING       Bochs does not perform the check: it enters where the SDM fails.
 *                       A case that only breaks such a check is "stricter".
 *   BOCHS_OTHER_CLASS   Bochs refuses, but in another area than the SDM (other error/exit).
 *   BOCHS_OLDER_RULE    Bochs checks an older SDM wording; it can refuse what the SDM allows.
 *   BOCHS_NEVER_LAUNCH  Bochs accepts and then panics or hangs: never launch such a case.
 */
enum vmentry_bochs_gap_kind {
    BOCHS_MISSING,
    BOCHS_OTHER_CLASS,
    BOCHS_OLDER_RULE,
    BOCHS_NEVER_LAUNCH,
};

struct vmentry_bochs_gap {
    enum vmentry_check_id check; /* VMENTRY_CHECK_NONE: a Bochs check the SDM does not have */
    enum vmentry_bochs_gap_kind kind;
    const char *bochs_source; /* "bochs/cpu/vmx.cc:VMenterLoadCheckGuestState" */
    const char *what;         /* what Bochs does instead */
};

extern const struct vmentry_bochs_gap vmentry_bochs_gaps[];
extern const size_t vmentry_bochs_gap_count;

/* The gap row for a check, or NULL when Bochs implements it as the SDM says. */
const struct vmentry_bochs_gap *vmentry_bochs_gap_of(enum vmentry_check_id check);

#endif
