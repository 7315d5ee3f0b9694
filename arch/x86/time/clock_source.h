/*
 * The clocks the TSC is measured against, each a free-running counter of a
 * known frequency read by polling (no interrupts): the ACPI PM timer
 * (3.579545 MHz, I/O port from the FADT), the HPET main counter (its period
 * in its own capabilities register) and PIT channel 2 (1.193182 MHz, ports
 * 0x42/0x43/0x61) run as a 16-bit rate generator and read by latching.
 */
#ifndef ARCH_X86_TIME_CLOCK_SOURCE_H
#define ARCH_X86_TIME_CLOCK_SOURCE_H

#include "core/lib/compiler.h"

enum clock_kind { CLOCK_PM_TIMER, CLOCK_HPET, CLOCK_PIT, CLOCK_KIND_COUNT };

struct clock_source {
    enum clock_kind kind;
    uint64_t hz;
    unsigned width_bits;
    uint16_t io_port;                 /* PM timer */
    volatile uint8_t *hpet_registers; /* HPET, mapped uncached */
    uint64_t hpet_saved_config;
    uint8_t pit_saved_port_b;
};

/* "ACPI PM timer", "HPET", "PIT": for people. */
const char *clock_kind_name(enum clock_kind kind);
/* "pm-timer", "hpet", "pit": for tools that parse the log. */
const char *clock_kind_key(enum clock_kind kind);

/* Each fills *src and starts the counter; E_NOENT when that clock is not there. */
int clock_pm_timer_open(uint16_t io_port, unsigned width_bits, struct clock_source *src);
int clock_hpet_open(uint64_t registers_phys, struct clock_source *src);
int clock_pit_open(struct clock_source *src);
/* Puts the hardware back as the firmware left it (HPET enable bit, PIT gate). */
void clock_close(struct clock_source *src);

/* The counter now, counting up, width_bits wide. */
uint64_t clock_read(const struct clock_source *src);

#endif
