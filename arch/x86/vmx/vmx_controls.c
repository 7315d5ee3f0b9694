#include "arch/x86/vmx/vmx_controls.h"
#include "core/lib/error.h"
#include "core/lib/format.h"

static const char *const word_names[VMX_CONTROL_WORD_COUNT] = {
    [VMX_CONTROL_PINBASED] = "pin-based",  [VMX_CONTROL_PROCBASED] = "primary",
    [VMX_CONTROL_SECONDARY] = "secondary", [VMX_CONTROL_EXIT] = "VM-exit",
    [VMX_CONTROL_ENTRY] = "VM-entry",
};

const char *vmx_control_word_name(enum vmx_control_word word)
{
    return (unsigned)word < VMX_CONTROL_WORD_COUNT ? word_names[word] : "unknown";
}

const char *vmx_control_bit_name(enum vmx_control_word word, unsigned bit)
{
    switch (word) {
    case VMX_CONTROL_PINBASED:
        return vmx_pinbased_control_name(bit);
    case VMX_CONTROL_PROCBASED:
        return vmx_procbased_control_name(bit);
    case VMX_CONTROL_SECONDARY:
        return vmx_secondary_control_name(bit);
    case VMX_CONTROL_EXIT:
        return vmx_exit_control_name(bit);
    case VMX_CONTROL_ENTRY:
        return vmx_entry_control_name(bit);
    case VMX_CONTROL_WORD_COUNT:
        break;
    }
    return NULL;
}

uint32_t vmx_control_msr(const struct vmx_caps *caps, enum vmx_control_word word)
{
    bool true_msrs = vmx_basic_true_controls(caps->basic);
    switch (word) {
    case VMX_CONTROL_PINBASED:
        return true_msrs ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS;
    case VMX_CONTROL_PROCBASED:
        return true_msrs ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS;
    case VMX_CONTROL_SECONDARY:
        return MSR_IA32_VMX_PROCBASED_CTLS2;
    case VMX_CONTROL_EXIT:
        return true_msrs ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS;
    case VMX_CONTROL_ENTRY:
        return true_msrs ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS;
    case VMX_CONTROL_WORD_COUNT:
        break;
    }
    return 0;
}

uint64_t vmx_control_allowed(const struct vmx_caps *caps, enum vmx_control_word word)
{
    bool true_msrs = vmx_basic_true_controls(caps->basic);
    switch (word) {
    case VMX_CONTROL_PINBASED:
        return true_msrs ? caps->true_pinbased_ctls : caps->pinbased_ctls;
    case VMX_CONTROL_PROCBASED:
        return true_msrs ? caps->true_procbased_ctls : caps->procbased_ctls;
    case VMX_CONTROL_SECONDARY:
        /* SDM: without "activate secondary controls" allowed-1, the MSR does not exist: nothing allowed. */
        return caps->have_procbased_ctls2 ? caps->procbased_ctls2 : 0;
    case VMX_CONTROL_EXIT:
        return true_msrs ? caps->true_exit_ctls : caps->exit_ctls;
    case VMX_CONTROL_ENTRY:
        return true_msrs ? caps->true_entry_ctls : caps->entry_ctls;
    case VMX_CONTROL_WORD_COUNT:
        break;
    }
    return 0;
}

int vmx_control_adjust(uint64_t allowed, struct vmx_control_request request, uint32_t *value,
                       unsigned *first_missing_bit)
{
    uint32_t allowed0 = (uint32_t)allowed, allowed1 = (uint32_t)(allowed >> 32);
    *value = ((request.required | request.optional) & allowed1) | allowed0;
    uint32_t missing = request.required & ~allowed1;
    if (!missing)
        return 0;
    *first_missing_bit = (unsigned)__builtin_ctz(missing);
    return E_NOTSUP;
}

void vmx_controls_requests(struct vmx_control_request requests[VMX_CONTROL_WORD_COUNT])
{
    /*
     * External interrupts and NMIs exit, so IPIs and the panic NMI still reach
     * vmxroot while a guest runs; the preemption timer bounds a guest that
     * never exits. HLT, I/O and MSR accesses exit through the bitmaps.
     * Without "unrestricted guest" the modes that need it are refused by name
     * (vmcs_setup_guest.c); without EPT no guest runs at all.
     */
    requests[VMX_CONTROL_PINBASED] = (struct vmx_control_request){
        .required = PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING,
        .optional = PIN_ACTIVATE_PREEMPTION_TIMER,
    };
    requests[VMX_CONTROL_PROCBASED] = (struct vmx_control_request){
        .required = PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY,
        .optional = 0,
    };
    requests[VMX_CONTROL_SECONDARY] = (struct vmx_control_request){
        .required = PROC2_ENABLE_EPT,
        .optional = PROC2_ENABLE_VPID | PROC2_UNRESTRICTED_GUEST | PROC2_ENABLE_RDTSCP |
                    PROC2_ENABLE_INVPCID | PROC2_ENABLE_XSAVES | PROC2_WBINVD_EXITING,
    };
    /*
     * EFER is switched by the CPU on every entry and exit: a guest's NXE/SCE never leak into vmxroot.
     * DR7 and IA32_DEBUGCTL too (SDM "Loading Host Control Registers, Debug Registers, MSRs": every
     * exit sets DR7 to 400H and clears IA32_DEBUGCTL): saved at exit, loaded at entry, or a guest's
     * breakpoints vanish at its next exit.
     */
    requests[VMX_CONTROL_EXIT] = (struct vmx_control_request){
        .required = EXIT_HOST_ADDRESS_SPACE_SIZE | EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER |
                    EXIT_SAVE_DEBUG_CONTROLS,
        .optional = EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT,
    };
    requests[VMX_CONTROL_ENTRY] = (struct vmx_control_request){
        .required = ENTRY_LOAD_IA32_EFER | ENTRY_LOAD_DEBUG_CONTROLS,
        .optional = ENTRY_LOAD_IA32_PAT,
    };
}

