/*
 * Starting the APs (SDM: "MP Initialization Protocol Algorithm"). The boot
 * CPU (BSP) sends INIT-SIPI-SIPI to every AP at once (or one after another
 * with smp=serial) and waits, bounded, for each to answer and come online.
 *
 * Who writes what (struct percpu):
 *   handshake  BSP: SENT, then ABANDONED if it gives up on the AP;
 *              AP:  ALIVE (reached C), ONLINE (set up). Every step is a
 *              compare-and-swap, so an AP that comes too late and a BSP
 *              that gives up cannot both win: the count in the ready line
 *              and each CPU's state always agree.
 *   state      BSP only, from the handshake once the wait is over.
 *   stage      AP only, as it goes, so that a stall names where; the
 *              trampoline writes the first one (arch/x86/smp/ap_handshake.h).
 *
 * Once online, each AP waits for its work turn (arch/x86/smp/ap_work.c).
 */
#include "arch/x86/smp/smp_boot.h"
#include "arch/x86/insn.h"
#include "arch/x86/smp/ap_work.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/trampoline.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "mm/paging.h"
#include "mm/frames.h"

/* SDM "MP Initialization": INIT, (10 ms), SIPI, 200 us, SIPI. */
#define INIT_WAIT_US 10000
#define SIPI_GAP_US 200
/* After answering, an AP has this long to get from its first C line to online. */
#define STALL_TIMEOUT_MS 100
/* How often the BSP looks at the APs it waits for, and the gap between looks that means it was not running. */
#define POLL_INTERVAL_US 100
#define HOST_GAP_US 5000
/* How long the first AP may take alone before the others start anyway (start_pioneer). */
#define PIONEER_WAIT_US 20000

/* The SDM's waits between INIT and SIPIs, asleep (lapic_timer_wait_us) but never shorter than asked. */
static void wait_us(uint64_t us)
{
    uint64_t end = rdtsc() + tsc_from_us(us);
    for (uint64_t now = rdtsc(); now < end; now = rdtsc())
        lapic_timer_wait_us((uint32_t)tsc_to_us(end - now) + 1);
}

/* One step of the handshake; false if the other side moved it first. */
static bool handshake_move(struct percpu *cpu, uint32_t from, uint32_t to)
{
    uint32_t expected = from;
    return __atomic_compare_exchange_n(&cpu->handshake, &expected, to, false, __ATOMIC_ACQ_REL,
                                       __ATOMIC_ACQUIRE);
}

static uint32_t handshake_of(const struct percpu *cpu)
{
    return __atomic_load_n(&cpu->handshake, __ATOMIC_ACQUIRE);
}

/*
 * Every handshake move an AP made itself (ALIVE, then ONLINE): the boot CPU's
 * wait reads this one word at each look and goes through every AP only once
 * all have moved or a bound may have passed (under QEMU's TCG a pass over 254
 * APs every 100 us was most of the boot CPU's time in the bring-up).
 */
static uint32_t ap_moves_made;

static void count_ap_move(void) { __atomic_add_fetch(&ap_moves_made, 1, __ATOMIC_RELEASE); }

static uint32_t ap_moves_so_far(void) { return __atomic_load_n(&ap_moves_made, __ATOMIC_ACQUIRE); }

/* First C code of every AP, on its own stack (arch/x86/smp/trampoline.asm). */
NORETURN void ap_entry(struct percpu *cpu);
void ap_entry(struct percpu *cpu)
{
    cpu->stage = STAGE_DESCRIPTORS;
    if (!handshake_move(cpu, HANDSHAKE_SENT, HANDSHAKE_ALIVE))
        cpu_halt_forever(); /* too late: the BSP logged this CPU as not answering (no GS base yet to log with) */
    count_ap_move();
    percpu_load(cpu);
    paging_load_pat(); /* the same memory types as the boot CPU (the framebuffer is write-combining) */
    cpu->stage = STAGE_LAPIC;
    if (cpu->stall_injected)
        cpu_halt_forever(); /* inject=ap-stall: answer the SIPI, never come online */
    lapic_init_ap();
    if (!handshake_move(cpu, HANDSHAKE_ALIVE, HANDSHAKE_ONLINE)) {
        log_warn("came up after the boot CPU gave up on it (stalled): halting");
        cpu_halt_forever();
    }
    count_ap_move();
    ap_work_loop(cpu);
}

/* Fault-injection hook point: does the hook, when set, pick this AP? */
static bool hook_picks(bool (*hook)(uint32_t cpu_index), uint32_t index) { return hook && hook(index); }

