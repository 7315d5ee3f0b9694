// host-sources: arch/x86/vmx/vmcs_image.c arch/x86/vmx/vmentry_check.c arch/x86/vmx/vmentry_check_controls.c arch/x86/vmx/vmentry_check_host.c arch/x86/vmx/vmentry_check_guest.c arch/x86/vmx/vmentry_check_guest_segments.c arch/x86/vmx/vmentry_check_guest_state.c arch/x86/vmx/vmentry_check_msr_load.c arch/x86/vmx/vmentry_bochs_gaps.c arch/x86/vmx/vmentry_diff_mutate.c arch/x86/vmx/vmentry_diff_compare.c
/*
 * The pure half of the differential test: the seeded mutations (repeatable,
 * only fields the checks read, the EPTP keeps its address, many checks
 * reached), which cases may be launched, and the comparison of our verdict
 * with a VM entry's outcome, including the Bochs-gap explanations.
 */
#include "arch/x86/vmx/vmentry_diff.h"
#include "tests/unit/check.h"
#include "tests/unit/vmentry_build.h"

static struct vmentry_verdict verdict_of(struct test_vmentry *t)
{
    struct vmentry_verdict verdict;
    (void)vmentry_check(&t->in, &verdict);
    return verdict;
}

static struct vmentry_diff_outcome entered(void)
{
    struct vmentry_diff_outcome out;
    vmentry_diff_outcome_of(&out, false, 0, 52 /* VMX-preemption timer expired */, 0);
    return out;
}

static struct vmentry_diff_outcome refused(enum vmentry_class class_)
{
    struct vmentry_diff_outcome out;
    if (class_ == VMENTRY_BAD_CONTROL || class_ == VMENTRY_BAD_HOST)
        vmentry_diff_outcome_of(&out, true, class_ == VMENTRY_BAD_CONTROL ? 7 : 8, 0, 0);
    else
        vmentry_diff_outcome_of(&out, false, 0, 0x80000000u | (class_ == VMENTRY_BAD_GUEST ? 33 : 34), 0);
    return out;
}

static enum vmentry_diff_result compare(struct test_vmentry *t, struct vmentry_diff_outcome theirs,
                                        const struct vmentry_bochs_gap **gap)
{
    struct vmentry_verdict ours = verdict_of(t);
    return vmentry_diff_compare(&t->in, &ours, &theirs, gap);
}

TEST(vmentry_diff_random_is_repeatable)
{
    struct vmentry_diff_rng a, b;
    vmentry_diff_seed(&a, 42);
    vmentry_diff_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        CHECK_EQ(vmentry_diff_random(&a), vmentry_diff_random(&b));
    vmentry_diff_seed(&a, 0); /* a zero seed still runs */
    CHECK(vmentry_diff_random(&a) != 0);
}

TEST(vmentry_diff_mutations_are_repeatable_and_recorded)
{
    static struct test_vmentry t, u;
    struct vmentry_diff_rng rng_t, rng_u;
    vmentry_diff_seed(&rng_t, 7);
    vmentry_diff_seed(&rng_u, 7);
    for (int n = 0; n < 500; n++) {
        test_vmentry_init(&t, BASE_64);
        test_vmentry_init(&u, BASE_64);
        struct vmentry_diff_case ct, cu;
        vmentry_diff_mutate(&rng_t, &t.image, &t.caps, TEST_PHYS_WIDTH, &ct);
        vmentry_diff_mutate(&rng_u, &u.image, &u.caps, TEST_PHYS_WIDTH, &cu);
        CHECK(ct.count >= 1 && ct.count <= VMENTRY_DIFF_MAX_MUTATIONS);
        CHECK_EQ(ct.count, cu.count);
        CHECK(memcmp(&t.image, &u.image, sizeof t.image) == 0);
        for (unsigned i = 0; i < ct.count; i++) {
            CHECK_EQ(ct.mutations[i].field, cu.mutations[i].field);
            CHECK_EQ(ct.mutations[i].new_value, cu.mutations[i].new_value);
            if (ct.mutations[i].field == VMCS_EPT_POINTER)
                CHECK_EQ(ct.mutations[i].new_value & 0xfffffff000ull, PAGE_EPT_PML4);
        }
        /* The last write of each field is in the image. */
        uint64_t value = 0;
        const struct vmentry_diff_mutation *last = &ct.mutations[ct.count - 1];
        CHECK(vmcs_image_get(&t.image, last->field, &value));
        CHECK_EQ(value, last->new_value);
    }
}

