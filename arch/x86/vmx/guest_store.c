#include "arch/x86/vmx/guest_store.h"
#include "arch/x86/vmx/guest_store_fetch.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "core/lib/error.h"

/* Through vm0's EPT: only what it lets the guest read (gpa = hpa, but the EPT says what is there). */
static int translate(void *ctx, uint64_t gpa, uint64_t *hpa)
{
    const struct vcpu *vcpu = ctx;
    struct ept_translation t;
    if (ept_lookup(&vcpu->ept, gpa, &t) != 0 || !(t.access & EPT_READ))
        return E_NOENT;
    *hpa = t.hpa;
    return 0;
}

static struct guest_store_state state_of(struct vcpu *vcpu)
{
    struct guest_store_state state = {
        .cr0 = vcpu_read_field(vcpu, VMCS_GUEST_CR0),
        .cr3 = vcpu_read_field(vcpu, VMCS_GUEST_CR3),
        .cr4 = vcpu_read_field(vcpu, VMCS_GUEST_CR4),
        .efer = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER),
        .cs_base = vcpu_read_field(vcpu, VMCS_GUEST_CS_BASE),
        .cs_access_rights = vcpu_read_field(vcpu, VMCS_GUEST_CS_ACCESS_RIGHTS),
        .rip = vcpu->exit_rip,
        .translate = translate,
        .ctx = vcpu,
    };
    for (unsigned i = 0; i < 16; i++)
        state.gpr[i] = vcpu_gpr(vcpu, i);
    return state;
}

int guest_store_decode(struct vcpu *vcpu, struct mmio_store *store, char *why, size_t why_bytes)
{
    struct guest_store_state state = state_of(vcpu);
    return guest_store_fetch_decode(&state, store, why, why_bytes);
}

int guest_load_decode(struct vcpu *vcpu, struct mmio_load *load, char *why, size_t why_bytes)
{
    struct guest_store_state state = state_of(vcpu);
    return guest_load_fetch_decode(&state, load, why, why_bytes);
}

void guest_access_done(struct vcpu *vcpu, unsigned length_bytes)
{
    vcpu_write_field(vcpu, VMCS_GUEST_RIP, vcpu->exit_rip + length_bytes);
    uint64_t blocking = vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE);
    if (blocking & 3)
        vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, blocking & ~3ull);
}

void guest_store_done(struct vcpu *vcpu, const struct mmio_store *store)
{
    guest_access_done(vcpu, store->length_bytes);
}
