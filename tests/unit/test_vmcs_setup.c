// host-sources: arch/x86/vmx/vmcs_setup_controls.c arch/x86/vmx/vmcs_setup_host.c arch/x86/vmx/vmcs_setup_guest.c arch/x86/vmx/vmx_controls.c arch/x86/vmx/vmx_caps.c arch/x86/vmx/vmx_caps_names.c arch/x86/vmx/vmx_caps_report.c arch/x86/vmx/vmx_text.c arch/x86/vmx/vmcs_image.c arch/x86/vmx/vmentry_check.c arch/x86/vmx/vmentry_check_controls.c arch/x86/vmx/vmentry_check_host.c arch/x86/vmx/vmentry_check_guest.c arch/x86/vmx/vmentry_check_guest_segments.c arch/x86/vmx/vmentry_check_guest_state.c arch/x86/vmx/vmentry_check_msr_load.c arch/x86/vmx/vmentry_bochs_gaps.c core/lib/format.c core/lib/error.c
/*
 * The VMCS images vmxroot builds (controls, host state, guest state for
 * each entry mode) against Bochs 2.7's corei7_skylake_x capabilities: each
 * passes the software VM-entry check, so the setup and the check agree; the
 * read shadows hide what vmxroot owns; without unrestricted guest the modes
 * that need it are refused by name.
 */
#include "arch/x86/vmx/vmcs_setup.h"
#include "arch/x86/vmx/vmentry_check.h"
#include "arch/x86/cr.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/vmentry_build.h"

struct setup {
    struct vmx_caps caps;
    struct vmx_controls controls;
    struct vmcs_image image;
};

/* A host state as vmxroot's CPUs have it (64-bit, flat selectors of percpu.h, canonical bases). */
static const struct vmcs_host_state host = {
    .cr0 = 0x80010033,
    .cr3 = 0x200000,
    .cr4 = 0x3426a0,
    .cs = 0x08,
    .ss = 0x10,
    .ds = 0x10,
    .es = 0x10,
    .fs = 0,
    .gs = 0,
    .tr = 0x18,
    .fs_base = 0,
    .gs_base = 0x150000,
    .tr_base = 0x150100,
    .gdtr_base = 0x150080,
    .idtr_base = 0x120000,
    .rsp = 0x160000,
    .rip = 0x101000,
    .efer = 0xd00,
    .pat = 0x0007040600070406ull,
};

static int build(struct setup *s, enum vmcs_entry_mode mode, char *why, size_t why_bytes)
{
    memset(s, 0, sizeof *s);
    build_skylake_caps(&s->caps);
    if (vmx_controls_compute(&s->caps, &s->controls, why, why_bytes))
        return E_NOTSUP;
    struct vmcs_control_params params = {
        .io_bitmap_a_phys = 0x300000,
        .io_bitmap_b_phys = 0x301000,
        .msr_bitmap_phys = 0x302000,
        .ept_pointer = 0x303000 | 6 | (3 << 3),
        .vpid = 1,
        .preemption_timer_value = 1000,
        .cr0_guest_host_mask = CR0_NE,
        .cr4_guest_host_mask = CR4_VMXE,
    };
    struct vmcs_guest_entry entry = {
        .mode = mode,
        .rip = 0x1000,
        .rsp = 0xf000,
        .cr3 = 0x8000,
        .gdtr_base = 0x1100,
        .gdtr_limit = 31,
        .code_selector = mode == VMCS_ENTRY_LONG64 ? 0x18 : 0x08,
        .data_selector = 0x10,
    };
    vmcs_image_clear(&s->image);
    int err = vmcs_setup_controls(&s->image, &s->controls, &params, mode, why, why_bytes);
    if (err)
        return err;
    vmcs_setup_host(&s->image, &s->controls, &host);
    return vmcs_setup_guest(&s->image, &s->caps, &s->controls, &entry, why, why_bytes);
}

static struct vmentry_verdict judge(const struct setup *s)
{
    struct vmentry_cpu cpu;
    struct vmentry_verdict verdict;
    vmentry_cpu_default(&cpu);
    struct vmentry_check_input in = {
        .image = &s->image, .caps = &s->caps, .phys_address_width_bits = 46, .cpu = &cpu
    };
    CHECK_EQ(vmentry_check(&in, &verdict), 0);
    return verdict;
}

