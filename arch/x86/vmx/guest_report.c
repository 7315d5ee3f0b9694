/*
 * The guest layer's reporting calls (guest_report.h): the set core/main.c
 * registers, and before that one that does nothing.
 */
#include "arch/x86/vmx/guest_report.h"
#include "core/lib/error.h"
#include "core/lib/panic.h"

static void none_vcpu_state(uint32_t cpu, enum status_vcpu_state state, enum status_vcpu_reason reason,
                            const char *why)
{
    (void)cpu, (void)state, (void)reason, (void)why;
}
/* Nothing attached: the counts' interval stays UINT64_MAX (status_vcpu_exits_init), so never due. */
static void none_vcpu_attach_exits(uint32_t cpu, struct status_vcpu_exits *exits) { (void)cpu, (void)exits; }
static void none_vcpu_exits_due(uint32_t cpu, uint64_t now_tsc) { (void)cpu, (void)now_tsc; }
static void none_vcpu_entry_failure(uint32_t cpu, const struct status_entry_failure *failure)
{
    (void)cpu, (void)failure;
}
static void none_vcpu_flush(uint32_t cpu) { (void)cpu; }
static int none_memory_range_add_cpu(enum status_memory_kind kind, uint32_t cpu, uint64_t phys,
                                     uint64_t size_bytes)
{
    (void)kind, (void)cpu, (void)phys, (void)size_bytes;
    return E_STATE; /* as without a page */
}
static uint64_t none_area(void) { return 0; }
static void none_screen_handover(const char *owner) { (void)owner; }

static const struct guest_report_ops none = {
    .vcpu_state = none_vcpu_state,
    .vcpu_attach_exits = none_vcpu_attach_exits,
    .vcpu_exits_due = none_vcpu_exits_due,
    .vcpu_entry_failure = none_vcpu_entry_failure,
    .vcpu_flush = none_vcpu_flush,
    .memory_range_add_cpu = none_memory_range_add_cpu,
    .area_phys = none_area,
    .area_size_bytes = none_area,
    .screen_handover = none_screen_handover,
};

const struct guest_report_ops *guest_report = &none;

void guest_report_register(const struct guest_report_ops *ops)
{
    if (!ops || !ops->vcpu_state || !ops->vcpu_attach_exits || !ops->vcpu_exits_due ||
        !ops->vcpu_entry_failure || !ops->vcpu_flush || !ops->memory_range_add_cpu || !ops->area_phys ||
        !ops->area_size_bytes || !ops->screen_handover)
        panic("guest_report_register: a reporting call is missing");
    guest_report = ops;
}
