#include "arch/x86/vmx/guest_store.h"
#include "arch/x86/vmx/guest_page_walk.h"
#include "arch/x86/vmx/vmcs_fields.h"
#include "arch/x86/msr.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

/* SDM: "Segment Descriptors": the L and D/B bits of the access rights. */
#define CS_ACCESS_LONG (1u << 13)
#define CS_ACCESS_DEFAULT_BIG (1u << 14)

/* A guest-physical read for the page walk and the fetch: only what the guest's EPT lets it read. */
static int read_gpa(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value)
{
    const struct vcpu *vcpu = ctx;
    struct ept_translation t;
    if ((gpa & 0xFFF) + size_bytes > PAGE_SIZE_BYTES || ept_lookup(&vcpu->ept, gpa, &t) != 0 ||
        !(t.access & EPT_READ))
        return E_NOENT;
    uint64_t v = 0;
    memcpy(&v, (const void *)(uintptr_t)t.hpa, size_bytes);
    *value = v;
    return 0;
}

/* Up to MMIO_INSTRUCTION_MAX_BYTES at the guest's RIP (fewer where its mapping ends); how many. */
static size_t fetch(struct vcpu *vcpu, uint8_t *bytes)
{
    struct guest_paging paging = {
        .cr0 = vcpu_read_field(vcpu, VMCS_GUEST_CR0),
        .cr3 = vcpu_read_field(vcpu, VMCS_GUEST_CR3),
        .cr4 = vcpu_read_field(vcpu, VMCS_GUEST_CR4),
        .efer = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER),
        .read_gpa = read_gpa,
        .ctx = vcpu,
    };
    uint64_t linear = vcpu_read_field(vcpu, VMCS_GUEST_CS_BASE) + vcpu->exit_rip, gpa;
    size_t n = 0;
    struct ept_translation t;
    /* One walk per page the instruction touches (at most two). */
    while (n < MMIO_INSTRUCTION_MAX_BYTES && guest_page_walk(&paging, linear, &gpa) == 0 &&
           ept_lookup(&vcpu->ept, gpa, &t) == 0 && (t.access & EPT_READ)) {
        size_t chunk = PAGE_SIZE_BYTES - (gpa & 0xFFF);
        if (chunk > MMIO_INSTRUCTION_MAX_BYTES - n)
            chunk = MMIO_INSTRUCTION_MAX_BYTES - n;
        memcpy(bytes + n, (const void *)(uintptr_t)t.hpa, chunk);
        n += chunk;
        linear += chunk;
    }
    return n;
}

static enum mmio_code_mode code_mode(struct vcpu *vcpu)
{
    uint64_t access = vcpu_read_field(vcpu, VMCS_GUEST_CS_ACCESS_RIGHTS);
    bool long_mode = vcpu_read_field(vcpu, VMCS_GUEST_IA32_EFER) & EFER_LMA;
    if (long_mode && (access & CS_ACCESS_LONG))
        return MMIO_CODE_64;
    return (access & CS_ACCESS_DEFAULT_BIG) ? MMIO_CODE_32 : MMIO_CODE_16;
}

int guest_store_decode(struct vcpu *vcpu, struct mmio_store *store, char *why, size_t why_bytes)
{
    uint8_t bytes[MMIO_INSTRUCTION_MAX_BYTES];
    size_t n = fetch(vcpu, bytes);
    uint64_t gpr[16];
    for (unsigned i = 0; i < 16; i++)
        gpr[i] = vcpu_gpr(vcpu, i);
    return mmio_store_decode(bytes, n, code_mode(vcpu), gpr, store, why, why_bytes);
}

void guest_store_done(struct vcpu *vcpu, const struct mmio_store *store)
{
    vcpu_write_field(vcpu, VMCS_GUEST_RIP, vcpu->exit_rip + store->length_bytes);
    uint64_t blocking = vcpu_read_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE);
    if (blocking & 3)
        vcpu_write_field(vcpu, VMCS_GUEST_INTERRUPTIBILITY_STATE, blocking & ~3ull);
}
