/*
 * What the guest layer reports and to whom: its vCPU records and the
 * memory it takes go on the status page (docs/status-page.md), and a guest
 * that takes the screen gets it from the console. The guest layer declares
 * the calls it needs here; core/main.c registers core's implementation
 * (core/status_vcpu.c, core/status.c, core/console.c) before any guest, so
 * nothing under arch/ calls into core/. Until then every call does nothing
 * (the area is absent: address and size 0), as without a status page.
 */
#ifndef ARCH_X86_VMX_GUEST_REPORT_H
#define ARCH_X86_VMX_GUEST_REPORT_H

#include "core/lib/status_vcpu.h" /* the page's vCPU and memory enums, struct status_entry_failure */

struct guest_report_ops {
    /* A vCPU's state change, published at once (why: a short text or NULL). */
    void (*vcpu_state)(uint32_t cpu, enum status_vcpu_state state, enum status_vcpu_reason reason,
                       const char *why);
    /*
     * The exit counts the vCPU's exit path keeps (core/lib/status_vcpu_exits.h), once per vCPU
     * before it runs: core reads them whenever it publishes, so an exit costs no call here.
     */
    void (*vcpu_attach_exits)(uint32_t cpu, struct status_vcpu_exits *exits);
    /* An exit found a publish due (status_vcpu_exits_count): at most once per interval, on cpu. */
    void (*vcpu_exits_due)(uint32_t cpu, uint64_t now_tsc);
    /* A failed or refused VM entry, published at once. */
    void (*vcpu_entry_failure)(uint32_t cpu, const struct status_entry_failure *failure);
    /* What the vCPU counted since its last publish (before a report line, after it stopped). */
    void (*vcpu_flush)(uint32_t cpu);
    /* Memory of vmxroot's that one CPU's guest took (EPT tables, bitmaps, the vCPU): 0 or E_*. */
    int (*memory_range_add_cpu)(enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                                uint64_t size_bytes);
    /* The status area a guest may read: its address (0: none) and size in bytes. */
    uint64_t (*area_phys)(void);
    uint64_t (*area_size_bytes)(void);
    /* A guest takes the screen (owner names it): the console stops drawing on it. */
    void (*screen_handover)(const char *owner);
};

/* The calls in force: the registered set, or the one that does nothing. */
extern const struct guest_report_ops *guest_report;

/* Once, on the boot CPU before the first guest or selftest: every member set (panics otherwise). */
void guest_report_register(const struct guest_report_ops *ops);

#endif
