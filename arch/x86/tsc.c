#include "arch/x86/tsc.h"
#include "arch/x86/insn.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/io.h"
#include "core/lib/log.h"

#define PIT_FREQUENCY_HZ 1193182u
#define PIT_CHANNEL2_DATA 0x42
#define PIT_COMMAND 0x43
#define PIT_CH2_LOBYTE_HIBYTE_MODE0 0xB0
#define PORT_B 0x61 /* system control port B */
#define PORT_B_CH2_GATE 0x01
#define PORT_B_SPEAKER 0x02
#define PORT_B_CH2_OUTPUT 0x20
#define CALIBRATION_MS 10
/* A PIT that never counts down (absent on some machines): stop waiting after this many reads. */
#define PIT_POLL_LIMIT 50000000u
#define FALLBACK_KHZ 1000000u /* 1 GHz: only when no clock could be read */

static uint64_t khz;

static uint64_t khz_from_cpuid15(void)
{
    if (cpuid(0, 0).eax < 0x15)
        return 0;
    struct cpuid_regs r = cpuid(0x15, 0); /* TSC/crystal ratio EBX/EAX, crystal Hz in ECX */
    if (!r.eax || !r.ebx || !r.ecx)
        return 0;
    return (uint64_t)r.ecx * r.ebx / r.eax / 1000;
}

static uint64_t khz_from_pit(void)
{
    uint16_t count = (uint16_t)(PIT_FREQUENCY_HZ * CALIBRATION_MS / 1000);
    uint8_t port_b = inb(PORT_B);
    outb(PORT_B, (uint8_t)((port_b & ~PORT_B_SPEAKER) | PORT_B_CH2_GATE));
    outb(PIT_COMMAND, PIT_CH2_LOBYTE_HIBYTE_MODE0);
    outb(PIT_CHANNEL2_DATA, count & 0xff);
    outb(PIT_CHANNEL2_DATA, count >> 8);
    uint64_t start = rdtsc();
    uint32_t polls = 0;
    while (!(inb(PORT_B) & PORT_B_CH2_OUTPUT) && ++polls < PIT_POLL_LIMIT)
        ;
    uint64_t ticks = rdtsc() - start;
    outb(PORT_B, port_b);
    if (polls >= PIT_POLL_LIMIT)
        return 0;
    return ticks / CALIBRATION_MS;
}

uint64_t tsc_calibrate(void)
{
    const char *source = "CPUID leaf 0x15";
    khz = khz_from_cpuid15();
    if (!khz) {
        source = "PIT channel 2";
        khz = khz_from_pit();
    }
    if (!khz) {
        khz = FALLBACK_KHZ;
        log_warn("tsc: no clock to calibrate against (PIT never counted down); assuming %lu kHz", khz);
        return khz;
    }
    log_info("tsc: %lu kHz (from %s)", khz, source);
    return khz;
}

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
