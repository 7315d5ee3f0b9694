#include "arch/x86/vmx/vmx_inject.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_error.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "mm/frames.h"

enum bad_instruction { BAD_VMPTRLD, BAD_VMCLEAR };

/* The case's result line: PASS when the outcome is VMfailValid with the expected error number. */
static void report(const char *case_name, const char *insn, uint64_t operand, struct vmx_outcome outcome,
                   uint32_t expected_error)
{
    char text[VMX_OUTCOME_TEXT_BYTES];
    vmx_outcome_format(outcome, text, sizeof text);
    bool pass = outcome.result == VMX_FAIL_VALID && outcome.error == expected_error;
    log_info("inject: case=%s insn=%s operand=0x%lx outcome=\"%s\" expected=\"VMfailValid error %u (%s)\" "
             "result=%s",
             case_name, insn, operand, text, expected_error, vmx_error_name(expected_error),
             pass ? "PASS" : "FAIL");
}

/*
 * VMfailValid needs a current VMCS to hold the error number: load one of
 * the pool's first, run the bad instruction, check that the same VMCS is
 * still current (the failure changed nothing), and give it back. Every
 * outcome is a line in the log: the result line, SKIP, or an error.
 */
static void with_current_vmcs(const char *case_name, enum bad_instruction insn, uint64_t operand,
                              uint32_t expected_error)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    int vmcs, err;
    if (!pool || !this_cpu()->in_vmx_root) {
        log_warn("inject: case=%s needs this CPU in VMX root with a VMCS pool: result=SKIP", case_name);
        return;
    }
    if ((err = vmcs_pool_acquire(pool, &vmcs)) || (err = vmcs_pool_load(pool, vmcs))) {
        log_warn("inject: case=%s could not make a VMCS current (%s): result=SKIP", case_name,
                 error_name(err));
        return;
    }
    const char *name = insn == BAD_VMPTRLD ? "VMPTRLD" : "VMCLEAR";
    /* The guard refuses first, naming its rule; it stands aside only for this injected instruction. */
    if (vmcs_guard_check(pool, operand, name) == 0)
        log_info("inject: the guard would let %s of 0x%lx through: the CPU decides", name, operand);
    struct vmx_outcome outcome = insn == BAD_VMPTRLD ? vmx_vmptrld(operand) : vmx_vmclear(operand);
    vmcs_service_count_outcome(insn == BAD_VMCLEAR, outcome);
    report(case_name, name, operand, outcome, expected_error);

    uint64_t current = 0;
    struct vmx_outcome stored = vmx_vmptrst(&current);
    if (!vmx_succeeded(stored) || current != vmcs_pool_phys(pool, vmcs)) {
        log_error("inject: case=%s: the current VMCS changed to 0x%lx after a failed %s", case_name, current,
                  name);
    }
    err = vmcs_pool_release(pool, vmcs);
    if (err)
        log_error("inject: case=%s: the VMCS could not be given back (%s)", case_name, error_name(err));
}

void vmx_inject_pool_exhaustion(void)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    int taken[VMCS_POOL_MAX_VMCS], count = 0, extra, err;
    if (!pool || !pool->vmcs_count) {
        log_warn("inject: case=pool-exhaustion needs a VMCS pool: result=SKIP");
        return;
    }
    while (count < pool->vmcs_count && vmcs_pool_acquire(pool, &taken[count]) == 0)
        count++;
    err = vmcs_pool_acquire(pool, &extra); /* must be refused, changing nothing */
    uint32_t free_after = vmcs_service_free();
    int release_failures = 0;
    for (int i = 0; i < count; i++)
        release_failures += vmcs_pool_release(pool, taken[i]) != 0;
    bool pass = err == E_NOMEM && free_after == 0 && release_failures == 0 &&
                vmcs_service_free() == (uint32_t)pool->vmcs_count;
    log_info(
        "inject: case=pool-exhaustion acquired=%d of %d outcome=%s expected=E_NOMEM free_after_release=%u "
        "result=%s",
        count, pool->vmcs_count, error_name(err), vmcs_service_free(), pass ? "PASS" : "FAIL");
}

void vmx_inject_vmptrld_vmxon(void)
{
    with_current_vmcs("vmptrld-vmxon", BAD_VMPTRLD, this_cpu()->vmxon_region_phys,
                      VMX_ERROR_VMPTRLD_VMXON_POINTER);
}

void vmx_inject_vmclear_vmxon(void)
{
    with_current_vmcs("vmclear-vmxon", BAD_VMCLEAR, this_cpu()->vmxon_region_phys,
                      VMX_ERROR_VMCLEAR_VMXON_POINTER);
}

/* A scratch page below 4 GiB starting with revision_id, for the cases that need a VMCS-like page. */
static bool scratch_region(const char *case_name, uint32_t revision_id, uint64_t *phys)
{
    if (frames_alloc(1, FRAMES_BELOW_4GIB, phys) < 0) {
        log_warn("inject: case=%s needs a free frame: result=SKIP", case_name);
        return false;
    }
    *(volatile uint32_t *)(uintptr_t)*phys = revision_id;
    return true;
}

void vmx_inject_wrong_revision(void)
{
    uint64_t scratch;
    /* Any other 31-bit value: the CPU compares the whole revision identifier. */
    if (!scratch_region("wrong-revision", (vmx_revision_id() ^ 0x5a5a) & 0x7fffffff, &scratch))
        return;
    with_current_vmcs("wrong-revision", BAD_VMPTRLD, scratch, VMX_ERROR_VMPTRLD_BAD_REVISION);
    frames_free(scratch, 1);
}

void vmx_inject_unaligned_vmcs(void)
{
    uint64_t scratch;
    if (!scratch_region("unaligned-vmcs", vmx_revision_id(), &scratch))
        return;
    with_current_vmcs("unaligned-vmcs", BAD_VMPTRLD, scratch + 0x800, VMX_ERROR_VMPTRLD_INVALID_ADDRESS);
    frames_free(scratch, 1);
}

void vmx_inject_beyond_phys_width(void)
{
    struct vmcs_pool *pool = vmcs_service_pool();
    uint32_t width = pool && pool->phys_width_bits ? pool->phys_width_bits : 52;
    with_current_vmcs("beyond-phys-width", BAD_VMPTRLD, 1ull << width, VMX_ERROR_VMPTRLD_INVALID_ADDRESS);
}
