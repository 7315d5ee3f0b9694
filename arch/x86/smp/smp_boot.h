/*
 * Starting the APs: every CPU in cpu_table (index 0 is the boot CPU) that is
 * in state FOUND gets INIT-SIPI-SIPI. In parallel mode all APs are started
 * at once and each finds its own slot; in serial mode one after another.
 * Every wait is bounded; a CPU that never answers and one that answers but
 * stalls are told apart in the log and in its state.
 */
#ifndef ARCH_X86_SMP_SMP_BOOT_H
#define ARCH_X86_SMP_SMP_BOOT_H

#include "core/cmdline.h"

struct smp_result {
    uint32_t online;     /* including the boot CPU */
    uint64_t bringup_us; /* first INIT to last AP online */
};

/* Work each AP does once online (VMX enable), in its turn (smp_wait_ap_work), before it idles. */
void smp_set_ap_work(void (*work)(void));
int smp_start_aps(const struct boot_options *opts, struct smp_result *result);
/*
 * Gives each online AP its turn to run the work, one AP at a time (their log
 * lines would otherwise queue on the console lock), waiting up to timeout_ms
 * for each; returns how many finished.
 */
uint32_t smp_wait_ap_work(uint32_t timeout_ms);
/*
 * Hands an idle AP one piece of work (a guest launch): it runs on that CPU
 * from cpu_idle, with interrupts off, for as long as it takes; the caller
 * does not wait. E_BUSY when that CPU already has work pending, E_INVAL when
 * it is not online.
 */
int smp_post_idle_work(uint32_t cpu_index, void (*work)(void));
NORETURN void cpu_idle(void);

#endif