TEST(vmentry_diff_mutations_reach_many_checks)
{
    static struct test_vmentry t;
    static unsigned hits[VMENTRY_CHECK_COUNT + 1];
    struct vmentry_diff_rng rng;
    vmentry_diff_seed(&rng, 1);
    unsigned distinct = 0, refused_count = 0, cases = 20000;
    for (unsigned n = 0; n < cases; n++) {
        test_vmentry_init(&t, n % 2 ? BASE_64 : BASE_32);
        struct vmentry_diff_case c;
        vmentry_diff_mutate(&rng, &t.image, &t.caps, TEST_PHYS_WIDTH, &c);
        struct vmentry_verdict v = verdict_of(&t);
        refused_count += v.class_ != VMENTRY_OK;
        if (hits[v.check]++ == 0 && v.check != VMENTRY_CHECK_NONE)
            distinct++;
    }
    printf("  %u cases: %u refused, %u distinct checks named\n", cases, refused_count, distinct);
    CHECK(distinct >= 80);
    CHECK(refused_count > cases / 4 && refused_count < cases);
}

TEST(vmentry_diff_launchable_keeps_the_host_alive)
{
    static struct test_vmentry t;
    struct vmentry_diff_case c = { 1, { { VMCS_HOST_RIP, 0, 0 } } };
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_HOST_RIP, 0xffffffff80100040ull); /* accepted, and the exit would go elsewhere */
    struct vmentry_verdict v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&c, &t.image, &t.caps, &v), DIFF_UNSAFE);
    image_put(&t.image, VMCS_HOST_RIP, 0x0000800000000000ull); /* refused by a check Bochs has */
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&c, &t.image, &t.caps, &v), DIFF_LAUNCH);
    /* Refused only by a check Bochs lacks: Bochs would enter with the bad host RIP. */
    image_put(&t.image, VMCS_HOST_RIP, 0xffffffff80100040ull);
    image_put(&t.image, VMCS_GUEST_RIP, 0x0000800000000000ull);
    v = verdict_of(&t);
    CHECK_EQ(v.check, VMENTRY_CHECK_guest_rip_canonical);
    CHECK_EQ(vmentry_diff_launchable(&c, &t.image, &t.caps, &v), DIFF_UNSAFE);
    /* A guest-state refusal is a VM exit, which loads the (broken) host state: not launched. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_HOST_RIP, 0xffffffff80100040ull);
    image_put(&t.image, VMCS_GUEST_TR_SELECTOR, 0x1c);
    v = verdict_of(&t);
    CHECK_EQ(v.class_, VMENTRY_BAD_GUEST);
    CHECK_EQ(vmentry_diff_launchable(&c, &t.image, &t.caps, &v), DIFF_UNSAFE);
    /* An MSR-load list is launched only when the entry fails before the first MSR is loaded. */
    struct vmentry_diff_case m = { 1, { { VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0, 2 } } };
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 2);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0x174);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD + 16, 0xc0000100);
    v = verdict_of(&t);
    CHECK_EQ(v.exit_qualification, 2);
    CHECK_EQ(vmentry_diff_launchable(&m, &t.image, &t.caps, &v), DIFF_UNSAFE);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0xc0000101);
    v = verdict_of(&t);
    CHECK_EQ(v.exit_qualification, 1);
    CHECK_EQ(vmentry_diff_launchable(&m, &t.image, &t.caps, &v), DIFF_LAUNCH);
    /* HLT comes back only with the VMX-preemption timer; shutdown never (Bochs ends there). */
    struct vmentry_diff_case h = { 1, { { VMCS_GUEST_ACTIVITY_STATE, 0, 1 } } };
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_ACTIVITY_STATE, 1);
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&h, &t.image, &t.caps, &v), DIFF_NEVER_LAUNCH);
    image_put(&t.image, VMCS_PIN_BASED_VM_EXEC_CONTROL, t.image.pin_based_controls | (1u << 6));
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&h, &t.image, &t.caps, &v), DIFF_LAUNCH);
    image_put(&t.image, VMCS_GUEST_ACTIVITY_STATE, 2);
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&h, &t.image, &t.caps, &v), DIFF_NEVER_LAUNCH);
    /* A guest field accepted is launched; wait-for-SIPI never (no preemption timer there). */
    struct vmentry_diff_case g = { 1, { { VMCS_GUEST_ACTIVITY_STATE, 0, 3 } } };
    test_vmentry_init(&t, BASE_64);
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&g, &t.image, &t.caps, &v), DIFF_LAUNCH);
    image_put(&t.image, VMCS_GUEST_ACTIVITY_STATE, 3);
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&g, &t.image, &t.caps, &v), DIFF_NEVER_LAUNCH);
    /* Bochs panics on an injected "other event" without MTF: never, whatever our verdict. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VM_ENTRY_INTERRUPTION_INFO, 0x80000700);
    v = verdict_of(&t);
    CHECK_EQ(vmentry_diff_launchable(&g, &t.image, &t.caps, &v), DIFF_NEVER_LAUNCH);
}

TEST(vmentry_diff_outcome_decodes_the_entry)
{
    struct vmentry_diff_outcome o;
    vmentry_diff_outcome_of(&o, true, 7, 0, 0);
    CHECK_EQ(o.class_, VMENTRY_BAD_CONTROL);
    vmentry_diff_outcome_of(&o, true, 8, 0, 0);
    CHECK_EQ(o.class_, VMENTRY_BAD_HOST);
    vmentry_diff_outcome_of(&o, true, 26, 0, 0); /* events blocked by MOV SS: not an entry check */
    CHECK_EQ(o.class_, VMENTRY_NOT_CHECKED);
    vmentry_diff_outcome_of(&o, false, 0, 0x80000021, 4);
    CHECK_EQ(o.class_, VMENTRY_BAD_GUEST);
    CHECK_EQ(o.exit_qualification, 4);
    vmentry_diff_outcome_of(&o, false, 0, 0x80000022, 1);
    CHECK_EQ(o.class_, VMENTRY_BAD_MSR_LOAD);
    vmentry_diff_outcome_of(&o, false, 0, 12, 0);
    CHECK_EQ(o.class_, VMENTRY_OK);
}

