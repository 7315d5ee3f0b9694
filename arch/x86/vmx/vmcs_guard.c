/*
 * The VMXON-pointer guard and the per-CPU VMXON regions it knows about. The
 * SDM makes VMCLEAR or VMPTRLD of the VMXON region a VMfail (errors 3 and
 * 10), and an unaligned or too-wide address one too (errors 2 and 9). We
 * refuse such an address before the instruction runs, so a bug shows up as a
 * message naming the rule instead of a counter, and no VMCS address can ever
 * be a VMXON region: both lists are checked against each other on entry.
 */
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_pool_internal.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

/* "(SDM: VMPTRLD with VMXON pointer is VM-instruction error 10)" and its siblings. */
static void sdm_rule(char *buf, size_t size_bytes, const char *insn, bool vmxon_pointer)
{
    bool vmclear = strcmp(insn, "VMCLEAR") == 0, vmptrld = strcmp(insn, "VMPTRLD") == 0;
    if (!vmclear && !vmptrld) {
        format(buf, size_bytes,
               "(SDM: a VMCS pointer must be 4 KiB aligned, within the physical-address width, "
               "and never a VMXON region)");
        return;
    }
    int number = vmxon_pointer
                     ? (vmclear ? VMX_ERROR_VMCLEAR_VMXON_POINTER : VMX_ERROR_VMPTRLD_VMXON_POINTER)
                     : (vmclear ? VMX_ERROR_VMCLEAR_INVALID_ADDRESS : VMX_ERROR_VMPTRLD_INVALID_ADDRESS);
    format(buf, size_bytes, "(SDM: %s is VM-instruction error %d)", vmx_error_name((uint32_t)number), number);
}

static bool beyond_width(const struct vmcs_pool *pool, uint64_t phys)
{
    return pool->phys_width_bits < 64 && (phys >> pool->phys_width_bits) != 0;
}

int vmcs_guard_check(const struct vmcs_pool *pool, uint64_t phys, const char *insn)
{
    char rule[128];
    if (!insn)
        insn = "VMX instruction";
    if (!IS_ALIGNED(phys, (uint64_t)PAGE_SIZE_BYTES) || beyond_width(pool, phys)) {
        sdm_rule(rule, sizeof rule, insn, false);
        log_error("refusing %s of 0x%llx: %s %s", insn, (unsigned long long)phys,
                  IS_ALIGNED(phys, (uint64_t)PAGE_SIZE_BYTES) ? "beyond the physical-address width"
                                                              : "not 4 KiB aligned",
                  rule);
        return E_FAULT;
    }
    for (int cpu = 0; cpu < pool->cpu_count; cpu++) {
        if (vmcs_cpu_vmxon_region(pool, cpu) == phys) {
            sdm_rule(rule, sizeof rule, insn, true);
            log_error("refusing %s of 0x%llx: it is cpu%d's VMXON region %s", insn, (unsigned long long)phys,
                      cpu, rule);
            return E_FAULT;
        }
    }
    return 0;
}

int vmcs_pool_set_vmxon_region(struct vmcs_pool *pool, int cpu, uint64_t region_phys)
{
    if (!vmcs_cpu_valid(pool, cpu)) {
        log_error("vmcs pool: no cpu%d (the pool was prepared for %d CPUs)", cpu, pool->cpu_count);
        return E_INVAL;
    }
    if (region_phys == VMCS_POOL_NO_REGION || !IS_ALIGNED(region_phys, (uint64_t)PAGE_SIZE_BYTES) ||
        beyond_width(pool, region_phys)) {
        log_error("refusing cpu%d's VMXON region 0x%llx: not a 4 KiB aligned address within %u bits", cpu,
                  (unsigned long long)region_phys, pool->phys_width_bits);
        return E_FAULT;
    }
    spin_lock(&pool->lock);
    for (int vmcs = 0; vmcs < pool->vmcs_count; vmcs++) {
        if (pool->slots[vmcs].phys == region_phys) {
            spin_unlock(&pool->lock);
            log_error(
                "refusing cpu%d's VMXON region 0x%llx: it is VMCS %d of the pool (SDM: VMPTRLD with VMXON "
                "pointer is VM-instruction error 10)",
                cpu, (unsigned long long)region_phys, vmcs);
            return E_FAULT;
        }
    }
    for (int other = 0; other < pool->cpu_count; other++) {
        if (other != cpu && vmcs_cpu_vmxon_region(pool, other) == region_phys) {
            spin_unlock(&pool->lock);
            log_error("refusing cpu%d's VMXON region 0x%llx: it is cpu%d's VMXON region too; each CPU needs "
                      "its own",
                      cpu, (unsigned long long)region_phys, other);
            return E_FAULT;
        }
    }
    __atomic_store_n(&pool->cpus[cpu].vmxon_region_phys, region_phys, __ATOMIC_RELEASE);
    spin_unlock(&pool->lock);
    return 0;
}

int vmcs_pool_forget_vmxon_region(struct vmcs_pool *pool, int cpu)
{
    if (!vmcs_cpu_valid(pool, cpu))
        return E_INVAL;
    spin_lock(&pool->lock);
    int active = pool->cpus[cpu].active_count;
    if (active) {
        spin_unlock(&pool->lock);
        log_error(
            "cpu%d: %d VMCS still active there; VMCLEAR them (vmcs_pool_clear_all_on_this_cpu) before VMXOFF",
            cpu, active);
        return E_BUSY;
    }
    __atomic_store_n(&pool->cpus[cpu].vmxon_region_phys, VMCS_POOL_NO_REGION, __ATOMIC_RELEASE);
    pool->cpus[cpu].current = VMCS_NONE;
    spin_unlock(&pool->lock);
    return 0;
}
