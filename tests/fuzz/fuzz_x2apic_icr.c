// host-sources: arch/x86/vmx/x2apic_icr.c
/*
 * Fuzzes the x2APIC ICR judge of a VM of one vCPU with any ICR value and
 * any own x2APIC id: whatever the input, an IPI is delivered only to the
 * sender itself and only in a mode vmxroot carries out (fixed or
 * lowest-priority with a vector of 16 or more, NMI); a refusal has a
 * reason; a physical destination other than itself, or all but itself, is
 * always refused and never delivered (an INIT de-assert, which does
 * nothing, aside).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/x2apic_icr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t value = 0;
    uint32_t own = 0;
    memcpy(&value, data, size < 8 ? size : 8);
    if (size > 8)
        memcpy(&own, data + 8, size - 8 < 4 ? size - 8 : 4);
    struct x2apic_icr icr = x2apic_icr_decode(value);
    struct x2apic_ipi_decision d = x2apic_ipi_decide(&icr, own);
    bool deliverable = ((icr.delivery == X2APIC_DELIVERY_FIXED || icr.delivery == X2APIC_DELIVERY_LOWEST) &&
                        icr.vector >= 16) ||
                       icr.delivery == X2APIC_DELIVERY_NMI;
    if (d.deliver_to_self && !deliverable)
        abort();
    if (d.refused && (d.refusal == NULL || d.refusal[0] == '\0'))
        abort();
    /* An INIT level de-assert does nothing at all (x2apic_icr.c): neither delivered nor refused. */
    bool init_deassert = icr.delivery == X2APIC_DELIVERY_INIT && !icr.level_assert && icr.level_triggered;
    if (init_deassert && (d.deliver_to_self || d.refused))
        abort();
    bool physical_other = icr.shorthand == X2APIC_SHORTHAND_NONE && !icr.logical && icr.destination != own &&
                          icr.destination != 0xffffffffu;
    if (physical_other && !init_deassert && (d.deliver_to_self || !d.refused))
        abort();
    if (icr.shorthand == X2APIC_SHORTHAND_ALL_EXCLUDING_SELF && !init_deassert &&
        (d.deliver_to_self || !d.refused))
        abort();
    if (x2apic_delivery_name(icr.delivery) == NULL)
        abort();
    return 0;
}
