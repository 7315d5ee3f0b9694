// host-sources: arch/x86/vmx/vmcs_image.c arch/x86/vmx/vmentry_check.c arch/x86/vmx/vmentry_check_controls.c arch/x86/vmx/vmentry_check_host.c arch/x86/vmx/vmentry_check_guest.c arch/x86/vmx/vmentry_check_guest_segments.c arch/x86/vmx/vmentry_check_guest_state.c arch/x86/vmx/vmentry_check_msr_load.c arch/x86/vmx/vmentry_bochs_gaps.c
/*
 * The software VM-entry check against Bochs 2.7's corei7_skylake_x
 * capabilities: the valid images pass; every check has a case that breaks
 * exactly it (tests/unit/vmentry_break_cases.h) and the verdict names that
 * check, its class, field and value; plus the verdict details (errors, exit
 * reasons and qualifications), the plain-versus-TRUE capability MSRs, memory
 * reads that fail, and the Bochs-gap table's consistency.
 */
#include "tests/unit/check.h"
#include "tests/unit/vmentry_break_cases.h"

static struct vmentry_verdict run(struct test_vmentry *t)
{
    struct vmentry_verdict verdict;
    int err = vmentry_check(&t->in, &verdict);
    if (err != 0 && verdict.class_ != VMENTRY_NOT_CHECKED)
        printf("  vmentry_check returned %d with class %d\n", err, verdict.class_);
    return verdict;
}

static const char *const base_names[BASE_COUNT] = { "64-bit",       "32-bit paging off", "64-bit without UG",
                                                    "virtual-8086", "PAE with EPT",      "PAE without EPT" };

TEST(vmentry_every_base_image_passes)
{
    for (unsigned base = 0; base < BASE_COUNT; base++) {
        struct test_vmentry t;
        test_vmentry_init(&t, (enum test_base)base);
        struct vmentry_verdict verdict = run(&t);
        if (verdict.class_ != VMENTRY_OK)
            printf("  base %s fails %s: %s\n", base_names[base], vmentry_check_info(verdict.check)->id_name,
                   verdict.check_name);
        CHECK_EQ(verdict.class_, VMENTRY_OK);
        CHECK_EQ(verdict.check, VMENTRY_CHECK_NONE);
        CHECK_STR(verdict.check_name, "");
    }
}

TEST(vmentry_each_check_is_the_verdict_when_only_it_is_broken)
{
    for (size_t i = 0; i < ARRAY_SIZE(break_cases); i++) {
        const struct break_case *bc = &break_cases[i];
        const struct vmentry_check_info *want = vmentry_check_info(bc->check);
        struct test_vmentry t;
        test_vmentry_init(&t, bc->base);
        break_case_apply(&t, bc);
        struct vmentry_verdict verdict = run(&t);
        if (verdict.check != bc->check)
            printf("  case %zu: breaking %s gives %s\n", i, want->id_name,
                   verdict.check == VMENTRY_CHECK_NONE ? "no failure"
                                                       : vmentry_check_info(verdict.check)->id_name);
        CHECK_EQ(verdict.check, bc->check);
        CHECK_EQ(verdict.class_, want->class_);
        CHECK_STR(verdict.check_name, want->name);
        CHECK_EQ(verdict.field, want->field);
        uint64_t value = 0;
        CHECK(vmcs_image_get(&t.image, want->field, &value));
        CHECK_EQ(verdict.value, value);
    }
}

TEST(vmentry_every_check_has_a_case_and_a_unique_name)
{
    unsigned cases_of[VMENTRY_CHECK_COUNT] = { 0 };
    for (size_t i = 0; i < ARRAY_SIZE(break_cases); i++)
        cases_of[break_cases[i].check]++;
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++) {
        const struct vmentry_check_info *info = vmentry_check_info((enum vmentry_check_id)id);
        if (cases_of[id] == 0)
            printf("  check %s has no case\n", info->id_name);
        CHECK(cases_of[id] > 0);
        CHECK_EQ(info->id, id);
        CHECK(strlen(info->name) > 10);
        CHECK(vmcs_field_name(info->field) != NULL); /* every named field is in the image */
        for (unsigned other = 0; other < id; other++)
            CHECK(strcmp(info->name, vmentry_check_info((enum vmentry_check_id)other)->name) != 0);
    }
    CHECK(vmentry_check_info(VMENTRY_CHECK_COUNT) == NULL);
}