static void send_init(uint32_t index, struct percpu *cpu)
{
    int err = lapic_send_init(cpu->apic_id);
    if (!err)
        err = lapic_send_init_deassert(cpu->apic_id);
    if (err)
        log_warn("cpu%u (apic %u): the local APIC did not accept INIT (%s)", index, cpu->apic_id,
                 error_name(err));
}

/*
 * One AP first, alone, until it is online or PIONEER_WAIT_US pass: under
 * QEMU's TCG the first CPU to run a piece of code translates it, and 254 APs
 * started at once all translated the trampoline and their first C code
 * together, queued on the emulator's per-page spinlocks (perf: 22.6 ms of
 * their 51 ms). The broadcast SIPIs after it start the others on code already
 * translated; the pioneer, out of wait-for-SIPI by then, ignores them (SDM:
 * "MP Initialization Protocol Algorithm"). A pioneer that does not come up
 * in time is only slow: the broadcast and wait_online treat it as any AP.
 */
static void start_pioneer(struct percpu *cpu, uint8_t sipi_page)
{
    if (lapic_send_startup(cpu->apic_id, sipi_page) != 0)
        return; /* the broadcast's SIPIs start it with the others */
    uint64_t start_tsc = rdtsc(), limit_ticks = tsc_from_us(PIONEER_WAIT_US);
    while (handshake_of(cpu) != HANDSHAKE_ONLINE && rdtsc() - start_tsc < limit_ticks)
        lapic_timer_wait_us(POLL_INTERVAL_US);
}

/* How far the broadcast got: the one-by-one path goes on from there. */
enum broadcast_outcome { BROADCAST_DONE, BROADCAST_NO_INIT, BROADCAST_NO_SIPI };

/*
 * INIT, SIPI, 200 us, SIPI to every other CPU at once (after one AP alone:
 * start_pioneer). If an APIC refuses
 * one, the APs are sent the rest one by one: all of INIT-SIPI-SIPI when the
 * INIT went wrong (no AP has run yet, so a second INIT harms none), only the
 * SIPIs when a SIPI did (one to a running AP is ignored). A CPU that answers
 * without a slot (none can, see every_listed_cpu_starts) halts in the
 * trampoline.
 */
static enum broadcast_outcome start_all_at_once(uint8_t sipi_page, const struct smp_options *opts)
{
    int err = lapic_send_init_all_but_self();
    if (!err)
        err = lapic_send_init_deassert_all_but_self();
    if (err) {
        log_warn("smp: the local APIC did not accept the INIT broadcast (%s): one AP at a time",
                 error_name(err));
        return BROADCAST_NO_INIT;
    }
    if (opts->init_wait)
        wait_us(INIT_WAIT_US);
    start_pioneer(cpu_table[1], sipi_page);
    err = lapic_send_startup_all_but_self(sipi_page);
    if (!err) {
        wait_us(SIPI_GAP_US);
        err = lapic_send_startup_all_but_self(sipi_page);
    }
    if (err) {
        log_warn("smp: the local APIC did not accept the SIPI broadcast (%s): one AP at a time",
                 error_name(err));
        return BROADCAST_NO_SIPI;
    }
    return BROADCAST_DONE;
}

/* Every AP in [first, last] still FOUND, and nothing withheld from one: a broadcast may start them. */
static bool may_broadcast(uint32_t first, uint32_t last, const struct smp_options *opts)
{
    if (opts->mode != SMP_PARALLEL || !opts->broadcast || opts->inject_no_sipi || first != 1 ||
        last != cpu_count_found - 1)
        return false;
    for (uint32_t i = first; i <= last; i++)
        if (!cpu_table[i] || cpu_table[i]->state != CPU_STATE_FOUND)
            return false;
    return true;
}

