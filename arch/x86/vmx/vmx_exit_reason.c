/*
 * The basic exit reasons by name (SDM appendix "VMX Basic Exit Reasons")
 * and the exit-reason field's other bits (SDM: "Basic VM-Exit Information").
 * The names are the SDM's own wording, so a log line can be looked up in the
 * manual as printed.
 */
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "core/lib/format.h"

#define VMX_EXIT_REASON_TEXT(name, number, text) [(number)] = (text),
static const char *const exit_reason_names[VMX_EXIT_REASON_MAX + 1] = { VMX_EXIT_REASONS(
    VMX_EXIT_REASON_TEXT) };
#undef VMX_EXIT_REASON_TEXT

const char *vmx_exit_reason_name(uint32_t basic_reason)
{
    if (basic_reason > VMX_EXIT_REASON_MAX || exit_reason_names[basic_reason] == NULL)
        return "unknown";
    return exit_reason_names[basic_reason];
}

struct vmx_exit_reason_info vmx_exit_reason_decode(uint32_t exit_reason)
{
    const uint32_t defined = VMX_EXIT_REASON_BASIC_MASK | VMX_EXIT_REASON_BUS_LOCK_ASSERTED |
                             VMX_EXIT_REASON_ENCLAVE_MODE | VMX_EXIT_REASON_PENDING_MTF |
                             VMX_EXIT_REASON_FROM_VMX_ROOT | VMX_EXIT_REASON_ENTRY_FAILURE;
    return (struct vmx_exit_reason_info){
        .basic = (uint16_t)(exit_reason & VMX_EXIT_REASON_BASIC_MASK),
        .bus_lock_asserted = (exit_reason & VMX_EXIT_REASON_BUS_LOCK_ASSERTED) != 0,
        .enclave_mode = (exit_reason & VMX_EXIT_REASON_ENCLAVE_MODE) != 0,
        .pending_mtf = (exit_reason & VMX_EXIT_REASON_PENDING_MTF) != 0,
        .from_vmx_root = (exit_reason & VMX_EXIT_REASON_FROM_VMX_ROOT) != 0,
        .entry_failure = (exit_reason & VMX_EXIT_REASON_ENTRY_FAILURE) != 0,
        .reserved_set = (exit_reason & ~defined) != 0,
    };
}

int vmx_exit_reason_format(uint32_t exit_reason, char *buf, size_t size_bytes)
{
    struct vmx_exit_reason_info info = vmx_exit_reason_decode(exit_reason);
    return format(
        buf, size_bytes, "%s (%u)%s%s%s%s%s%s", vmx_exit_reason_name(info.basic), info.basic,
        info.entry_failure ? ", VM-entry failure" : "", info.pending_mtf ? ", pending MTF VM exit" : "",
        info.from_vmx_root ? ", from VMX root operation" : "",
        info.enclave_mode ? ", incident to enclave mode" : "",
        info.bus_lock_asserted ? ", bus lock asserted" : "", info.reserved_set ? ", reserved bits set" : "");
}
