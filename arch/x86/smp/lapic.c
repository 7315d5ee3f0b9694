#include "arch/x86/smp/lapic.h"
#include "arch/x86/cpu_index.h"
#include "arch/x86/insn.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "arch/x86/boot/idt.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

/* Register offsets in the xAPIC page; x2APIC MSR = 0x800 + offset / 16 (SDM: "x2APIC Register Address Space"). */
enum lapic_register {
    LAPIC_ID = 0x20,
    LAPIC_EOI = 0xB0,
    LAPIC_SPURIOUS = 0xF0,
    LAPIC_ICR_LOW = 0x300,
    LAPIC_ICR_HIGH = 0x310,
    LAPIC_LVT_TIMER = 0x320,
    LAPIC_TIMER_INITIAL_COUNT = 0x380,
    LAPIC_TIMER_CURRENT_COUNT = 0x390,
    LAPIC_TIMER_DIVIDE = 0x3E0,
};

#define X2APIC_MSR_BASE 0x800
#define SPURIOUS_APIC_ENABLE (1u << 8)
#define ICR_DELIVERY_FIXED (0u << 8)
#define ICR_DELIVERY_NMI (4u << 8)
#define ICR_DELIVERY_INIT (5u << 8)
#define ICR_DELIVERY_STARTUP (6u << 8)
#define ICR_SEND_PENDING (1u << 12) /* xAPIC only */
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_SEND_TIMEOUT_US 1000
#define LVT_MASKED (1u << 16)
#define TIMER_DIVIDE_BY_1 0xB /* SDM "Divide Configuration Register": 1011b */
/* How long the timer's rate is measured against the TSC: the boot CPU alone, before any AP runs. */
#define TIMER_CALIBRATE_US 100

static volatile uint32_t *mmio;
static bool x2apic;
static bool x2apic_forced; /* lapic_force_x2apic(): x2APIC even where xAPIC would do */

/* CPUs a guest switched to x2APIC (a multiboot1 guest forwards its x2APIC enable): by CPU index. */
#define SWITCHED_CPUS 256
static bool switched_to_x2apic[SWITCHED_CPUS];

/* This CPU's mode: the boot's, or x2APIC since a guest switched it (SDM: "x2APIC State Transitions"). */
static bool mode_x2apic(void)
{
    uint32_t index = this_cpu_index();
    return x2apic || (index < SWITCHED_CPUS && switched_to_x2apic[index]);
}

void lapic_note_x2apic_this_cpu(void)
{
    uint32_t index = this_cpu_index();
    if (index < SWITCHED_CPUS)
        switched_to_x2apic[index] = true;
}

static uint32_t lapic_read(enum lapic_register reg)
{
    if (mode_x2apic())
        return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
    return mmio[reg / 4];
}

static void lapic_write(enum lapic_register reg, uint32_t value)
{
    if (mode_x2apic())
        wrmsr(X2APIC_MSR_BASE + reg / 16, value);
    else
        mmio[reg / 4] = value;
}

static void enable_this_apic(void)
{
    /* SDM "x2APIC State Transitions": disabled -> xAPIC -> x2APIC; disabled -> x2APIC directly is a #GP. */
    uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
    if (!(base & APIC_BASE_XAPIC_ENABLE)) {
        base |= APIC_BASE_XAPIC_ENABLE;
        wrmsr(MSR_IA32_APIC_BASE, base);
    }
    if (x2apic && !(base & APIC_BASE_X2APIC_ENABLE))
        wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC_ENABLE);
    lapic_write(LAPIC_SPURIOUS, SPURIOUS_APIC_ENABLE | VECTOR_SPURIOUS);
}

void lapic_force_x2apic(void) { x2apic_forced = true; }

void lapic_init_boot_cpu(uint64_t mmio_phys, uint32_t max_apic_id)
{
    bool has_x2apic = cpuid(1, 0).ecx & CPUID1_ECX_X2APIC;
    bool firmware_x2apic = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC_ENABLE;
    x2apic = firmware_x2apic || (has_x2apic && (max_apic_id > 254 || x2apic_forced));
    mmio = (volatile uint32_t *)(uintptr_t)mmio_phys;
    if (!has_x2apic && max_apic_id > 254)
        log_warn("lapic: APIC ids up to %u need x2APIC, which this CPU lacks: CPUs above 254 stay off",
                 max_apic_id);
    if (!has_x2apic && x2apic_forced)
        log_warn("lapic: x2apic=on, but this CPU has no x2APIC (CPUID.1:ECX bit 21): using xAPIC; under QEMU "
                 "add -cpu max or -cpu qemu64,+x2apic");
    enable_this_apic();
    const char *why = firmware_x2apic           ? " (left on by firmware)"
                      : x2apic_forced && x2apic ? " (x2apic=on)"
                                                : "";
    log_info("lapic: %s mode%s, boot CPU apic id %u", x2apic ? "x2APIC" : "xAPIC", why, lapic_id());
}

void lapic_init_ap(void) { enable_this_apic(); }

bool lapic_x2apic_mode(void) { return x2apic; }

uint32_t lapic_id(void) { return mode_x2apic() ? lapic_read(LAPIC_ID) : lapic_read(LAPIC_ID) >> 24; }

void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

