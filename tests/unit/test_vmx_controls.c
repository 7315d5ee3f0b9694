// host-sources: arch/x86/vmx/vmx_controls.c arch/x86/vmx/vmx_caps.c arch/x86/vmx/vmx_caps_names.c arch/x86/vmx/vmx_caps_report.c arch/x86/vmx/vmx_text.c arch/x86/vmx/guest_cpuid.c arch/x86/vmx/vmcs_image.c core/lib/format.c core/lib/error.c
/*
 * The control words against Bochs 2.7's corei7_skylake_x capability MSRs
 * (tests/unit/vmentry_build.h): one adjust step, the refusal message when a
 * required bit is not allowed, TRUE_* versus plain MSRs, the per-AP
 * recheck, and the CPUID-feature / VM-execution-control pairs.
 */
#include "arch/x86/vmx/guest_cpuid.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/vmentry_build.h"

#define ALLOWED(zero_settings, one_settings) (((uint64_t)(one_settings) << 32) | (uint32_t)(zero_settings))

TEST(adjust_sets_what_allowed0_requires_and_drops_optional_bits_allowed1_forbids)
{
    uint32_t value = 0;
    unsigned missing = 99;
    struct vmx_control_request request = { .required = 0x10, .optional = 0x300 };
    CHECK_EQ(vmx_control_adjust(ALLOWED(0x6, 0x1f6), request, &value, &missing), 0);
    CHECK_EQ(value, 0x6 | 0x10 | 0x100); /* 0x200 is optional and not allowed-1 */
    CHECK_EQ(missing, 99);
}

TEST(adjust_refuses_a_required_bit_and_names_the_lowest)
{
    uint32_t value = 0;
    unsigned missing = 0;
    struct vmx_control_request request = { .required = 0x30, .optional = 0 };
    CHECK_EQ(vmx_control_adjust(ALLOWED(0, 0x0f), request, &value, &missing), E_NOTSUP);
    CHECK_EQ(missing, 4);
}

TEST(skylake_gives_every_control_vmxroot_asks_for)
{
    struct vmx_caps caps;
    struct vmx_controls controls;
    char why[160];
    build_skylake_caps(&caps);
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), 0);
    CHECK_STR(why, "");
    uint32_t secondary = controls.value[VMX_CONTROL_SECONDARY];
    CHECK((secondary & (PROC2_ENABLE_EPT | PROC2_ENABLE_VPID | PROC2_UNRESTRICTED_GUEST)) ==
          (PROC2_ENABLE_EPT | PROC2_ENABLE_VPID | PROC2_UNRESTRICTED_GUEST));
    CHECK(controls.value[VMX_CONTROL_PINBASED] & PIN_NMI_EXITING);
    CHECK(controls.value[VMX_CONTROL_PROCBASED] & PROC_USE_MSR_BITMAPS);
    CHECK(controls.value[VMX_CONTROL_EXIT] & EXIT_LOAD_IA32_EFER);
    CHECK(controls.allowed1[VMX_CONTROL_ENTRY] & ENTRY_IA32E_MODE_GUEST);
    /* IA-32e mode guest is per vCPU: never in the boot's word. */
    CHECK(!(controls.value[VMX_CONTROL_ENTRY] & ENTRY_IA32E_MODE_GUEST));
    /* With TRUE controls, CR3-load/store exiting can be 0 (the plain MSR forces them to 1). */
    CHECK(!(controls.value[VMX_CONTROL_PROCBASED] & (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING)));
}

TEST(no_ept_refuses_with_the_word_the_bit_and_the_msr)
{
    struct vmx_caps caps;
    struct vmx_controls controls;
    char why[160];
    build_skylake_caps(&caps);
    caps.procbased_ctls2 &= ~((uint64_t)PROC2_ENABLE_EPT << 32);
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), E_NOTSUP);
    CHECK_STR(why, "secondary control 'enable EPT' not allowed by IA32_VMX_PROCBASED_CTLS2");
    /* Without the MSR at all (no "activate secondary controls"), the same refusal. */
    build_skylake_caps(&caps);
    caps.have_procbased_ctls2 = false;
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), E_NOTSUP);
    CHECK_STR(why, "secondary control 'enable EPT' not allowed by IA32_VMX_PROCBASED_CTLS2");
}

