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
/* APs: one each when done with ap_work; the BSP's wait reads this word, not every AP's flag. */
static uint32_t work_done_count;

void smp_set_ap_work(void (*work)(void)) { __atomic_store_n(&ap_work, work, __ATOMIC_RELEASE); }

void ap_work_loop(struct percpu *cpu)
{
    cpu->stage = STAGE_VMX;
    void (*work)(void) = __atomic_load_n(&ap_work, __ATOMIC_ACQUIRE);
    if (work)
        work();
    cpu->stage = STAGE_IDLE;
    __atomic_store_n(&cpu->ap_work_done, 1, __ATOMIC_RELEASE);
    __atomic_add_fetch(&work_done_count, 1, __ATOMIC_RELEASE);
    ap_idle();
}

static bool is_waiting(const struct percpu *cpu)
{
    return cpu && cpu->state == CPU_STATE_ONLINE && cpu->index != 0 &&
           !__atomic_load_n(&cpu->ap_work_done, __ATOMIC_ACQUIRE);
}

/*
 * Waits (asleep) until every online AP has counted itself done, or none has
 * for timeout_ms; then one pass names each AP still at it. The APs started
 * their work as they came online (no wake-up IPI: under QEMU's TCG a
 * broadcast kicks 254 host threads from the boot CPU's), and a look reads
 * one counter: a pass over 254 APs every 100 us cost the boot CPU more than
 * the APs' work.
 */
uint32_t smp_run_ap_work(uint32_t timeout_ms)
{
    uint32_t online = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++)
        online += cpu_table[i] && cpu_table[i]->state == CPU_STATE_ONLINE;
    uint64_t limit_ticks = tsc_from_us(timeout_ms * 1000ull);
    uint64_t progress_tsc = rdtsc();
    uint32_t last_done = 0;
    for (;;) {
        uint32_t done = __atomic_load_n(&work_done_count, __ATOMIC_ACQUIRE);
        uint64_t now = rdtsc();
        if (done >= online)
            break;
        if (done != last_done) {
            last_done = done;
            progress_tsc = now;
        } else if (now - progress_tsc > limit_ticks) {
            break;
        }
        lapic_timer_wait_us(POLL_INTERVAL_US); /* asleep: the APs get the host CPU (lapic.h) */
    }
    uint32_t waiting = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        if (!is_waiting(cpu_table[i]))
            continue;
        waiting++;
        log_warn("cpu%u (apic %u): stalled in %s (its post-online work took over %u ms)", i,
                 cpu_table[i]->apic_id, ap_stage_name(cpu_table[i]->stage), timeout_ms);
    }
    return online - waiting;
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
