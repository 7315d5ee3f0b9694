#include "arch/x86/tsc.h"
#include "arch/x86/insn.h"

static uint64_t khz;

void tsc_set_khz(uint64_t tsc_khz_value) { khz = tsc_khz_value; }
uint64_t tsc_khz(void) { return khz; }
uint64_t tsc_to_us(uint64_t ticks) { return khz ? ticks * 1000 / khz : 0; }
uint64_t tsc_from_us(uint64_t us) { return us * khz / 1000; }

void delay_poll_us(uint64_t us)
{
    uint64_t until = rdtsc() + tsc_from_us(us);
    while (rdtsc() < until)
        __atomic_signal_fence(__ATOMIC_SEQ_CST); /* a compiler barrier, no instruction */
    cpu_relax();
}

void delay_us(uint64_t us)
{
    uint64_t end = rdtsc() + tsc_from_us(us);
    while (rdtsc() < end)
        cpu_relax();
}
