#include "arch/x86/vmx/guest_launch.h"
#include "arch/x86/vmx/linux_guest.h"
#include "arch/x86/vmx/multiboot1_guest.h"
#include "arch/x86/vmx/test_guest/test_guest.h"
#include "arch/x86/vmx/attack_guest/attack_guest.h"
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/vcpu_create.h"
#include "arch/x86/vmx/vmentry_inject.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/ap_work.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "arch/x86/vmx/guest_report.h"
#include "mm/frames.h"

/* How long the boot CPU waits for the other vCPUs once its own has stopped (Bochs is slow). */
#define GUEST_WAIT_TIMEOUT_MS 60000ul

static const struct guest_options *options;
static struct vmx_controls controls;
static struct vmx_controls linux_controls; /* the pass-through variant (vmx_controls_pass_through) */
static enum guest_kind kind;
static struct vcpu *vcpus[MAX_CPUS];
static volatile uint32_t vcpus_done[MAX_CPUS];

static int kernel_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    *value = rdmsr(msr);
    return 0;
}

/* This CPU's controls must be the boot CPU's (Xen's "differ between CPU%d and CPU0"). */
static int recheck_controls(char *why, size_t why_bytes)
{
    struct vmx_caps mine;
    if (this_cpu_index() == 0)
        return 0;
    if (vmx_caps_read(&mine, kernel_rdmsr, NULL) < 0) {
        format(why, why_bytes, "its VMX capability MSRs could not be read");
        return E_NOTSUP;
    }
    return vmx_controls_recheck(&controls, &mine, why, why_bytes);
}

/* The vCPU's end on the status page: the guest's verdict, or why vmxroot stopped it. */
static void publish_stop(const struct vcpu *vcpu, bool pass)
{
    enum status_vcpu_reason reason = vcpu->state == VCPU_HALTED ? (pass ? STATUS_VCPU_REASON_GUEST_PASSED
                                                                        : STATUS_VCPU_REASON_GUEST_FAILED)
                                                                : vcpu->stop_status_reason;
    const char *why = vcpu->state == VCPU_HALTED ? vcpu->result_detail : vcpu->stop_reason;
    guest_report->vcpu_state(vcpu->cpu_index, STATUS_VCPU_STOPPED, reason, why);
    guest_report->vcpu_flush(vcpu->cpu_index);
}

static void report_result(struct vcpu *vcpu)
{
    bool pass = vcpu->passed && vcpu->state == VCPU_HALTED;
    publish_stop(vcpu, pass);
    const char *detail = vcpu->stop_reason[0] ? vcpu->stop_reason : vcpu->result_detail;
    log_info("guest: cpu%u result=%s %s%s%s setup_ticks=%lu first_exit_ticks=%lu exits=%lu", vcpu->cpu_index,
             pass ? "PASS" : "FAIL", detail[0] ? detail : "stopped without a report",
             vcpu->stop_reason[0] && vcpu->result_detail[0] ? "; " : "",
             vcpu->stop_reason[0] ? vcpu->result_detail : "", vcpu->setup_ticks, vcpu->first_exit_ticks,
             vcpu->exits.total);
}

/*
 * A Linux vCPU stopped without the guest ending its machine (an unhandled
 * exit, an EPT violation on vmxroot's memory, a triple fault, an entry that
 * failed): that ends vm0 too, with the vCPU's reason; vmxroot stays up.
 */
static void linux_vcpu_stopped(struct vcpu *vcpu)
{
    publish_stop(vcpu, false);
    struct linux_vm_end end = { .replay = false };
    bool triple = vcpu->stop_status_reason == STATUS_VCPU_REASON_TRIPLE_FAULT;
    format(end.reason, sizeof end.reason, "%s on cpu%u: %s", triple ? "triple fault" : "vCPU stopped",
           vcpu->cpu_index, vcpu->stop_reason[0] ? vcpu->stop_reason : "no reason given");
    if (triple) {
        /* A triple fault resets a real machine: so does vm0's (port 0xCF9, hard reset). */
        end.replay = true;
        end.address = 0xCF9;
        end.value = 0x06;
        end.size_bytes = 1;
    }
    if (linux_vm_end(&end) && (triple || options->exit_on_guest_exit))
        linux_vm_finish(options);
}

/* Linux's input and the machine it would run on, before anything VMX: a bad module is named anywhere. */
static bool linux_checked(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                          char *why, size_t why_bytes)
{
    if (opts->x2apic) {
        format(why, why_bytes,
               "x2apic=on: a Linux guest turns off an x2APIC it finds on without interrupt "
               "remapping, and Bochs never turns it back on; boot without x2apic=on");
        return false;
    }
    return linux_vm_load(opts, info, ebda_phys, why, why_bytes) == 0;
}

