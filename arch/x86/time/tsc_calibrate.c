#include "arch/x86/time/tsc_calibrate.h"
#include "arch/x86/time/clock_source.h"
#include "arch/x86/time/tsc_calibration.h"
#include "arch/x86/smp/acpi_boot.h"
#include "arch/x86/smp/acpi_timers.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"

#define WINDOWS 5
#define WINDOW_MS 2
/* A counter that has not moved in this many reads is stuck (not there): about 50 ms on hardware. */
#define STUCK_POLLS 100000u
#define FALLBACK_KHZ 1000000u     /* 1 GHz: only when no clock could be read */
#define DISAGREE_CENTIPERCENT 100 /* 1% */

struct measurement {
    uint64_t khz;
    uint64_t spread_ppm;
};

/* One window: TSC ticks while the clock advances window_ticks, started on one of its edges. */
static int measure_window(const struct clock_source *src, uint64_t window_ticks, uint64_t *khz)
{
    uint64_t before = clock_read(src), start = before;
    uint32_t polls = 0;
    while (start == before) {
        if (++polls >= STUCK_POLLS)
            return E_NOENT;
        start = clock_read(src);
    }
    uint64_t start_tsc = rdtsc(), elapsed = 0, last = start;
    while (elapsed < window_ticks) {
        uint64_t now = clock_read(src);
        if (now == last) {
            if (++polls >= STUCK_POLLS)
                return E_TIMEOUT; /* moved once, then stopped: every wait is bounded */
            continue;
        }
        polls = 0;
        elapsed += tsc_counter_delta(last, now, src->width_bits);
        last = now;
    }
    *khz = tsc_window_khz(rdtsc() - start_tsc, elapsed, src->hz);
    return *khz ? E_OK : E_RANGE;
}

static int measure(struct clock_source *src, struct measurement *out)
{
    uint64_t khz[WINDOWS];
    uint64_t window_ticks = src->hz * WINDOW_MS / 1000;
    /* A first window not counted: it warms the loop (an emulator translates it, caches fill). */
    int err = measure_window(src, window_ticks / 4, &khz[0]);
    for (unsigned i = 0; i < WINDOWS && !err; i++)
        err = measure_window(src, window_ticks, &khz[i]);
    clock_close(src);
    if (err)
        return err;
    out->khz = tsc_median(khz, WINDOWS);
    out->spread_ppm = tsc_spread_ppm(khz, WINDOWS, out->khz);
    return E_OK;
}

struct clocks {
    bool has_pm_timer, has_hpet, pit_hidden;
    struct acpi_pm_timer pm_timer;
    uint64_t hpet_phys;
};

static void find_clocks(const struct boot_info *info, uint64_t ebda_phys,
                        const struct tsc_calibrate_options *opts, struct clocks *out)
{
    struct acpi acpi;
    *out = (struct clocks){ .pit_hidden = opts->hide_pit };
    if (acpi_boot_open(info, ebda_phys, &acpi) != 0)
        return;
    const struct acpi_header *fadt = acpi_find_table(&acpi, "FACP");
    out->has_pm_timer = fadt && acpi_pm_timer_parse(fadt, &out->pm_timer) == 0;
    const struct acpi_header *hpet = acpi_find_table(&acpi, "HPET");
    out->has_hpet = hpet && acpi_hpet_parse(hpet, &out->hpet_phys) == 0;
}

/* Opens and measures one kind of clock; E_NOENT when this machine does not have it. */
static int measure_kind(const struct clocks *clocks, enum clock_kind kind, struct measurement *out)
{
    struct clock_source src;
    int err = E_NOENT;
    if (kind == CLOCK_PM_TIMER && clocks->has_pm_timer)
        err = clock_pm_timer_open(clocks->pm_timer.io_port, clocks->pm_timer.width_bits, &src);
    else if (kind == CLOCK_HPET && clocks->has_hpet)
        err = clock_hpet_open(clocks->hpet_phys, &src);
    else if (kind == CLOCK_PIT && !clocks->pit_hidden)
        err = clock_pit_open(&src);
    return err ? err : measure(&src, out);
}

static void cross_check_cpuid15(uint64_t measured_khz)
{
    if (cpuid(0, 0).eax < 0x15)
        return;
    struct cpuid_regs r = cpuid(0x15, 0); /* TSC/crystal ratio EBX/EAX, crystal Hz in ECX */
    uint64_t leaf_khz = tsc_cpuid15_khz(r.eax, r.ebx, r.ecx);
    if (!leaf_khz)
        return;
    int64_t diff = tsc_difference_centipercent(leaf_khz, measured_khz);
    if (diff > DISAGREE_CENTIPERCENT || diff < -DISAGREE_CENTIPERCENT)
        log_warn("tsc: CPUID leaf 0x15 implies %lu kHz, %ld%% off the measured %lu kHz: using the "
                 "measurement (the leaf names a crystal the TSC does not run from here)",
                 leaf_khz, diff / 100, measured_khz);
    else
        log_info("tsc: CPUID leaf 0x15 agrees: %lu kHz", leaf_khz);
}

/* selftest=clocks: one line per clock, for tests that compare them on one machine. */
static void report_every_clock(const struct clocks *clocks)
{
    for (enum clock_kind kind = CLOCK_PM_TIMER; kind < CLOCK_KIND_COUNT; kind++) {
        struct measurement m;
        int err = measure_kind(clocks, kind, &m);
        if (err == 0)
            log_info("tsc: clock source=%s khz=%lu spread_ppm=%lu windows=%u", clock_kind_key(kind), m.khz,
                     m.spread_ppm, WINDOWS);
        else if (kind == CLOCK_PIT && clocks->pit_hidden)
            log_info("tsc: clock source=%s absent (hidden by inject=no-pit)", clock_kind_key(kind));
        else
            log_info("tsc: clock source=%s absent (%s)", clock_kind_key(kind), error_name(err));
    }
}

static uint64_t fallback_khz(void)
{
    uint64_t khz = 0;
    if (cpuid(0, 0).eax >= 0x15) {
        struct cpuid_regs r = cpuid(0x15, 0);
        khz = tsc_cpuid15_khz(r.eax, r.ebx, r.ecx);
    }
    if (khz) {
        log_warn("tsc: no clock to measure the TSC against (no ACPI PM timer, HPET or PIT): trusting CPUID "
                 "leaf 0x15, %lu kHz; timeouts are as right as that leaf",
                 khz);
        return khz;
    }
    log_warn("tsc: no clock to measure the TSC against (no ACPI PM timer, HPET or PIT): assuming %u kHz; "
             "every timeout is off by the ratio of the real rate to that",
             FALLBACK_KHZ);
    return FALLBACK_KHZ;
}

void tsc_calibrate(const struct boot_info *info, uint64_t ebda_phys, const struct tsc_calibrate_options *opts)
{
    struct clocks clocks;
    find_clocks(info, ebda_phys, opts, &clocks);
    struct measurement m = { 0, 0 };
    enum clock_kind kind = CLOCK_PM_TIMER;
    for (; kind < CLOCK_KIND_COUNT; kind++)
        if (measure_kind(&clocks, kind, &m) == 0)
            break;
    if (kind == CLOCK_KIND_COUNT) {
        tsc_set_khz(fallback_khz());
    } else {
        tsc_set_khz(m.khz);
        log_info("tsc: %lu kHz from the %s (median of %u windows of %u ms, spread %lu ppm)", m.khz,
                 clock_kind_name(kind), WINDOWS, WINDOW_MS, m.spread_ppm);
        cross_check_cpuid15(m.khz);
    }
    if (opts->every_clock)
        report_every_clock(&clocks);
}