/* INIT to every AP in [first, last] still FOUND, then SIPI, 200 us, SIPI to those not yet in C. */
static void start_group(uint32_t first, uint32_t last, uint8_t sipi_page, const struct smp_options *opts)
{
    bool init_each = true, broadcast_started = false;
    if (may_broadcast(first, last, opts)) {
        for (uint32_t i = first; i <= last; i++) {
            cpu_table[i]->state = CPU_STATE_STARTING;
            __atomic_store_n(&cpu_table[i]->handshake, HANDSHAKE_SENT, __ATOMIC_RELEASE);
        }
        enum broadcast_outcome outcome = start_all_at_once(sipi_page, opts);
        if (outcome == BROADCAST_DONE)
            return;
        broadcast_started = true;
        init_each = outcome == BROADCAST_NO_INIT;
    }
    for (uint32_t i = first; i <= last && init_each; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != (broadcast_started ? CPU_STATE_STARTING : CPU_STATE_FOUND))
            continue;
        cpu->state = CPU_STATE_STARTING;
        __atomic_store_n(&cpu->handshake, HANDSHAKE_SENT, __ATOMIC_RELEASE);
        if (!hook_picks(opts->inject_no_sipi, i)) /* hook point: an injected AP is never sent anything */
            send_init(i, cpu);
    }
    if (opts->init_wait && init_each)
        wait_us(INIT_WAIT_US);
    for (int round = 0; round < 2; round++) {
        for (uint32_t i = first; i <= last; i++) {
            struct percpu *cpu = cpu_table[i];
            if (!cpu || cpu->state != CPU_STATE_STARTING || handshake_of(cpu) != HANDSHAKE_SENT ||
                hook_picks(opts->inject_no_sipi, i))
                continue;
            int err = lapic_send_startup(cpu->apic_id, sipi_page);
            if (err)
                log_warn("cpu%u (apic %u): the local APIC did not accept SIPI (%s)", i, cpu->apic_id,
                         error_name(err));
        }
        if (round == 0)
            wait_us(SIPI_GAP_US);
    }
}

/* Gives up on an AP that has not moved past `from` in time; false if it just did. */
static bool give_up(uint32_t index, struct percpu *cpu, uint32_t from, uint64_t sent_tsc)
{
    if (!handshake_move(cpu, from, HANDSHAKE_ABANDONED))
        return false;
    uint64_t waited_ms = tsc_to_us(rdtsc() - sent_tsc) / 1000;
    if (from == HANDSHAKE_SENT && cpu->stage == STAGE_NONE) {
        cpu->state = CPU_STATE_NO_ANSWER;
        cpu->reason = REASON_NO_SIPI_ANSWER;
        log_warn("cpu%u (apic %u): no answer to SIPI after %lu ms: left out; check the MADT entry or try "
                 "smp=serial "
                 "init_wait=on",
                 index, cpu->apic_id, waited_ms);
    } else {
        cpu->state = CPU_STATE_STALLED;
        cpu->reason = REASON_STALLED;
        log_warn("cpu%u (apic %u): stalled in %s (answered the SIPI, not online after %lu ms): left out",
                 index, cpu->apic_id, ap_stage_name(cpu->stage), waited_ms);
    }
    return true;
}

/*
 * Waits for the APs in [first, last] that are STARTING until each is online
 * or given up. An AP has sipi_timeout_ms to reach C and STALL_TIMEOUT_MS more
 * to come online, counted from the SIPI or from the last time any AP of the
 * group moved, whichever is later: an emulator on a busy host runs its vCPUs
 * a few at a time, and an AP still queued behind others is slow, not dead.
 * Time in which the BSP itself did not run (a gap of over HOST_GAP_US between
 * two looks: the host took the CPU away) does not count either.
 * Each AP moves at most twice, so the wait stays bounded. The APs' moves are
 * counted from moves_before (ap_moves_so_far before the first SIPI): until
 * every AP of the group has made both, and no bound can have passed, a look
 * reads only that count.
 */
static void wait_online(uint32_t first, uint32_t last, uint64_t sent_tsc, uint32_t moves_before,
                        const struct smp_options *opts)
{
    uint64_t answer_ticks = tsc_from_us(opts->sipi_timeout_ms * 1000ull);
    uint64_t stall_ticks = answer_ticks + tsc_from_us(STALL_TIMEOUT_MS * 1000ull);
    uint64_t progress_tsc = sent_tsc;
    uint64_t host_gap_ticks = tsc_from_us(HOST_GAP_US), last_now = sent_tsc;
    uint32_t last_moves = 0, starting = 0;
    for (uint32_t i = first; i <= last; i++)
        starting += cpu_table[i] && cpu_table[i]->state == CPU_STATE_STARTING;
    for (;;) {
        uint32_t waiting = 0, moves = ap_moves_so_far() - moves_before;
        uint64_t now = rdtsc();
        if (now - last_now > host_gap_ticks)
            progress_tsc += now - last_now;
        last_now = now;
        if (moves != last_moves) {
            last_moves = moves;
            progress_tsc = now > progress_tsc ? now : progress_tsc;
        }
        if (moves < 2 * starting && now - progress_tsc <= answer_ticks) {
            lapic_timer_wait_us(POLL_INTERVAL_US); /* asleep: the APs get the host CPU (lapic.h) */
            continue;
        }
        for (uint32_t i = first; i <= last; i++) {
            struct percpu *cpu = cpu_table[i];
            if (!cpu || cpu->state != CPU_STATE_STARTING)
                continue;
            uint32_t handshake = handshake_of(cpu);
            if (handshake == HANDSHAKE_ONLINE) {
                cpu->state = CPU_STATE_ONLINE;
                cpu->online_tsc = now; /* seen by the boot CPU: no AP reads the TSC (lapic_timer_sleep_us) */
            } else if (handshake == HANDSHAKE_SENT && now - progress_tsc > answer_ticks) {
                waiting += !give_up(i, cpu, HANDSHAKE_SENT, sent_tsc);
            } else if (handshake == HANDSHAKE_ALIVE && now - progress_tsc > stall_ticks) {
                waiting += !give_up(i, cpu, HANDSHAKE_ALIVE, sent_tsc);
            } else {
                waiting++;
            }
        }
        if (!waiting)
            return;
        lapic_timer_wait_us(POLL_INTERVAL_US); /* asleep: the APs get the host CPU (lapic.h) */
    }
}

