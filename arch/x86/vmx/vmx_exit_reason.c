#include "arch/x86/vmx/vmx_exit_reason.h"
static const char *const names[] = {
    [0] = "exception or NMI", [1] = "external interrupt", [2] = "triple fault", [3] = "INIT signal",
    [4] = "SIPI", [10] = "CPUID", [12] = "HLT", [13] = "INVD", [18] = "VMCALL", [26] = "VMXOFF",
    [28] = "control-register accesses", [30] = "I/O instruction", [31] = "RDMSR", [32] = "WRMSR",
    [33] = "VM-entry failure due to invalid guest state", [34] = "VM-entry failure due to MSR loading",
    [41] = "VM-entry failure due to machine-check event", [48] = "EPT violation", [49] = "EPT misconfiguration",
    [52] = "VMX-preemption timer expired", [54] = "WBINVD or WBNOINVD", [55] = "XSETBV",
};
const char *vmx_exit_reason_name(uint32_t r) { return r < sizeof names / sizeof names[0] && names[r] ? names[r] : "unknown"; }
