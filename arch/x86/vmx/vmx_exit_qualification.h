/*
 * Decoders of the VM-exit information fields into plain structs, and their
 * text for a log line (SDM: "Exit Qualification for VM Exits", "Information
 * for VM Exits Due to Vectored Events", "Information for VM Exits Due to
 * Instruction Execution"). Pure code: the exit handlers pass the values
 * they read from the VMCS, tests pass the SDM's examples.
 *
 * Every *_format returns the length the whole text would have had, as
 * format() does, and always NUL-terminates a buffer of size_bytes > 0.
 */
#ifndef ARCH_X86_VMX_VMX_EXIT_QUALIFICATION_H
#define ARCH_X86_VMX_VMX_EXIT_QUALIFICATION_H

#include "core/lib/compiler.h"

/* "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8".."r15": the SDM's register numbering. */
const char *vmx_gpr_name(unsigned number);

/* Control-register accesses (exit reason 28). */
enum vmx_cr_access_type {
    VMX_CR_MOV_TO = 0,
    VMX_CR_MOV_FROM = 1,
    VMX_CR_CLTS = 2,
    VMX_CR_LMSW = 3,
};
struct vmx_cr_access {
    uint8_t cr;         /* bits 3:0; 0 for CLTS and LMSW */
    uint8_t type;       /* bits 5:4, enum vmx_cr_access_type */
    bool lmsw_memory;   /* bit 6: LMSW's operand is in memory (else a register) */
    uint8_t gpr;        /* bits 11:8, MOV CR only */
    uint16_t lmsw_data; /* bits 31:16, LMSW only */
};
struct vmx_cr_access vmx_cr_access_decode(uint64_t qualification);
/* "mov cr4 <- rax", "mov rbx <- cr3", "clts", "lmsw 0x0001 (register)". */
int vmx_cr_access_format(const struct vmx_cr_access *a, char *buf, size_t size_bytes);

/* MOV DR (exit reason 29). */
struct vmx_mov_dr {
    uint8_t dr;   /* bits 2:0 */
    bool from_dr; /* bit 4: MOV from DR (else to DR) */
    uint8_t gpr;  /* bits 11:8 */
};
struct vmx_mov_dr vmx_mov_dr_decode(uint64_t qualification);
/* "mov dr7 <- rcx", "mov rax <- dr6". */
int vmx_mov_dr_format(const struct vmx_mov_dr *d, char *buf, size_t size_bytes);

/* I/O instruction (exit reason 30). */
struct vmx_io {
    uint8_t size_bytes; /* bits 2:0 + 1: 1, 2 or 4 (0 for the undefined encoding 2) */
    bool in;            /* bit 3: IN (else OUT) */
    bool string;        /* bit 4: INS/OUTS */
    bool rep;           /* bit 5: REP prefixed */
    bool immediate;     /* bit 6: port in an immediate (else DX) */
    uint16_t port;      /* bits 31:16 */
};
struct vmx_io vmx_io_decode(uint64_t qualification);
/* "in 1 byte from port 0x3f8 (dx)", "rep outs 2 bytes to port 0x80 (immediate)". */
int vmx_io_format(const struct vmx_io *io, char *buf, size_t size_bytes);

/* EPT violation (exit reason 48). */
struct vmx_ept_violation {
    bool read, write, fetch; /* bits 0-2: the access that caused it */
    bool readable, writable; /* bits 3-4: what the EPT entries allowed */
    bool executable;         /* bit 5: (supervisor-mode) executable */
    bool user_executable;    /* bit 6: with mode-based execute control */
    bool gla_valid;          /* bit 7: the guest linear-address field is valid */
    bool gla_translation;    /* bit 8 (with bit 7): the final translation, else a paging-structure access */
    bool user_mode;          /* bit 9 (advanced information): user-mode linear address */
    bool linear_writable;    /* bit 10: read/write linear address */
    bool linear_execute_disable;    /* bit 11: execute-disable linear address */
    bool nmi_unblocking;            /* bit 12: NMI unblocking due to IRET */
    bool shadow_stack;              /* bit 13: shadow-stack access */
    bool supervisor_shadow_stack;   /* bit 14: the EPT entry is a supervisor shadow-stack page */
    bool guest_paging_verification; /* bit 15 */
    bool asynchronous;              /* bit 16: not caused by the instruction's own execution */
};
struct vmx_ept_violation vmx_ept_violation_decode(uint64_t qualification);
/*
 * With the guest-physical address (and the linear one when valid, else
 * pass any value): "write at gpa 0x1000 (entry allows r-x), gla 0x...
 * (translation)".
 */
int vmx_ept_violation_format(const struct vmx_ept_violation *v, uint64_t gpa, uint64_t gla, char *buf,
                             size_t size_bytes);

/* Task switch (exit reason 9). */
enum vmx_task_switch_source {
    VMX_TASK_SWITCH_CALL = 0,
    VMX_TASK_SWITCH_IRET = 1,
    VMX_TASK_SWITCH_JMP = 2,
    VMX_TASK_SWITCH_IDT_GATE = 3,
};
struct vmx_task_switch {
    uint16_t tss_selector; /* bits 15:0 */
    uint8_t source;        /* bits 31:30, enum vmx_task_switch_source */
};
struct vmx_task_switch vmx_task_switch_decode(uint64_t qualification);
/* "task switch by jmp to TSS selector 0x0028". */
int vmx_task_switch_format(const struct vmx_task_switch *t, char *buf, size_t size_bytes);

