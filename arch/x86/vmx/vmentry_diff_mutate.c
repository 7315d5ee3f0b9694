/*
 * Seeded mutations of a valid VMCS image for the differential test, and
 * which mutated cases are safe to launch. The fields are those the checks
 * read (vmentry_check_list.h); the values lean toward what the checks test:
 * reserved and fixed bits, alignment, physical-address width, canonical form.
 */
#include "arch/x86/vmx/vmentry_diff.h"
#include "arch/x86/vmx/vmentry_check_internal.h"

void vmentry_diff_seed(struct vmentry_diff_rng *rng, uint64_t seed)
{
    rng->state = seed != 0 ? seed : 0x9e3779b97f4a7c15ull; /* xorshift must not start at 0 */
}

uint64_t vmentry_diff_random(struct vmentry_diff_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint64_t below(struct vmentry_diff_rng *rng, uint64_t bound)
{
    return bound == 0 ? 0 : vmentry_diff_random(rng) % bound;
}

static uint64_t width_mask(uint32_t field)
{
    switch (VMCS_FIELD_WIDTH(field)) {
    case VMCS_WIDTH_16:
        return 0xffff;
    case VMCS_WIDTH_32:
        return 0xffffffffull;
    default:
        return ~0ull;
    }
}

/* The fields some check reads and the image has set, in list order (at most one per field). */
static unsigned mutable_fields(const struct vmcs_image *image, uint32_t *fields, unsigned capacity)
{
    unsigned count = 0;
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++) {
        uint32_t field = vmentry_check_info((enum vmentry_check_id)id)->field;
        bool seen = false;
        for (unsigned i = 0; i < count && !seen; i++)
            seen = fields[i] == field;
        if (!seen && count < capacity && vmcs_image_is_set(image, field))
            fields[count++] = field;
    }
    return count;
}

/* A bit the capability MSRs make interesting for this field, or a random one of its width. */
static uint64_t interesting_bit(struct vmentry_diff_rng *rng, uint32_t field, const struct vmx_caps *caps)
{
    uint64_t msr = 0;
    switch (field) {
    case VMCS_PIN_BASED_VM_EXEC_CONTROL:
        msr = caps->true_pinbased_ctls;
        break;
    case VMCS_CPU_BASED_VM_EXEC_CONTROL:
        msr = caps->true_procbased_ctls;
        break;
    case VMCS_SECONDARY_VM_EXEC_CONTROL:
        msr = caps->procbased_ctls2;
        break;
    case VMCS_VM_EXIT_CONTROLS:
        msr = caps->true_exit_ctls;
        break;
    case VMCS_VM_ENTRY_CONTROLS:
        msr = caps->true_entry_ctls;
        break;
    case VMCS_HOST_CR0:
    case VMCS_GUEST_CR0:
        msr = (caps->cr0_fixed1 << 32) | (uint32_t)caps->cr0_fixed0;
        break;
    case VMCS_HOST_CR4:
    case VMCS_GUEST_CR4:
        msr = (caps->cr4_fixed1 << 32) | (uint32_t)caps->cr4_fixed0;
        break;
    default:
        return 1ull << below(rng, VMCS_FIELD_WIDTH(field) == VMCS_WIDTH_16   ? 16
                                  : VMCS_FIELD_WIDTH(field) == VMCS_WIDTH_32 ? 32
                                                                             : 64);
    }
    /* A bit fixed to 1 (to clear), or one not allowed to be 1 (to set), or any of the low 32. */
    uint32_t fixed1 = (uint32_t)msr, allowed1 = (uint32_t)(msr >> 32);
    uint32_t pick = below(rng, 3) == 0 ? fixed1 : below(rng, 2) == 0 ? ~allowed1 : 0xffffffffu;
    if (pick == 0)
        pick = 0xffffffffu;
    unsigned bit;
    do
        bit = (unsigned)below(rng, 32);
    while (!((pick >> bit) & 1));
    return 1ull << bit;
}

static uint64_t boundary_value(struct vmentry_diff_rng *rng, uint64_t old, uint32_t phys_width_bits)
{
    const uint64_t phys_limit = 1ull << phys_width_bits;
    switch (below(rng, 9)) {
    case 0:
        return 0;
    case 1:
        return ~0ull;
    case 2:
        return phys_limit;
    case 3:
        return phys_limit - 0x1000;
    case 4:
        return 0x0000800000000000ull; /* the first non-canonical address */
    case 5:
        return 0xffff7fffffffffffull; /* the last one */
    case 6:
        return old | (1ull << below(rng, 12)); /* misaligned */
    case 7:
        return old + 8;
    default:
        return below(rng, 16);
    }
}

/* Segment access rights: type bits, S, DPL, P, AVL, L, D/B, G, unusable, or a reserved bit. */
static uint64_t access_rights_bit(struct vmentry_diff_rng *rng)
{
    static const uint8_t bits[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 31 };
    return 1ull << bits[below(rng, sizeof bits)];
}

static bool is_access_rights(uint32_t field)
{
    return field >= VMCS_GUEST_ES_ACCESS_RIGHTS && field <= VMCS_GUEST_TR_ACCESS_RIGHTS;
}

static uint64_t mutated_value(struct vmentry_diff_rng *rng, uint32_t field, uint64_t old,
                              const struct vmx_caps *caps, uint32_t phys_width_bits)
{
    uint64_t value;
    switch (below(rng, 5)) {
    case 0:
        value = old ^ interesting_bit(rng, field, caps);
        break;
    case 1:
        value = boundary_value(rng, old, phys_width_bits);
        break;
    case 2:
        value = is_access_rights(field) ? old ^ access_rights_bit(rng) : old ^ (1ull << below(rng, 64));
        break;
    case 3:
        value = vmentry_diff_random(rng);
        break;
    default:
        value = old ^ interesting_bit(rng, field, caps) ^ interesting_bit(rng, field, caps);
        break;
    }
    if (field == VMCS_EPT_POINTER) {
        /* Keep the address of the EPT PML4: only the low 12 bits and the bits beyond the width change. */
        uint64_t address = ((1ull << phys_width_bits) - 1) & ~0xfffull;
        value = (old & address) | (value & ~address);
    }
    return value & width_mask(field);
}