/* vm0's kernel checked and loaded by its kind's loader, before anything VMX. */
static bool vm0_loaded(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                       char *why, size_t why_bytes)
{
    if (kind == GUEST_MULTIBOOT1)
        return multiboot1_vm_load(opts, info, why, why_bytes) == 0;
    return linux_checked(opts, info, ebda_phys, why, why_bytes);
}

/* On each CPU in VMX root: its own vCPU, from setup to stop. */
static void launch_on_this_cpu(void)
{
    uint32_t index = this_cpu_index();
    char why[192] = "";
    uint64_t phys;
    size_t pages = (sizeof(struct vcpu) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    if (frames_alloc(pages, 0, &phys) != 0) {
        log_warn("guest: cpu%u result=FAIL no memory for the vCPU", index);
        __atomic_store_n(&vcpus_done[index], 1, __ATOMIC_RELEASE);
        return;
    }
    struct vcpu *vcpu = (struct vcpu *)(uintptr_t)phys;
    (void)guest_report->memory_range_add_cpu(STATUS_MEMORY_PER_CPU, index, phys, pages * PAGE_SIZE_BYTES);
    vcpus[index] = vcpu;
    bool unrestricted = controls.value[VMX_CONTROL_SECONDARY] & PROC2_UNRESTRICTED_GUEST;
    enum vmcs_entry_mode mode = test_guest_mode_for_cpu(index, unrestricted);
    if (index == options->fault_cpu)
        mode = vmentry_inject_mode(options->fault, mode);
    vcpu->kind = kind;
    if (kind == GUEST_ATTACK)
        mode = VMCS_ENTRY_LONG64; /* its own page tables for 4 GiB, given at entry */
    if (guest_kind_is_vm0(kind)) {
        vcpu->boot_vcpu = index == 0;
        mode = vcpu->boot_vcpu ? VMCS_ENTRY_PROTECTED32 : VMCS_ENTRY_REAL_MODE;
    }
    enum status_vcpu_reason not_launched_reason = STATUS_VCPU_REASON_CONTROLS;
    int err = recheck_controls(why, sizeof why);
    if (!err) {
        err = vcpu_create(vcpu, options, guest_kind_is_vm0(kind) ? &linux_controls : &controls, mode, why,
                          sizeof why);
        not_launched_reason = err == E_NOMEM    ? STATUS_VCPU_REASON_NO_MEMORY
                              : err == E_NOTSUP ? STATUS_VCPU_REASON_CONTROLS
                                                : STATUS_VCPU_REASON_HANDLER_ERROR;
    }
    if (err) {
        vcpu->cpu_index = index;
        vcpu_stop(vcpu, not_launched_reason, "not launched: %s", why);
    } else if (kind == GUEST_ATTACK) {
        attack_guest_run(vcpu); /* every case, run again after each one that stops it */
    } else {
        if (guest_kind_is_vm0(kind))
            vapic_register(vcpu); /* before it runs: the guest's INIT and SIPI reach it through vmxroot */
        /* An AP of vm0 waits, halted, for the guest's SIPI; then its first entry is at the SIPI's vector. */
        if (!guest_kind_is_vm0(kind) || vcpu->boot_vcpu || vapic_wait_for_start(vcpu) == VMEXIT_RESUME)
            vcpu_run(vcpu);
    }
    if (guest_kind_is_vm0(kind))
        linux_vcpu_stopped(vcpu);
    else
        report_result(vcpu);
    vmentry_inject_report(vcpu);
    __atomic_store_n(&vcpus_done[index], 1, __ATOMIC_RELEASE);
}

/* Every CPU that launches nothing says why on the status page. */
static void publish_not_launched(enum status_vcpu_reason reason, const char *why, bool only_outside_vmx_root)
{
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        bool in_root = cpu && cpu->state == CPU_STATE_ONLINE && cpu->in_vmx_root;
        if (!only_outside_vmx_root || !in_root)
            guest_report->vcpu_state(i, STATUS_VCPU_NOT_LAUNCHED,
                                     in_root ? reason : STATUS_VCPU_REASON_NOT_IN_VMX_ROOT,
                                     in_root ? why : NULL);
    }
}

/* The last line of guest launch (core/main.c then dumps the page with status=dump, as the guests left it). */
static void summary(uint32_t passed, uint32_t launched, uint64_t exits, const char *reason)
{
    log_info("vmxroot: guests passed=%u/%u exits=%lu%s%s", passed, launched, exits, reason[0] ? " " : "",
             reason);
}