/* Start-up IPI (exit reason 4): the SIPI's vector, bits 7:0; the vCPU starts at vector << 12 in real mode. */
static inline uint8_t vmx_sipi_vector(uint64_t qualification) { return (uint8_t)qualification; }

/* APIC access (exit reason 44). */
enum vmx_apic_access_type {
    VMX_APIC_LINEAR_READ = 0,
    VMX_APIC_LINEAR_WRITE = 1,
    VMX_APIC_LINEAR_FETCH = 2,
    VMX_APIC_LINEAR_EVENT_DELIVERY = 3,
    VMX_APIC_PHYSICAL_EVENT_DELIVERY = 10,
    VMX_APIC_PHYSICAL_FETCH = 15,
};
struct vmx_apic_access {
    uint16_t offset;   /* bits 11:0: the offset in the APIC page (linear accesses) */
    uint8_t type;      /* bits 15:12, enum vmx_apic_access_type */
    bool asynchronous; /* bit 16 */
};
struct vmx_apic_access vmx_apic_access_decode(uint64_t qualification);
/* "linear write at APIC offset 0x300"; "reserved access type 5" for the others. */
int vmx_apic_access_format(const struct vmx_apic_access *a, char *buf, size_t size_bytes);

/*
 * VM-exit interruption information and IDT-vectoring information (the same
 * format; SDM: "Information for VM Exits Due to Vectored Events").
 */
enum vmx_event_type {
    VMX_EVENT_EXTERNAL_INTERRUPT = 0,
    VMX_EVENT_NMI = 2,
    VMX_EVENT_HARDWARE_EXCEPTION = 3,
    VMX_EVENT_SOFTWARE_INTERRUPT = 4,
    VMX_EVENT_PRIVILEGED_SOFTWARE_EXCEPTION = 5,
    VMX_EVENT_SOFTWARE_EXCEPTION = 6,
    VMX_EVENT_OTHER = 7,
};
struct vmx_interruption_info {
    bool valid;            /* bit 31 */
    uint8_t vector;        /* bits 7:0 */
    uint8_t type;          /* bits 10:8, enum vmx_event_type */
    bool error_code_valid; /* bit 11 */
    bool nmi_unblocking;   /* bit 12: NMI unblocking due to IRET */
};
struct vmx_interruption_info vmx_interruption_info_decode(uint32_t info);
/* "hardware exception", "NMI", ...; "reserved" for 1. */
const char *vmx_event_type_name(uint8_t type);
/* "#GP", "#PF", ... for vectors 0-21; NULL for others. */
const char *vmx_exception_mnemonic(uint8_t vector);
/* "hardware exception #GP (13), error code 0x0000" ("none" when not valid; error_code used when valid). */
int vmx_interruption_info_format(const struct vmx_interruption_info *i, uint32_t error_code, char *buf,
                                 size_t size_bytes);

/*
 * The VM-exit instruction-information field for the VMX instructions
 * (VMCLEAR, VMPTRLD, VMPTRST, VMXON, VMREAD, VMWRITE), INVEPT, INVVPID,
 * INVPCID, XSAVES/XRSTORS (SDM: "Information for VM Exits Due to Instruction
 * Execution"). The exit qualification holds the displacement of a memory
 * operand.
 */
enum vmx_instruction_kind {
    VMX_INSTRUCTION_INVALIDATE,     /* INVEPT, INVVPID, INVPCID: reg2 is the type register */
    VMX_INSTRUCTION_VMCS_POINTER,   /* VMCLEAR, VMPTRLD, VMPTRST, VMXON, XSAVES, XRSTORS */
    VMX_INSTRUCTION_VMREAD_VMWRITE, /* reg1 is the value register, reg2 the field register */
};
struct vmx_instruction_info {
    uint8_t scale;             /* bits 1:0 as a factor: 1, 2, 4, 8 */
    uint8_t reg1;              /* bits 6:3: VMREAD/VMWRITE's register operand */
    uint8_t address_size_bits; /* bits 9:7: 16, 32, 64; 0 for an undefined encoding */
    bool register_operand;     /* bit 10: VMREAD/VMWRITE operand in reg1 (else in memory) */
    uint8_t segment;           /* bits 17:15: 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS */
    uint8_t index_reg;         /* bits 21:18 */
    bool index_valid;          /* bit 22 clear */
    uint8_t base_reg;          /* bits 26:23 */
    bool base_valid;           /* bit 27 clear */
    uint8_t reg2;              /* bits 31:28 */
};
struct vmx_instruction_info vmx_instruction_info_decode(uint32_t info);
/* "es", "cs", "ss", "ds", "fs", "gs"; "?" past 5. */
const char *vmx_segment_name(unsigned number);
/*
 * "type in rcx, operand ds:[rax+rbx*8+0x10] (64-bit addresses)" for
 * INVALIDATE, "operand ..." for VMCS_POINTER, "field in rdx, value in rax"
 * or "field in rdx, value at ds:[...]" for VMREAD_VMWRITE.
 */
int vmx_instruction_info_format(enum vmx_instruction_kind kind, const struct vmx_instruction_info *i,
                                uint64_t displacement, char *buf, size_t size_bytes);

/*
 * The exit qualification of any basic exit reason as text: the decoders
 * above for 4, 9, 28, 29, 30, 44 (48 without the addresses: use
 * vmx_ept_violation_format for those), "0x..." for the others.
 */
int vmx_exit_qualification_format(uint32_t basic_reason, uint64_t qualification, char *buf,
                                  size_t size_bytes);

#endif
