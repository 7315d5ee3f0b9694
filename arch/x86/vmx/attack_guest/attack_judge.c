/*
 * The judge of the hostile guest's cases: at the announcement vmxroot
 * notes what it will compare, at the guest's report (or at the stop a
 * destructive case ends in) it takes the guest's counts as one half and its
 * own checks (attack_host_checks.h, the EPT violations it counted, the stop
 * reason) as the other, and prints one line per case:
 *
 *   cpu<N>: guest-attack: case=<name> result=CONTAINED|ESCAPED|SKIP <detail>
 *
 * CONTAINED only when both halves agree; SKIP only for what this machine
 * cannot show (no other CPU to send IPIs to), never counted as contained.
 */
#include "arch/x86/vmx/attack_guest/attack_host_checks.h"
#include "arch/x86/tsc.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "mm/frames.h"
#include "mm/paging.h"

#define DETAIL_BYTES 400
#define CASE_OF(word) ((word)&0xffu)
#define KIND_OF(word) (((word) >> 8) & 0xffu)
#define PAGE_PRESENT 1ull
#define STATUS_KIND_STATUS 9 /* enum status_memory_kind: the status area, readable */

static volatile uint32_t total_judged, total_contained, total_skipped;

struct verdict {
    enum attack_result result;
    char detail[DETAIL_BYTES];
};

static void finish(struct attack_vcpu *a, uint32_t word, const struct verdict *v)
{
    char name[40];
    if (CASE_OF(word) == ATTACK_CASE_FRAMES)
        format(name, sizeof name, "frames-%s", attack_memory_kind_name(KIND_OF(word)));
    else
        format(name, sizeof name, "%s", attack_case_name(CASE_OF(word)));
    log_info("guest-attack: case=%s result=%s %s", name, attack_result_name(v->result), v->detail);
    a->judged++;
    a->contained += v->result == ATTACK_CONTAINED;
    a->escaped += v->result == ATTACK_ESCAPED;
    a->skipped += v->result == ATTACK_SKIP;
    __atomic_fetch_add(&total_judged, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&total_contained, v->result == ATTACK_CONTAINED, __ATOMIC_RELAXED);
    __atomic_fetch_add(&total_skipped, v->result == ATTACK_SKIP, __ATOMIC_RELAXED);
}

void attack_judge_totals(uint32_t *judged, uint32_t *contained, uint32_t *skipped)
{
    *judged = __atomic_load_n(&total_judged, __ATOMIC_RELAXED);
    *contained = __atomic_load_n(&total_contained, __ATOMIC_RELAXED);
    *skipped = __atomic_load_n(&total_skipped, __ATOMIC_RELAXED);
}

static void drop_cases_up_to(struct attack_vcpu *a, uint32_t case_id)
{
    a->case_mask &= ~((2u << case_id) - 1);
}

void attack_judge_begin(struct attack_vcpu *a, uint32_t case_word)
{
    uint32_t c = CASE_OF(case_word);
    if (c >= ATTACK_CASE_COUNT)
        return;
    if (c > 0)
        a->case_mask &= ~((1u << c) - 1); /* the cases before it are through */
    a->current = case_word;
    a->ept_read = a->ept_write = a->ept_fetch = a->ept_status_write = a->pattern_found = 0;
    a->stop_kind = ATTACK_STOP_NONE;
    a->exits_at_begin = a->vcpu->exits.total;
    a->tsc_at_begin = rdtsc();
    a->apic_refused_at_begin = a->apic.refused;
    a->pci_writes_dropped = 0;
    if (c == ATTACK_CASE_MSRS)
        attack_msrs_snapshot(a);
    else if (c == ATTACK_CASE_PCI_BAR)
        attack_bars_snapshot(a);
    else if (c == ATTACK_CASE_FLOOD)
        attack_others_mark(a);
}

