/*
 * A vmxcap-style report of the capability MSRs at debug level, so a boot log
 * from a machine we do not have says what its VMX can do. Each control shows
 * [allowed] (may be 0 or 1), [required] (allowed-0 bit set: must be 1) or
 * [unavailable] (allowed-1 bit clear: must be 0). Lines are cut to fit the
 * log's line size and continue on the next line.
 */
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_text.h"
#include "core/lib/log.h"

#define REPORT_LINE_BYTES 240 /* below core/lib/log.c's line size, with room for the "cpuN: " prefix */

struct report_line {
    char text[REPORT_LINE_BYTES];
    size_t used;
    const char *title;
    bool has_items;
};

static void line_start(struct report_line *line, const char *title, bool continued)
{
    line->title = title;
    line->has_items = false;
    line->used =
        vmx_text_append(line->text, sizeof line->text, 0, "vmx: %s%s:", title, continued ? " (cont.)" : "");
}

/* Prints the line without the comma after its last item. */
static void line_flush(struct report_line *line)
{
    if (line->has_items && line->text[line->used - 1] == ',')
        line->text[--line->used] = 0;
    log_debug("%s", line->text);
}

static void line_item(struct report_line *line, const char *name, unsigned number, const char *mark)
{
    char item[96];
    size_t length = name ? vmx_text_append(item, sizeof item, 0, " %s [%s],", name, mark)
                         : vmx_text_append(item, sizeof item, 0, " bit %u [%s],", number, mark);
    if (line->has_items && line->used + length >= sizeof line->text - 1) {
        line_flush(line);
        line_start(line, line->title, true);
    }
    line->used = vmx_text_append(line->text, sizeof line->text, line->used, "%s", item);
    line->has_items = true;
}

static void report_controls(const char *title, uint64_t msr_value, const char *(*control_name)(unsigned bit))
{
    struct report_line line;
    line_start(&line, title, false);
    for (unsigned bit = 0; bit < 32; bit++) {
        bool must_be_1 = vmx_control_must_be_1(msr_value, bit),
             may_be_1 = vmx_control_may_be_1(msr_value, bit);
        const char *name = control_name(bit);
        const char *mark =
            must_be_1 ? (may_be_1 ? "required" : "contradictory") : (may_be_1 ? "allowed" : "unavailable");
        if (name || may_be_1)
            line_item(&line, name, bit, mark);
    }
    line_flush(&line);
}

static const char *const ept_vpid_names[64] = {
    [0] = "execute-only",
    [6] = "page-walk length 4",
    [7] = "page-walk length 5",
    [8] = "UC paging structures",
    [14] = "WB paging structures",
    [16] = "2 MiB pages",
    [17] = "1 GiB pages",
    [20] = "INVEPT",
    [21] = "accessed/dirty flags",
    [22] = "advanced EPT-violation info",
    [23] = "supervisor shadow stack",
    [25] = "single-context INVEPT",
    [26] = "all-context INVEPT",
    [32] = "INVVPID",
    [40] = "individual-address INVVPID",
    [41] = "single-context INVVPID",
    [42] = "all-context INVVPID",
    [43] = "single-context-retaining-globals INVVPID",
};

static void report_ept_vpid(uint64_t cap)
{
    struct report_line line;
    line_start(&line, "EPT/VPID capabilities", false);
    for (unsigned bit = 0; bit < 64; bit++)
        if (ept_vpid_names[bit])
            line_item(&line, ept_vpid_names[bit], bit, ((cap >> bit) & 1) ? "yes" : "no");
    line_flush(&line);
}

void vmx_caps_report(const struct vmx_caps *caps)
{
    if (!log_enabled(LOG_DEBUG))
        return;
    uint64_t basic = caps->basic;
    log_debug("vmx: IA32_VMX_BASIC 0x%016llx: revision 0x%x, regions %u bytes, memory type %u%s, %s, TRUE "
              "controls %s",
              (unsigned long long)basic, vmx_basic_revision_id(basic), vmx_basic_region_size_bytes(basic),
              vmx_basic_memory_type(basic),
              vmx_basic_memory_type(basic) == VMX_MEMORY_TYPE_WRITE_BACK ? " (write-back)" : "",
              vmx_basic_phys_width_32(basic) ? "addresses below 4 GiB only" : "addresses up to MAXPHYADDR",
              caps->have_true_controls ? "yes" : "no");
    uint64_t misc = caps->misc;
    log_debug(
        "vmx: IA32_VMX_MISC 0x%016llx: preemption timer TSC/%u, CR3 targets %u, MSR lists up to %u entries, "
        "activity HLT %s shutdown %s wait-for-SIPI %s, VMWRITE to exit info %s",
        (unsigned long long)misc, 1u << (misc & 0x1f), (unsigned)((misc >> 16) & 0x1ff),
        512u * (unsigned)(((misc >> 25) & 7) + 1), ((misc >> 6) & 1) ? "yes" : "no",
        ((misc >> 7) & 1) ? "yes" : "no", ((misc >> 8) & 1) ? "yes" : "no",
        ((misc >> 29) & 1) ? "yes" : "no");
    log_debug(
        "vmx: CR0 fixed0 0x%llx fixed1 0x%llx, CR4 fixed0 0x%llx fixed1 0x%llx, VMCS highest index 0x%x",
        (unsigned long long)caps->cr0_fixed0, (unsigned long long)caps->cr0_fixed1,
        (unsigned long long)caps->cr4_fixed0, (unsigned long long)caps->cr4_fixed1,
        (unsigned)((caps->vmcs_enum >> 1) & 0x1ff));
    /* The TRUE MSRs report which default-1 controls may really be 0 (SDM: "VMX Capability Reporting Facility"). */
    bool use_true = caps->have_true_controls;
    report_controls(use_true ? "pin-based controls (true)" : "pin-based controls",
                    use_true ? caps->true_pinbased_ctls : caps->pinbased_ctls, vmx_pinbased_control_name);
    report_controls(use_true ? "primary processor-based controls (true)" : "primary processor-based controls",
                    use_true ? caps->true_procbased_ctls : caps->procbased_ctls, vmx_procbased_control_name);
    if (caps->have_procbased_ctls2)
        report_controls("secondary processor-based controls", caps->procbased_ctls2,
                        vmx_secondary_control_name);
    report_controls(use_true ? "VM-exit controls (true)" : "VM-exit controls",
                    use_true ? caps->true_exit_ctls : caps->exit_ctls, vmx_exit_control_name);
    report_controls(use_true ? "VM-entry controls (true)" : "VM-entry controls",
                    use_true ? caps->true_entry_ctls : caps->entry_ctls, vmx_entry_control_name);
    if (caps->have_ept_vpid_cap)
        report_ept_vpid(caps->ept_vpid_cap);
    log_debug("vmx: summary: EPT %s, VPID %s, unrestricted guest %s, TRUE controls %s, VM functions %s",
              caps->ept ? "yes" : "no", caps->vpid ? "yes" : "no", caps->unrestricted_guest ? "yes" : "no",
              caps->have_true_controls ? "yes" : "no", caps->have_vmfunc ? "yes" : "no");
}
