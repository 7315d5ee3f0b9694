/*
 * Reading, checking and comparing the VMX capability MSRs (SDM appendix "VMX
 * Capability Reporting Facility"). Xen's approach: read once on the boot CPU,
 * re-read on every AP and refuse VMX on an AP whose answers differ, naming
 * the bits, because a VMCS set up with the boot CPU's controls might not
 * enter on it.
 */
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_text.h"
#include "arch/x86/cr.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

enum caps_presence {
    PRESENT_ALWAYS,
    PRESENT_IF_SECONDARY, /* have_procbased_ctls2 */
    PRESENT_IF_EPT_VPID,  /* have_ept_vpid_cap */
    PRESENT_IF_TRUE,      /* have_true_controls */
    PRESENT_IF_VMFUNC,    /* have_vmfunc */
};

struct caps_msr {
    uint32_t msr;
    const char *name;
    size_t offset; /* of the named field in struct vmx_caps */
    enum caps_presence presence;
    const char *(*control_name)(unsigned bit); /* control MSRs: names for allowed-0/allowed-1 bits */
};

/* "MSR_IA32_VMX_BASIC" + 4 is the SDM's name "IA32_VMX_BASIC". */
#define CAPS_MSR(msr_, field_, presence_, names_)                                                            \
    {                                                                                                        \
        msr_, &#msr_[4], offsetof(struct vmx_caps, field_), presence_, names_                                \
    }

/* In SDM order, which is also the order the conditions depend on each other. */
static const struct caps_msr caps_msrs[] = {
    CAPS_MSR(MSR_IA32_VMX_BASIC, basic, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_PINBASED_CTLS, pinbased_ctls, PRESENT_ALWAYS, vmx_pinbased_control_name),
    CAPS_MSR(MSR_IA32_VMX_PROCBASED_CTLS, procbased_ctls, PRESENT_ALWAYS, vmx_procbased_control_name),
    CAPS_MSR(MSR_IA32_VMX_EXIT_CTLS, exit_ctls, PRESENT_ALWAYS, vmx_exit_control_name),
    CAPS_MSR(MSR_IA32_VMX_ENTRY_CTLS, entry_ctls, PRESENT_ALWAYS, vmx_entry_control_name),
    CAPS_MSR(MSR_IA32_VMX_MISC, misc, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_CR0_FIXED0, cr0_fixed0, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_CR0_FIXED1, cr0_fixed1, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_CR4_FIXED0, cr4_fixed0, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_CR4_FIXED1, cr4_fixed1, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_VMCS_ENUM, vmcs_enum, PRESENT_ALWAYS, NULL),
    CAPS_MSR(MSR_IA32_VMX_PROCBASED_CTLS2, procbased_ctls2, PRESENT_IF_SECONDARY, vmx_secondary_control_name),
    CAPS_MSR(MSR_IA32_VMX_EPT_VPID_CAP, ept_vpid_cap, PRESENT_IF_EPT_VPID, NULL),
    CAPS_MSR(MSR_IA32_VMX_TRUE_PINBASED_CTLS, true_pinbased_ctls, PRESENT_IF_TRUE, vmx_pinbased_control_name),
    CAPS_MSR(MSR_IA32_VMX_TRUE_PROCBASED_CTLS, true_procbased_ctls, PRESENT_IF_TRUE,
             vmx_procbased_control_name),
    CAPS_MSR(MSR_IA32_VMX_TRUE_EXIT_CTLS, true_exit_ctls, PRESENT_IF_TRUE, vmx_exit_control_name),
    CAPS_MSR(MSR_IA32_VMX_TRUE_ENTRY_CTLS, true_entry_ctls, PRESENT_IF_TRUE, vmx_entry_control_name),
    CAPS_MSR(MSR_IA32_VMX_VMFUNC, vmfunc, PRESENT_IF_VMFUNC, NULL),
};