void attack_judge_ept_violation(struct attack_vcpu *a, uint64_t gpa, bool read, bool write, bool fetch)
{
    uint64_t status = guest_report->area_phys(), status_bytes = guest_report->area_size_bytes();
    bool in_status = status && gpa >= status && gpa - status < status_bytes;
    a->ept_read += read;
    a->ept_fetch += fetch;
    if (!write)
        return;
    a->ept_write++;
    a->ept_status_write += in_status;
    /*
     * The write did not complete (SDM: an EPT violation is a fault): the frame must not hold the pattern.
     * A frame vmxroot itself does not map (a stack's guard page) holds nothing to look at.
     */
    if (gpa < frames_ram_end_phys() && (paging_lookup_flags(gpa & ~7ull) & PAGE_PRESENT) &&
        *(volatile const uint64_t *)(uintptr_t)(gpa & ~7ull) == ATTACK_GUEST_PATTERN)
        a->pattern_found++;
}

static const struct attack_case_report *report_of(struct attack_vcpu *a)
{
    const struct attack_case_report *r =
        vcpu_guest_ram(a->vcpu, ATTACK_GUEST_REPORT_GPA, sizeof(struct attack_case_report));
    return r && r->magic == ATTACK_GUEST_REPORT_MAGIC && r->case_id == a->current ? r : NULL;
}

static void judge_status_page(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    bool read_only = attack_status_read_only(a);
    bool ok = r->tried == 3 && r->faulted == 3 && r->allowed == 3 && r->wrong == 0 &&
              a->ept_status_write == 3 && read_only && r->value[0] == 1;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail,
           "writes=%u faulted=%u landed=%u ept_violations=%u (write to the read-only status area) "
           "mapping=%s header_checksum=%s",
           r->tried, r->faulted, r->wrong, a->ept_status_write, read_only ? "read-only" : "NOT read-only",
           r->value[0] == 1 ? "ok" : "BAD");
}

static void judge_frames(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    bool status = KIND_OF(r->case_id) == STATUS_KIND_STATUS;
    /* Reads and writes of vmxroot's frames fault; the status area is readable and its writes fault. */
    uint32_t reads_expected = status ? 0 : r->tried;
    bool ok = r->tried > 0 && r->wrong == 0 && a->pattern_found == 0 && r->value[1] == r->tried &&
              a->ept_write == r->tried && r->value[0] == reads_expected && a->ept_read == reads_expected &&
              r->value[2] == r->tried - reads_expected;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail,
           "frames=%u reads_faulted=%lu reads_allowed=%lu writes_faulted=%lu writes_landed=%u "
           "ept_violations=%u pattern_found=%u%s",
           r->tried, r->value[0], r->value[2], r->value[1], r->wrong, a->ept_read + a->ept_write,
           a->pattern_found, status ? " (the status area: readable by design)" : "");
    if (r->value[3])
        format(v->detail + strlen(v->detail), sizeof v->detail - strlen(v->detail),
               " not_tried_past_4gib=%lu", r->value[3]);
}

static void judge_vmx(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    bool vmcs = attack_vmcs_unchanged(a);
    uint64_t exits = a->vcpu->exits.total - a->exits_at_begin - 1; /* less the report's OUT */
    bool ok = r->tried == 12 && r->faulted == 12 && r->wrong == 0 && vmcs;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail,
           "instructions=%u ud=%u other_faults=%u exits=%lu (the rest #UD from the CPU itself) "
           "current_vmcs=%s",
           r->tried, r->faulted, r->wrong, exits, vmcs ? "unchanged" : "CHANGED");
}

static void judge_msrs(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    uint32_t first_changed;
    uint32_t same = attack_msrs_unchanged(a, &first_changed);
    uint64_t now = rdtsc();
    bool tsc_ok = now > a->tsc_at_begin && now - a->tsc_at_begin < tsc_from_us(60ull * 1000 * 1000);
    bool ok = r->tried > 0 && r->wrong == 0 && r->faulted + r->allowed == r->tried && same == a->msr_count &&
              tsc_ok;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail, "msrs=%u gp=%u shadowed=%u neither=%u host_unchanged=%u/%u%s tsc=%s",
           r->tried, r->faulted, r->allowed, r->wrong, same, a->msr_count,
           first_changed ? " (first changed: see msr)" : "", tsc_ok ? "monotonic" : "MOVED");
    if (first_changed)
        log_warn("guest-attack: host MSR 0x%x changed during the MSR case", first_changed);
}

