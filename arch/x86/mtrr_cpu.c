/*
 * The hardware side of arch/x86/mtrr.h: RDMSR for the pure reader, after
 * CPUID says the MTRRs exist (SDM: "MTRR Feature Identification").
 */
#include "arch/x86/mtrr.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "core/lib/log.h"

static int cpu_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    *value = rdmsr(msr); /* mtrr_read asks only for the MSRs IA32_MTRRCAP says exist */
    return 0;
}

int mtrr_read_this_cpu(struct mtrr_map *map)
{
    if (!(cpuid(1, 0).edx & CPUID1_EDX_MTRR)) {
        log_info("mtrr: this CPU has no MTRRs (CPUID.1:EDX.MTRR clear): memory types are WB, PAT decides");
        mtrr_map_all(map, MTRR_TYPE_WB);
        return 0;
    }
    return mtrr_read(map, cpu_rdmsr, NULL, cpu_phys_addr_bits());
}