TEST(vmentry_classes_run_in_hardware_order)
{
    /* Break one check in each area at once: the controls win, then host, then guest, then MSR loading. */
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 1);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0xc0000100); /* IA32_FS_BASE */
    CHECK_EQ(run(&t).class_, VMENTRY_BAD_MSR_LOAD);
    image_put(&t.image, VMCS_GUEST_RIP, 0x0000800000000000ull);
    CHECK_EQ(run(&t).class_, VMENTRY_BAD_GUEST);
    image_put(&t.image, VMCS_HOST_RIP, 0x0000800000000000ull);
    CHECK_EQ(run(&t).class_, VMENTRY_BAD_HOST);
    image_put(&t.image, VMCS_VPID, 0);
    struct vmentry_verdict verdict = run(&t);
    CHECK_EQ(verdict.class_, VMENTRY_BAD_CONTROL);
    CHECK_EQ(verdict.check, VMENTRY_CHECK_vpid_nonzero);
}

TEST(vmentry_verdict_carries_what_the_processor_reports)
{
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VPID, 0);
    struct vmentry_verdict verdict = run(&t);
    CHECK_EQ(verdict.vm_instruction_error, 7);
    CHECK_EQ(verdict.exit_reason, 0);
    CHECK_EQ(verdict.field, VMCS_VPID);

    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_HOST_TR_SELECTOR, 0);
    verdict = run(&t);
    CHECK_EQ(verdict.vm_instruction_error, 8);
    CHECK_STR(vmentry_class_name(verdict.class_), "invalid host-state field (VM-instruction error 8)");

    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_LINK_POINTER, PAGE_LINK + 8);
    verdict = run(&t);
    CHECK_EQ(verdict.exit_reason, 0x80000021);
    CHECK_EQ(verdict.exit_qualification, 4);
    CHECK_EQ(verdict.value, PAGE_LINK + 8);

    test_vmentry_init(&t, BASE_PAE_NO_EPT);
    fake_phys_write64(&t.mem, PAGE_PDPT + 16, 0x20000 | 1 | (1u << 7));
    verdict = run(&t);
    CHECK_EQ(verdict.check, VMENTRY_CHECK_guest_pdpte2_memory_reserved);
    CHECK_EQ(verdict.exit_qualification, 2);

    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_GUEST_RFLAGS, 0x202);
    image_put(&t.image, VMCS_GUEST_INTERRUPTIBILITY_STATE, 1);
    image_put(&t.image, VMCS_VM_ENTRY_INTERRUPTION_INFO, 0x80000202);
    CHECK_EQ(run(&t).exit_qualification, 3);
}

TEST(vmentry_msr_load_names_the_failing_entry)
{
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 3);
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_ADDRESS, PAGE_MSR_LOAD);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0x277); /* IA32_PAT */
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD + 8, 0x0007040600070406ull);
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD + 16, 0x174); /* IA32_SYSENTER_CS */
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD + 32, 0x830); /* x2APIC ICR */
    struct vmentry_verdict verdict = run(&t);
    CHECK_EQ(verdict.check, VMENTRY_CHECK_msr_load_entry_x2apic);
    CHECK_EQ(verdict.exit_reason, 0x80000022);
    CHECK_EQ(verdict.exit_qualification, 3);
    CHECK_EQ(verdict.msr_index, 0x830);
    /* Two good entries pass. */
    image_put(&t.image, VMCS_VM_ENTRY_MSR_LOAD_COUNT, 2);
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
    /* Without a WRMSR model the WRMSR check is skipped. */
    fake_phys_write64(&t.mem, PAGE_MSR_LOAD, 0x1234);
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_msr_load_entry_wrmsr);
    t.in.msr_writable = NULL;
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
}

TEST(vmentry_plain_control_msrs_without_true_controls)
{
    /* With IA32_VMX_BASIC bit 55 clear the plain MSRs apply: CR3-load/store exiting are then required. */
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    t.caps.basic &= ~(1ull << 55);
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_proc_allowed0);
    image_put(&t.image, VMCS_CPU_BASED_VM_EXEC_CONTROL,
              t.image.primary_processor_based_controls | (3u << 15));
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_exit_allowed0); /* "save debug controls" is required too */
}

