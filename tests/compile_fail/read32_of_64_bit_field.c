// expect-error: VMCS_IO_BITMAP_A is not a 32-bit field
/* A 32-bit read of a 64-bit field's full encoding (access type 0) would drop its upper half. */
#include "arch/x86/vmx/vmcs_fields.h"

struct vmx_outcome misuse(void);
struct vmx_outcome misuse(void)
{
    uint32_t low;
    return vmcs_read32(VMCS_IO_BITMAP_A, &low);
}
