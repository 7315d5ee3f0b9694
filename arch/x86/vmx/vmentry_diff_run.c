/*
 * selftest=vmentry: the software VM-entry check against this processor's (or
 * Bochs's) own VM entry. On the boot CPU in VMX root, from a valid 64-bit
 * guest VMCS whose VMX-preemption timer is 0 (the guest exits before its
 * first instruction), vmentry_cases times: mutate (vmentry_diff_mutate), ask
 * our check, VMLAUNCH a fresh VMCS written from the mutated image when that
 * is safe (vmentry_diff_launchable), compare (vmentry_diff_compare). Each
 * case starts from a VMCS the pool hands out again (VMCLEAR by release,
 * VMPTRLD by load) and written field by field from the image, never from a
 * copy of the region, whose layout is the processor's. The TSC before each
 * VMLAUNCH is in every disagreement line, to pair it with Bochs's log.
 * Ends with one line:
 *   cpu0: vmentry-diff: cases=N agree=A disagree=D stricter=T unsafe=U seed=S model=M
 */
#include "arch/x86/vmx/vmentry_diff_run.h"
#include "arch/x86/vmx/vcpu_create.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmentry_diff.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "mm/frames.h"

struct diff_counts {
    uint32_t cases, agree, disagree, stricter, unsafe, never_launched, unchecked, not_written;
    uint32_t by_check[VMENTRY_CHECK_COUNT + 1]; /* compared cases by our verdict's check (NONE: accepted) */
};

/* The checks read identity-mapped RAM only; anything else gives no verdict (the case is not compared). */
static int read_phys(void *ctx, uint64_t phys, void *buffer, size_t bytes)
{
    uint64_t end = frames_ram_end_phys();
    if (phys < PAGE_SIZE_BYTES || phys >= end || bytes > end - phys)
        return E_FAULT;
    memcpy(buffer, (const void *)(uintptr_t)phys, bytes);
    return 0;
}

/* A fresh VMCS from the pool, current on this CPU, written from image: 0 or E_*. */
static int fresh_vmcs(int *vmcs, const struct vmcs_image *image)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    int err = vmcs_pool_release(pool, *vmcs);
    if (!err)
        err = vmcs_pool_acquire(pool, vmcs);
    if (!err)
        err = vmcs_pool_load(pool, *vmcs);
    if (!err)
        err = vmcs_image_load(image);
    return err;
}

static void print_case(const char *what, uint32_t number, uint64_t seed, const struct vmentry_diff_case *c,
                       const struct vmentry_verdict *ours, const struct vmentry_diff_outcome *theirs,
                       uint64_t tsc)
{
    log_warn("vmentry-diff: %s seed=%lu case=%u tsc=%lu ours=%s%s%s bochs=%s error=%u exit=0x%x", what, seed,
             number, tsc, vmentry_class_name(ours->class_), ours->check_name[0] ? ": " : "", ours->check_name,
             vmentry_class_name(theirs->class_), theirs->vm_instruction_error, theirs->exit_reason);
    for (unsigned i = 0; i < c->count; i++) {
        const char *name = vmcs_field_name(c->mutations[i].field);
        log_warn("vmentry-diff:   case=%u %s 0x%lx -> 0x%lx", number, name ? name : "?",
                 c->mutations[i].old_value, c->mutations[i].new_value);
    }
}

