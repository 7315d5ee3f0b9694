#include "arch/x86/smp/smp_boot.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/trampoline.h"
#include "arch/x86/tsc.h"
#include "core/error.h"
#include "core/log.h"
#include "mm/frames.h"

/* SDM "MP Initialization": INIT, (10 ms), SIPI, 200 us, SIPI. */
#define INIT_WAIT_US 10000
#define SIPI_GAP_US 200
/* After answering, an AP has this long to get from its first C line to online. */
#define STALL_TIMEOUT_MS 100

static void (*ap_work)(void);

void smp_set_ap_work(void (*work)(void)) { ap_work = work; }

static const char *stage_name(uint32_t stage)
{
    static const char *const names[] = {
        [STAGE_NONE] = "trampoline (before C)", [STAGE_TRAMPOLINE] = "trampoline",
        [STAGE_DESCRIPTORS] = "descriptor setup", [STAGE_LAPIC] = "local APIC setup",
        [STAGE_VMX] = "VMX enable", [STAGE_IDLE] = "idle",
    };
    return stage < ARRAY_SIZE(names) ? names[stage] : "?";
}

NORETURN void cpu_idle(void)
{
    for (;;)
        __asm__ volatile("sti; hlt; cli" ::: "memory");
}

/* First C code of every AP, on its own stack (arch/x86/smp/trampoline.asm). */
NORETURN void ap_entry(struct percpu *cpu);
void ap_entry(struct percpu *cpu)
{
    percpu_load(cpu);
    __atomic_store_n(&cpu->handshake, HANDSHAKE_ALIVE, __ATOMIC_RELEASE);
    cpu->stage = STAGE_LAPIC;
    if (cpu->stall_injected)
        for (;;) /* inject=ap-stall: answer the SIPI, never come online */
            __asm__ volatile("cli; hlt");
    lapic_init_ap();
    cpu->online_tsc = rdtsc();
    cpu->state = CPU_STATE_ONLINE;
    __atomic_store_n(&cpu->handshake, HANDSHAKE_ONLINE, __ATOMIC_RELEASE);
    cpu->stage = STAGE_VMX;
    if (ap_work)
        ap_work();
    cpu->stage = STAGE_IDLE;
    __atomic_store_n(&cpu->ap_work_done, 1, __ATOMIC_RELEASE);
    cpu_idle();
}

static int send_init(struct percpu *cpu)
{
    int err = lapic_send_init(cpu->apic_id);
    if (!err)
        err = lapic_send_init_deassert(cpu->apic_id);
    return err;
}

static void mark_sent(struct percpu *cpu)
{
    cpu->state = CPU_STATE_STARTING;
    __atomic_store_n(&cpu->handshake, HANDSHAKE_SENT, __ATOMIC_RELEASE);
}

static bool answered(const struct percpu *cpu)
{
    return __atomic_load_n(&cpu->handshake, __ATOMIC_ACQUIRE) >= HANDSHAKE_ALIVE;
}

static bool came_online(const struct percpu *cpu)
{
    return __atomic_load_n(&cpu->handshake, __ATOMIC_ACQUIRE) == HANDSHAKE_ONLINE;
}

/* Waits for cpus [first, last] in STARTING until each is online or its time is up. */
static void wait_online(uint32_t first, uint32_t last, uint64_t start_tsc, const struct boot_options *opts)
{
    uint64_t answer_deadline = start_tsc + tsc_from_us(opts->sipi_timeout_ms * 1000ull);
    uint64_t stall_deadline = answer_deadline + tsc_from_us(STALL_TIMEOUT_MS * 1000ull);
    for (;;) {
        bool waiting = false;
        uint64_t now = rdtsc();
        for (uint32_t i = first; i <= last; i++) {
            struct percpu *cpu = cpu_table[i];
            if (!cpu || cpu->state != CPU_STATE_STARTING || came_online(cpu))
                continue;
            if (!answered(cpu) && now > answer_deadline) {
                cpu->state = CPU_STATE_NO_ANSWER;
                cpu->reason = REASON_NO_SIPI_ANSWER;
                log_warn("cpu%u (apic %u): no answer to SIPI after %u ms", i, cpu->apic_id,
                         opts->sipi_timeout_ms);
            } else if (answered(cpu) && now > stall_deadline) {
                cpu->state = CPU_STATE_STALLED;
                cpu->reason = REASON_STALLED;
                log_warn("cpu%u (apic %u): stalled in %s", i, cpu->apic_id, stage_name(cpu->stage));
            } else {
                waiting = true;
            }
        }
        if (!waiting)
            return;
        cpu_relax();
    }
}