static MUST_CHECK int send_ipi(uint32_t apic_id, uint32_t icr_low)
{
    if (mode_x2apic()) {
        /* x2APIC ICR is one 64-bit MSR; the write is the send (no pending bit). */
        wrmsr(X2APIC_MSR_BASE + LAPIC_ICR_LOW / 16, ((uint64_t)apic_id << 32) | icr_low);
        return 0;
    }
    /*
     * A guest that owns this CPU's xAPIC (a Linux guest) may be between its
     * own ICR-high and ICR-low writes when vmxroot's exit handler sends an IPI
     * (the panic stop): its destination is put back afterwards.
     */
    uint32_t guest_high = lapic_read(LAPIC_ICR_HIGH);
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, icr_low);
    /*
     * The deadline is read only once the send is seen pending (never, under
     * QEMU): under QEMU's TCG every RDTSC takes one emulator-wide lock, and
     * 254 APs sending their wake-up at once would queue on it.
     */
    uint64_t deadline = 0;
    int err = 0;
    while (lapic_read(LAPIC_ICR_LOW) & ICR_SEND_PENDING) {
        if (!deadline)
            deadline = rdtsc() + tsc_from_us(ICR_SEND_TIMEOUT_US);
        else if (rdtsc() > deadline) {
            err = E_TIMEOUT;
            break;
        }
        cpu_relax();
    }
    lapic_write(LAPIC_ICR_HIGH, guest_high);
    return err;
}

int lapic_send_init(uint32_t apic_id)
{
    return send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
}

/* Only old xAPICs need the deassert; x2APIC has no level-triggered INIT deassert. */
int lapic_send_init_deassert(uint32_t apic_id)
{
    return mode_x2apic() ? 0 : send_ipi(apic_id, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL);
}

int lapic_send_startup(uint32_t apic_id, uint8_t vector_page)
{
    return send_ipi(apic_id, ICR_DELIVERY_STARTUP | vector_page);
}

int lapic_send_fixed(uint32_t apic_id, uint8_t vector)
{
    return send_ipi(apic_id, ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT | vector);
}

int lapic_send_init_all_but_self(void)
{
    return send_ipi(0, ICR_DELIVERY_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL | ICR_ALL_BUT_SELF);
}

int lapic_send_init_deassert_all_but_self(void)
{
    return x2apic ? 0 : send_ipi(0, ICR_DELIVERY_INIT | ICR_TRIGGER_LEVEL | ICR_ALL_BUT_SELF);
}

int lapic_send_startup_all_but_self(uint8_t vector_page)
{
    return send_ipi(0, ICR_DELIVERY_STARTUP | ICR_ALL_BUT_SELF | vector_page);
}

int lapic_send_fixed_all_but_self(uint8_t vector)
{
    return send_ipi(0, ICR_DELIVERY_FIXED | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF | vector);
}

int lapic_send_nmi(uint32_t apic_id) { return send_ipi(apic_id, ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT); }

int lapic_send_nmi_all_but_self(void)
{
    return send_ipi(0, ICR_DELIVERY_NMI | ICR_LEVEL_ASSERT | ICR_ALL_BUT_SELF);
}

/*
 * The APIC timer as a bound on a HLT (SDM: "APIC Timer"): one-shot, divide by
 * 1, its rate measured once against the TSC. Waiting asleep instead of
 * reading the TSC in a loop matters under QEMU's TCG, where every vCPU is a
 * host thread: a spinning boot CPU takes a host core from the APs it waits
 * for, and every RDTSC takes one emulator-wide lock that the APs need too.
 */
static uint64_t timer_ticks_per_ms;

static void timer_handler(struct interrupt_frame *frame) { lapic_eoi(); }

void lapic_timer_init(void)
{
    idt_set_handler(VECTOR_LAPIC_TIMER, timer_handler);
    lapic_write(LAPIC_TIMER_DIVIDE, TIMER_DIVIDE_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, 0xFFFFFFFFu);
    uint64_t start_tsc = rdtsc();
    delay_us(TIMER_CALIBRATE_US);
    uint32_t counted = 0xFFFFFFFFu - lapic_read(LAPIC_TIMER_CURRENT_COUNT);
    uint64_t elapsed_us = tsc_to_us(rdtsc() - start_tsc);
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, 0);
    /* A timer that did not count (or a TSC not measured) leaves the waits polling. */
    timer_ticks_per_ms = elapsed_us && counted ? counted * 1000ull / elapsed_us : 0;
    log_debug("lapic: timer at %lu kHz (divide by 1)%s", timer_ticks_per_ms,
              timer_ticks_per_ms ? "" : ": not counting, waits poll the TSC");
}

bool lapic_timer_sleep_us(uint32_t us)
{
    uint64_t count = timer_ticks_per_ms * us / 1000;
    if (!count)
        return false;
    lapic_write(LAPIC_LVT_TIMER, VECTOR_LAPIC_TIMER); /* one-shot, unmasked */
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, count > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)count);
    /* STI's one-instruction shadow: an interrupt already pending wakes the HLT, it is not lost before it. */
    cpu_sleep_until_interrupt();
    lapic_write(LAPIC_TIMER_INITIAL_COUNT, 0);
    lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VECTOR_LAPIC_TIMER);
    return true;
}

void lapic_timer_wait_us(uint32_t us)
{
    if (!lapic_timer_sleep_us(us))
        delay_poll_us(us);
}
