// host-sources: arch/x86/vmx/vmx_caps.c arch/x86/vmx/vmx_caps_names.c arch/x86/vmx/vmx_caps_report.c arch/x86/vmx/vmx_text.c core/lib/format.c core/lib/error.c
/*
 * VMX capability MSRs over a fake RDMSR holding values like Bochs 2.7's
 * corei7_skylake_x (revision 0x2b, 4 KiB write-back regions, TRUE controls,
 * EPT, VPID, unrestricted guest): which MSRs get read, the decoders, the
 * basic check, the CR fixed-bit check and the per-AP comparison.
 */
#include "arch/x86/vmx/vmx_caps.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"

struct fake_msr {
    uint32_t msr;
    uint64_t value;
};

struct fake_cpu_msrs {
    struct fake_msr msrs[32];
    int count;
    uint32_t read_log[32];
    int reads;
    uint32_t fail_msr; /* this one answers E_FAULT, as a #GP would */
};

static int fake_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    struct fake_cpu_msrs *cpu = ctx;
    if (cpu->reads < 32)
        cpu->read_log[cpu->reads++] = msr;
    if (msr == cpu->fail_msr)
        return E_FAULT;
    for (int i = 0; i < cpu->count; i++) {
        if (cpu->msrs[i].msr == msr) {
            *value = cpu->msrs[i].value;
            return 0;
        }
    }
    return E_FAULT;
}

static void set_msr(struct fake_cpu_msrs *cpu, uint32_t msr, uint64_t value)
{
    for (int i = 0; i < cpu->count; i++) {
        if (cpu->msrs[i].msr == msr) {
            cpu->msrs[i].value = value;
            return;
        }
    }
    cpu->msrs[cpu->count++] = (struct fake_msr){ msr, value };
}

#define SKYLAKE_BASIC 0x00d810000000002bull /* rev 0x2b, 4096 bytes, WB, INS/OUTS info, TRUE controls */

static struct fake_cpu_msrs skylake(void)
{
    struct fake_cpu_msrs cpu = { .count = 0 };
    set_msr(&cpu, MSR_IA32_VMX_BASIC, SKYLAKE_BASIC);
    set_msr(&cpu, MSR_IA32_VMX_PINBASED_CTLS, 0x0000007f00000016ull);
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS, 0xfff9fffe0401e172ull);
    set_msr(&cpu, MSR_IA32_VMX_EXIT_CTLS, 0x01ffffff00036dffull);
    set_msr(&cpu, MSR_IA32_VMX_ENTRY_CTLS, 0x0003ffff000011ffull);
    set_msr(&cpu, MSR_IA32_VMX_MISC, 0x00000000000401e5ull);
    set_msr(&cpu, MSR_IA32_VMX_CR0_FIXED0, 0x80000021ull);
    set_msr(&cpu, MSR_IA32_VMX_CR0_FIXED1, 0xffffffffull);
    set_msr(&cpu, MSR_IA32_VMX_CR4_FIXED0, 0x2000ull);
    set_msr(&cpu, MSR_IA32_VMX_CR4_FIXED1, 0x003767ffull);
    set_msr(&cpu, MSR_IA32_VMX_VMCS_ENUM, 0x2eull);
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2, 0x000033ff00000000ull); /* EPT, VPID, UG, VM functions */
    set_msr(&cpu, MSR_IA32_VMX_EPT_VPID_CAP, 0x00000f0106734141ull);
    set_msr(&cpu, MSR_IA32_VMX_TRUE_PINBASED_CTLS, 0x0000007f00000016ull);
    set_msr(&cpu, MSR_IA32_VMX_TRUE_PROCBASED_CTLS, 0xfff9fffe04006172ull);
    set_msr(&cpu, MSR_IA32_VMX_TRUE_EXIT_CTLS, 0x01ffffff00036dfbull);
    set_msr(&cpu, MSR_IA32_VMX_TRUE_ENTRY_CTLS, 0x0003ffff000011fbull);
    set_msr(&cpu, MSR_IA32_VMX_VMFUNC, 0x1ull);
    return cpu;
}

static bool was_read(const struct fake_cpu_msrs *cpu, uint32_t msr)
{
    for (int i = 0; i < cpu->reads; i++)
        if (cpu->read_log[i] == msr)
            return true;
    return false;
}

TEST(caps_read_skylake_reads_every_msr_and_summarizes)
{
    struct fake_cpu_msrs cpu = skylake();
    struct vmx_caps caps;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), 0);
    CHECK_EQ(cpu.reads, 18);
    CHECK_EQ(caps.basic, SKYLAKE_BASIC);
    CHECK_EQ(caps.procbased_ctls, 0xfff9fffe0401e172ull);
    CHECK_EQ(caps.true_entry_ctls, 0x0003ffff000011fbull);
    CHECK_EQ(caps.vmfunc, 1);
    CHECK(caps.have_procbased_ctls2 && caps.have_ept_vpid_cap && caps.have_true_controls && caps.have_vmfunc);
    CHECK(caps.ept && caps.vpid && caps.unrestricted_guest);
}