uint32_t guest_launch_all(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                          uint32_t cpus_in_vmx_root)
{
    char why[192];
    options = opts;
    kind = opts->guest != GUEST_AUTO    ? opts->guest
           : !info->module_count        ? GUEST_TEST
           : multiboot1_vm_detect(info) ? GUEST_MULTIBOOT1
                                        : GUEST_LINUX;
    if (opts->guest == GUEST_NONE) {
        publish_not_launched(STATUS_VCPU_REASON_GUEST_NONE, "guest=none", false);
        summary(0, 0, 0, "(guest=none)");
        return 0;
    }
    if (guest_kind_is_vm0(kind) && !vm0_loaded(opts, info, ebda_phys, why, sizeof why)) {
        log_warn("guest: vm0 not launched: %s", why);
        publish_not_launched(STATUS_VCPU_REASON_HANDLER_ERROR, why, false);
        summary(0, 0, 0, "(guest vm0 not launched: see the line above)");
        return 0;
    }
    if (cpus_in_vmx_root == 0 || !vmx_boot_caps_valid()) {
        publish_not_launched(STATUS_VCPU_REASON_NOT_IN_VMX_ROOT, NULL, false);
        summary(0, 0, 0, "(no CPU is in VMX root operation: no guest runs)");
        return 0;
    }
    if (vmx_controls_compute(vmx_boot_caps(), &controls, why, sizeof why) != 0) {
        log_warn("vmx: cannot run guests: %s", why);
        publish_not_launched(STATUS_VCPU_REASON_CONTROLS, why, false);
        summary(0, 0, 0, "(the VMX controls vmxroot needs are missing: see the line above)");
        return 0;
    }
    if (guest_kind_is_vm0(kind)) {
        if (!cpu_table[0]->in_vmx_root)
            format(why, sizeof why,
                   "the boot CPU, which runs the guest's boot CPU, is not in VMX root operation");
        if (!cpu_table[0]->in_vmx_root || linux_vm_build(info, ebda_phys, why, sizeof why) != 0) {
            log_warn("guest: vm0 not launched: %s", why);
            publish_not_launched(STATUS_VCPU_REASON_HANDLER_ERROR, why, false);
            summary(0, 0, 0, "(guest vm0 not launched: see the line above)");
            return 0;
        }
        if (kind == GUEST_MULTIBOOT1)
            multiboot1_vm_build();
        vmx_controls_pass_through(vmx_boot_caps(), &controls, &linux_controls);
        guest_report->screen_handover(kind == GUEST_MULTIBOOT1 ? "guest vm0 (multiboot1)"
                                                               : "guest vm0 (Linux)");
    }
    uint32_t launched = 0;
    publish_not_launched(STATUS_VCPU_REASON_NOT_IN_VMX_ROOT, NULL, true);
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_ONLINE || !cpu->in_vmx_root)
            continue;
        if (guest_kind_is_vm0(kind) && opts->guest_cpus && launched + 1 >= opts->guest_cpus) {
            log_info("guest: cpu%u not offered to vm0 (guest_cpus=%u)", i, opts->guest_cpus);
            continue; /* the boot CPU is one of the N */
        }
        if (smp_post_idle_work(i, launch_on_this_cpu) == 0)
            launched++;
        else
            log_warn("guest: cpu%u could not be given its guest", i);
    }
    if (cpu_table[0]->in_vmx_root) {
        launched++;
        launch_on_this_cpu();
    }
    uint64_t deadline = rdtsc() + tsc_from_us(GUEST_WAIT_TIMEOUT_MS * 1000);
    uint32_t passed = 0, done = 0;
    uint64_t exits = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_ONLINE || !cpu->in_vmx_root)
            continue;
        while (!__atomic_load_n(&vcpus_done[i], __ATOMIC_ACQUIRE) && rdtsc() < deadline)
            cpu_relax();
        if (!__atomic_load_n(&vcpus_done[i], __ATOMIC_ACQUIRE)) {
            log_warn("guest: cpu%u result=FAIL its vCPU did not stop within %lu ms", i,
                     GUEST_WAIT_TIMEOUT_MS);
            continue;
        }
        done++;
        struct vcpu *vcpu = vcpus[i];
        if (!vcpu)
            continue;
        exits += vcpu->exits.total;
        passed += vcpu->passed && vcpu->state == VCPU_HALTED;
    }
    if (kind == GUEST_ATTACK)
        attack_guest_summary();
    summary(passed, launched, exits, done == launched ? "" : "(some vCPUs never stopped)");
    return passed;
}
