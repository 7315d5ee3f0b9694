/*
 * One virtual CPU: the guest's registers, its VMCS (from the pool), its
 * guest-physical space (EPT), its I/O and MSR bitmaps and what it has done.
 * A vCPU runs only on the CPU that created it (one per CPU in VMX root),
 * so nothing here is shared except the counters other CPUs read once it
 * has stopped (state is written with release order).
 */
#ifndef ARCH_X86_VMX_VCPU_H
#define ARCH_X86_VMX_VCPU_H

#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/guest_cpuid.h"
#include "arch/x86/vmx/vmcs_setup.h"
#include "arch/x86/vmx/vmx_guest_regs.h"
#include "arch/x86/vmx/guest_options.h"
#include "arch/x86/vmx/guest_report.h"

struct vcpu;

/* What an exit handler tells the run loop. */
enum vmexit_action { VMEXIT_RESUME = 0, VMEXIT_STOP = 1 };

/*
 * What differs by guest kind on the exit path (docs/guests.md): the kinds
 * (test_guest.c, linux_ports.c) fill one each, vcpu_create picks it, and
 * the generic handlers call through it, so the vCPU includes no kind.
 */
/* What a kind's MSR hook did with an RDMSR/WRMSR. */
enum vcpu_msr_outcome { VCPU_MSR_NOT_OURS = 0, VCPU_MSR_DONE, VCPU_MSR_GP };

struct vcpu_kind_ops {
    /* An I/O access to port: true when the kind's device took it (*value read or written). */
    bool (*port)(struct vcpu *vcpu, uint16_t port, bool in, unsigned size_bytes, uint32_t *value);
    /* An MSR the kind's policy owns (NULL: none): DONE (*value read or written), GP, or NOT_OURS. */
    enum vcpu_msr_outcome (*msr)(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *value);
    /* Optional (NULL: the generic policy). An EPT violation: the kind's own handling (the hostile guest's). */
    enum vmexit_action (*ept_violation)(struct vcpu *vcpu);
};

/* The dispatch table covers the basic exit reasons the SDM defines (VMX_EXIT_REASON_MAX) and some room. */
#define VMX_EXIT_REASON_LIMIT 96

enum vcpu_state {
    VCPU_NOT_LAUNCHED = 0,
    VCPU_RUNNING,
    VCPU_HALTED,  /* HLT after its report: done */
    VCPU_STOPPED, /* stopped by vmxroot: stop_reason says why */
};

struct vcpu {
    struct vmx_guest_regs regs; /* vmx_entry.asm: first member (vmx_enter's argument) */
    uint32_t cpu_index;
    uint16_t vpid;
    int vmcs;           /* index in the VMCS pool */
    bool launched;      /* the pool holds this VMCS as LAUNCHED: VMRESUME */
    bool recheck_entry; /* guest state rewritten by a handler (INIT, SIPI): check before the next entry */
    volatile uint32_t state; /* enum vcpu_state; written with release order */
    const struct guest_options *options;
    const struct vmx_controls *controls; /* the boot's control words */
    enum vmcs_entry_mode mode;
    enum guest_kind
        kind; /* GUEST_TEST, GUEST_LINUX, GUEST_MULTIBOOT1 or GUEST_ATTACK: the policies of docs/guests.md */
    const struct vcpu_kind_ops *kind_ops; /* the kind's devices */
    void *kind_state;                     /* the kind's own per-vCPU state (the hostile guest's), or NULL */
    bool boot_vcpu;                       /* Linux: the guest's boot CPU (the others wait for its SIPI) */
    /* the exit being handled */
    uint32_t exit_reason; /* basic reason, bits 15:0 */
    uint64_t exit_qualification;
    /* memory */
    uint64_t ram_gpa; /* where ram_phys is in the guest-physical space */
    uint64_t ram_phys;
    uint64_t ram_bytes;
    uint64_t io_bitmap_phys;  /* two pages: A (ports 0-0x7fff), B */
    uint64_t msr_bitmap_phys; /* one page */
    struct ept_space ept;
    struct guest_cpuid_context cpuid_context;
    /* device state of the test guest */
    uint32_t scratch_port_value;
    bool reported;
    bool passed;
    uint64_t xcr0;
    /* counts and times */
    struct status_vcpu_exits exits; /* counted by vcpu_run on every exit, read by core when it publishes */
    uint64_t exit_rip;              /* guest RIP at this exit */
    uint64_t setup_tsc;             /* when VMCS setup began */
    uint64_t first_exit_ticks;      /* setup to the first VM exit */
    uint64_t setup_ticks;           /* setup to the first VMLAUNCH (memory, EPT, image, check, VMWRITEs) */
    uint32_t cpuid_exit_ticks;      /* as the guest measured it */
    /* how an entry failed or was refused, for the inject= cases and the status page */
    bool refused_by_check;
    uint32_t check_verdict_error, check_verdict_exit; /* what the check says the CPU would give */
    uint32_t entry_vm_instruction_error;              /* VMfailValid of VMLAUNCH/VMRESUME */
    uint32_t entry_failure_exit;                      /* 33, 34, 41 */
    enum status_vcpu_reason stop_status_reason;
    char check_name[160];
    char stop_reason[256];
    char result_detail[192];
    struct vmcs_image image; /* the VMCS as built, for the software entry check */
};