TEST(caps_basic_decoders)
{
    CHECK_EQ(vmx_basic_revision_id(SKYLAKE_BASIC), 0x2b);
    CHECK_EQ(vmx_basic_region_size_bytes(SKYLAKE_BASIC), 4096);
    CHECK_EQ(vmx_basic_memory_type(SKYLAKE_BASIC), VMX_MEMORY_TYPE_WRITE_BACK);
    CHECK(vmx_basic_true_controls(SKYLAKE_BASIC));
    CHECK(!vmx_basic_phys_width_32(SKYLAKE_BASIC));
    CHECK_EQ(vmx_basic_revision_id(0xffffffffull), 0x7fffffff); /* bit 31 is not part of the id */
    uint64_t narrow = SKYLAKE_BASIC | VMX_BASIC_PHYS_WIDTH_32;
    CHECK(vmx_basic_phys_width_32(narrow));
    struct vmx_caps caps = { .basic = narrow };
    CHECK_EQ(vmx_caps_vmcs_phys_width_bits(&caps, 39), 32);
    caps.basic = SKYLAKE_BASIC;
    CHECK_EQ(vmx_caps_vmcs_phys_width_bits(&caps, 39), 39);
}

TEST(caps_read_skips_msrs_that_do_not_exist)
{
    /* No secondary controls (like bx_generic): 0x48B, 0x48C, 0x491 must not be read. */
    struct fake_cpu_msrs cpu = skylake();
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS, 0x7ff9fffe0401e172ull);
    set_msr(&cpu, MSR_IA32_VMX_BASIC, SKYLAKE_BASIC & ~VMX_BASIC_TRUE_CONTROLS);
    struct vmx_caps caps;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), 0);
    CHECK_EQ(cpu.reads, 11);
    CHECK(!was_read(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2));
    CHECK(!was_read(&cpu, MSR_IA32_VMX_EPT_VPID_CAP));
    CHECK(!was_read(&cpu, MSR_IA32_VMX_TRUE_PINBASED_CTLS));
    CHECK(!was_read(&cpu, MSR_IA32_VMX_VMFUNC));
    CHECK(!caps.have_procbased_ctls2 && !caps.have_ept_vpid_cap && !caps.have_true_controls &&
          !caps.have_vmfunc);
    CHECK(!caps.ept && !caps.vpid && !caps.unrestricted_guest);

    /* Secondary controls with neither EPT nor VPID nor VM functions (like sandy bridge without EPT). */
    cpu = skylake();
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2, 0x0000000d00000000ull);
    cpu.reads = 0;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), 0);
    CHECK(was_read(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2));
    CHECK(!was_read(&cpu, MSR_IA32_VMX_EPT_VPID_CAP));
    CHECK(!was_read(&cpu, MSR_IA32_VMX_VMFUNC));
    CHECK(caps.have_true_controls);
    CHECK_EQ(cpu.reads, 16);

    /* VPID alone is enough for IA32_VMX_EPT_VPID_CAP. */
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2, 0x0000002000000000ull);
    cpu.reads = 0;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), 0);
    CHECK(was_read(&cpu, MSR_IA32_VMX_EPT_VPID_CAP));
    CHECK(caps.vpid && !caps.ept);
}

TEST(caps_read_error_is_reported_by_msr_name)
{
    struct fake_cpu_msrs cpu = skylake();
    cpu.fail_msr = MSR_IA32_VMX_CR4_FIXED1;
    struct vmx_caps caps;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), E_FAULT);
    CHECK(log_contains("reading IA32_VMX_CR4_FIXED1 (0x489) failed: E_FAULT"));
}

TEST(caps_check_basic_accepts_skylake_and_rejects_size_and_type)
{
    struct vmx_caps caps = { .basic = SKYLAKE_BASIC };
    char why[200];
    CHECK_EQ(vmx_caps_check_basic(&caps, why, sizeof why), 0);
    CHECK_STR(why, "");
    caps.basic = (SKYLAKE_BASIC & ~(0x1fffull << 32)) | (8000ull << 32);
    CHECK_EQ(vmx_caps_check_basic(&caps, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "8000 bytes") != NULL);
    caps.basic = SKYLAKE_BASIC & ~(0xfull << 50); /* uncacheable */
    CHECK_EQ(vmx_caps_check_basic(&caps, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "memory type is 0 (uncacheable), not 6 (write-back)") != NULL);
    caps.basic = (SKYLAKE_BASIC & ~(0xfull << 50)) | (5ull << 50);
    CHECK_EQ(vmx_caps_check_basic(&caps, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "memory type is 5 (reserved)") != NULL);
    caps.basic = SKYLAKE_BASIC & ~(0x1fffull << 32);
    CHECK_EQ(vmx_caps_check_basic(&caps, why, sizeof why), E_NOTSUP);
}

