// host-sources: arch/x86/vmx/vmx_controls.c arch/x86/vmx/vmx_caps.c arch/x86/vmx/vmx_caps_names.c arch/x86/vmx/vmx_caps_report.c arch/x86/vmx/vmx_text.c arch/x86/vmx/guest_cpuid.c core/lib/format.c core/lib/error.c
/*
 * Fuzzes the control adjustment and the guest CPUID filter with capability
 * MSRs and CPUID answers from the input. Whatever the MSRs say:
 *   - vmx_controls_compute refuses with a message, or gives words that hold
 *     every allowed-0 bit, no bit outside allowed-1, and every required bit;
 *     an AP with the same MSRs rechecks equal;
 *   - the guest never sees the VMX bit, always sees the hypervisor bit, and
 *     never sees a feature whose secondary control is off.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/guest_cpuid.h"
#include "arch/x86/vmx/vmx_controls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t take64(const uint8_t **data, size_t *size)
{
    uint64_t value = 0;
    size_t n = *size < 8 ? *size : 8;
    memcpy(&value, *data, n);
    *data += n, *size -= n;
    return value;
}

static void check_controls(const struct vmx_caps *caps)
{
    struct vmx_controls controls;
    struct vmx_control_request requests[VMX_CONTROL_WORD_COUNT];
    char why[192];
    vmx_controls_requests(requests);
    if (vmx_controls_compute(caps, &controls, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort(); /* a refusal always says why */
        return;
    }
    for (unsigned word = 0; word < VMX_CONTROL_WORD_COUNT; word++) {
        uint64_t allowed = vmx_control_allowed(caps, (enum vmx_control_word)word);
        uint32_t allowed0 = (uint32_t)allowed, allowed1 = (uint32_t)(allowed >> 32),
                 value = controls.value[word];
        if ((value & allowed0) != allowed0 || (value & requests[word].required) != requests[word].required)
            abort();
        /* Bits allowed-0 forces may lie outside allowed-1 in a contradictory MSR; nothing else may. */
        if (value & ~allowed1 & ~allowed0)
            abort();
    }
    if (vmx_controls_recheck(&controls, caps, why, sizeof why) != 0)
        abort();
}

static void check_cpuid(const uint8_t **data, size_t *size)
{
    struct guest_cpuid_context ctx = { .secondary_controls = (uint32_t)take64(data, size),
                                       .status_gpa = take64(data, size) & 0xfffff000u,
                                       .status_bytes = 4096,
                                       .local_apic = false };
    uint64_t leaf_bits = take64(data, size);
    static const uint32_t leaves[] = {
        0, 1, 7, 0xB, 0xD, 0x40000000u, 0x40000001u, 0x40000010u, 0x80000001u
    };
    uint32_t leaf = leaves[leaf_bits % (sizeof leaves / sizeof leaves[0])];
    uint32_t subleaf = (uint32_t)(leaf_bits >> 32) & 3;
    struct cpuid_regs in = { (uint32_t)take64(data, size), (uint32_t)take64(data, size),
                             (uint32_t)take64(data, size), (uint32_t)take64(data, size) };
    struct cpuid_regs out = guest_cpuid_filter(&ctx, leaf, subleaf, in);
    if (leaf == 1 && (!(out.ecx & CPUID1_ECX_HYPERVISOR) || (out.ecx & CPUID1_ECX_VMX)))
        abort();
    size_t count = 0;
    const struct guest_cpuid_pair *pairs = guest_cpuid_pairs(&count);
    for (size_t i = 0; i < count; i++) {
        uint32_t regs[] = { out.eax, out.ebx, out.ecx, out.edx };
        if (pairs[i].leaf == leaf && pairs[i].subleaf == subleaf &&
            !(ctx.secondary_controls & pairs[i].secondary_control) &&
            (regs[pairs[i].reg] & (1u << pairs[i].bit)))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vmx_caps caps;
    memset(&caps, 0, sizeof caps);
    caps.basic = take64(&data, &size);
    caps.pinbased_ctls = take64(&data, &size);
    caps.procbased_ctls = take64(&data, &size);
    caps.exit_ctls = take64(&data, &size);
    caps.entry_ctls = take64(&data, &size);
    caps.procbased_ctls2 = take64(&data, &size);
    caps.true_pinbased_ctls = take64(&data, &size);
    caps.true_procbased_ctls = take64(&data, &size);
    caps.true_exit_ctls = take64(&data, &size);
    caps.true_entry_ctls = take64(&data, &size);
    caps.have_procbased_ctls2 = (caps.procbased_ctls >> 63) & 1;
    caps.have_true_controls = vmx_basic_true_controls(caps.basic);
    check_controls(&caps);
    check_cpuid(&data, &size);
    return 0;
}