/*
 * The PAT controls go together: a guest PAT saved but vmxroot's never
 * reloaded would leak it. Bits the CPU forces on (allowed-0) stay.
 */
static void pair_pat_controls(struct vmx_controls *controls, const uint32_t allowed0[VMX_CONTROL_WORD_COUNT])
{
    uint32_t exit_pat = EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT;
    bool all = (controls->value[VMX_CONTROL_EXIT] & exit_pat) == exit_pat &&
               (controls->value[VMX_CONTROL_ENTRY] & ENTRY_LOAD_IA32_PAT);
    if (!all) {
        controls->value[VMX_CONTROL_EXIT] &= ~(exit_pat & ~allowed0[VMX_CONTROL_EXIT]);
        controls->value[VMX_CONTROL_ENTRY] &= ~(ENTRY_LOAD_IA32_PAT & ~allowed0[VMX_CONTROL_ENTRY]);
    }
}

static int compute_words(const struct vmx_caps *caps, struct vmx_controls *out, char *why, size_t why_bytes)
{
    struct vmx_control_request requests[VMX_CONTROL_WORD_COUNT];
    uint32_t allowed0[VMX_CONTROL_WORD_COUNT];
    vmx_controls_requests(requests);
    for (unsigned word = 0; word < VMX_CONTROL_WORD_COUNT; word++) {
        unsigned bit = 0;
        uint64_t allowed = vmx_control_allowed(caps, (enum vmx_control_word)word);
        allowed0[word] = (uint32_t)allowed;
        out->allowed1[word] = (uint32_t)(allowed >> 32);
        if (vmx_control_adjust(allowed, requests[word], &out->value[word], &bit) == 0)
            continue;
        const char *name = vmx_control_bit_name((enum vmx_control_word)word, bit);
        const char *msr = vmx_caps_msr_name(vmx_control_msr(caps, (enum vmx_control_word)word));
        format(why, why_bytes, "%s control '%s' not allowed by %s", word_names[word], name ? name : "unnamed",
               msr ? msr : "its capability MSR");
        return E_NOTSUP;
    }
    pair_pat_controls(out, allowed0);
    return 0;
}

int vmx_controls_compute(const struct vmx_caps *caps, struct vmx_controls *out, char *why, size_t why_bytes)
{
    why[0] = '\0';
    return compute_words(caps, out, why, why_bytes);
}

void vmx_controls_pass_through(const struct vmx_caps *caps, const struct vmx_controls *boot,
                               struct vmx_controls *out)
{
    *out = *boot;
    uint32_t pin_must = (uint32_t)vmx_control_allowed(caps, VMX_CONTROL_PINBASED);
    uint32_t proc_must = (uint32_t)vmx_control_allowed(caps, VMX_CONTROL_PROCBASED);
    out->value[VMX_CONTROL_PINBASED] &=
        ~((PIN_EXTERNAL_INTERRUPT_EXITING | PIN_ACTIVATE_PREEMPTION_TIMER) & ~pin_must);
    out->value[VMX_CONTROL_PROCBASED] &= ~(PROC_HLT_EXITING & ~proc_must);
    /* The guest's TSC writes move its TSC offset, not the processor's TSC (vmexit_tsc.c). */
    out->value[VMX_CONTROL_PROCBASED] |= out->allowed1[VMX_CONTROL_PROCBASED] & PROC_USE_TSC_OFFSETTING;
    /* SDM: "virtual NMIs" needs "NMI exiting"; NMI-window exiting needs virtual NMIs. */
    if ((out->allowed1[VMX_CONTROL_PINBASED] & PIN_VIRTUAL_NMIS) &&
        (out->value[VMX_CONTROL_PINBASED] & PIN_NMI_EXITING))
        out->value[VMX_CONTROL_PINBASED] |= PIN_VIRTUAL_NMIS;
}

int vmx_controls_recheck(const struct vmx_controls *boot, const struct vmx_caps *ap_caps, char *why,
                         size_t why_bytes)
{
    struct vmx_controls mine;
    why[0] = '\0';
    int err = compute_words(ap_caps, &mine, why, why_bytes);
    if (err)
        return err;
    for (unsigned word = 0; word < VMX_CONTROL_WORD_COUNT; word++) {
        uint32_t differ = mine.value[word] ^ boot->value[word];
        if (!differ)
            continue;
        unsigned bit = (unsigned)__builtin_ctz(differ);
        const char *name = vmx_control_bit_name((enum vmx_control_word)word, bit);
        format(why, why_bytes, "%s controls differ from cpu0's in bits 0x%x (first: '%s')", word_names[word],
               differ, name ? name : "unnamed");
        return E_INVAL;
    }
    return 0;
}
