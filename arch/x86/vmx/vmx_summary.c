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

/* How much of the list goes on the first line (after the head, before the note) and on each continuation. */
#define FIRST_LINE_LIST_BYTES 120
#define MORE_LINE_LIST_BYTES 300

/* One kind of outcome being printed: "head: LIST: note", then "head, continued: LIST" while the list goes on. */
struct summary_line {
    enum log_level level;
    const char *head;
    const char *note;
    char list[MORE_LINE_LIST_BYTES + 1];
    size_t used;
    bool continued;
};

static void flush(struct summary_line *line)
{
    if (!line->continued)
        log_printf(line->level, "%s: %s%s%s", line->head, line->list, line->note[0] ? ": " : "", line->note);
    else
        log_printf(line->level, "%s, continued: %s", line->head, line->list);
    line->continued = true;
    line->used = 0;
    line->list[0] = '\0';
}

/* Appends "cpuA-B" or "cpuA" for the run [first, last], starting a continuation line when this one is full. */
static void add_run(struct summary_line *line, uint32_t first, uint32_t last)
{
    char run[16];
    int n = first == last ? format(run, sizeof run, "cpu%u", first)
                          : format(run, sizeof run, "cpu%u-%u", first, last);
    size_t limit = line->continued ? MORE_LINE_LIST_BYTES : FIRST_LINE_LIST_BYTES;
    if (line->used && line->used + 1 + (size_t)n > limit)
        flush(line);
    if (line->used)
        line->list[line->used++] = ',';
    memcpy(line->list + line->used, run, (size_t)n + 1);
    line->used += (size_t)n;
}

static bool same_root(const struct percpu *cpu, const struct percpu *model)
{
    return cpu->state == CPU_STATE_ONLINE && cpu->in_vmx_root &&
           cpu->vmx_revision_id == model->vmx_revision_id;
}

static bool same_refusal(const struct percpu *cpu, const struct percpu *model)
{
    return cpu->state == CPU_STATE_ONLINE && !cpu->in_vmx_root && cpu->reason == model->reason &&
           strcmp(cpu->note, model->note) == 0;
}

typedef bool (*same_fn)(const struct percpu *cpu, const struct percpu *model);

/* True when no CPU before index has the same outcome: index's line is printed when index comes up. */
static bool first_of_kind(uint32_t index, same_fn same)
{
    for (uint32_t i = 0; i < index; i++)
        if (same(cpu_table[i], cpu_table[index]))
            return false;
    return true;
}

/* Prints one kind of outcome: every CPU with model's outcome, as runs. */
static void print_kind(struct summary_line *line, const struct percpu *model, same_fn same)
{
    uint32_t run_first = 0, run_last = 0;
    bool in_run = false;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        if (!same(cpu_table[i], model))
            continue;
        if (in_run && i == run_last + 1) {
            run_last = i;
            continue;
        }
        if (in_run)
            add_run(line, run_first, run_last);
        run_first = run_last = i;
        in_run = true;
    }
    if (in_run)
        add_run(line, run_first, run_last);
    flush(line);
}

static uint32_t count_same(const struct percpu *model, same_fn same)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++)
        count += same(cpu_table[i], model);
    return count;
}

uint32_t vmx_report_summary(void)
{
    char head[96];
    struct summary_line line;
    uint32_t started = 0, in_root = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        started += cpu_table[i]->state == CPU_STATE_ONLINE;
        in_root += cpu_table[i]->in_vmx_root;
    }
    log_info("vmx: %u of %u running CPUs in VMX root operation", in_root, started);
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        const struct percpu *cpu = cpu_table[i];
        if (!same_root(cpu, cpu) || !first_of_kind(i, same_root))
            continue;
        format(head, sizeof head, "vmx: in VMX root operation (revision 0x%x)", cpu->vmx_revision_id);
        line = (struct summary_line){ .level = LOG_INFO, .head = head, .note = "" };
        print_kind(&line, cpu, same_root);
    }
    /* By reason, then by the CPU's own words: CPUs that failed alike share a line. */
    for (uint32_t reason = REASON_NO_VMX; reason < REASON_COUNT; reason++) {
        for (uint32_t i = 0; i < cpu_count_found; i++) {
            const struct percpu *cpu = cpu_table[i];
            if (cpu->reason != reason || !same_refusal(cpu, cpu) || !first_of_kind(i, same_refusal))
                continue;
            format(head, sizeof head, "vmx: %u CPUs without VMX (%s)", count_same(cpu, same_refusal),
                   cpu_reason_name(reason));
            line = (struct summary_line){ .level = LOG_WARN, .head = head, .note = cpu->note };
            print_kind(&line, cpu, same_refusal);
        }
    }
    return in_root;
}
