/*
 * Names for VMX instruction outcomes and VM-instruction error numbers (SDM:
 * "VM Instruction Error Numbers"), so every failure prints by name.
 */
#ifndef ARCH_X86_VMX_VMX_ERROR_H
#define ARCH_X86_VMX_VMX_ERROR_H

#include "arch/x86/vmx/vmx_outcome.h"

/* The highest VM-instruction error number the SDM defines; 14, 21 and 27 are reserved. */
#define VMX_ERROR_MAX 28

/* Named VM-instruction error numbers the pool and the guard refer to. */
#define VMX_ERROR_VMCLEAR_INVALID_ADDRESS 2
#define VMX_ERROR_VMCLEAR_VMXON_POINTER 3
#define VMX_ERROR_VMLAUNCH_NON_CLEAR_VMCS 4
#define VMX_ERROR_VMRESUME_NON_LAUNCHED_VMCS 5
#define VMX_ERROR_VMPTRLD_INVALID_ADDRESS 9
#define VMX_ERROR_VMPTRLD_VMXON_POINTER 10
#define VMX_ERROR_VMPTRLD_BAD_REVISION 11
#define VMX_ERROR_UNSUPPORTED_COMPONENT 12
#define VMX_ERROR_VMWRITE_READ_ONLY 13
#define VMX_ERROR_VMXON_IN_ROOT 15

/* The SDM's description of error number; "reserved" for 14, 21, 27; "unknown" past 28 and for 0. */
const char *vmx_error_name(uint32_t number);
/* "VMsucceed", "VMfailInvalid", "VMfailValid"; "VM?" for a value outside the enum. */
const char *vmx_result_name(enum vmx_result result);

#endif
