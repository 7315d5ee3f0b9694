#include "arch/x86/smp/cpu_state.h"
#include "core/lib/compiler.h"

static const char *const state_names[] = {
    [CPU_STATE_ABSENT] = "absent",     [CPU_STATE_FOUND] = "found",         [CPU_STATE_STARTING] = "starting",
    [CPU_STATE_ONLINE] = "online",     [CPU_STATE_NO_ANSWER] = "no-answer", [CPU_STATE_STALLED] = "stalled",
    [CPU_STATE_EXCLUDED] = "excluded", [CPU_STATE_HALTED] = "halted",
};

static const char *const reason_names[] = {
    [REASON_NONE] = "none",
    [REASON_NO_SIPI_ANSWER] = "no-sipi-answer",
    [REASON_STALLED] = "stalled",
    [REASON_MAXCPUS] = "maxcpus",
    [REASON_SMP_OFF] = "smp-off",
    [REASON_MADT_DISABLED] = "madt-disabled",
    [REASON_NO_VMX] = "no-vmx",
    [REASON_VMX_LOCKED_OFF] = "vmx-locked-off",
    [REASON_VMXE_ALREADY_SET] = "vmxe-already-set",
    [REASON_FIXED_BITS] = "fixed-bits",
    [REASON_VMX_BASIC] = "vmx-basic",
    [REASON_CAPS_MISMATCH] = "caps-mismatch",
    [REASON_VMXON_FAILED] = "vmxon-failed",
    [REASON_NO_MEMORY] = "no-memory",
    [REASON_PANIC] = "panic",
    [REASON_APIC_ID_TOO_LARGE] = "apic-id-too-large",
};
_Static_assert(ARRAY_SIZE(reason_names) == REASON_COUNT, "every reason has a name");

const char *cpu_state_name(enum cpu_state state) { return NAME_OF(state_names, state); }

const char *cpu_reason_name(enum cpu_reason reason) { return NAME_OF(reason_names, reason); }
