/*
 * The boot's VMX summary, once every AP has done its VMX step: one line per
 * kind of outcome instead of one per CPU, so that 255 CPUs cost the console
 * a few lines. Each CPU is named in exactly one of them, as runs
 * ("cpu0-3,cpu7"); a list too long for one line goes on in continuation
 * lines. The per-CPU lines are there with loglevel=debug, and the per-CPU
 * state and reason on the status page.
 */
#include "arch/x86/vmx/vmx_summary.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

/* "cpuNNN-NNN," is at most 12 bytes: every CPU listed, whatever the runs. */
#define LIST_BYTES (MAX_CPUS * 12 + 1)
/* How much of the list goes on the first line (after the head, before the note) and on each continuation. */
#define FIRST_LINE_LIST_BYTES 120
#define MORE_LINE_LIST_BYTES 300

static char list[LIST_BYTES];
static bool listed[MAX_CPUS];

/* Appends "cpuA-B" or "cpuA" for the run [first, last] to list, comma-separated. */
static size_t append_run(size_t used, uint32_t first, uint32_t last)
{
    const char *comma = used ? "," : "";
    int n = first == last ? format(list + used, sizeof list - used, "%scpu%u", comma, first)
                          : format(list + used, sizeof list - used, "%scpu%u-%u", comma, first, last);
    return used + (size_t)n < sizeof list ? used + (size_t)n : sizeof list - 1;
}

static bool same_root(const struct percpu *cpu, const struct percpu *model)
{
    return cpu->in_vmx_root && cpu->vmx_revision_id == model->vmx_revision_id;
}

static bool same_refusal(const struct percpu *cpu, const struct percpu *model)
{
    return !cpu->in_vmx_root && cpu->reason == model->reason && strcmp(cpu->note, model->note) == 0;
}

/* Lists every running CPU not listed yet that matches model, as runs; returns how many. */
static uint32_t list_matching(const struct percpu *model,
                              bool (*match)(const struct percpu *, const struct percpu *))
{
    size_t used = 0;
    uint32_t count = 0, run_first = 0, run_last = 0;
    bool in_run = false;
    list[0] = '\0';
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        const struct percpu *cpu = cpu_table[i];
        if (listed[i] || cpu->state != CPU_STATE_ONLINE || !match(cpu, model))
            continue;
        listed[i] = true;
        count++;
        if (in_run && i == run_last + 1) {
            run_last = i;
            continue;
        }
        if (in_run)
            used = append_run(used, run_first, run_last);
        run_first = run_last = i;
        in_run = true;
    }
    if (in_run)
        append_run(used, run_first, run_last);
    return count;
}

/* Prints "head: LIST: note" (no note when empty), cutting a long list at commas into "head, continued: ..." lines. */
static void print_list(enum log_level level, const char *head, const char *note)
{
    char chunk[MORE_LINE_LIST_BYTES + 1];
    const char *rest = list;
    size_t limit = FIRST_LINE_LIST_BYTES;
    for (bool first = true; *rest; first = false, limit = MORE_LINE_LIST_BYTES) {
        size_t n = strlen(rest);
        if (n > limit)
            for (n = limit; n > 0 && rest[n] != ','; n--) {
            }
        if (n == 0)
            n = limit < strlen(rest) ? limit : strlen(rest); /* no comma: one run longer than a line */
        memcpy(chunk, rest, n);
        chunk[n] = '\0';
        if (first)
            log_printf(level, "%s: %s%s%s", head, chunk, note[0] ? ": " : "", note);
        else
            log_printf(level, "%s, continued: %s", head, chunk);
        rest += n + (rest[n] == ',');
    }
}

uint32_t vmx_report_summary(void)
{
    char head[96];
    uint32_t started = 0, in_root = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        started += cpu_table[i]->state == CPU_STATE_ONLINE;
        in_root += cpu_table[i]->in_vmx_root;
        listed[i] = false;
    }
    log_info("vmx: %u of %u running CPUs in VMX root operation", in_root, started);
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        const struct percpu *cpu = cpu_table[i];
        if (listed[i] || cpu->state != CPU_STATE_ONLINE || !cpu->in_vmx_root)
            continue;
        list_matching(cpu, same_root);
        format(head, sizeof head, "vmx: in VMX root operation (revision 0x%x)", cpu->vmx_revision_id);
        print_list(LOG_INFO, head, "");
    }
    /* By reason, then by the CPU's own words: CPUs that failed alike share a line. */
    for (uint32_t reason = REASON_NO_VMX; reason < REASON_COUNT; reason++) {
        for (uint32_t i = 0; i < cpu_count_found; i++) {
            const struct percpu *cpu = cpu_table[i];
            if (listed[i] || cpu->state != CPU_STATE_ONLINE || cpu->in_vmx_root || cpu->reason != reason)
                continue;
            uint32_t count = list_matching(cpu, same_refusal);
            format(head, sizeof head, "vmx: %u CPUs without VMX (%s)", count, cpu_reason_name(reason));
            print_list(LOG_WARN, head, cpu->note);
        }
    }
    return in_root;
}