TEST(vmentry_secondary_controls_count_only_when_activated)
{
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64_NO_UG);
    image_put(&t.image, VMCS_SECONDARY_VM_EXEC_CONTROL, 0xffffffff); /* reserved bits everywhere */
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_proc2_allowed1);
    image_put(&t.image, VMCS_CPU_BASED_VM_EXEC_CONTROL,
              t.image.primary_processor_based_controls & ~(1u << 31));
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
    /* Nor do the secondary controls' allowed-0 bits. */
    t.caps.procbased_ctls2 |= 1u << 6;
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
}

TEST(vmentry_a_failed_memory_read_gives_no_verdict)
{
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_LINK_POINTER, 0x7000000); /* aligned, within the width, not in the fake memory */
    struct vmentry_verdict verdict;
    CHECK_EQ(vmentry_check(&t.in, &verdict), E_FAULT);
    CHECK_EQ(verdict.class_, VMENTRY_NOT_CHECKED);
    CHECK_EQ(verdict.check, VMENTRY_CHECK_guest_link_pointer_revision);
    /* Without a callback, the TPR-threshold check (virtual-APIC page) already needs memory. */
    test_vmentry_init(&t, BASE_64);
    t.in.read_phys = NULL;
    CHECK_EQ(vmentry_check(&t.in, &verdict), E_FAULT);
    CHECK_EQ(verdict.check, VMENTRY_CHECK_tpr_threshold_vtpr);
}

TEST(vmentry_default_cpu_and_widths)
{
    struct test_vmentry t;
    test_vmentry_init(&t, BASE_64);
    t.in.cpu = NULL; /* the defaults: 48-bit linear addresses, IA-32e host */
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
    /* A 5-level-paging CPU accepts a RIP canonical at 57 bits. */
    image_put(&t.image, VMCS_GUEST_RIP, 0x00ff800000000000ull);
    t.in.cpu = &t.cpu;
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_guest_rip_canonical);
    t.cpu.linear_address_width_bits = 57;
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
    /* IA32_VMX_BASIC bit 48 limits VMCS addresses to 32 bits. */
    test_vmentry_init(&t, BASE_64);
    image_put(&t.image, VMCS_MSR_BITMAP, 1ull << 33);
    CHECK_EQ(run(&t).class_, VMENTRY_OK);
    t.caps.basic |= 1ull << 48;
    CHECK_EQ(run(&t).check, VMENTRY_CHECK_msr_bitmap_width);
}

TEST(vmentry_bochs_gap_table_names_real_checks_and_sources)
{
    CHECK(vmentry_bochs_gap_count >= 20);
    for (size_t i = 0; i < vmentry_bochs_gap_count; i++) {
        const struct vmentry_bochs_gap *gap = &vmentry_bochs_gaps[i];
        CHECK(gap->check <= VMENTRY_CHECK_NONE);
        CHECK(strncmp(gap->bochs_source, "bochs/cpu/vmx.cc:", 17) == 0);
        CHECK(strlen(gap->what) > 10);
        if (gap->check != VMENTRY_CHECK_NONE)
            CHECK(vmentry_bochs_gap_of(gap->check) == gap); /* one row per check */
    }
    /* The three TESTBED.md names. */
    CHECK_EQ(vmentry_bochs_gap_of(VMENTRY_CHECK_guest_rip_canonical)->kind, BOCHS_MISSING);
    CHECK_EQ(vmentry_bochs_gap_of(VMENTRY_CHECK_guest_pending_debug_bs_set)->kind, BOCHS_MISSING);
    CHECK_EQ(vmentry_bochs_gap_of(VMENTRY_CHECK_guest_debugctl_reserved)->kind, BOCHS_MISSING);
    CHECK(vmentry_bochs_gap_of(VMENTRY_CHECK_vpid_nonzero) == NULL);
    CHECK(vmentry_bochs_gap_of(VMENTRY_CHECK_NONE) == NULL);
}

TEST(vmentry_coverage_table_lists_every_check)
{
    /* docs/vmentry-checks.md, written by tools/vmentry_checks_doc.py; the tests run from the tree's root. */
    static char doc[256 * 1024];
    FILE *f = fopen("docs/vmentry-checks.md", "rb");
    CHECK(f != NULL);
    if (f == NULL)
        return;
    size_t size = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[size] = '\0';
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++) {
        char cell[160];
        snprintf(cell, sizeof cell, "| `%s` |", vmentry_check_info((enum vmentry_check_id)id)->id_name);
        if (strstr(doc, cell) == NULL)
            printf("  docs/vmentry-checks.md lacks %s: run tools/vmentry_checks_doc.py\n", cell);
        CHECK(strstr(doc, cell) != NULL);
    }
}