static uint64_t field(const struct setup *s, uint32_t encoding)
{
    uint64_t value = 0;
    CHECK(vmcs_image_get(&s->image, encoding, &value));
    return value;
}

TEST(every_entry_mode_passes_the_software_check)
{
    static struct setup s;
    char why[160];
    for (int mode = 0; mode < VMCS_ENTRY_MODE_COUNT; mode++) {
        CHECK_EQ(build(&s, (enum vmcs_entry_mode)mode, why, sizeof why), 0);
        struct vmentry_verdict verdict = judge(&s);
        if (verdict.class_ != VMENTRY_OK)
            printf("  %s: %s (field 0x%x = 0x%llx)\n", vmcs_entry_mode_name((enum vmcs_entry_mode)mode),
                   verdict.check_name, verdict.field, (unsigned long long)verdict.value);
        CHECK_EQ(verdict.class_, VMENTRY_OK);
    }
}

TEST(the_guest_sees_its_loaders_cr0_and_no_vmxe)
{
    static struct setup s;
    char why[160];
    CHECK_EQ(build(&s, VMCS_ENTRY_PROTECTED32, why, sizeof why), 0);
    CHECK(field(&s, VMCS_GUEST_CR0) & CR0_NE);          /* VMX fixes it at 1 ... */
    CHECK(!(field(&s, VMCS_CR0_READ_SHADOW) & CR0_NE)); /* ... a multiboot kernel sees 0 */
    CHECK(!(field(&s, VMCS_GUEST_CR0) & CR0_PG));       /* paging off: unrestricted guest */
    CHECK(field(&s, VMCS_GUEST_CR4) & CR4_VMXE);
    CHECK_EQ(field(&s, VMCS_CR4_READ_SHADOW), 0);
    CHECK(!(field(&s, VMCS_VM_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST));
    CHECK_EQ(build(&s, VMCS_ENTRY_LONG64, why, sizeof why), 0);
    CHECK(field(&s, VMCS_VM_ENTRY_CONTROLS) & ENTRY_IA32E_MODE_GUEST);
    CHECK_EQ(field(&s, VMCS_GUEST_IA32_EFER), 0x500);
    CHECK_EQ(field(&s, VMCS_GUEST_CS_ACCESS_RIGHTS), 0xa09b);
    CHECK_EQ(field(&s, VMCS_LINK_POINTER), ~0ull);
    CHECK_EQ(field(&s, VMCS_HOST_CS_SELECTOR), 0x08);
    CHECK_EQ(field(&s, VMCS_VPID), 1);
}

TEST(without_unrestricted_guest_the_modes_that_need_it_are_refused_by_name)
{
    static struct setup s;
    char why[160];
    build(&s, VMCS_ENTRY_LONG64, why, sizeof why);
    s.controls.value[VMX_CONTROL_SECONDARY] &= ~PROC2_UNRESTRICTED_GUEST;
    struct vmcs_guest_entry entry = { .mode = VMCS_ENTRY_REAL_MODE };
    CHECK_EQ(vmcs_setup_guest(&s.image, &s.caps, &s.controls, &entry, why, sizeof why), E_NOTSUP);
    CHECK_STR(why, "real mode needs the secondary control 'unrestricted guest', which this CPU lacks");
    entry.mode = VMCS_ENTRY_PROTECTED32;
    CHECK_EQ(vmcs_setup_guest(&s.image, &s.caps, &s.controls, &entry, why, sizeof why), E_NOTSUP);
    CHECK_STR(why,
              "32-bit protected mode (paging off) needs the secondary control 'unrestricted guest', which "
              "this CPU lacks");
    entry = (struct vmcs_guest_entry){
        .mode = VMCS_ENTRY_LONG64, .rip = 0x1000, .cr3 = 0x8000, .code_selector = 0x18, .data_selector = 0x10
    };
    CHECK_EQ(vmcs_setup_guest(&s.image, &s.caps, &s.controls, &entry, why, sizeof why), 0);
}

TEST(access_rights_helper)
{
    CHECK_EQ(vmcs_access_rights(0xb, true, false, true, true), 0xc09b);
    CHECK_EQ(vmcs_access_rights(0x3, true, false, false, false), 0x93);
    CHECK_EQ(vmcs_access_rights(0xb, false, false, false, false), 0x8b);
}