TEST(the_true_msrs_are_used_only_with_basic_bit_55)
{
    struct vmx_caps caps;
    struct vmx_controls controls;
    char why[160];
    build_skylake_caps(&caps);
    caps.true_pinbased_ctls &= ~((uint64_t)PIN_NMI_EXITING << 32);
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), E_NOTSUP);
    CHECK_STR(why, "pin-based control 'NMI exiting' not allowed by IA32_VMX_TRUE_PINBASED_CTLS");
    caps.basic &= ~VMX_BASIC_TRUE_CONTROLS; /* now the plain MSR, which allows it, decides */
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), 0);
    CHECK_EQ(vmx_control_msr(&caps, VMX_CONTROL_PINBASED), MSR_IA32_VMX_PINBASED_CTLS);
    CHECK(controls.value[VMX_CONTROL_PROCBASED] & PROC_CR3_LOAD_EXITING); /* plain allowed-0 forces it */
}

TEST(an_ap_with_other_controls_is_named_by_word_and_bits)
{
    struct vmx_caps boot_caps, ap_caps;
    struct vmx_controls boot;
    char why[160];
    build_skylake_caps(&boot_caps);
    CHECK_EQ(vmx_controls_compute(&boot_caps, &boot, why, sizeof why), 0);
    ap_caps = boot_caps;
    CHECK_EQ(vmx_controls_recheck(&boot, &ap_caps, why, sizeof why), 0);
    ap_caps.procbased_ctls2 &= ~((uint64_t)PROC2_ENABLE_VPID << 32);
    CHECK_EQ(vmx_controls_recheck(&boot, &ap_caps, why, sizeof why), E_INVAL);
    CHECK_STR(why, "secondary controls differ from cpu0's in bits 0x20 (first: 'enable VPID')");
    ap_caps = boot_caps;
    ap_caps.true_exit_ctls &= ~((uint64_t)EXIT_LOAD_IA32_EFER << 32);
    CHECK_EQ(vmx_controls_recheck(&boot, &ap_caps, why, sizeof why), E_NOTSUP);
    CHECK_STR(why, "VM-exit control 'load IA32_EFER' not allowed by IA32_VMX_TRUE_EXIT_CTLS");
}

TEST(pat_controls_go_together)
{
    struct vmx_caps caps;
    struct vmx_controls controls;
    char why[160];
    build_skylake_caps(&caps);
    caps.true_entry_ctls &= ~((uint64_t)ENTRY_LOAD_IA32_PAT << 32);
    CHECK_EQ(vmx_controls_compute(&caps, &controls, why, sizeof why), 0);
    CHECK(!(controls.value[VMX_CONTROL_EXIT] & (EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT)));
}

/* Each CPUID feature whose instruction needs a secondary control: shown with it, hidden without. */
TEST(cpuid_pairs_show_a_feature_only_with_its_control)
{
    size_t count = 0;
    const struct guest_cpuid_pair *pairs = guest_cpuid_pairs(&count);
    CHECK(count >= 5);
    const char *expected[] = { "RDTSCP", "RDPID", "INVPCID", "XSAVES/XRSTORS", "WAITPKG" };
    for (size_t i = 0; i < count && i < ARRAY_SIZE(expected); i++)
        CHECK_STR(pairs[i].feature, expected[i]);
    for (size_t i = 0; i < count; i++) {
        struct cpuid_regs all = { ~0u, ~0u, ~0u, ~0u };
        struct guest_cpuid_context without = { .secondary_controls = 0 };
        struct guest_cpuid_context with = { .secondary_controls = pairs[i].secondary_control };
        struct cpuid_regs hidden = guest_cpuid_filter(&without, pairs[i].leaf, pairs[i].subleaf, all);
        struct cpuid_regs shown = guest_cpuid_filter(&with, pairs[i].leaf, pairs[i].subleaf, all);
        uint32_t hidden_reg[] = { hidden.eax, hidden.ebx, hidden.ecx, hidden.edx };
        uint32_t shown_reg[] = { shown.eax, shown.ebx, shown.ecx, shown.edx };
        CHECK(!(hidden_reg[pairs[i].reg] & (1u << pairs[i].bit)));
        CHECK(shown_reg[pairs[i].reg] & (1u << pairs[i].bit));
    }
    /* A pair's bit on another subleaf is left alone (leaf 0xD subleaf 0 has no XSAVES bit). */
    struct guest_cpuid_context none = { 0 };
    struct cpuid_regs all = { ~0u, ~0u, ~0u, ~0u };
    CHECK_EQ(guest_cpuid_filter(&none, 0xD, 0, all).eax, ~0u);
}

