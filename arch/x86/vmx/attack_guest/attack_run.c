/*
 * The hostile guest's run loop: vcpu_run until the vCPU halts after its
 * last case or stops; a stop inside a case ends that case (the destructive
 * ones are meant to), and the guest is then started again in the same VMCS
 * with the cases it has left: its RAM loaded afresh, its guest state
 * rewritten from the entry state (as a SIPI does, vmexit_events.c) and the
 * software entry check run again before the VMRESUME. A stop outside any
 * case, or more runs than there are cases, ends it: the cases left are
 * reported as not run, never as contained.
 */
#include "arch/x86/vmx/attack_guest/attack_guest.h"
#include "arch/x86/vmx/attack_guest/attack_state.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/cr.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

static struct attack_vcpu *states[MAX_CPUS];

void attack_state_register(struct attack_vcpu *a)
{
    __atomic_store_n(&states[a->vcpu->cpu_index], a, __ATOMIC_RELEASE);
}

struct attack_vcpu *attack_state_of_cpu(uint32_t cpu)
{
    return cpu < MAX_CPUS ? __atomic_load_n(&states[cpu], __ATOMIC_ACQUIRE) : NULL;
}

/* The next run: the same VMCS (launched: VMRESUME), the guest's memory and state as at its first entry. */
static int restart(struct vcpu *vcpu, struct attack_vcpu *a, char *why, size_t why_bytes)
{
    struct vmcs_guest_entry entry;
    attack_guest_load(vcpu);
    attack_guest_entry(vcpu, &entry);
    int err = vmcs_setup_guest(&vcpu->image, vmx_boot_caps(), vcpu->controls, &entry, why, why_bytes);
    if (!err && vmcs_image_load(&vcpu->image) != 0) {
        format(why, why_bytes, "its entry state could not be written (see the VMWRITE error above)");
        err = -1;
    }
    if (err)
        return err;
    memset(&vcpu->regs, 0, sizeof vcpu->regs); /* host_rsp 0: vmx_enter writes its own again */
    write_cr2(0); /* CR2 as at the first entry too: vmx_enter loads it only at VMLAUNCH */
    vcpu->stop_reason[0] = '\0';
    vcpu->reported = false;
    vx2apic_reset(&a->apic);
    a->current = ATTACK_NO_CASE;
    a->runs++;
    return 0;
}

void attack_guest_run(struct vcpu *vcpu)
{
    struct attack_vcpu *a = vcpu->kind_state;
    char why[192];
    a->runs = 1;
    for (;;) {
        vcpu_run(vcpu);
        bool in_case = a->current != ATTACK_NO_CASE;
        if (in_case)
            attack_judge_stopped(a); /* the case ends with this stop */
        if (!a->case_mask)
            break;
        if (!in_case && vcpu->state == VCPU_STOPPED) {
            format(why, sizeof why, "the vCPU stopped outside any case: %s", vcpu->stop_reason);
            attack_judge_not_run(a, why);
            break;
        }
        if (a->runs > ATTACK_CASE_COUNT) {
            attack_judge_not_run(a, "more runs than cases: the guest makes no progress");
            break;
        }
        if (restart(vcpu, a, why, sizeof why) != 0) {
            log_warn("guest-attack: cannot start the guest again: %s", why);
            attack_judge_not_run(a, "the guest could not be started again");
            break;
        }
    }
    /* The vCPU as a whole: done with its cases; it passes when none escaped. */
    format(vcpu->result_detail, sizeof vcpu->result_detail,
           "attack cases=%u contained=%u escaped=%u skipped=%u runs=%u", a->judged, a->contained, a->escaped,
           a->skipped, a->runs);
    vcpu->stop_reason[0] = '\0';
    vcpu->passed = a->escaped == 0 && a->judged > 0;
    __atomic_store_n(&vcpu->state, VCPU_HALTED, __ATOMIC_RELEASE);
    __atomic_store_n(&a->finished, 1, __ATOMIC_RELEASE);
}

void attack_guest_summary(void)
{
    uint32_t judged, contained, skipped;
    attack_judge_totals(&judged, &contained, &skipped);
    log_info("vmxroot: attacks contained=%u/%u skipped=%u", contained, judged, skipped);
}
