/*
 * The local APIC in xAPIC (MMIO) or x2APIC (MSR) mode. The mode is chosen
 * once on the boot CPU: x2APIC when firmware left it on (it cannot be turned
 * off without a reset of the APIC state) or when an APIC id above 254 needs
 * it; xAPIC otherwise. Every AP then uses the same mode.
 */
#ifndef ARCH_X86_SMP_LAPIC_H
#define ARCH_X86_SMP_LAPIC_H

#include "core/lib/compiler.h"

#define VECTOR_IPI_CALL 0xF0 /* arch/x86/smp/ipi.c: run a function on a CPU */
#define VECTOR_SPURIOUS 0xFF
#define VECTOR_LAPIC_TIMER 0xEF /* lapic_timer_sleep_us: its handler only acknowledges */

/* x2apic=on: x2APIC mode even when every APIC id fits xAPIC (where the CPU has it). Before lapic_init_boot_cpu. */
void lapic_force_x2apic(void);
/* Picks the mode and enables the boot CPU's APIC; mmio_phys from the MADT. */
void lapic_init_boot_cpu(uint64_t mmio_phys, uint32_t max_apic_id);
/* Enables the calling AP's APIC in the chosen mode. */
void lapic_init_ap(void);
bool lapic_x2apic_mode(void);
/* A guest turned this CPU's APIC to x2APIC (vmxroot forwarded the write): its sends use the MSRs from now on. */
void lapic_note_x2apic_this_cpu(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* Each send waits (bounded) for the APIC to accept it; 0 or E_TIMEOUT. */
MUST_CHECK int lapic_send_init(uint32_t apic_id);
MUST_CHECK int lapic_send_init_deassert(uint32_t apic_id);
MUST_CHECK int lapic_send_startup(uint32_t apic_id, uint8_t vector_page);
MUST_CHECK int lapic_send_fixed(uint32_t apic_id, uint8_t vector);
/* The same to every other CPU at once (the all-excluding-self shorthand): one ICR write for all of them. */
MUST_CHECK int lapic_send_init_all_but_self(void);
MUST_CHECK int lapic_send_init_deassert_all_but_self(void);
MUST_CHECK int lapic_send_startup_all_but_self(uint8_t vector_page);
MUST_CHECK int lapic_send_fixed_all_but_self(uint8_t vector);
MUST_CHECK int lapic_send_nmi(uint32_t apic_id);
MUST_CHECK int lapic_send_nmi_all_but_self(void);

/* Measures this CPU's APIC timer against the TSC (about 100 us) and takes its vector. Boot CPU, once. */
void lapic_timer_init(void);
/*
 * Sleeps in HLT with interrupts on until the APIC timer fires after about us
 * microseconds, or any interrupt comes first (an IPI). Returns false at once,
 * without sleeping, when the timer is not usable (the caller polls instead).
 * The caller checks its condition before and after: a wake-up it waits for
 * that comes as memory, not as an interrupt, is seen at the timer at latest.
 */
bool lapic_timer_sleep_us(uint32_t us);
/* The same, or a TSC poll of us microseconds when the timer is not usable. */
void lapic_timer_wait_us(uint32_t us);

#endif
