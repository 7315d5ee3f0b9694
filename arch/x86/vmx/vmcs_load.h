/*
 * A VMCS image (arch/x86/vmx/vmcs_image.h) to and from the current VMCS:
 * one checked VMWRITE loop over the fields the setup chose, and its reverse
 * with VMREAD. A failing instruction goes to one cold reporter that names
 * the field, the value and the outcome ("VMfailValid error 12 (VMREAD/
 * VMWRITE of an unsupported VMCS component)").
 */
#ifndef ARCH_X86_VMX_VMCS_LOAD_H
#define ARCH_X86_VMX_VMCS_LOAD_H

#include "arch/x86/vmx/vmcs_image.h"

/* Writes every set field; stops at the first failure: 0 or E_VMX (reported). */
int vmcs_image_load(const struct vmcs_image *image);
/* Reads back every field set in image into it; 0 or E_VMX (reported). */
int vmcs_image_store(struct vmcs_image *image);

#endif