void vmentry_diff_mutate(struct vmentry_diff_rng *rng, struct vmcs_image *image, const struct vmx_caps *caps,
                         uint32_t phys_width_bits, struct vmentry_diff_case *out)
{
    uint32_t fields[VMCS_IMAGE_FIELD_COUNT] = { 0 };
    unsigned available = mutable_fields(image, fields, VMCS_IMAGE_FIELD_COUNT);
    uint32_t width = phys_width_bits < 32 ? 32 : phys_width_bits > 52 ? 52 : phys_width_bits;
    out->count = 0;
    if (available == 0)
        return;
    /* One field in most cases, two or three now and then (checks that tie fields together). */
    uint64_t roll = below(rng, 8);
    unsigned count = roll < 5 ? 1 : roll < 7 ? 2 : 3;
    for (unsigned i = 0; i < count; i++) {
        struct vmentry_diff_mutation *m = &out->mutations[out->count++];
        m->field = fields[below(rng, available)];
        if (!vmcs_image_get(image, m->field, &m->old_value))
            m->old_value = 0;
        m->new_value = mutated_value(rng, m->field, m->old_value, caps, width);
        if (!vmcs_image_set(image, m->field, m->new_value))
            out->count--;
    }
}

/* Fields whose acceptance could wreck vmxroot at the next VM exit, or let the processor write its memory. */
static bool host_unsafe_field(uint32_t field)
{
    if (VMCS_FIELD_TYPE(field) == VMCS_TYPE_HOST)
        return true;
    switch (field) {
    case VMCS_VM_EXIT_CONTROLS:
    case VMCS_VM_EXIT_MSR_STORE_COUNT:
    case VMCS_VM_EXIT_MSR_STORE_ADDRESS:
    case VMCS_VM_EXIT_MSR_LOAD_COUNT:
    case VMCS_VM_EXIT_MSR_LOAD_ADDRESS:
    case VMCS_VIRTUAL_APIC_ADDRESS:
    case VMCS_APIC_ACCESS_ADDRESS:
    case VMCS_POSTED_INTERRUPT_DESCRIPTOR_ADDRESS:
    case VMCS_PML_ADDRESS:
    case VMCS_VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS:
    case VMCS_SUB_PAGE_PERMISSION_TABLE_POINTER:
    case VMCS_LINK_POINTER: /* with VMCS shadowing, guest VMWRITEs would land there */
        return true;
    default:
        return false;
    }
}

enum vmentry_diff_launch vmentry_diff_launchable(const struct vmentry_diff_case *c,
                                                 const struct vmcs_image *image, const struct vmx_caps *caps,
                                                 const struct vmentry_verdict *ours)
{
    uint32_t info = (uint32_t)image->vm_entry_interruption_info;
    /* Bochs accepts an injected "other event" without monitor-trap-flag support and then panics. */
    if ((info & EVENT_VALID) && EVENT_TYPE(info) == EVENT_OTHER &&
        !vmx_control_may_be_1(caps->true_procbased_ctls, 27))
        return DIFF_NEVER_LAUNCH;
    /* A refusal protects the host only if Bochs refuses too: not when the check is one Bochs lacks. */
    const struct vmentry_bochs_gap *gap = vmentry_bochs_gap_of(ours->check);
    bool refused = ours->class_ != VMENTRY_OK && (gap == NULL || gap->kind == BOCHS_OLDER_RULE);
    /*
     * The VM-entry MSR-load list writes real MSRs, entry by entry, and a VM exit restores few of them
     * (IA32_KERNEL_GS_BASE, the APIC base, STAR/LSTAR stay as loaded): a changed list is launched only
     * when the entry fails before loading any MSR.
     */
    bool before_msr_loading =
        refused && (ours->class_ != VMENTRY_BAD_MSR_LOAD || ours->exit_qualification == 1);
    for (unsigned i = 0; i < c->count; i++)
        if ((c->mutations[i].field == VMCS_VM_ENTRY_MSR_LOAD_COUNT ||
             c->mutations[i].field == VMCS_VM_ENTRY_MSR_LOAD_ADDRESS) &&
            !before_msr_loading)
            return DIFF_UNSAFE;
    /* A refusal in the guest state or the MSR loading is a VM exit: it loads the host state of the VMCS. */
    bool vmfail = refused && (ours->class_ == VMENTRY_BAD_CONTROL || ours->class_ == VMENTRY_BAD_HOST);
    for (unsigned i = 0; i < c->count; i++)
        if (host_unsafe_field(c->mutations[i].field) && !vmfail)
            return DIFF_UNSAFE;
    if (refused)
        return DIFF_LAUNCH;
    /*
     * Accepted (by Bochs, at least): it must come back. Wait-for-SIPI stops the VMX-preemption timer;
     * HLT without the timer waits for an interrupt that never comes; Bochs ends at a shutdown state.
     */
    uint64_t activity = image->guest_activity_state;
    bool timer = (image->pin_based_controls & PIN_ACTIVATE_PREEMPTION_TIMER) != 0;
    if (activity == ACTIVITY_WAIT_FOR_SIPI || activity == ACTIVITY_SHUTDOWN ||
        (activity == ACTIVITY_HLT && !timer))
        return DIFF_NEVER_LAUNCH;
    return DIFF_LAUNCH;
}
