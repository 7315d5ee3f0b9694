/*
 * The run loop of one vCPU (SDM: "VM Entries", "VM Exits"): VMLAUNCH the
 * first time, VMRESUME once the pool holds the VMCS as LAUNCHED, and after
 * each exit the handler the dispatch table names. An entry that fails is
 * decoded by name and stops the vCPU; the CPU stays in VMX root.
 */
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/vmx/vcpu_check.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmexit_cpuid.h"
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_error.h"
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "arch/x86/tsc.h"
#include "core/lib/log.h"
#include "arch/x86/vmx/guest_report.h"

/* SDM: a VMLAUNCH that reached the guest leaves the launch state "launched"; the pool must agree. */
static COLD bool mark_launched(struct vcpu *vcpu)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    vcpu->first_exit_ticks = rdtsc() - vcpu->setup_tsc;
    if (vmcs_pool_mark_launched(pool, vcpu->vmcs) != 0 ||
        vmcs_pool_state(pool, vcpu->vmcs, NULL) != VMCS_STATE_LAUNCHED) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_HANDLER_ERROR, "the VMCS pool does not hold VMCS %d as launched",
                  vcpu->vmcs);
        return false;
    }
    vcpu->launched = true;
    return true;
}

/* VMfailInvalid / VMfailValid of VMLAUNCH or VMRESUME: the error number is read before anything else. */
static COLD void entry_failed(struct vcpu *vcpu, enum vmx_enter_result result)
{
    const char *insn = vcpu->launched ? "VMRESUME" : "VMLAUNCH";
    if (result == VMX_ENTER_FAIL_INVALID) {
        guest_report->vcpu_entry_failure(
            vcpu->cpu_index, &(struct status_entry_failure){ .kind = STATUS_ENTRY_FAILURE_VMFAIL_INVALID,
                                                             .name = "VMfailInvalid" });
        vcpu_stop(vcpu, STATUS_VCPU_REASON_ENTRY_FAILED, "%s failed: VMfailInvalid (no current VMCS)", insn);
        return;
    }
    uint64_t error = 0;
    struct vmx_outcome read = vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &error);
    if (!vmx_succeeded(read)) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_ENTRY_FAILED,
                  "%s failed: VMfailValid, and the VM-instruction error could not be read", insn);
        return;
    }
    vcpu->entry_vm_instruction_error = (uint32_t)error;
    char check[160];
    vcpu_check_explain(vcpu, check, sizeof check);
    guest_report->vcpu_entry_failure(
        vcpu->cpu_index,
        &(struct status_entry_failure){ .kind = STATUS_ENTRY_FAILURE_VMFAIL_VALID,
                                        .flags = vcpu->check_name[0] ? STATUS_ENTRY_NAMED_BY_CHECK : 0,
                                        .number = (uint32_t)error,
                                        .name = vcpu->check_name[0] ? vcpu->check_name
                                                                    : vmx_error_name((uint32_t)error) });
    vcpu_stop(vcpu, STATUS_VCPU_REASON_ENTRY_FAILED, "%s failed: VMfailValid error %lu (%s)%s", insn, error,
              vmx_error_name((uint32_t)error), check);
}

/* Exit reason bit 31: the entry failed while loading guest state or MSRs (SDM: "VM-Entry Failures During or After Loading Guest State"). */
static COLD void entry_failed_late(struct vcpu *vcpu, uint32_t raw_reason)
{
    uint32_t basic = raw_reason & 0xffff;
    vcpu->entry_failure_exit = basic;
    char check[160];
    vcpu_check_explain(vcpu, check, sizeof check);
    enum status_entry_failure_kind kind =
        basic == VMX_EXIT_INVALID_GUEST_STATE ? STATUS_ENTRY_FAILURE_INVALID_GUEST_STATE
        : basic == VMX_EXIT_MSR_LOADING       ? STATUS_ENTRY_FAILURE_MSR_LOADING
                                              : STATUS_ENTRY_FAILURE_MACHINE_CHECK;
    guest_report->vcpu_entry_failure(
        vcpu->cpu_index, &(struct status_entry_failure){
                             .kind = kind,
                             .flags = vcpu->check_name[0] ? STATUS_ENTRY_NAMED_BY_CHECK : 0,
                             .number = basic,
                             .value = vcpu->exit_qualification,
                             .name = vcpu->check_name[0] ? vcpu->check_name : vmx_exit_reason_name(basic) });
    vcpu_stop(vcpu, STATUS_VCPU_REASON_ENTRY_FAILED, "%s failed: exit reason %u (%s), qualification 0x%lx%s",
              vcpu->launched ? "VMRESUME" : "VMLAUNCH", basic, vmx_exit_reason_name(basic),
              vcpu->exit_qualification, check);
}

