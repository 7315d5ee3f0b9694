#include "arch/x86/smp/ap_work.h"
#include "arch/x86/insn.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

/* How often the BSP looks whether the AP whose turn it is has finished. */
#define POLL_INTERVAL_US 20
/* The vector that wakes an AP for its turn: the IPI-call vector, whose handler only acknowledges an empty call. */
#define VECTOR_WAKE VECTOR_IPI_CALL

static void (*ap_work)(void);
/* BSP: the index of the AP whose turn it is to run ap_work; 0 = nobody's. */
static volatile uint32_t work_turn;

void smp_set_ap_work(void (*work)(void)) { ap_work = work; }

void ap_work_loop(struct percpu *cpu)
{
    /* Wait for our turn asleep: an IPI wakes us (sti; hlt takes a pending one without a lost wake-up). */
    cpu->stage = STAGE_IDLE;
    while (__atomic_load_n(&work_turn, __ATOMIC_ACQUIRE) != cpu->index)
        cpu_sleep_until_interrupt();
    cpu->stage = STAGE_VMX;
    if (ap_work)
        ap_work();
    cpu->stage = STAGE_IDLE;
    __atomic_store_n(&cpu->ap_work_done, 1, __ATOMIC_RELEASE);
    ap_idle();
}

uint32_t smp_wait_ap_work(uint32_t timeout_ms)
{
    uint32_t done = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_ONLINE)
            continue;
        __atomic_store_n(&work_turn, i, __ATOMIC_RELEASE);
        int err = lapic_send_fixed(cpu->apic_id, VECTOR_WAKE);
        uint64_t deadline = rdtsc() + tsc_from_us(timeout_ms * 1000ull);
        while (!err && !__atomic_load_n(&cpu->ap_work_done, __ATOMIC_ACQUIRE) && rdtsc() < deadline)
            delay_poll_us(POLL_INTERVAL_US);
        if (__atomic_load_n(&cpu->ap_work_done, __ATOMIC_ACQUIRE))
            done++;
        else if (err)
            log_warn("cpu%u (apic %u): the local APIC did not accept the wake-up IPI (%s)", i, cpu->apic_id,
                     error_name(err));
        else
            log_warn("cpu%u (apic %u): stalled in %s (its post-online work took over %u ms)", i, cpu->apic_id,
                     ap_stage_name(cpu->stage), timeout_ms);
    }
    __atomic_store_n(&work_turn, 0, __ATOMIC_RELEASE);
    return done;
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
