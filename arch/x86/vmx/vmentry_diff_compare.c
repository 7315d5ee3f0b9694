/*
 * Comparing our verdict with what a real VM entry did, for the differential
 * test: agreement is the same class (VMfailValid 7, VMfailValid 8, exit 33,
 * exit 34, or entered); a difference is explained only by the Bochs-gap
 * table (vmentry_bochs_gaps[]), checked against every check the case breaks.
 */
#include "arch/x86/vmx/vmentry_diff.h"
#include "arch/x86/vmx/vmentry_check_internal.h"

void vmentry_diff_outcome_of(struct vmentry_diff_outcome *out, bool vmfail_valid,
                             uint32_t vm_instruction_error, uint32_t exit_reason, uint64_t exit_qualification)
{
    out->vm_instruction_error = vmfail_valid ? vm_instruction_error : 0;
    out->exit_reason = vmfail_valid ? 0 : exit_reason;
    out->exit_qualification = vmfail_valid ? 0 : exit_qualification;
    if (vmfail_valid)
        out->class_ = vm_instruction_error == 7 ? VMENTRY_BAD_CONTROL
                      : vm_instruction_error == 8
                          ? VMENTRY_BAD_HOST
                          : VMENTRY_NOT_CHECKED; /* another error: not an entry check */
    else if (exit_reason == (0x80000000u | 33))
        out->class_ = VMENTRY_BAD_GUEST;
    else if (exit_reason == (0x80000000u | 34))
        out->class_ = VMENTRY_BAD_MSR_LOAD;
    else if (exit_reason & 0x80000000u)
        out->class_ = VMENTRY_NOT_CHECKED; /* 41, machine check during entry */
    else
        out->class_ = VMENTRY_OK;
}

/* The areas in the order the processor checks them; an entry that went through comes after all of them. */
static unsigned order_of(enum vmentry_class class_) { return class_ == VMENTRY_OK ? 5 : (unsigned)class_; }

/* Bochs's older wording of the CS DPL rule: CS.DPL against the CS selector's RPL. */
static bool bochs_cs_dpl_refuses(const struct vmcs_image *v)
{
    unsigned type = AR_TYPE(v->guest_cs_access_rights), dpl = AR_DPL(v->guest_cs_access_rights);
    unsigned rpl = (unsigned)v->guest_cs_selector & 3;
    if (v->guest_rflags & RFLAGS_VM)
        return false;
    return ((type == 9 || type == 11) && rpl != dpl) || ((type == 13 || type == 15) && rpl < dpl);
}

/* Bochs's TSC-multiplier check: "use TSC scaling" with the multiplier field, never written here, 0. */
static bool bochs_tsc_scaling_refuses(const struct vmcs_image *v)
{
    return (v->primary_processor_based_controls & PROC_ACTIVATE_SECONDARY) &&
           (v->secondary_processor_based_controls & (1u << 25));
}

/* A Bochs-only rule that refuses this image in class theirs, as its gap row. */
static const struct vmentry_bochs_gap *bochs_only_refusal(const struct vmcs_image *v,
                                                          enum vmentry_class theirs)
{
    if (theirs == VMENTRY_BAD_GUEST && bochs_cs_dpl_refuses(v)) {
        unsigned type = AR_TYPE(v->guest_cs_access_rights);
        return vmentry_bochs_gap_of(type >= 12 ? VMENTRY_CHECK_guest_cs_dpl_conforming
                                               : VMENTRY_CHECK_guest_cs_dpl_nonconforming);
    }
    if (theirs == VMENTRY_BAD_CONTROL && bochs_tsc_scaling_refuses(v))
        for (size_t i = 0; i < vmentry_bochs_gap_count; i++)
            if (vmentry_bochs_gaps[i].check == VMENTRY_CHECK_NONE)
                return &vmentry_bochs_gaps[i];
    return NULL;
}

enum vmentry_diff_result vmentry_diff_compare(const struct vmentry_check_input *in,
                                              const struct vmentry_verdict *ours,
                                              const struct vmentry_diff_outcome *theirs,
                                              const struct vmentry_bochs_gap **explaining)
{
    *explaining = NULL;
    if (ours->class_ == VMENTRY_NOT_CHECKED || theirs->class_ == VMENTRY_NOT_CHECKED)
        return DIFF_UNCHECKED;
    if (ours->class_ == theirs->class_)
        return DIFF_AGREE;
    unsigned their_order = order_of(theirs->class_);
    bool fails_in_their_area = false, moved_by_bochs = false;
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++) {
        const struct vmentry_check_info *info = vmentry_check_info((enum vmentry_check_id)id);
        bool passes = true;
        if (vmentry_check_one(in, (enum vmentry_check_id)id, &passes) < 0)
            return DIFF_UNCHECKED;
        if (passes)
            continue;
        if (order_of(info->class_) == their_order) {
            fails_in_their_area = true;
            continue;
        }
        if (order_of(info->class_) > their_order)
            continue;
        /* A check of ours in an area before theirs fails: only a Bochs gap can explain that it let it through. */
        const struct vmentry_bochs_gap *gap = vmentry_bochs_gap_of((enum vmentry_check_id)id);
        if (gap == NULL)
            return DIFF_DISAGREE;
        /* An older wording explains the difference only where it lets the image through. */
        if (gap->kind == BOCHS_OLDER_RULE && bochs_cs_dpl_refuses(in->image))
            return DIFF_DISAGREE;
        moved_by_bochs |= gap->kind == BOCHS_OTHER_CLASS;
        if (*explaining == NULL)
            *explaining = gap;
    }
    if (theirs->class_ == VMENTRY_OK)
        return *explaining != NULL ? DIFF_STRICTER : DIFF_DISAGREE;
    /* They refused in an area where none of our checks fails: a Bochs-only rule, or a gap that moves the refusal. */
    if (!fails_in_their_area && !moved_by_bochs) {
        *explaining = bochs_only_refusal(in->image, theirs->class_);
        return *explaining != NULL ? DIFF_STRICTER : DIFF_DISAGREE;
    }
    if (*explaining == NULL)
        *explaining = bochs_only_refusal(in->image, theirs->class_);
    return *explaining != NULL ? DIFF_STRICTER : DIFF_DISAGREE;
}

const char *vmentry_diff_result_name(enum vmentry_diff_result result)
{
    switch (result) {
    case DIFF_AGREE:
        return "agree";
    case DIFF_STRICTER:
        return "stricter";
    case DIFF_DISAGREE:
        return "disagree";
    default:
        return "unchecked";
    }
}
