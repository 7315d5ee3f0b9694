/*
 * VM-exit reasons (SDM appendix "VMX Basic Exit Reasons", and "Basic VM-Exit
 * Information" for the exit-reason field): one list of (name, number, the
 * SDM's description), from which the enum and the name table are made, and
 * a decoder of the whole 32-bit exit-reason field. The list goes up to 79
 * (WRMSRLIST), the highest number the SDM edition used here defines; 35, 38,
 * 42 and 71 are not used there.
 */
#ifndef ARCH_X86_VMX_VMX_EXIT_REASON_H
#define ARCH_X86_VMX_VMX_EXIT_REASON_H

#include "core/lib/compiler.h"

#define VMX_EXIT_REASONS(X)                                                                                  \
    X(EXCEPTION_OR_NMI, 0, "Exception or non-maskable interrupt (NMI)")                                      \
    X(EXTERNAL_INTERRUPT, 1, "External interrupt")                                                           \
    X(TRIPLE_FAULT, 2, "Triple fault")                                                                       \
    X(INIT_SIGNAL, 3, "INIT signal")                                                                         \
    X(SIPI, 4, "Start-up IPI (SIPI)")                                                                        \
    X(IO_SMI, 5, "I/O system-management interrupt (SMI)")                                                    \
    X(OTHER_SMI, 6, "Other SMI")                                                                             \
    X(INTERRUPT_WINDOW, 7, "Interrupt window")                                                               \
    X(NMI_WINDOW, 8, "NMI window")                                                                           \
    X(TASK_SWITCH, 9, "Task switch")                                                                         \
    X(CPUID, 10, "CPUID")                                                                                    \
    X(GETSEC, 11, "GETSEC")                                                                                  \
    X(HLT, 12, "HLT")                                                                                        \
    X(INVD, 13, "INVD")                                                                                      \
    X(INVLPG, 14, "INVLPG")                                                                                  \
    X(RDPMC, 15, "RDPMC")                                                                                    \
    X(RDTSC, 16, "RDTSC")                                                                                    \
    X(RSM, 17, "RSM")                                                                                        \
    X(VMCALL, 18, "VMCALL")                                                                                  \
    X(VMCLEAR, 19, "VMCLEAR")                                                                                \
    X(VMLAUNCH, 20, "VMLAUNCH")                                                                              \
    X(VMPTRLD, 21, "VMPTRLD")                                                                                \
    X(VMPTRST, 22, "VMPTRST")                                                                                \
    X(VMREAD, 23, "VMREAD")                                                                                  \
    X(VMRESUME, 24, "VMRESUME")                                                                              \
    X(VMWRITE, 25, "VMWRITE")                                                                                \
    X(VMXOFF, 26, "VMXOFF")                                                                                  \
    X(VMXON, 27, "VMXON")                                                                                    \
    X(CR_ACCESS, 28, "Control-register accesses")                                                            \
    X(MOV_DR, 29, "MOV DR")                                                                                  \
    X(IO_INSTRUCTION, 30, "I/O instruction")                                                                 \
    X(RDMSR, 31, "RDMSR")                                                                                    \
    X(WRMSR, 32, "WRMSR")                                                                                    \
    X(INVALID_GUEST_STATE, 33, "VM-entry failure due to invalid guest state")                                \
    X(MSR_LOADING, 34, "VM-entry failure due to MSR loading")                                                \
    X(MWAIT, 36, "MWAIT")                                                                                    \
    X(MONITOR_TRAP_FLAG, 37, "Monitor trap flag")                                                            \
    X(MONITOR, 39, "MONITOR")                                                                                \
    X(PAUSE, 40, "PAUSE")                                                                                    \
    X(MACHINE_CHECK, 41, "VM-entry failure due to machine-check event")                                      \
    X(TPR_BELOW_THRESHOLD, 43, "TPR below threshold")                                                        \
    X(APIC_ACCESS, 44, "APIC access")                                                                        \
    X(VIRTUALIZED_EOI, 45, "Virtualized EOI")                                                                \
    X(GDTR_IDTR_ACCESS, 46, "Access to GDTR or IDTR")                                                        \
    X(LDTR_TR_ACCESS, 47, "Access to LDTR or TR")                                                            \
    X(EPT_VIOLATION, 48, "EPT violation")                                                                    \
    X(EPT_MISCONFIGURATION, 49, "EPT misconfiguration")                                                      \
    X(INVEPT, 50, "INVEPT")                                                                                  \
    X(RDTSCP, 51, "RDTSCP")                                                                                  \
    X(PREEMPTION_TIMER, 52, "VMX-preemption timer expired")                                                  \
    X(INVVPID, 53, "INVVPID")                                                                                \
    X(WBINVD, 54, "WBINVD or WBNOINVD")                                                                      \
    X(XSETBV, 55, "XSETBV")                                                                                  \
    X(APIC_WRITE, 56, "APIC write")                                                                          \
    X(RDRAND, 57, "RDRAND")                                                                                  \
    X(INVPCID, 58, "INVPCID")                                                                                \
    X(VMFUNC, 59, "VMFUNC")                                                                                  \
    X(ENCLS, 60, "ENCLS")                                                                                    \
    X(RDSEED, 61, "RDSEED")                                                                                  \
    X(PML_FULL, 62, "Page-modification log full")                                                            \
    X(XSAVES, 63, "XSAVES")                                                                                  \
    X(XRSTORS, 64, "XRSTORS")                                                                                \
    X(PCONFIG, 65, "PCONFIG")                                                                                \
    X(SPP_EVENT, 66, "SPP-related event")                                                                    \
    X(UMWAIT, 67, "UMWAIT")                                                                                  \
    X(TPAUSE, 68, "TPAUSE")                                                                                  \
    X(LOADIWKEY, 69, "LOADIWKEY")                                                                            \
    X(ENCLV, 70, "ENCLV")                                                                                    \
    X(ENQCMD_PASID_FAILURE, 72, "ENQCMD PASID translation failure")                                          \
    X(ENQCMDS_PASID_FAILURE, 73, "ENQCMDS PASID translation failure")                                        \
    X(BUS_LOCK, 74, "Bus lock")                                                                              \
    X(INSTRUCTION_TIMEOUT, 75, "Instruction timeout")                                                        \
    X(SEAMCALL, 76, "SEAMCALL")                                                                              \
    X(TDCALL, 77, "TDCALL")                                                                                  \
    X(RDMSRLIST, 78, "RDMSRLIST")                                                                            \
    X(WRMSRLIST, 79, "WRMSRLIST")