/* The table the trampoline searches by APIC id: one slot per AP to start, below 4 GiB. */
static MUST_CHECK int build_slots(const struct smp_options *opts, struct ap_boot_slot **slots_out,
                                  uint32_t *count_out)
{
    size_t slots_bytes = cpu_count_found * sizeof(struct ap_boot_slot);
    uint64_t slots_phys;
    int err =
        frames_alloc((slots_bytes + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES, FRAMES_BELOW_4GIB, &slots_phys);
    if (err) {
        log_error("smp: no memory for the AP start table (%s): APs stay off", error_name(err));
        return err;
    }
    struct ap_boot_slot *slots = (struct ap_boot_slot *)(uintptr_t)slots_phys;
    uint32_t count = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_FOUND)
            continue;
        cpu->stall_injected = hook_picks(opts->inject_stall, i); /* hook point: read by ap_entry */
        slots[count++] = (struct ap_boot_slot){
            .apic_id = cpu->apic_id,
            .percpu_virt = (uint64_t)(uintptr_t)cpu,
            .stack_top = cpu->kernel_stack_top,
        };
    }
    *slots_out = slots;
    *count_out = count;
    return 0;
}

/* INIT-SIPI-SIPI to every AP in cpu_table still FOUND, all at once or one by one; 0 or the error that kept all off. */
static MUST_CHECK int start_all(const struct smp_options *opts, struct smp_result *result)
{
    struct ap_boot_slot *slots;
    uint32_t slot_count;
    int err = build_slots(opts, &slots, &slot_count);
    if (err || slot_count == 0)
        return err; /* slot_count 0: smp=off, maxcpus=1, nothing to start */
    uint64_t trampoline_phys;
    err = trampoline_install((uint64_t)(uintptr_t)ap_entry, slots, slot_count, &trampoline_phys);
    if (err) {
        log_error("smp: cannot install the AP trampoline (%s): APs stay off", error_name(err));
        return err;
    }
    uint8_t sipi_page = (uint8_t)(trampoline_phys >> 12);
    lapic_timer_init(); /* the boot CPU's waits below sleep on it */

    uint64_t start_tsc = rdtsc();
    if (opts->mode == SMP_SERIAL) {
        for (uint32_t i = 1; i < cpu_count_found; i++) {
            uint64_t sent_tsc = rdtsc();
            uint32_t moves_before = ap_moves_so_far();
            start_group(i, i, sipi_page, opts);
            wait_online(i, i, sent_tsc, moves_before, opts);
        }
    } else {
        uint32_t moves_before = ap_moves_so_far();
        start_group(1, cpu_count_found - 1, sipi_page, opts);
        wait_online(1, cpu_count_found - 1, start_tsc, moves_before, opts);
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
    return 0;
}

void smp_start_aps(const struct smp_options *opts, struct smp_result *result)
{
    result->online = 1;
    result->bringup_us = 0;
    if (cpu_count_found > 1 && start_all(opts, result) != 0)
        result->online = 1; /* start_all named the error; every AP stays off */
    /* One summary line in every case: the tests count the CPUs from it. */
    log_info("smp: %u of %u CPUs online, bring-up %lu us (%s%s, %s)", result->online, cpu_count_found,
             result->bringup_us,
             opts->mode == SMP_OFF      ? "smp=off"
             : opts->mode == SMP_SERIAL ? "serial"
                                        : "parallel",
             opts->init_wait ? ", 10 ms INIT wait" : "", lapic_x2apic_mode() ? "x2APIC" : "xAPIC");
}