/* One case: mutate, check, launch when safe, compare; the counts say what became of it. */
static void run_case(struct vcpu *vcpu, const struct vmcs_image *valid,
                     const struct vmx_guest_regs *valid_regs, struct vmentry_diff_rng *rng, uint64_t seed,
                     struct diff_counts *n)
{
    static struct vmcs_image image;
    const struct vmx_caps *caps = vmx_boot_caps();
    uint32_t width = cpu_phys_addr_bits();
    struct vmentry_diff_case c;
    uint32_t number = n->cases++;
    image = *valid;
    vmentry_diff_mutate(rng, &image, caps, width, &c);
    struct vmentry_cpu cpu;
    vmentry_cpu_default(&cpu);
    cpu.current_vmcs_phys = vmcs_pool_phys(vmcs_service_pool(), vcpu->vmcs);
    struct vmentry_check_input in = { &image, caps, width, &cpu, read_phys, NULL, NULL };
    struct vmentry_verdict ours;
    if (vmentry_check(&in, &ours) != 0) {
        n->unchecked++;
        return;
    }
    switch (vmentry_diff_launchable(&c, &image, caps, &ours)) {
    case DIFF_UNSAFE:
        n->unsafe++;
        return;
    case DIFF_NEVER_LAUNCH:
        n->never_launched++;
        return;
    default:
        break;
    }
    if (fresh_vmcs(&vcpu->vmcs, &image) != 0) {
        n->not_written++; /* a VMWRITE of a mutated value failed (reported above); the VMCS is rewritten below */
        (void)fresh_vmcs(&vcpu->vmcs, valid);
        return;
    }
    vcpu->regs = *valid_regs;
    uint64_t tsc = rdtsc();
    enum vmx_enter_result result = vmx_enter(&vcpu->regs, false);
    uint64_t error = 0, reason = 0, qualification = 0;
    if (result == VMX_ENTER_FAIL_VALID)
        (void)vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &error);
    if (result == VMX_ENTER_EXITED) {
        (void)vmx_vmread(VMCS_EXIT_REASON, &reason);
        (void)vmx_vmread(VMCS_EXIT_QUALIFICATION, &qualification);
        if (!(reason & VMX_EXIT_REASON_ENTRY_FAILURE))
            (void)vmcs_pool_mark_launched(vmcs_service_pool(), vcpu->vmcs);
    }
    struct vmentry_diff_outcome theirs;
    vmentry_diff_outcome_of(&theirs, result != VMX_ENTER_EXITED, (uint32_t)error, (uint32_t)reason,
                            qualification);
    const struct vmentry_bochs_gap *gap = NULL;
    switch (result == VMX_ENTER_FAIL_INVALID ? DIFF_UNCHECKED
                                             : vmentry_diff_compare(&in, &ours, &theirs, &gap)) {
    case DIFF_AGREE:
        n->agree++;
        n->by_check[ours.check]++;
        break;
    case DIFF_STRICTER:
        n->stricter++;
        n->by_check[ours.check]++;
        break;
    case DIFF_DISAGREE:
        n->disagree++;
        print_case("disagree", number, seed, &c, &ours, &theirs, tsc);
        break;
    default:
        n->unchecked++;
        break;
    }
}

void vmentry_diff_selftest(const struct guest_options *opts)
{
    static struct vmx_controls controls;
    static struct vmcs_image valid;
    static struct vmx_guest_regs valid_regs;
    char why[192] = "";
    uint64_t phys;
    size_t pages = (sizeof(struct vcpu) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    if (!vmx_boot_caps_valid() || vmx_controls_compute(vmx_boot_caps(), &controls, why, sizeof why) != 0 ||
        frames_alloc(pages, 0, &phys) != 0) {
        log_warn("vmentry-diff: not run: %s", why[0] ? why : "no VMX, or no memory for the vCPU");
        return;
    }
    struct vcpu *vcpu = (struct vcpu *)(uintptr_t)phys;
    if (vcpu_create(vcpu, opts, &controls, VMCS_ENTRY_LONG64, why, sizeof why) != 0) {
        log_warn("vmentry-diff: not run: %s", why);
        return;
    }
    valid = vcpu->image;
    valid_regs = vcpu->regs;
    /* The guest exits before its first instruction when the VMX-preemption timer starts at 0. */
    if (vmcs_image_is_set(&valid, VMCS_VMX_PREEMPTION_TIMER_VALUE))
        (void)vmcs_image_set(&valid, VMCS_VMX_PREEMPTION_TIMER_VALUE, 0);
    if (vmentry_check_broken_id != VMENTRY_CHECK_NONE)
        log_warn("vmentry-diff: this build breaks check %s on purpose (VMENTRY_BROKEN_CHECK): expect "
                 "disagreements",
                 vmentry_check_info(vmentry_check_broken_id)->id_name);
    struct vmentry_diff_rng rng;
    vmentry_diff_seed(&rng, opts->vmentry_seed);
    static struct diff_counts n;
    memset(&n, 0, sizeof n);
    for (uint32_t i = 0; i < opts->vmentry_cases; i++)
        run_case(vcpu, &valid, &valid_regs, &rng, opts->vmentry_seed, &n);
    (void)fresh_vmcs(&vcpu->vmcs, &valid);
    /* The cases each check decided (our first failing check), for docs/vmentry-checks.md. */
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++)
        if (n.by_check[id] != 0)
            log_info("vmentry-diff: check %s cases=%u",
                     vmentry_check_info((enum vmentry_check_id)id)->id_name, n.by_check[id]);
    struct cpuid_regs id = cpuid(1, 0);
    unsigned family = (id.eax >> 8) & 0xf, model = ((id.eax >> 4) & 0xf) | ((id.eax >> 12) & 0xf0);
    log_info("vmentry-diff: cases=%u agree=%u disagree=%u stricter=%u unsafe=%u seed=%u model=%02x_%02x",
             n.cases, n.agree, n.disagree, n.stricter, n.unsafe, opts->vmentry_seed, family, model);
    log_info("vmentry-diff: not compared: never_launched=%u unchecked=%u not_written=%u", n.never_launched,
             n.unchecked, n.not_written);
}
