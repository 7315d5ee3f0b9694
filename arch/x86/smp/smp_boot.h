/*
 * Starting the APs: every CPU in cpu_table (index 0 is the boot CPU) that is
 * in state FOUND gets INIT-SIPI-SIPI. In parallel mode all APs are started
 * at once and each finds its own slot; in serial mode one after another.
 * Every wait is bounded; a CPU that never answers and one that answers but
 * stalls are told apart in the log and in its state. What each AP does once
 * online is arch/x86/smp/ap_work.h.
 */
#ifndef ARCH_X86_SMP_SMP_BOOT_H
#define ARCH_X86_SMP_SMP_BOOT_H

#include "core/lib/compiler.h"

enum smp_mode { SMP_PARALLEL = 0, SMP_SERIAL = 1, SMP_OFF = 2 };

/* What the bring-up takes from the command line; main fills it. */
struct smp_options {
    enum smp_mode mode;       /* smp= (SMP_OFF: cpu_discovery left every AP out) */
    bool init_wait;           /* init_wait=on: the classic 10 ms wait after INIT */
    uint32_t sipi_timeout_ms; /* sipi_timeout_ms=: how long an AP has to answer */
    /*
     * cpu_discovery's every_listed_cpu_starts: parallel mode may then send
     * INIT, SIPI, SIPI once each to all other CPUs (the all-excluding-self
     * shorthand) instead of to each AP: 3 ICR writes instead of 3 per AP,
     * each of which takes QEMU's global lock that the starting APs need too.
     */
    bool broadcast;
    /*
     * Fault-injection hook points, NULL in a normal boot. inject_no_sipi: true
     * withholds INIT and SIPI from this AP (inject=ap-no-answer). inject_stall:
     * true makes this AP answer, then halt before online (inject=ap-stall).
     */
    bool (*inject_no_sipi)(uint32_t cpu_index);
    bool (*inject_stall)(uint32_t cpu_index);
};

struct smp_result {
    uint32_t online;     /* including the boot CPU */
    uint64_t bringup_us; /* first INIT to last AP online */
};

/* Starts the APs; always fills *result and logs one summary line (a failure is named there too). */
void smp_start_aps(const struct smp_options *opts, struct smp_result *result);

#endif
