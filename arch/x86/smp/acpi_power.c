#include "arch/x86/smp/acpi_power.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

/* FADT field offsets (ACPI spec, "FADT Format"). */
#define FADT_PM1A_CNT_BLK 64
#define FADT_PM1B_CNT_BLK 68
#define FADT_FLAGS 112
#define FADT_RESET_REG 116
#define FADT_RESET_VALUE 128
#define FADT_X_PM1A_CNT_BLK 172
#define FADT_X_PM1B_CNT_BLK 184
#define FADT_FLAG_RESET_REG_SUP (1u << 10)
#define GAS_BYTES 12
#define GAS_SPACE_MEMORY 0
#define GAS_SPACE_IO 1

static uint32_t read_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t read_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A Generic Address Structure in I/O or memory space; anything else is absent. */
static struct acpi_power_register gas_register(const uint8_t *gas)
{
    uint64_t address = read_u64(gas + 4);
    if (gas[0] == GAS_SPACE_IO && address <= 0xFFFF)
        return (struct acpi_power_register){ false, address };
    if (gas[0] == GAS_SPACE_MEMORY)
        return (struct acpi_power_register){ true, address };
    return (struct acpi_power_register){ false, 0 };
}

/* The 64-bit GAS wins when its address is filled, else the 32-bit port block. */
static struct acpi_power_register control_block(const uint8_t *fadt, uint32_t length, uint32_t legacy,
                                                uint32_t extended)
{
    if (length >= extended + GAS_BYTES && read_u64(fadt + extended + 4) != 0)
        return gas_register(fadt + extended);
    uint32_t port = read_u32(fadt + legacy);
    return (struct acpi_power_register){ false, port <= 0xFFFF ? port : 0 };
}

int acpi_power_parse(const struct acpi_header *fadt, struct acpi_power *out)
{
    const uint8_t *bytes = (const uint8_t *)fadt;
    uint32_t length = fadt->length;
    *out = (struct acpi_power){ 0 };
    if (length < FADT_FLAGS + 4)
        return E_NOENT;
    out->pm1a_control = control_block(bytes, length, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK);
    out->pm1b_control = control_block(bytes, length, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT_BLK);
    if ((read_u32(bytes + FADT_FLAGS) & FADT_FLAG_RESET_REG_SUP) && length > FADT_RESET_VALUE) {
        out->reset = gas_register(bytes + FADT_RESET_REG);
        out->reset_value = bytes[FADT_RESET_VALUE];
    }
    return out->pm1a_control.address ? 0 : E_NOENT;
}

static bool is_register(const struct acpi_power_register *reg, bool mmio, uint64_t address)
{
    return reg->address && reg->mmio == mmio && reg->address == address;
}

enum acpi_power_write acpi_power_classify_write(const struct acpi_power *power, bool mmio, uint64_t address,
                                                uint64_t value)
{
    if ((is_register(&power->pm1a_control, mmio, address) ||
         is_register(&power->pm1b_control, mmio, address)) &&
        (value & ACPI_PM1_SLP_EN))
        return ACPI_POWER_WRITE_SLEEP;
    if (is_register(&power->reset, mmio, address) && (value & 0xff) == power->reset_value)
        return ACPI_POWER_WRITE_RESET;
    return ACPI_POWER_WRITE_OTHER;
}

unsigned acpi_power_mmio_pages(const struct acpi_power *power, uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX])
{
    const struct acpi_power_register *regs[] = { &power->pm1a_control, &power->pm1b_control, &power->reset };
    unsigned count = 0;
    for (unsigned i = 0; i < ACPI_POWER_MMIO_PAGES_MAX; i++) {
        if (!regs[i]->mmio || !regs[i]->address)
            continue;
        uint64_t page = regs[i]->address & ~0xFFFull;
        bool seen = false;
        for (unsigned j = 0; j < count; j++)
            seen |= pages[j] == page;
        if (!seen)
            pages[count++] = page;
    }
    return count;
}