/*
 * Counts the exit in the vCPU's own counts (core/lib/status_vcpu_exits.h):
 * a few stores, no call; core reads them whenever it writes the vCPU's
 * record, and the exit asks for that write only when it is due (at most
 * once per STATUS_VCPU_PUBLISH_INTERVAL_US of TSC time).
 */
static inline __attribute__((always_inline)) void count_exit(struct vcpu *vcpu, uint32_t raw_reason,
                                                             uint64_t qualification)
{
    uint64_t now_tsc = rdtsc();
    if (__builtin_expect(
            status_vcpu_exits_count(&vcpu->exits, raw_reason, qualification, vcpu->exit_rip, now_tsc), 0))
        guest_report->vcpu_exits_due(vcpu->cpu_index, now_tsc);
}

/*
 * One entry and its exit, up to the handler: false when the vCPU is to stop
 * (a failed entry, a handler that stopped it). Inlined twice: the first
 * VMLAUNCH and the VMRESUME loop, so the loop tests no launch state.
 */
static inline __attribute__((always_inline)) bool enter_and_handle(struct vcpu *vcpu, bool resume)
{
    enum vmx_enter_result result = vmx_enter(&vcpu->regs, resume);
    if (__builtin_expect(result != VMX_ENTER_EXITED, 0)) {
        entry_failed(vcpu, result);
        return false;
    }
    uint64_t raw_reason = vcpu_read_field(vcpu, VMCS_EXIT_REASON);
    vcpu->exit_reason = (uint32_t)raw_reason & 0xffff;
    /* Every handler's RIP: read once here (vcpu_skip_instruction, the stop messages use it). */
    vcpu->exit_rip = vcpu_read_field(vcpu, VMCS_GUEST_RIP);
    /*
     * The short path of the commonest exit: the whole field equal to 10 is
     * a CPUID exit and nothing else (no entry failure, bit 31; no other
     * flag; VMRESUME only, so the VMCS is already marked launched). SDM
     * "Basic VM-Exit Information": the exit qualification is saved only for
     * the exits it lists, CPUID is not one, and for all others the field is
     * cleared: 0 is what a VMREAD would give, so none is made. The table's
     * vmexit_cpuid does the same work for the other way here (the first
     * exit, after VMLAUNCH).
     */
    if (resume && raw_reason == VMX_EXIT_CPUID) {
        vcpu->exit_qualification = 0;
        count_exit(vcpu, (uint32_t)raw_reason, 0);
        return vmexit_cpuid_inline(vcpu) == VMEXIT_RESUME && vcpu->state == VCPU_RUNNING;
    }
    vcpu->exit_qualification = vcpu_read_field(vcpu, VMCS_EXIT_QUALIFICATION);
    if (__builtin_expect((raw_reason & VMX_EXIT_REASON_ENTRY_FAILURE) != 0, 0)) {
        entry_failed_late(vcpu, (uint32_t)raw_reason);
        return false;
    }
    if (!resume && !mark_launched(vcpu))
        return false;
    count_exit(vcpu, (uint32_t)raw_reason, vcpu->exit_qualification);
    return vmexit_dispatch(vcpu) == VMEXIT_RESUME && vcpu->state == VCPU_RUNNING;
}

void vcpu_run(struct vcpu *vcpu)
{
    __atomic_store_n(&vcpu->state, VCPU_RUNNING, __ATOMIC_RELEASE);
    guest_report->vcpu_state(vcpu->cpu_index, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL);
    if (vcpu_check_before_entry(vcpu) != 0)
        return; /* the software check refused this VMCS: stopped with the check's name */
    if (!vcpu->launched) {
        vcpu->setup_ticks = rdtsc() - vcpu->setup_tsc;
        if (!enter_and_handle(vcpu, false))
            return;
    } /* else a stopped vCPU run again with new guest state (the hostile guest's next cases): VMRESUME */
    /* VMRESUME only while the pool holds this VMCS as LAUNCHED (mark_launched checked it). */
    while (!(vcpu->recheck_entry && vcpu_check_before_entry(vcpu) != 0) && enter_and_handle(vcpu, true))
        ;
}
