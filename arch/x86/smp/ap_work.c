#include "arch/x86/smp/ap_work.h"
#include "arch/x86/insn.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

/* How often the BSP looks at the APs that have not finished. */
#define POLL_INTERVAL_US 100
/* The vector that wakes an AP: the IPI-call vector, whose handler only acknowledges an empty call. */
#define VECTOR_WAKE VECTOR_IPI_CALL

static void (*ap_work)(void);
/* BSP: set once, when every online AP may run ap_work. */
static volatile uint32_t work_go;

void smp_set_ap_work(void (*work)(void)) { ap_work = work; }

void ap_work_loop(struct percpu *cpu)
{
    /* Wait asleep: the wake-up IPI ends the HLT (sti; hlt takes a pending one without a lost wake-up). */
    cpu->stage = STAGE_IDLE;
    while (!__atomic_load_n(&work_go, __ATOMIC_ACQUIRE))
        cpu_sleep_until_interrupt();
    cpu->stage = STAGE_VMX;
    if (ap_work)
        ap_work();
    cpu->stage = STAGE_IDLE;
    __atomic_store_n(&cpu->ap_work_done, 1, __ATOMIC_RELEASE);
    ap_idle();
}

static bool is_waiting(const struct percpu *cpu)
{
    return cpu && cpu->state == CPU_STATE_ONLINE && cpu->index != 0 &&
           !__atomic_load_n(&cpu->ap_work_done, __ATOMIC_ACQUIRE);
}

/* APs whose local APIC refused the wake-up IPI: named once, not waited for. One bit per CPU. */
static uint32_t refused[MAX_CPUS / 32];

static bool was_refused(uint32_t index) { return refused[index / 32] & (1u << (index % 32)); }

/*
 * Wakes every online AP; returns how many took the IPI. One broadcast
 * (all excluding self) instead of an IPI each: under QEMU's TCG every ICR
 * access takes the emulator's global lock, which 254 waking APs need too.
 * The vector only wakes: a CPU in ap_idle finds no work and sleeps again,
 * one halted with interrupts off (a CPU the trampoline found no slot for)
 * stays halted. Only a refused broadcast falls back to one IPI per AP.
 */
static uint32_t wake_all(void)
{
    uint32_t woken = 0, waiting = 0;
    __atomic_store_n(&work_go, 1, __ATOMIC_RELEASE);
    for (uint32_t i = 1; i < cpu_count_found; i++)
        waiting += is_waiting(cpu_table[i]);
    if (!waiting)
        return 0;
    int err = lapic_send_fixed_all_but_self(VECTOR_WAKE);
    if (!err)
        return waiting;
    log_warn("smp: the local APIC did not accept the wake-up broadcast (%s): one IPI per AP",
             error_name(err));
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!is_waiting(cpu))
            continue;
        err = lapic_send_fixed(cpu->apic_id, VECTOR_WAKE);
        if (err) {
            refused[i / 32] |= 1u << (i % 32);
            log_warn("cpu%u (apic %u): the local APIC did not accept the wake-up IPI (%s)", i, cpu->apic_id,
                     error_name(err));
            continue;
        }
        woken++;
    }
    return woken;
}

uint32_t smp_run_ap_work(uint32_t timeout_ms)
{
    uint32_t woken = wake_all();
    uint64_t limit_ticks = tsc_from_us(timeout_ms * 1000ull);
    uint64_t progress_tsc = rdtsc();
    uint32_t waiting = woken, last_waiting = woken;
    while (waiting) {
        waiting = 0;
        for (uint32_t i = 1; i < cpu_count_found; i++)
            waiting += is_waiting(cpu_table[i]) && !was_refused(i);
        uint64_t now = rdtsc();
        if (waiting != last_waiting) {
            last_waiting = waiting;
            progress_tsc = now;
        } else if (now - progress_tsc > limit_ticks) {
            break;
        }
        if (waiting)
            lapic_timer_wait_us(POLL_INTERVAL_US); /* asleep: the APs get the host CPU (lapic.h) */
    }
    for (uint32_t i = 1; i < cpu_count_found; i++)
        if (is_waiting(cpu_table[i]) && !was_refused(i))
            log_warn("cpu%u (apic %u): stalled in %s (its post-online work took over %u ms)", i,
                     cpu_table[i]->apic_id, ap_stage_name(cpu_table[i]->stage), timeout_ms);
    return woken - waiting;
}

NORETURN void ap_idle(void)
{
    struct percpu *cpu = this_cpu();
    for (;;) {
        cpu_sleep_until_interrupt();
        void (*work)(void) = __atomic_exchange_n(&cpu->idle_work, NULL, __ATOMIC_ACQ_REL);
        if (work)
            work();
    }
}

int smp_post_idle_work(uint32_t cpu_index, void (*work)(void))
{
    struct percpu *target = cpu_index < MAX_CPUS ? cpu_table[cpu_index] : NULL;
    if (!target || target->state != CPU_STATE_ONLINE)
        return E_INVAL;
    void (*expected)(void) = NULL;
    if (!__atomic_compare_exchange_n(&target->idle_work, &expected, work, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        return E_BUSY;
    /* The wake-up vector's handler only acknowledges: ap_idle finds the work after its HLT. */
    return lapic_send_fixed(target->apic_id, VECTOR_WAKE);
}