static struct vmx_caps read_caps(struct fake_cpu_msrs cpu)
{
    struct vmx_caps caps;
    CHECK_EQ(vmx_caps_read(&caps, fake_rdmsr, &cpu), 0);
    return caps;
}

TEST(caps_compare_identical_is_quiet)
{
    struct vmx_caps boot = read_caps(skylake()), ap = read_caps(skylake());
    CHECK_EQ(vmx_caps_compare(&boot, &ap, 3), 0);
    CHECK_STR(log_captured(), "");
}

TEST(caps_compare_names_msr_and_bits)
{
    struct fake_cpu_msrs cpu = skylake();
    struct vmx_caps boot = read_caps(cpu);
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS, 0xfff9fffe0401e172ull & ~(1ull << 34));
    set_msr(&cpu, MSR_IA32_VMX_CR4_FIXED1, 0x003767ffull & ~(1ull << 20));
    struct vmx_caps ap = read_caps(cpu);
    CHECK_EQ(vmx_caps_compare(&boot, &ap, 3), E_INVAL);
    CHECK(log_contains("VMX capabilities differ from cpu0: IA32_VMX_PROCBASED_CTLS (0x482) bits "
                       "0x0000000400000000 differ (allowed-1 interrupt-window exiting)"));
    CHECK(log_contains("IA32_VMX_CR4_FIXED1 (0x489) bits 0x0000000000100000 differ\n"));
    CHECK(log_contains("cpu3: 2 VMX capability MSR(s) differ from cpu0's"));
    CHECK(!log_contains("IA32_VMX_BASIC"));
}

TEST(caps_compare_unnamed_bits_and_allowed_0)
{
    struct fake_cpu_msrs cpu = skylake();
    struct vmx_caps boot = read_caps(cpu);
    /* allowed-0 bit 1 (a reserved default-1 bit) and allowed-1 bit 1 (unnamed) of the pin-based controls. */
    set_msr(&cpu, MSR_IA32_VMX_PINBASED_CTLS, 0x0000007f00000016ull ^ (1ull << 1) ^ (1ull << 33));
    struct vmx_caps ap = read_caps(cpu);
    CHECK_EQ(vmx_caps_compare(&boot, &ap, 1), E_INVAL);
    CHECK(log_contains(
        "IA32_VMX_PINBASED_CTLS (0x481) bits 0x0000000200000002 differ (allowed-0 bit 1, allowed-1 bit 1)"));
}

TEST(caps_compare_missing_msr_on_ap)
{
    struct fake_cpu_msrs cpu = skylake();
    struct vmx_caps boot = read_caps(cpu);
    set_msr(&cpu, MSR_IA32_VMX_PROCBASED_CTLS2,
            0x0000000100000000ull); /* no EPT/VPID/VMFUNC: no 0x48C, 0x491 */
    struct vmx_caps ap = read_caps(cpu);
    CHECK_EQ(vmx_caps_compare(&boot, &ap, 2), E_INVAL);
    CHECK(log_contains("IA32_VMX_EPT_VPID_CAP (0x48C) exists on cpu0 but not on cpu2"));
    CHECK(log_contains("IA32_VMX_VMFUNC (0x491) exists on cpu0 but not on cpu2"));
    CHECK(log_contains(
        "IA32_VMX_PROCBASED_CTLS2 (0x48B) bits 0x000033fe00000000 differ (allowed-1 enable EPT"));
    CHECK(log_contains(", ...)\n"));
    CHECK(log_contains("cpu2: 3 VMX capability MSR(s) differ"));
}

TEST(cr_check_sets_ne_and_vmxe_only)
{
    struct vmx_caps caps = read_caps(skylake());
    uint64_t cr0, cr4;
    char why[300];
    /* Long mode with paging, NE clear (as a boot path may leave it), CR4.PAE|PGE, VMXE not yet set. */
    CHECK_EQ(vmx_cr_check(0x80010011ull, 0xa0ull, &caps, &cr0, &cr4, why, sizeof why), 0);
    CHECK_EQ(cr0, 0x80010031ull);
    CHECK_EQ(cr4, 0x20a0ull);
    CHECK_STR(why, "set CR0.NE (VMX operation requires it); set CR4.VMXE (VMX operation requires it)");
    /* Already conforming: nothing to say. */
    CHECK_EQ(vmx_cr_check(0x80010031ull, 0x20a0ull, &caps, &cr0, &cr4, why, sizeof why), 0);
    CHECK_STR(why, "");
    CHECK_EQ(cr0, 0x80010031ull);
}

