// expect-error: VMCS_GUEST_CS_LIMIT is not a 16-bit field
/* A 16-bit read of a 32-bit field would drop its upper half. */
#include "arch/x86/vmx/vmcs_fields.h"

struct vmx_outcome misuse(void);
struct vmx_outcome misuse(void)
{
    uint16_t limit;
    return vmcs_read16(VMCS_GUEST_CS_LIMIT, &limit);
}