TEST(cpuid_leaf_1_and_the_hypervisor_leaves)
{
    struct guest_cpuid_context ctx = { .status_gpa = 0x100000, .status_bytes = 8192, .local_apic = false };
    struct cpuid_regs leaf1 =
        guest_cpuid_filter(&ctx, 1, 0, (struct cpuid_regs){ 0, 0, CPUID1_ECX_VMX, 1u << 9 });
    CHECK(leaf1.ecx & CPUID1_ECX_HYPERVISOR);
    CHECK(!(leaf1.ecx & CPUID1_ECX_VMX));
    CHECK(!(leaf1.edx & (1u << 9))); /* no local APIC for this guest */
    struct cpuid_regs sig = guest_cpuid_filter(&ctx, 0x40000000, 0, (struct cpuid_regs){ 1, 2, 3, 4 });
    char text[13] = { 0 };
    memcpy(text, &sig.ebx, 4), memcpy(text + 4, &sig.ecx, 4), memcpy(text + 8, &sig.edx, 4);
    CHECK_STR(text, "vmxroot");
    CHECK_EQ(sig.eax, 0x40000001);
    struct cpuid_regs status = guest_cpuid_filter(&ctx, 0x40000001, 0, (struct cpuid_regs){ 1, 2, 3, 4 });
    CHECK_EQ(status.eax, 0x100000);
    CHECK_EQ(status.ebx, 0);
    CHECK_EQ(status.ecx, 8192);
    struct cpuid_regs beyond = guest_cpuid_filter(&ctx, 0x40000002, 0, (struct cpuid_regs){ 1, 2, 3, 4 });
    CHECK_EQ(beyond.eax | beyond.ebx | beyond.ecx | beyond.edx, 0);
}

/* cpuid_hypervisor=off: CPUID.1:ECX[31] clear even when the processor sets it; vmxroot's leaves stay. */
TEST(cpuid_hypervisor_off_clears_only_the_hypervisor_bit)
{
    struct guest_cpuid_context ctx = {
        .status_gpa = 0x100000, .status_bytes = 8192, .local_apic = true, .hypervisor_bit_clear = true
    };
    struct cpuid_regs leaf1 = guest_cpuid_filter(
        &ctx, 1, 0,
        (struct cpuid_regs){ 0, 0, CPUID1_ECX_HYPERVISOR | CPUID1_ECX_VMX | CPUID1_ECX_X2APIC, 1u << 9 });
    CHECK(!(leaf1.ecx & CPUID1_ECX_HYPERVISOR));
    CHECK(!(leaf1.ecx & CPUID1_ECX_VMX));
    CHECK(leaf1.ecx & CPUID1_ECX_X2APIC); /* the Linux guest's APIC bits pass */
    CHECK(leaf1.edx & (1u << 9));
    CHECK_EQ(guest_cpuid_filter(&ctx, 0x40000000, 0, (struct cpuid_regs){ 1, 2, 3, 4 }).eax, 0x40000001);
    CHECK_EQ(guest_cpuid_filter(&ctx, 0x40000001, 0, (struct cpuid_regs){ 1, 2, 3, 4 }).eax, 0x100000);
}

/* CPUID.1:EDX.APIC follows the vCPU's IA32_APIC_BASE view (clear while its global enable is clear). */
TEST(cpuid_apic_bit_follows_the_apic_view)
{
    struct guest_cpuid_context ctx = { .local_apic = true };
    struct cpuid_regs in = { 0, 0, CPUID1_ECX_X2APIC, 1u << 9 };
    CHECK(guest_cpuid_filter(&ctx, 1, 0, in).edx & (1u << 9));
    ctx.apic_disabled = true;
    struct cpuid_regs disabled = guest_cpuid_filter(&ctx, 1, 0, in);
    CHECK(!(disabled.edx & (1u << 9)));
    CHECK(disabled.ecx & CPUID1_ECX_X2APIC); /* the x2APIC feature bit is the processor's, not the mode's */
}

/* The CPUID exit's fast path: a leaf the filter does not change is the processor's answer as it is. */
TEST(cpuid_unfiltered_leaves_pass_unchanged_and_every_pair_leaf_is_filtered)
{
    size_t count = 0;
    const struct guest_cpuid_pair *pairs = guest_cpuid_pairs(&count);
    for (size_t i = 0; i < count; i++)
        CHECK(guest_cpuid_leaf_filtered(pairs[i].leaf));
    CHECK(guest_cpuid_leaf_filtered(1));
    struct guest_cpuid_context none = { 0 };
    struct cpuid_regs all = { ~0u, ~0u, ~0u, ~0u };
    const uint32_t leaves[] = { 0, 2, 4, 0xB, 0x16, 0x80000000u, 0x80000008u };
    for (size_t i = 0; i < ARRAY_SIZE(leaves); i++) {
        CHECK(!guest_cpuid_leaf_filtered(leaves[i]));
        struct cpuid_regs out = guest_cpuid_filter(&none, leaves[i], 0, all);
        CHECK_EQ(out.eax & out.ebx & out.ecx & out.edx, ~0u);
    }
}