TEST(cr_check_refuses_other_changes_naming_bits)
{
    struct vmx_caps caps = read_caps(skylake());
    uint64_t cr0, cr4;
    char why[300];
    /* PG clear: must be 1 but is 0. */
    CHECK_EQ(vmx_cr_check(0x00000031ull, 0x2000ull, &caps, &cr0, &cr4, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "CR0.PG must be 1 in VMX operation but is 0") != NULL);
    CHECK_EQ(cr0, 0x80000031ull); /* the required value is still reported */
    /* CR4.SMEP set where FIXED1 says 0: must be 0 but is 1. */
    caps.cr4_fixed1 &= ~(1ull << 20);
    CHECK_EQ(vmx_cr_check(0x80000031ull, 0x1020a0ull, &caps, &cr0, &cr4, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "CR4.SMEP must be 0 in VMX operation but is 1") != NULL);
    /* An unnamed bit prints by number. */
    caps = read_caps(skylake());
    caps.cr4_fixed1 &= ~(1ull << 15);
    CHECK_EQ(vmx_cr_check(0x80000031ull, 0xa0ull | (1ull << 15), &caps, &cr0, &cr4, why, sizeof why),
             E_NOTSUP);
    CHECK(strstr(why, "CR4 bit 15 must be 0 in VMX operation but is 1") != NULL);
    /* VMXE fixed to 0 cannot be set. */
    caps = read_caps(skylake());
    caps.cr4_fixed0 = 0;
    caps.cr4_fixed1 &= ~(1ull << 13);
    CHECK_EQ(vmx_cr_check(0x80000031ull, 0x20a0ull, &caps, &cr0, &cr4, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "CR4.VMXE must be 0 in VMX operation but is 1") != NULL);
}

TEST(cr_check_contradictory_fixed_bits)
{
    struct vmx_caps caps = read_caps(skylake());
    caps.cr0_fixed1 &= ~(1ull << 5); /* NE must be 1 (FIXED0) and 0 (FIXED1) */
    uint64_t cr0, cr4;
    char why[300];
    CHECK_EQ(vmx_cr_check(0x80000031ull, 0x20a0ull, &caps, &cr0, &cr4, why, sizeof why), E_NOTSUP);
    CHECK(strstr(why, "CR0.NE must be 1 (CR0_FIXED0) and 0 (CR0_FIXED1)") != NULL);
}

TEST(cr_bit_and_msr_names)
{
    CHECK_STR(vmx_cr0_bit_name(0), "CR0.PE");
    CHECK_STR(vmx_cr0_bit_name(31), "CR0.PG");
    CHECK_STR(vmx_cr4_bit_name(13), "CR4.VMXE");
    CHECK(vmx_cr0_bit_name(6) == NULL);
    CHECK(vmx_cr4_bit_name(64) == NULL);
    CHECK_STR(vmx_caps_msr_name(0x480), "IA32_VMX_BASIC");
    CHECK_STR(vmx_caps_msr_name(0x48E), "IA32_VMX_TRUE_PROCBASED_CTLS");
    CHECK_STR(vmx_caps_msr_name(0x491), "IA32_VMX_VMFUNC");
    CHECK(vmx_caps_msr_name(0x492) == NULL);
    CHECK_STR(vmx_procbased_control_name(7), "HLT exiting");
    CHECK_STR(vmx_secondary_control_name(7), "unrestricted guest");
}

TEST(caps_report_lines_name_controls_and_fit_the_log)
{
    struct vmx_caps caps = read_caps(skylake());
    log_capture_reset();
    vmx_caps_report(&caps);
    CHECK(log_contains("vmx: IA32_VMX_BASIC 0x00d810000000002b: revision 0x2b, regions 4096 bytes, memory "
                       "type 6 (write-back)"));
    CHECK(log_contains("vmx: pin-based controls (true): external-interrupt exiting [allowed], bit 1 "
                       "[required], bit 2 [required], NMI exiting [allowed]"));
    CHECK(log_contains("vmx: primary processor-based controls (true):"));
    CHECK(log_contains("HLT exiting [allowed]"));
    CHECK(log_contains("vmx: secondary processor-based controls:"));
    CHECK(log_contains("unrestricted guest [allowed]"));
    CHECK(log_contains("enable PML [unavailable]"));
    CHECK(log_contains("(cont.)"));
    CHECK(log_contains("vmx: EPT/VPID capabilities: execute-only [yes]"));
    CHECK(log_contains(
        "vmx: summary: EPT yes, VPID yes, unrestricted guest yes, TRUE controls yes, VM functions yes"));
    /* Every line fits core/lib/log.c's 320-byte lines with its prefix. */
    const char *text = log_captured();
    size_t longest = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        if (length > longest)
            longest = length;
        line += length + (end ? 1 : 0);
    }
    CHECK(longest < 300);
    CHECK(!strstr(text, ",\n"));
}