/* EPT tables from mm/frames through the identity map, each recorded on the status page. */
extern const struct ept_allocator vcpu_ept_allocator;

/* vcpu_create (vcpu_create.h) builds one. */
/* Enters the guest and handles exits until the vCPU stops; its state then says how. */
void vcpu_run(struct vcpu *vcpu);

/* For handlers. */
/* Stops the vCPU: why as text, reason for the status page (its vCPU record is published at once). */
void vcpu_stop(struct vcpu *vcpu, enum status_vcpu_reason reason, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Injects a hardware exception at the next entry (RIP stays: a fault). */
void vcpu_inject_exception(struct vcpu *vcpu, uint32_t vector, bool has_error_code, uint32_t error_code);
/* A failed VMREAD/VMWRITE on the exit path stops the vCPU naming field, value and outcome (cold). */
COLD void vcpu_field_access_failed(struct vcpu *vcpu, const char *insn, uint32_t encoding, uint64_t value);

/*
 * VMREAD/VMWRITE of the current VMCS for the exit handlers: inline, CF and
 * ZF checked in the same asm statement (see vmx_insn.h), the failure cold.
 * The CPUID round trip is mostly these.
 */
static inline __attribute__((always_inline)) uint64_t vcpu_read_field(struct vcpu *vcpu, uint32_t encoding)
{
    uint64_t value = 0;
    /* JBE: CF (VMfailInvalid) or ZF (VMfailValid), told apart by the cold path. */
    __asm__ goto("vmread %[field], %[value]\n\tjbe %l[failed]"
                 : [value] "=r"(value)
                 : [field] "r"((uint64_t)encoding)
                 : "cc"
                 : failed);
    return value;
failed:
    vcpu_field_access_failed(vcpu, "VMREAD", encoding, 0);
    return 0;
}

static inline __attribute__((always_inline)) void vcpu_write_field(struct vcpu *vcpu, uint32_t encoding,
                                                                   uint64_t value)
{
    __asm__ goto("vmwrite %[value], %[field]\n\tjbe %l[failed]"
                 :
                 : [field] "r"((uint64_t)encoding), [value] "r"(value)
                 : "cc", "memory"
                 : failed);
    return;
failed:
    vcpu_field_access_failed(vcpu, "VMWRITE", encoding, value);
}

/* Past the exiting instruction; blocking by STI (bit 0) and MOV SS (bit 1) ends with it (SDM: "Interruptibility State"). */
static inline __attribute__((always_inline)) void vcpu_skip_instruction(struct vcpu *vcpu)
{
    uint64_t length = vcpu_read_field(vcpu, VMCS_VM_EXIT_INSTRUCTION_LENGTH);
    vcpu_write_field(vcpu, VMCS_GUEST_RIP, vcpu->exit_rip + length);
    uint64_t blocking = vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE);
    if (blocking & 3)
        vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, blocking & ~3ull);
}
/* Its own RAM at ram_gpa and its I/O and MSR bitmap pages (on the status page): 0 or E_NOMEM with why. */
int vcpu_memory_alloc(struct vcpu *vcpu, uint64_t ram_gpa, uint64_t ram_bytes, char *why, size_t why_bytes);
/* The guest's RAM as vmxroot reaches it: NULL unless [gpa, gpa+size) is inside it. */
void *vcpu_guest_ram(struct vcpu *vcpu, uint64_t gpa, uint64_t size_bytes);
/* A general register by the number exit qualifications use (0 RAX .. 15 R15; 4 is RSP, from the VMCS). */
uint64_t vcpu_gpr(struct vcpu *vcpu, unsigned number);
void vcpu_set_gpr(struct vcpu *vcpu, unsigned number, uint64_t value);

#endif
