/*
 * The APs' work (VMX enable), on every AP at once: each AP runs it as soon
 * as it is online, says it is done and idles in HLT; the boot CPU waits for
 * all of them after the bring-up (asleep, bounded). The work writes its
 * outcome into the CPU's own structure and prints nothing at the default log
 * level (per-CPU lines are loglevel=debug), so the APs share no console lock:
 * under QEMU's multi-threaded TCG with 255 vCPUs on two host cores, one AP at
 * a time with a console line each took 0.9 s of a 1.0 s boot.
 */
#ifndef ARCH_X86_SMP_AP_WORK_H
#define ARCH_X86_SMP_AP_WORK_H

#include "core/lib/compiler.h"

struct percpu;

/* The work each AP runs once online; set before smp_start_aps (after the boot CPU's own VMX step). */
void smp_set_ap_work(void (*work)(void));
/*
 * Waits until every online AP has finished the work; returns how many did.
 * An AP is given up on after timeout_ms in
 * which no AP finished (on a busy host the emulator runs a few vCPUs at a
 * time: an AP still queued is slow, not dead); each one given up on is named
 * with its stage.
 */
uint32_t smp_run_ap_work(uint32_t timeout_ms);
/* The AP side, once online (arch/x86/smp/smp_boot.c's ap_entry): work, idle. */
NORETURN void ap_work_loop(struct percpu *cpu);
/* Every AP's idle loop after its turn: sleep, and run the work posted to this CPU. */
NORETURN void ap_idle(void);
/*
 * Hands an idle AP one piece of work (a guest launch): it runs on that CPU
 * from ap_idle, with interrupts off, for as long as it takes; the caller
 * does not wait. E_BUSY when that CPU already has work pending, E_INVAL when
 * it is not online.
 */
MUST_CHECK int smp_post_idle_work(uint32_t cpu_index, void (*work)(void));

#endif