static void judge_pci(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    uint32_t devices, bars;
    uint32_t changed = attack_bars_changed(a, &devices, &bars);
    bool ok = r->tried == 32 && a->pci_writes_dropped >= r->tried && changed == 0;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail,
           "refused: bar_writes=%u dropped=%u (configuration space shows it no device: %u of %lu reads all "
           "ones); the machine's bus 0: %u devices, %u BARs, %u changed",
           r->tried, a->pci_writes_dropped, r->allowed, r->value[0], devices, bars, changed);
}

static void judge_ipi(struct attack_vcpu *a, const struct attack_case_report *r, struct verdict *v)
{
    uint32_t others, going = attack_others_going_on(a, &others);
    uint32_t refused = a->apic.refused - a->apic_refused_at_begin;
    const uint32_t *m = a->apic.refused_by_mode;
    /* Three writes go to itself only (SELF IPI, shorthand self, NMI to id 0); every other names other CPUs. */
    bool ok = r->wrong == 0 && r->tried >= 3 && refused == r->tried - 3 && r->value[0] == 3 &&
              r->value[1] == 1 && a->apic.delivered_fixed >= 3 && a->apic.delivered_nmi >= 1 &&
              r->faulted == 2 && a->ept_write + a->ept_read >= 2 && going == others;
    v->result = !ok ? ATTACK_ESCAPED : others == 0 ? ATTACK_SKIP : ATTACK_CONTAINED;
    format(v->detail, sizeof v->detail,
           "icr_writes=%u delivered_to_itself=%lu fixed, %lu NMI; refused=%u (INIT %u, SIPI %u, NMI %u, "
           "fixed %u; last: %s); xapic_page_accesses_faulted=%u; other CPUs going on=%u/%u%s",
           r->tried, r->value[0], r->value[1], refused, m[5], m[6], m[4], m[0],
           a->apic.last_refusal[0] ? a->apic.last_refusal : "none", r->faulted, going, others,
           others == 0 ? " (one CPU: no other CPU to send to)" : "");
}

static void judge_flood(struct attack_vcpu *a, const struct attack_case_report *r, bool stopped,
                        struct verdict *v)
{
    bool timer = a->vcpu->controls->value[VMX_CONTROL_PINBASED] & PIN_ACTIVATE_PREEMPTION_TIMER;
    uint64_t exits = a->vcpu->exits.total - a->exits_at_begin;
    uint64_t expected = (uint64_t)ATTACK_FLOOD_MS * 1000 / STATUS_VCPU_PUBLISH_INTERVAL_US;
    uint32_t others, going = attack_others_going_on(a, &others), progressed = attack_others_progressed(a);
    bool bounded = timer ? stopped && a->vcpu->stop_status_reason == STATUS_VCPU_REASON_WATCHDOG : !stopped;
    /* At most one publish per interval (plus the state changes), and not far fewer while exits come. */
    bool rate = r->value[1] >= expected / 4 && r->value[1] <= expected + 8 && r->value[3] > r->value[2];
    /* Another CPU's record, written by that CPU while this one reads it: whole or retried, never torn. */
    bool other = r->value[7] != 0xffffffffu;
    bool ok = r->wrong == 0 && r->allowed > 0 && rate && exits >= 2 * r->value[0] && bounded &&
              going == others && progressed == others && r->value[6] == 0 && (!other || r->value[4] > 0);
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail,
           "ms=%u iterations=%lu exits=%lu own_record: reads=%u whole=%u retried=%u torn=%u publishes=%lu "
           "(at most %lu) exit_count=%lu..%lu; cpu%ld_record: whole=%lu retried=%lu torn=%lu; spin: %s; "
           "others going on=%u/%u progressed=%u",
           ATTACK_FLOOD_MS, r->value[0], exits, r->tried, r->allowed, r->faulted, r->wrong, r->value[1],
           expected, r->value[2], r->value[3], other ? (long)r->value[7] : -1L, r->value[4], r->value[5],
           r->value[6],
           timer ? (bounded ? "stopped by the preemption timer" : "NOT stopped by the preemption timer")
                 : "none (no preemption timer: the guest ended the flood)",
           going, others, progressed);
}

