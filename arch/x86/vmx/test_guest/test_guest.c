#include "arch/x86/vmx/test_guest/test_guest.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

extern const uint8_t test_guest_image_start[], test_guest_image_end[];

#define PTE_PRESENT_WRITABLE 0x3ull
#define PDE_LARGE 0x80ull
#define REPORT_DETAIL_BYTES 64

enum vmcs_entry_mode test_guest_mode_for_cpu(uint32_t cpu_index, bool unrestricted_guest)
{
    static const enum vmcs_entry_mode modes[] = { VMCS_ENTRY_PROTECTED32, VMCS_ENTRY_REAL_MODE,
                                                  VMCS_ENTRY_LONG64 };
    return unrestricted_guest ? modes[cpu_index % ARRAY_SIZE(modes)] : VMCS_ENTRY_LONG64;
}

static const struct test_guest_header *header_of(struct vcpu *vcpu)
{
    return vcpu_guest_ram(vcpu, TEST_GUEST_IMAGE_GPA + TEST_GUEST_HEADER_OFFSET,
                          sizeof(struct test_guest_header));
}

/* The page tables the guest builds itself on the way from protected mode: identity 1 GiB, 2 MiB pages. */
static void build_page_tables(struct vcpu *vcpu)
{
    uint64_t *pml4 = vcpu_guest_ram(vcpu, TEST_GUEST_PML4_GPA, 3ull * PAGE_SIZE_BYTES);
    uint64_t *pdpt = pml4 + 512, *pd = pml4 + 1024;
    pml4[0] = (TEST_GUEST_PML4_GPA + PAGE_SIZE_BYTES) | PTE_PRESENT_WRITABLE;
    pdpt[0] = (TEST_GUEST_PML4_GPA + 2ull * PAGE_SIZE_BYTES) | PTE_PRESENT_WRITABLE;
    for (uint64_t i = 0; i < 512; i++)
        pd[i] = (i << 21) | PTE_PRESENT_WRITABLE | PDE_LARGE;
}

void test_guest_load(struct vcpu *vcpu)
{
    size_t size = (size_t)(test_guest_image_end - test_guest_image_start);
    void *image = vcpu_guest_ram(vcpu, TEST_GUEST_IMAGE_GPA, size);
    memcpy(image, test_guest_image_start, size);
    struct test_guest_header *header = (struct test_guest_header *)header_of(vcpu);
    if (vcpu->options->inject == INJECT_GUEST_TRIPLE_FAULT && vcpu->cpu_index == vcpu->options->inject_cpu)
        header->flags |= TEST_GUEST_FLAG_TRIPLE_FAULT;
    if (vcpu->options->inject == INJECT_GUEST_SPIN && vcpu->cpu_index == vcpu->options->inject_cpu)
        header->flags |= TEST_GUEST_FLAG_SPIN;
    if (vcpu->mode == VMCS_ENTRY_LONG64)
        build_page_tables(vcpu);
}

void test_guest_entry(struct vcpu *vcpu, struct vmcs_guest_entry *entry)
{
    const struct test_guest_header *header = header_of(vcpu);
    *entry = (struct vmcs_guest_entry){
        .mode = vcpu->mode,
        .rsp = TEST_GUEST_STACK_TOP_GPA,
        .gdtr_base = header->gdt_gpa,
        .gdtr_limit = header->gdt_limit,
        .code_selector = TEST_GUEST_SELECTOR_CODE32,
        .data_selector = TEST_GUEST_SELECTOR_DATA,
    };
    switch (vcpu->mode) {
    case VMCS_ENTRY_REAL_MODE:
        entry->rip = header->real_entry_gpa;
        entry->gdtr_base = 0; /* the real-mode code loads its own */
        entry->gdtr_limit = 0;
        break;
    case VMCS_ENTRY_PROTECTED32:
        entry->rip = header->protected_entry_gpa;
        entry->rax = 0x36d76289; /* what a multiboot2 loader leaves in EAX */
        break;
    default:
        entry->rip = header->long_entry_gpa;
        entry->code_selector = TEST_GUEST_SELECTOR_CODE64;
        entry->cr3 = TEST_GUEST_PML4_GPA;
        break;
    }
}

/* The guest's report: its verdict, its entry, the failed check's name (bounded, printable only). */
static void take_report(struct vcpu *vcpu, uint32_t report_gpa)
{
    const struct test_guest_report *report = vcpu_guest_ram(vcpu, report_gpa, sizeof *report);
    vcpu->reported = true;
    if (!report || report->magic != TEST_GUEST_REPORT_MAGIC) {
        format(vcpu->result_detail, sizeof vcpu->result_detail, "report at 0x%x unreadable", report_gpa);
        return;
    }
    static const char *const entries[] = { "none", "real", "protected32", "long64" };
    const char *entry = report->entry_kind < ARRAY_SIZE(entries) ? entries[report->entry_kind] : "?";
    vcpu->cpuid_exit_ticks = report->cpuid_exit_ticks;
    if (report->verdict == TEST_GUEST_VERDICT_PASS) {
        vcpu->passed = true;
        format(vcpu->result_detail, sizeof vcpu->result_detail,
               "entry=%s checks=%u ud=%u gp=%u cpuid_exit_ticks=%u cpuid_exit_ticks_average=%u", entry,
               report->checks_passed, report->ud_count, report->gp_count, report->cpuid_exit_ticks,
               report->cpuid_exit_ticks_average);
        return;
    }
    char name[REPORT_DETAIL_BYTES];
    const char *text = vcpu_guest_ram(vcpu, report->failed_check_gpa, 1);
    size_t n = 0;
    while (text && n + 1 < sizeof name && vcpu_guest_ram(vcpu, report->failed_check_gpa + n, 1) &&
           text[n] >= 0x20 && text[n] < 0x7f)
        name[n] = text[n], n++;
    name[n] = '\0';
    format(vcpu->result_detail, sizeof vcpu->result_detail, "check '%s' failed (entry=%s, %u checks passed)",
           name, entry, report->checks_passed);
}

bool test_guest_port(struct vcpu *vcpu, uint16_t port, bool in, uint32_t *value)
{
    switch (port) {
    case TEST_GUEST_PORT_REPORT:
        if (!in)
            take_report(vcpu, *value);
        else
            *value = 0;
        return true;
    case TEST_GUEST_PORT_SCRATCH:
        if (in)
            *value = vcpu->scratch_port_value;
        else
            vcpu->scratch_port_value = *value;
        return true;
    default:
        return false;
    }
}
