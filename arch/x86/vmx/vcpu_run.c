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
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_error.h"
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "arch/x86/tsc.h"
#include "core/lib/log.h"

/* VMfailInvalid / VMfailValid of VMLAUNCH or VMRESUME: the error number is read before anything else. */
static COLD void entry_failed(struct vcpu *vcpu, enum vmx_enter_result result)
{
    const char *insn = vcpu->launched ? "VMRESUME" : "VMLAUNCH";
    if (result == VMX_ENTER_FAIL_INVALID) {
        vcpu_stop(vcpu, "%s failed: VMfailInvalid (no current VMCS)", insn);
        return;
    }
    uint64_t error = 0;
    struct vmx_outcome read = vmx_vmread(VMCS_VM_INSTRUCTION_ERROR, &error);
    if (!vmx_succeeded(read)) {
        vcpu_stop(vcpu, "%s failed: VMfailValid, and the VM-instruction error could not be read", insn);
        return;
    }
    vcpu->entry_vm_instruction_error = (uint32_t)error;
    char check[160];
    vcpu_check_explain(vcpu, check, sizeof check);
    vcpu_stop(vcpu, "%s failed: VMfailValid error %lu (%s)%s", insn, error, vmx_error_name((uint32_t)error),
              check);
}

/* Exit reason bit 31: the entry failed while loading guest state or MSRs (SDM: "VM-Entry Failures During or After Loading Guest State"). */
static COLD void entry_failed_late(struct vcpu *vcpu, uint32_t raw_reason)
{
    uint32_t basic = raw_reason & 0xffff;
    vcpu->entry_failure_exit = basic;
    char check[160];
    vcpu_check_explain(vcpu, check, sizeof check);
    vcpu_stop(vcpu, "%s failed: exit reason %u (%s), qualification 0x%lx%s", vcpu->launched ? "VMRESUME" : "VMLAUNCH",
              basic, vmx_exit_reason_name(basic), vcpu->exit_qualification, check);
}

void vcpu_run(struct vcpu *vcpu)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    __atomic_store_n(&vcpu->state, VCPU_RUNNING, __ATOMIC_RELEASE);
    if (vcpu_check_before_entry(vcpu) != 0)
        return; /* the software check refused this VMCS: stopped with the check's name */
    for (;;) {
        if (vcpu->recheck_entry && vcpu_check_before_entry(vcpu) != 0)
            return;
        enum vmx_enter_result result = vmx_enter(&vcpu->regs, vcpu->launched);
        if (result != VMX_ENTER_EXITED) {
            entry_failed(vcpu, result);
            return;
        }
        uint64_t raw_reason = vcpu_read_field(vcpu, VMCS_EXIT_REASON);
        vcpu->exit_reason = (uint32_t)raw_reason & 0xffff;
        vcpu->exit_qualification = vcpu_read_field(vcpu, VMCS_EXIT_QUALIFICATION);
        if (raw_reason & VMX_EXIT_REASON_ENTRY_FAILURE) {
            entry_failed_late(vcpu, (uint32_t)raw_reason);
            return;
        }
        if (!vcpu->launched) {
            /* SDM: a VMLAUNCH that reached the guest leaves the launch state "launched". */
            vcpu->first_exit_ticks = rdtsc() - vcpu->setup_tsc;
            if (vmcs_pool_mark_launched(pool, vcpu->vmcs) != 0) {
                vcpu_stop(vcpu, "the VMCS pool refused to mark VMCS %d launched", vcpu->vmcs);
                return;
            }
            vcpu->launched = vmcs_pool_state(pool, vcpu->vmcs, NULL) == VMCS_STATE_LAUNCHED;
        }
        vcpu->exits_total++;
        if (vcpu->exit_reason < VMX_EXIT_REASON_LIMIT)
            vcpu->exits_by_reason[vcpu->exit_reason]++;
        if (vmexit_dispatch(vcpu) == VMEXIT_STOP || vcpu->state != VCPU_RUNNING)
            return;
    }
}
