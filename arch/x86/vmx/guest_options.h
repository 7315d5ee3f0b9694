/*
 * What the guest layer takes from the command line (core/main.c fills it
 * from struct boot_options, so nothing here includes core/): whether to
 * launch, the software entry check, the status dump, and the inject= cases
 * that reach a guest (README.md lists them by their inject= names).
 */
#ifndef ARCH_X86_VMX_GUEST_OPTIONS_H
#define ARCH_X86_VMX_GUEST_OPTIONS_H

#include "core/lib/compiler.h"

enum guest_inject {
    GUEST_INJECT_NONE = 0,
    GUEST_INJECT_TRIPLE_FAULT,         /* guest-triple-fault */
    GUEST_INJECT_SPIN,                 /* guest-spin */
    GUEST_INJECT_VMENTRY_CONTROL_PIN,  /* vmentry-control-pin */
    GUEST_INJECT_VMENTRY_CONTROL_CR3,  /* vmentry-control-cr3-targets */
    GUEST_INJECT_VMENTRY_HOST_CR4,     /* vmentry-host-cr4 */
    GUEST_INJECT_VMENTRY_HOST_RIP,     /* vmentry-host-rip */
    GUEST_INJECT_VMENTRY_GUEST_CR0,    /* vmentry-guest-cr0 */
    GUEST_INJECT_VMENTRY_GUEST_RFLAGS, /* vmentry-guest-rflags */
    GUEST_INJECT_VMENTRY_GUEST_LINK,   /* vmentry-guest-link-pointer */
    GUEST_INJECT_VMENTRY_GUEST_RIP,    /* vmentry-guest-rip */
};

struct guest_options {
    bool launch;              /* guest=test (guest=none: false) */
    bool vmentry_check;       /* vmentry_check=on */
    bool status_dump;         /* status=dump: the page again once the guests stopped */
    enum guest_inject inject; /* on the guest of inject_cpu */
    const char *inject_name;  /* its inject= name, for the inject lines */
    uint32_t inject_cpu;
};

#endif