TEST(vmentry_diff_compare_agree_stricter_disagree)
{
    static struct test_vmentry t;
    const struct vmentry_bochs_gap *gap;
    test_vmentry_init(&t, BASE_64);
    CHECK_EQ(compare(&t, entered(), &gap), DIFF_AGREE);
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_HOST), &gap),
             DIFF_DISAGREE); /* we accept, it refuses: unexplained */
    image_put(&t.image, VMCS_VPID, 0);
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_CONTROL), &gap), DIFF_AGREE);
    CHECK_EQ(compare(&t, entered(), &gap), DIFF_DISAGREE); /* Bochs checks the VPID: that would be a bug */
    /* Bochs enters with a non-canonical RIP: explained, stricter. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_RIP, 0x0000800000000000ull);
    CHECK_EQ(compare(&t, entered(), &gap), DIFF_STRICTER);
    CHECK(gap == vmentry_bochs_gap_of(VMENTRY_CHECK_guest_rip_canonical));
    /* ... but a second, real failure in the same case is not explained by it. */
    image_put(&t.image, VMCS_GUEST_TR_SELECTOR, 0x1c);
    CHECK_EQ(compare(&t, entered(), &gap), DIFF_DISAGREE);
    /* Missing-in-Bochs guest check, and Bochs refuses later at MSR loading: stricter. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_IA32_DEBUGCTL, 1u << 3);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 1);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0xc0000100);
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_MSR_LOAD), &gap), DIFF_STRICTER);
}

TEST(vmentry_diff_compare_uses_bochs_rules)
{
    static struct test_vmentry t;
    const struct vmentry_bochs_gap *gap;
    /* Entry to SMM: we refuse with the controls, Bochs in the guest state. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VM_ENTRY_CONTROLS, t.image.vm_entry_controls | (1u << 10));
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_GUEST), &gap), DIFF_STRICTER);
    CHECK(gap == vmentry_bochs_gap_of(VMENTRY_CHECK_entry_to_smm_outside_smm));
    /* CS.RPL 3, CS.DPL 0 = SS.DPL with unrestricted guest: the SDM accepts, Bochs's older rule refuses. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_CS_SELECTOR, 0x0b);
    CHECK_EQ(verdict_of(&t).class_, VMENTRY_OK);
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_GUEST), &gap), DIFF_STRICTER);
    CHECK(gap == vmentry_bochs_gap_of(VMENTRY_CHECK_guest_cs_dpl_nonconforming));
    /* CS.DPL 3 = CS.RPL, SS.DPL 0: the SDM refuses, Bochs's older rule lets it through. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_CS_SELECTOR, 0x0b);
    image_put(&t.image, VMCS_GUEST_CS_ACCESS_RIGHTS, 0xa0fb);
    CHECK_EQ(verdict_of(&t).check, VMENTRY_CHECK_guest_cs_dpl_nonconforming);
    CHECK_EQ(compare(&t, entered(), &gap), DIFF_STRICTER);
    /* "use TSC scaling" (multiplier 0): Bochs refuses, the SDM does not. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_SECONDARY_VM_EXEC_CONTROL,
              t.image.secondary_processor_based_controls | (1u << 25));
    CHECK_EQ(verdict_of(&t).class_, VMENTRY_OK);
    CHECK_EQ(compare(&t, refused(VMENTRY_BAD_CONTROL), &gap), DIFF_STRICTER);
    CHECK(gap != NULL && gap->check == VMENTRY_CHECK_NONE);
    CHECK_STR(vmentry_diff_result_name(DIFF_STRICTER), "stricter");
}