#define VMX_EXIT_REASON_ENUM(name, number, text) VMX_EXIT_##name = number,
enum vmx_exit_reason { VMX_EXIT_REASONS(VMX_EXIT_REASON_ENUM) };
#undef VMX_EXIT_REASON_ENUM

/* The highest basic exit reason in the list. */
#define VMX_EXIT_REASON_MAX 79u

/* The exit-reason field (SDM: "Format of Exit Reason"). */
#define VMX_EXIT_REASON_BASIC_MASK 0xffffu
#define VMX_EXIT_REASON_BUS_LOCK_ASSERTED (1u << 26)
#define VMX_EXIT_REASON_ENCLAVE_MODE (1u << 27)
#define VMX_EXIT_REASON_PENDING_MTF (1u << 28)
#define VMX_EXIT_REASON_FROM_VMX_ROOT (1u << 29)
#define VMX_EXIT_REASON_ENTRY_FAILURE (1u << 31)

struct vmx_exit_reason_info {
    uint16_t basic;         /* bits 15:0 */
    bool bus_lock_asserted; /* bit 26: a bus lock was asserted (bus-lock detection) */
    bool enclave_mode;      /* bit 27: the exit was incident to enclave mode */
    bool pending_mtf;       /* bit 28: a monitor-trap-flag VM exit is pending */
    bool from_vmx_root;     /* bit 29: an SMM VM exit from VMX root operation */
    bool entry_failure;     /* bit 31: VM entry failed (33, 34, 41) */
    bool reserved_set;      /* bits 16-25 or 30 set: not an exit-reason value a CPU writes */
};

/* The SDM's description ("EPT violation"); "unknown" for numbers the SDM does not use. */
const char *vmx_exit_reason_name(uint32_t basic_reason);

struct vmx_exit_reason_info vmx_exit_reason_decode(uint32_t exit_reason);

/*
 * One line for a log: "EPT violation (48)", "VM-entry failure due to invalid
 * guest state (33), VM-entry failure", with the other set bits named after
 * it. Returns the length as format() does.
 */
int vmx_exit_reason_format(uint32_t exit_reason, char *buf, size_t size_bytes);

#endif