static void start_one_group(uint32_t first, uint32_t last, uint8_t sipi_page, const struct boot_options *opts)
{
    for (uint32_t i = first; i <= last; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_FOUND)
            continue;
        mark_sent(cpu);
        if (opts->inject == INJECT_AP_NO_ANSWER && i == opts->inject_cpu)
            continue; /* injected: this one is never sent anything */
        if (send_init(cpu))
            log_warn("cpu%u (apic %u): the local APIC did not accept INIT", i, cpu->apic_id);
    }
    if (opts->init_wait)
        delay_us(INIT_WAIT_US);
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = first; i <= last; i++) {
            struct percpu *cpu = cpu_table[i];
            if (!cpu || cpu->state != CPU_STATE_STARTING || answered(cpu))
                continue;
            if (opts->inject == INJECT_AP_NO_ANSWER && i == opts->inject_cpu)
                continue;
            if (lapic_send_startup(cpu->apic_id, sipi_page))
                log_warn("cpu%u (apic %u): the local APIC did not accept SIPI", i, cpu->apic_id);
        }
        if (round == 0)
            delay_us(SIPI_GAP_US);
    }
}

int smp_start_aps(const struct boot_options *opts, struct smp_result *result)
{
    result->online = 1;
    result->bringup_us = 0;
    if (cpu_count_found <= 1)
        return 0;

    /* The trampoline finds its slot by APIC id: one array, below 4 GiB, read by every AP. */
    size_t slots_bytes = cpu_count_found * sizeof(struct ap_boot_slot);
    uint64_t slots_phys;
    int err = frames_alloc((slots_bytes + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES, FRAMES_BELOW_4GIB, &slots_phys);
    if (err) {
        log_error("smp: no memory for the AP start table: APs stay off");
        return err;
    }
    struct ap_boot_slot *slots = (struct ap_boot_slot *)(uintptr_t)slots_phys;
    uint32_t slot_count = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_FOUND)
            continue;
        cpu->stall_injected = opts->inject == INJECT_AP_STALL && i == opts->inject_cpu;
        slots[slot_count++] = (struct ap_boot_slot){
            .apic_id = cpu->apic_id, .percpu_virt = (uint64_t)(uintptr_t)cpu, .stack_top = cpu->kernel_stack_top,
        };
    }
    uint64_t trampoline_phys;
    err = trampoline_install((uint64_t)(uintptr_t)ap_entry, slots, slot_count, &trampoline_phys);
    if (err)
        return err;
    uint8_t sipi_page = (uint8_t)(trampoline_phys >> 12);

    uint64_t start_tsc = rdtsc();
    if (opts->smp == SMP_SERIAL) {
        for (uint32_t i = 1; i < cpu_count_found; i++) {
            start_one_group(i, i, sipi_page, opts);
            wait_online(i, i, rdtsc(), opts);
        }
    } else {
        start_one_group(1, cpu_count_found - 1, sipi_page, opts);
        wait_online(1, cpu_count_found - 1, start_tsc, opts);
    }
    uint64_t last_online_tsc = start_tsc;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (cpu && cpu->state == CPU_STATE_ONLINE) {
            result->online++;
            if (cpu->online_tsc > last_online_tsc)
                last_online_tsc = cpu->online_tsc;
        }
    }
    result->bringup_us = tsc_to_us(last_online_tsc - start_tsc);
    log_info("smp: %u of %u CPUs online, bring-up %lu us (%s%s)", result->online, cpu_count_found,
             result->bringup_us, opts->smp == SMP_SERIAL ? "serial" : "parallel",
             opts->init_wait ? ", 10 ms INIT wait" : "");
    return 0;
}

uint32_t smp_wait_ap_work(uint32_t timeout_ms)
{
    uint64_t deadline = rdtsc() + tsc_from_us(timeout_ms * 1000ull);
    uint32_t done = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_ONLINE)
            continue;
        while (!__atomic_load_n(&cpu->ap_work_done, __ATOMIC_ACQUIRE) && rdtsc() < deadline)
            cpu_relax();
        if (cpu->ap_work_done)
            done++;
        else
            log_warn("cpu%u (apic %u): stalled in %s", i, cpu->apic_id, stage_name(cpu->stage));
    }
    return done;
}
