/*
 * The boot's VMX summary, once every AP has had its turn: how many CPUs are
 * in VMX root operation, and one line per reason naming the others.
 */
#include "arch/x86/vmx/vmx_summary.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/format.h"
#include "core/lib/log.h"

/* Appends "cpuA-B" or "cpuA" for the run [first, last] to list, comma-separated. */
static size_t append_run(char *list, size_t used, size_t size_bytes, uint32_t first, uint32_t last)
{
    const char *comma = used ? "," : "";
    int n = first == last ? format(list + used, size_bytes - used, "%scpu%u", comma, first)
                          : format(list + used, size_bytes - used, "%scpu%u-%u", comma, first, last);
    return used + (size_t)n < size_bytes ? used + (size_t)n : size_bytes - 1;
}

uint32_t vmx_report_summary(void)
{
    uint32_t started = 0, in_root = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        started += cpu_table[i]->state == CPU_STATE_ONLINE;
        in_root += cpu_table[i]->in_vmx_root;
    }
    log_info("vmx: %u of %u running CPUs in VMX root operation", in_root, started);
    /* One line per reason, naming the CPUs as runs: the whole story even at 255 CPUs. */
    for (uint32_t reason = REASON_NO_VMX; reason < REASON_COUNT; reason++) {
        char list[200];
        size_t used = 0;
        uint32_t count = 0, run_first = 0, run_last = 0;
        bool in_run = false;
        for (uint32_t i = 0; i < cpu_count_found; i++) {
            bool match = cpu_table[i]->state == CPU_STATE_ONLINE && !cpu_table[i]->in_vmx_root &&
                         cpu_table[i]->reason == reason;
            if (!match)
                continue;
            count++;
            if (in_run && i == run_last + 1) {
                run_last = i;
                continue;
            }
            if (in_run)
                used = append_run(list, used, sizeof list, run_first, run_last);
            run_first = run_last = i;
            in_run = true;
        }
        if (!count)
            continue;
        append_run(list, used, sizeof list, run_first, run_last);
        log_warn("vmx: %u CPUs without VMX (%s): %s", count, cpu_reason_name(reason), list);
    }
    return in_root;
}
