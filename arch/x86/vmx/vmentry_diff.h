/*
 * The pure half of the differential test of the VM-entry check against a
 * real VM entry (Bochs's, or a processor's): seeded mutations of a valid
 * VMCS image biased toward the checks' boundaries, which mutated cases are
 * safe to launch, and how our verdict and the processor's outcome compare,
 * with the Bochs-gap table (vmentry_check.h) explaining known departures.
 * No hardware access: the kernel's runner launches, the host tests this.
 */
#ifndef ARCH_X86_VMX_VMENTRY_DIFF_H
#define ARCH_X86_VMX_VMENTRY_DIFF_H

#include "arch/x86/vmx/vmentry_check.h"

/* xorshift64*: small, seedable, the same sequence on the host and in the kernel. */
struct vmentry_diff_rng {
    uint64_t state;
};
void vmentry_diff_seed(struct vmentry_diff_rng *rng, uint64_t seed);
uint64_t vmentry_diff_random(struct vmentry_diff_rng *rng);

#define VMENTRY_DIFF_MAX_MUTATIONS 3

struct vmentry_diff_mutation {
    uint32_t field;
    uint64_t old_value, new_value;
};

struct vmentry_diff_case {
    unsigned count;
    struct vmentry_diff_mutation mutations[VMENTRY_DIFF_MAX_MUTATIONS];
};

/*
 * Changes one to three fields of image (only fields it has set, and only
 * fields some check reads), each to a value biased toward a boundary: a
 * reserved or fixed bit of the capability MSRs, an alignment or
 * physical-address-width edge, the canonical edge, an access-rights bit, 0 or
 * all ones. The EPTP keeps its address; the MSR-area addresses stay 16-byte
 * aligned within the scratch page or move to a boundary. Records old and new values in *out.
 */
void vmentry_diff_mutate(struct vmentry_diff_rng *rng, struct vmcs_image *image, const struct vmx_caps *caps,
                         uint32_t phys_width_bits, struct vmentry_diff_case *out);

/*
 * Whether a case may be launched. Never when the image asks for something
 * Bochs accepts and then panics on (a BOCHS_NEVER_LAUNCH row), or, when it
 * would be entered, a state it does not come back from (wait-for-SIPI, where
 * the VMX-preemption timer stops; HLT without the timer; shutdown, which ends
 * Bochs). A change to a field that could wreck the host at the next VM exit
 * (host state, VM-exit controls and MSR areas, addresses the processor
 * writes through) is launched only when a check Bochs also has refuses it
 * with VMfailValid: a guest-state failure is a VM exit, which loads that host
 * state. A changed VM-entry MSR-load list only when the entry fails before
 * the first MSR is loaded (the MSRs it loads stay loaded after the exit).
 */
enum vmentry_diff_launch { DIFF_LAUNCH, DIFF_UNSAFE, DIFF_NEVER_LAUNCH };
enum vmentry_diff_launch vmentry_diff_launchable(const struct vmentry_diff_case *c,
                                                 const struct vmcs_image *image, const struct vmx_caps *caps,
                                                 const struct vmentry_verdict *ours);

/* How the processor answered a VMLAUNCH. */
struct vmentry_diff_outcome {
    enum vmentry_class class_; /* VMENTRY_OK when the guest entered (and exited with a basic reason) */
    uint32_t vm_instruction_error;
    uint32_t exit_reason; /* with bit 31 for an entry failure */
    uint64_t exit_qualification;
};

/* The outcome of a VMLAUNCH from its result: VMfailValid with the error, or the exit reason read after. */
void vmentry_diff_outcome_of(struct vmentry_diff_outcome *out, bool vmfail_valid,
                             uint32_t vm_instruction_error, uint32_t exit_reason,
                             uint64_t exit_qualification);

enum vmentry_diff_result {
    DIFF_AGREE,     /* same class (both accept, or both refuse in the same area) */
    DIFF_STRICTER,  /* they differ, and the Bochs-gap table explains it */
    DIFF_DISAGREE,  /* they differ, unexplained: a bug in our check or a new Bochs gap */
    DIFF_UNCHECKED, /* our check could not read memory it needed */
};

/*
 * Compares. Every check the case breaks is considered, not only our first:
 * a difference is explained when each of our failing checks in an area
 * before the processor's (or, when it entered, each of them) is a Bochs gap
 * of the kind that accounts for it, or when the processor refused where we
 * accept and a BOCHS_OLDER_RULE check's older wording refuses it. *explaining
 * is the gap row used, or NULL.
 */
enum vmentry_diff_result vmentry_diff_compare(const struct vmentry_check_input *in,
                                              const struct vmentry_verdict *ours,
                                              const struct vmentry_diff_outcome *theirs,
                                              const struct vmentry_bochs_gap **explaining);

const char *vmentry_diff_result_name(enum vmentry_diff_result result);

#endif