/* The destructive cases: the vCPU must have stopped, for the reason the case causes. */
static void judge_stop(struct attack_vcpu *a, uint32_t c, const struct attack_case_report *r, bool stopped,
                       struct verdict *v)
{
    struct vcpu *vcpu = a->vcpu;
    bool triple = stopped && vcpu->stop_status_reason == STATUS_VCPU_REASON_TRIPLE_FAULT;
    bool ok = false;
    char extra[96] = "";
    if (c == ATTACK_CASE_TRIPLE_FAULT) {
        ok = triple;
    } else if (c == ATTACK_CASE_DF_STORM) {
        ok = triple && r && r->value[0] >= ATTACK_DF_STORM_COUNT;
        format(extra, sizeof extra, " after %lu double faults", r ? r->value[0] : 0);
    } else if (c == ATTACK_CASE_CR0_PG) {
        ok = triple && r && r->faulted == 1 && r->wrong == 0;
        format(extra, sizeof extra, " (the first clear: %s)", r && r->faulted == 1 ? "#GP" : "NO #GP");
    } else {
        ok = stopped && a->stop_kind == ATTACK_STOP_PAGING_STRUCTURE && r &&
             (a->stop_gpa & ~0xfffull) == (r->value[0] & ~0xfffull);
        format(extra, sizeof extra, " (CR3 0x%lx, one of vmxroot's page-table frames)", r ? r->value[0] : 0);
    }
    uint32_t others, going = attack_others_going_on(a, &others);
    ok = ok && going == others;
    v->result = ok ? ATTACK_CONTAINED : ATTACK_ESCAPED;
    format(v->detail, sizeof v->detail, "%s%s; other CPUs going on=%u/%u (not begun yet: %u)",
           stopped ? vcpu->stop_reason : "the vCPU did NOT stop", extra, going, others,
           attack_others_not_begun(a));
}

static void judge(struct attack_vcpu *a, bool stopped)
{
    uint32_t word = a->current, c = CASE_OF(word);
    const struct attack_case_report *r = report_of(a);
    struct verdict v = { .result = ATTACK_ESCAPED };
    if (c < ATTACK_FIRST_DESTRUCTIVE && stopped) {
        format(v.detail, sizeof v.detail, "not judged: the vCPU stopped inside the case: %s",
               a->vcpu->stop_reason);
    } else if (c == ATTACK_CASE_FLOOD && r) {
        judge_flood(a, r, stopped, &v);
    } else if (c > ATTACK_FIRST_DESTRUCTIVE) {
        judge_stop(a, c, r, stopped, &v);
    } else if (!r) {
        format(v.detail, sizeof v.detail, "not judged: no report from the guest at 0x%lx",
               (unsigned long)ATTACK_GUEST_REPORT_GPA);
    } else if (c == ATTACK_CASE_STATUS_PAGE) {
        judge_status_page(a, r, &v);
    } else if (c == ATTACK_CASE_FRAMES) {
        judge_frames(a, r, &v);
    } else if (c == ATTACK_CASE_VMX_INSNS) {
        judge_vmx(a, r, &v);
    } else if (c == ATTACK_CASE_MSRS) {
        judge_msrs(a, r, &v);
    } else if (c == ATTACK_CASE_PCI_BAR) {
        judge_pci(a, r, &v);
    } else if (c == ATTACK_CASE_IPI) {
        judge_ipi(a, r, &v);
    }
    a->current = ATTACK_NO_CASE;
    finish(a, word, &v);
    if (c != ATTACK_CASE_FRAMES || stopped)
        drop_cases_up_to(a, c);
}

void attack_judge_end(struct attack_vcpu *a)
{
    if (a->current != ATTACK_NO_CASE)
        judge(a, false);
}

void attack_judge_stopped(struct attack_vcpu *a)
{
    if (a->current != ATTACK_NO_CASE)
        judge(a, true);
}

void attack_judge_not_run(struct attack_vcpu *a, const char *why)
{
    for (uint32_t c = 0; c < ATTACK_CASE_COUNT; c++) {
        if (!(a->case_mask & (1u << c)))
            continue;
        struct verdict v = { .result = ATTACK_ESCAPED };
        format(v.detail, sizeof v.detail, "not run: %s", why);
        finish(a, c, &v);
    }
    a->case_mask = 0;
}
