#include "arch/x86/smp/acpi_timers.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

/* FADT field offsets (ACPI spec, "FADT Format"). */
#define FADT_PM_TMR_BLK 76
#define FADT_PM_TMR_LEN 91
#define FADT_FLAGS 112
#define FADT_X_PM_TMR_BLK 208
#define FADT_FLAG_TMR_VAL_EXT (1u << 8)
#define FADT_FLAG_HW_REDUCED_ACPI (1u << 20)
#define PM_TIMER_LENGTH_BYTES 4

/* Generic Address Structure: space id, bit width, bit offset, access size, 64-bit address. */
#define GAS_BYTES 12
#define GAS_SPACE_MEMORY 0
#define GAS_SPACE_IO 1

/* HPET table: event timer block id at 36, then the base address as a GAS at 40. */
#define HPET_BASE_GAS 40
#define HPET_TABLE_MIN_BYTES 56

int acpi_pm_timer_parse(const struct acpi_header *fadt, struct acpi_pm_timer *out)
{
    const uint8_t *bytes = (const uint8_t *)fadt;
    uint32_t length = fadt->length;
    if (length < FADT_FLAGS + 4)
        return E_NOENT; /* an ACPI 1.0 FADT is 116 bytes: anything shorter has no flags */
    uint32_t flags = acpi_read_u32(bytes + FADT_FLAGS);
    if (flags & FADT_FLAG_HW_REDUCED_ACPI)
        return E_NOENT; /* no fixed hardware at all */
    uint64_t port = 0;
    if (length >= FADT_X_PM_TMR_BLK + GAS_BYTES && acpi_read_u64(bytes + FADT_X_PM_TMR_BLK + 4) != 0) {
        /* The 64-bit field wins when filled; only its I/O-space form is read here. */
        if (bytes[FADT_X_PM_TMR_BLK] != GAS_SPACE_IO)
            return E_NOENT;
        port = acpi_read_u64(bytes + FADT_X_PM_TMR_BLK + 4);
    } else {
        if (bytes[FADT_PM_TMR_LEN] != PM_TIMER_LENGTH_BYTES)
            return E_NOENT;
        port = acpi_read_u32(bytes + FADT_PM_TMR_BLK);
    }
    if (port == 0 || port > 0xFFFF - 3)
        return E_NOENT;
    out->io_port = (uint16_t)port;
    out->width_bits = (flags & FADT_FLAG_TMR_VAL_EXT) ? 32 : 24;
    return E_OK;
}

int acpi_hpet_parse(const struct acpi_header *hpet, uint64_t *registers_phys)
{
    const uint8_t *bytes = (const uint8_t *)hpet;
    if (hpet->length < HPET_TABLE_MIN_BYTES)
        return E_INVAL;
    if (bytes[HPET_BASE_GAS] != GAS_SPACE_MEMORY)
        return E_NOENT;
    uint64_t phys = acpi_read_u64(bytes + HPET_BASE_GAS + 4);
    if (phys == 0 || phys % 1024 != 0) /* the register block is 1 KiB, 1 KiB aligned */
        return E_INVAL;
    *registers_phys = phys;
    return E_OK;
}