static uint64_t *caps_field(struct vmx_caps *caps, const struct caps_msr *m)
{
    return (uint64_t *)((char *)caps + m->offset);
}

static uint64_t caps_value(const struct vmx_caps *caps, const struct caps_msr *m)
{
    return *(const uint64_t *)((const char *)caps + m->offset);
}

static bool caps_present(const struct vmx_caps *caps, enum caps_presence presence)
{
    switch (presence) {
    case PRESENT_ALWAYS:
        return true;
    case PRESENT_IF_SECONDARY:
        return caps->have_procbased_ctls2;
    case PRESENT_IF_EPT_VPID:
        return caps->have_ept_vpid_cap;
    case PRESENT_IF_TRUE:
        return caps->have_true_controls;
    case PRESENT_IF_VMFUNC:
        return caps->have_vmfunc;
    }
    return false;
}

/* Each "exists only if" condition, from the MSRs read before it. */
static void caps_derive(struct vmx_caps *caps, enum caps_presence upto)
{
    if (upto == PRESENT_IF_SECONDARY)
        caps->have_procbased_ctls2 =
            vmx_control_may_be_1(caps->procbased_ctls, VMX_PROCBASED_ACTIVATE_SECONDARY);
    if (upto == PRESENT_IF_EPT_VPID)
        caps->have_ept_vpid_cap = caps->have_procbased_ctls2 &&
                                  (vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_ENABLE_EPT) ||
                                   vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_ENABLE_VPID));
    if (upto == PRESENT_IF_TRUE)
        caps->have_true_controls = vmx_basic_true_controls(caps->basic);
    if (upto == PRESENT_IF_VMFUNC)
        caps->have_vmfunc = caps->have_procbased_ctls2 &&
                            vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_ENABLE_VMFUNC);
}

int vmx_caps_read(struct vmx_caps *caps, vmx_rdmsr_fn rdmsr, void *ctx)
{
    memset(caps, 0, sizeof *caps);
    for (size_t i = 0; i < ARRAY_SIZE(caps_msrs); i++) {
        const struct caps_msr *m = &caps_msrs[i];
        caps_derive(caps, m->presence);
        if (!caps_present(caps, m->presence))
            continue;
        int err = rdmsr(ctx, m->msr, caps_field(caps, m));
        if (err < 0) {
            log_error("vmx: reading %s (0x%X) failed: %s; this CPU cannot use VMX", m->name, m->msr,
                      error_name(err));
            return err;
        }
    }
    bool secondary = caps->have_procbased_ctls2;
    caps->ept = secondary && vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_ENABLE_EPT);
    caps->vpid = secondary && vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_ENABLE_VPID);
    caps->unrestricted_guest =
        secondary && vmx_control_may_be_1(caps->procbased_ctls2, VMX_SECONDARY_UNRESTRICTED_GUEST);
    return 0;
}

const char *vmx_caps_msr_name(uint32_t msr)
{
    for (size_t i = 0; i < ARRAY_SIZE(caps_msrs); i++)
        if (caps_msrs[i].msr == msr)
            return caps_msrs[i].name;
    return NULL;
}

uint32_t vmx_caps_vmcs_phys_width_bits(const struct vmx_caps *caps, uint32_t cpu_phys_width_bits)
{
    return vmx_basic_phys_width_32(caps->basic) && cpu_phys_width_bits > 32 ? 32 : cpu_phys_width_bits;
}

