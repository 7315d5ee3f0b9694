#include "arch/x86/time/clock_source.h"
#include "arch/x86/io.h"
#include "arch/x86/smp/acpi_timers.h"
#include "core/lib/error.h"
#include "mm/paging.h"

#define PIT_FREQUENCY_HZ 1193182u
#define PIT_CHANNEL2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_CH2_LOBYTE_HIBYTE_MODE2 0xB4 /* channel 2, low then high byte, rate generator, binary */
#define PIT_CH2_LATCH 0x80               /* counter latch command for channel 2 */
#define PORT_B 0x61                      /* system control port B */
#define PORT_B_CH2_GATE 0x01
#define PORT_B_SPEAKER 0x02

/* IA-PC HPET Specification, "Register Set Summary". */
#define HPET_CAPABILITIES 0x000
#define HPET_CONFIG 0x010
#define HPET_MAIN_COUNTER 0x0F0
#define HPET_CONFIG_ENABLE 0x1ull
#define HPET_REGISTERS_BYTES 1024u
#define HPET_PERIOD_MAX_FS 100000000u /* the spec's limit: 100 ns */
#define FEMTOSECONDS_PER_SECOND 1000000000000000ull

const char *clock_kind_name(enum clock_kind kind)
{
    static const char *const names[CLOCK_KIND_COUNT] = { "ACPI PM timer", "HPET", "PIT" };
    return (unsigned)kind < CLOCK_KIND_COUNT ? names[kind] : "?";
}

const char *clock_kind_key(enum clock_kind kind)
{
    static const char *const keys[CLOCK_KIND_COUNT] = { "pm-timer", "hpet", "pit" };
    return (unsigned)kind < CLOCK_KIND_COUNT ? keys[kind] : "?";
}

int clock_pm_timer_open(uint16_t io_port, unsigned width_bits, struct clock_source *src)
{
    *src = (struct clock_source){
        .kind = CLOCK_PM_TIMER, .hz = ACPI_PM_TIMER_HZ, .width_bits = width_bits, .io_port = io_port
    };
    return E_OK; /* always running while ACPI hardware is there; a stuck one shows in the window */
}

static uint64_t hpet_read64(const struct clock_source *src, unsigned offset)
{
    return *(volatile const uint64_t *)(src->hpet_registers + offset);
}

static void hpet_write64(const struct clock_source *src, unsigned offset, uint64_t value)
{
    *(volatile uint64_t *)(src->hpet_registers + offset) = value;
}

int clock_hpet_open(uint64_t registers_phys, struct clock_source *src)
{
    /* MMIO must not be cached: map its page uncached before the first read. */
    if (paging_map_mmio(registers_phys, HPET_REGISTERS_BYTES, PAGING_UNCACHED) != 0)
        return E_NOMEM;
    *src = (struct clock_source){ .kind = CLOCK_HPET,
                                  .width_bits = 32,
                                  .hpet_registers = (volatile uint8_t *)(uintptr_t)registers_phys };
    uint64_t capabilities = hpet_read64(src, HPET_CAPABILITIES);
    uint32_t period_fs = (uint32_t)(capabilities >> 32);
    if (capabilities == ~0ull || period_fs == 0 || period_fs > HPET_PERIOD_MAX_FS)
        return E_NOENT; /* the table names an HPET that is not there (or disabled by firmware) */
    src->hz = FEMTOSECONDS_PER_SECOND / period_fs;
    src->hpet_saved_config = hpet_read64(src, HPET_CONFIG);
    hpet_write64(src, HPET_CONFIG, src->hpet_saved_config | HPET_CONFIG_ENABLE);
    return E_OK;
}

int clock_pit_open(struct clock_source *src)
{
    *src = (struct clock_source){ .kind = CLOCK_PIT, .hz = PIT_FREQUENCY_HZ, .width_bits = 16 };
    src->pit_saved_port_b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((src->pit_saved_port_b & ~PORT_B_SPEAKER) | PORT_B_CH2_GATE));
    outb(PIT_COMMAND, PIT_CH2_LOBYTE_HIBYTE_MODE2);
    outb(PIT_CHANNEL2_DATA, 0); /* reload 0 = 65536: the counter wraps every 55 ms */
    outb(PIT_CHANNEL2_DATA, 0);
    return E_OK; /* a PIT that is not there reads a constant: the window finds it stuck */
}

void clock_close(struct clock_source *src)
{
    if (src->kind == CLOCK_HPET && !(src->hpet_saved_config & HPET_CONFIG_ENABLE))
        hpet_write64(src, HPET_CONFIG, src->hpet_saved_config);
    else if (src->kind == CLOCK_PIT)
        outb(PORT_B, src->pit_saved_port_b);
}

uint64_t clock_read(const struct clock_source *src)
{
    switch (src->kind) {
    case CLOCK_PM_TIMER:
        return src->width_bits == 32 ? inl(src->io_port) : inl(src->io_port) & 0xFFFFFFu;
    case CLOCK_HPET:
        return *(volatile const uint32_t *)(src->hpet_registers + HPET_MAIN_COUNTER);
    case CLOCK_PIT: {
        outb(PIT_COMMAND, PIT_CH2_LATCH);
        uint8_t low = inb(PIT_CHANNEL2_DATA);
        uint8_t high = inb(PIT_CHANNEL2_DATA);
        return 0xFFFFu - (uint16_t)(low | (high << 8)); /* counts down: turned into counting up */
    }
    case CLOCK_KIND_COUNT:
        break;
    }
    return 0;
}
