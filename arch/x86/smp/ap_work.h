/*
 * The APs' work after bring-up (VMX enable), one AP at a time. Each online
 * AP sleeps in HLT until the boot CPU gives it its turn, runs the work, says
 * it is done and idles. Run all at once, the APs' log lines queue on the
 * console lock: under QEMU's multi-threaded TCG with hundreds of vCPUs on a
 * few host cores, that queue took seconds and slowed the bring-up it
 * overlapped. One at a time costs a few microseconds per AP on hardware.
 */
#ifndef ARCH_X86_SMP_AP_WORK_H
#define ARCH_X86_SMP_AP_WORK_H

#include "core/lib/compiler.h"

struct percpu;

/* The work each AP runs in its turn; set before smp_start_aps. */
void smp_set_ap_work(void (*work)(void));
/*
 * Gives each online AP its turn to run the work, in index order, waiting up
 * to timeout_ms for each; returns how many finished. An AP that does not
 * finish is named with its stage; the others still get their turn.
 */
uint32_t smp_wait_ap_work(uint32_t timeout_ms);
/* The AP side, once online (arch/x86/smp/smp_boot.c's ap_entry): wait for the turn, work, idle. */
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