int vmx_caps_check_basic(const struct vmx_caps *caps, char *why, size_t why_bytes)
{
    uint32_t size_bytes = vmx_basic_region_size_bytes(caps->basic);
    uint32_t type = vmx_basic_memory_type(caps->basic);
    if (size_bytes == 0 || size_bytes > PAGE_SIZE_BYTES) {
        format(why, why_bytes,
               "IA32_VMX_BASIC says VMXON/VMCS regions are %u bytes; this hypervisor allocates one 4096-byte "
               "page each",
               size_bytes);
        return E_NOTSUP;
    }
    if (type != VMX_MEMORY_TYPE_WRITE_BACK) {
        format(why, why_bytes,
               "IA32_VMX_BASIC says the VMCS memory type is %u (%s), not 6 (write-back); this hypervisor "
               "maps VMCS regions write-back",
               type, type == VMX_MEMORY_TYPE_UNCACHEABLE ? "uncacheable" : "reserved");
        return E_NOTSUP;
    }
    if (why_bytes)
        why[0] = 0;
    return 0;
}

/* ", allowed-1 HLT exiting, allowed-0 bit 1" for the differing bits of a control MSR; ", ..." when out of room. */
static size_t name_control_bits(char *buf, size_t size_bytes, size_t used, uint64_t differ,
                                const char *(*control_name)(unsigned bit))
{
    for (unsigned bit = 0; bit < 64; bit++) {
        if (!((differ >> bit) & 1))
            continue;
        unsigned control = bit % 32;
        const char *name = control_name(control);
        const char *half = bit >= 32 ? "allowed-1" : "allowed-0";
        char piece[80];
        size_t length = name ? vmx_text_append(piece, sizeof piece, 0, ", %s %s", half, name)
                             : vmx_text_append(piece, sizeof piece, 0, ", %s bit %u", half, control);
        if (used + length + sizeof ", ..." > size_bytes)
            return vmx_text_append(buf, size_bytes, used, ", ...");
        used = vmx_text_append(buf, size_bytes, used, "%s", piece);
    }
    return used;
}

int vmx_caps_compare(const struct vmx_caps *boot, const struct vmx_caps *ap, int ap_cpu)
{
    int differing = 0;
    for (size_t i = 0; i < ARRAY_SIZE(caps_msrs); i++) {
        const struct caps_msr *m = &caps_msrs[i];
        bool on_boot = caps_present(boot, m->presence), on_ap = caps_present(ap, m->presence);
        if (!on_boot && !on_ap)
            continue;
        if (on_boot != on_ap) {
            log_error("VMX capabilities differ from cpu0: %s (0x%X) exists on cpu%d but not on cpu%d",
                      m->name, m->msr, on_boot ? 0 : ap_cpu, on_boot ? ap_cpu : 0);
            differing++;
            continue;
        }
        uint64_t differ = caps_value(boot, m) ^ caps_value(ap, m);
        if (!differ)
            continue;
        char names[160] = ""; /* keeps the line within core/lib/log.c's 320 bytes */
        if (m->control_name)
            name_control_bits(names, sizeof names, 0, differ, m->control_name);
        /* name_control_bits starts each name with ", "; show them as " (a, b)". */
        log_error("VMX capabilities differ from cpu0: %s (0x%X) bits 0x%016llx differ%s%s%s", m->name, m->msr,
                  (unsigned long long)differ, names[0] ? " (" : "", names[0] ? names + 2 : "",
                  names[0] ? ")" : "");
        differing++;
    }
    if (!differing)
        return 0;
    log_error(
        "cpu%d: %d VMX capability MSR(s) differ from cpu0's, so VMX stays off here; give every CPU the same "
        "microcode and firmware VMX settings",
        ap_cpu, differing);
    return E_INVAL;
}

enum cr_note {
    CR_NOTE_CONTRADICTS, /* FIXED0 says 1, FIXED1 says 0 */
    CR_NOTE_REFUSED,     /* must change, and we do not change it */
    CR_NOTE_SET,         /* changed, as entering VMX operation does */
};

/* Appends "; CR0.PG must be 1 in VMX operation but is 0" (or the other notes) for each bit in mask. */
static size_t name_cr_bits(char *why, size_t why_bytes, size_t used, uint64_t mask, uint64_t required,
                           const char *reg, const char *(*bit_name)(unsigned bit), enum cr_note note)
{
    for (unsigned bit = 0; bit < 64; bit++) {
        if (!((mask >> bit) & 1))
            continue;
        char unnamed[16];
        const char *name = bit_name(bit);
        if (!name) {
            format(unnamed, sizeof unnamed, "%s bit %u", reg, bit);
            name = unnamed;
        }
        unsigned want = (unsigned)((required >> bit) & 1);
        const char *sep = used ? "; " : "";
        if (note == CR_NOTE_CONTRADICTS)
            used = vmx_text_append(why, why_bytes, used, "%s%s must be 1 (%s_FIXED0) and 0 (%s_FIXED1)", sep,
                                   name, reg, reg);
        else if (note == CR_NOTE_REFUSED)
            used = vmx_text_append(why, why_bytes, used, "%s%s must be %u in VMX operation but is %u", sep,
                                   name, want, !want);
        else
            used = vmx_text_append(why, why_bytes, used, "%sset %s (VMX operation requires it)", sep, name);
    }
    return used;
}

int vmx_cr_check(uint64_t cr0, uint64_t cr4_with_vmxe, const struct vmx_caps *caps, uint64_t *cr0_out,
                 uint64_t *cr4_out, char *why, size_t why_bytes)
{
    uint64_t cr0_required = (cr0 | caps->cr0_fixed0) & caps->cr0_fixed1;
    uint64_t cr4_required = (cr4_with_vmxe | caps->cr4_fixed0) & caps->cr4_fixed1;
    *cr0_out = cr0_required;
    *cr4_out = cr4_required;
    size_t used = 0;
    if (why_bytes)
        why[0] = 0;

    /* A bit that must be 1 (FIXED0) and must be 0 (FIXED1 clear): no value works. */
    uint64_t cr0_contradict = caps->cr0_fixed0 & ~caps->cr0_fixed1;
    uint64_t cr4_contradict = caps->cr4_fixed0 & ~caps->cr4_fixed1;
    if (cr0_contradict || cr4_contradict) {
        used = name_cr_bits(why, why_bytes, used, cr0_contradict, 1, "CR0", vmx_cr0_bit_name,
                            CR_NOTE_CONTRADICTS);
        used = name_cr_bits(why, why_bytes, used, cr4_contradict, 1, "CR4", vmx_cr4_bit_name,
                            CR_NOTE_CONTRADICTS);
        vmx_text_append(why, why_bytes, used,
                        ": the VMX fixed-bit MSRs contradict; the firmware or emulator is broken");
        return E_NOTSUP;
    }

    /* Setting CR0.NE and CR4.VMXE is what entering VMX operation means; any other change is not ours to make. */
    uint64_t cr0_changed = cr0 ^ cr0_required, cr4_changed = cr4_with_vmxe ^ cr4_required;
    uint64_t cr0_refused = cr0_changed & ~(CR0_NE & cr0_required);
    uint64_t cr4_refused = cr4_changed & ~(CR4_VMXE & cr4_required);
    if (cr0_refused || cr4_refused) {
        used = name_cr_bits(why, why_bytes, used, cr0_refused, cr0_required, "CR0", vmx_cr0_bit_name,
                            CR_NOTE_REFUSED);
        used = name_cr_bits(why, why_bytes, used, cr4_refused, cr4_required, "CR4", vmx_cr4_bit_name,
                            CR_NOTE_REFUSED);
        vmx_text_append(
            why, why_bytes, used,
            " (IA32_VMX_CR0/CR4_FIXED0/1); only CR0.NE and CR4.VMXE are set here, so fix the boot path");
        return E_NOTSUP;
    }
    used =
        name_cr_bits(why, why_bytes, used, cr0_changed, cr0_required, "CR0", vmx_cr0_bit_name, CR_NOTE_SET);
    name_cr_bits(why, why_bytes, used, cr4_changed, cr4_required, "CR4", vmx_cr4_bit_name, CR_NOTE_SET);
    return 0;
}
