// host-sources: mm/pmm.c
/*
 * Fuzzes mm/pmm.c with a sequence of add / reserve / alloc / free operations
 * and checks every result against a frame-by-frame model of a small address
 * space: three 512 KiB windows, at 0 (frame 0), across 1 MiB (the 1 MiB
 * rule) and across 4 GiB (PMM_BELOW_4GIB). After each operation the free and owned
 * spans must be exactly the model's runs, and the statistics must agree.
 * The span capacity is small for some inputs, so "table full" is reached.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "mm/pmm.h"
#include "core/lib/error.h"
#include "tests/fuzz/fuzz_require.h"

#define FRAME PMM_FRAME_BYTES
#define WINDOW_FRAMES 128u
#define WINDOW_BYTES ((uint64_t)WINDOW_FRAMES * FRAME)
#define WINDOWS 3u
#define FRAMES (WINDOWS * WINDOW_FRAMES)

static const uint64_t window_base[WINDOWS] = { 0, MiB(1) - WINDOW_BYTES / 2, GiB(4) - WINDOW_BYTES / 2 };

enum frame_state { UNOWNED = 0, FREE, ALLOCATED };

/* The model walks every frame: tracing its comparisons would only slow the search down. */
#define MODEL_CODE __attribute__((no_sanitize("coverage"), noinline))

static struct pmm pmm;
static uint8_t model[FRAMES];

/* The model's frame for phys, or FRAMES when phys is outside every window. */
MODEL_CODE static uint32_t frame_index(uint64_t phys)
{
    for (uint32_t w = 0; w < WINDOWS; w++)
        if (phys >= window_base[w] && phys - window_base[w] < WINDOW_BYTES)
            return w * WINDOW_FRAMES + (uint32_t)((phys - window_base[w]) / FRAME);
    return FRAMES;
}

static uint64_t frame_phys(uint32_t i)
{
    return window_base[i / WINDOW_FRAMES] + (uint64_t)(i % WINDOW_FRAMES) * FRAME;
}

/* The model's maximal runs of frames in `want` states, as the pmm's merged spans. */
MODEL_CODE static uint32_t model_runs(bool owned, struct pmm_span *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < FRAMES; i++) {
        bool in = owned ? model[i] != UNOWNED : model[i] == FREE;
        if (!in)
            continue;
        if (n > 0 && i % WINDOW_FRAMES != 0 && out[n - 1].end_phys == frame_phys(i))
            out[n - 1].end_phys += FRAME;
        else
            out[n++] = (struct pmm_span){ frame_phys(i), frame_phys(i) + FRAME };
    }
    return n;
}

static struct pmm_span runs_free[FRAMES], runs_owned[FRAMES];
static uint32_t n_free, n_owned;

MODEL_CODE static void refresh_runs(void)
{
    n_free = model_runs(false, runs_free);
    n_owned = model_runs(true, runs_owned);
}

MODEL_CODE static void check_against_model(void)
{
    refresh_runs();
    REQUIRE(pmm.free.count == n_free);
    REQUIRE(memcmp(pmm.free.spans, runs_free, n_free * sizeof runs_free[0]) == 0);
    REQUIRE(pmm.owned.count == n_owned);
    REQUIRE(memcmp(pmm.owned.spans, runs_owned, n_owned * sizeof runs_owned[0]) == 0);
    uint64_t free_frames = 0, allocated_frames = 0;
    for (uint32_t i = 0; i < FRAMES; i++) {
        free_frames += model[i] == FREE;
        allocated_frames += model[i] == ALLOCATED;
    }
    struct pmm_stats st;
    pmm_get_stats(&pmm, &st);
    REQUIRE(st.free_bytes == free_frames * FRAME);
    REQUIRE(st.allocated_bytes == allocated_frames * FRAME);
    REQUIRE(st.free_ranges == n_free);
}

/* Does [base, end) touch no run? (adding it needs a new span) */
MODEL_CODE static bool touches_none(const struct pmm_span *runs, uint32_t n, uint64_t base, uint64_t end)
{
    for (uint32_t i = 0; i < n; i++)
        if (runs[i].end_phys >= base && runs[i].base_phys <= end)
            return false;
    return true;
}

/* Does a run strictly contain [base, end)? (removing it splits a span) */
MODEL_CODE static bool splits_one(const struct pmm_span *runs, uint32_t n, uint64_t base, uint64_t end)
{
    for (uint32_t i = 0; i < n; i++)
        if (runs[i].base_phys < base && runs[i].end_phys > end)
            return true;
    return false;
}

struct input {
    const uint8_t *data;
    size_t size;
};

static uint32_t take(struct input *in, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        v = v << 8;
        if (in->size) {
            v |= *in->data++;
            in->size--;
        }
    }
    return v;
}

/* A byte range inside one window, often frame aligned, sometimes not. */
static void take_range(struct input *in, uint32_t *window, uint64_t *base, uint64_t *len)
{
    uint32_t w = take(in, 1), start = take(in, 2) % WINDOW_FRAMES, count = take(in, 2) % (WINDOW_FRAMES + 1);
    *window = (w & 0x18) >> 3 == 3 ? 0 : (w & 0x18) >> 3;
    uint64_t off = (uint64_t)start * FRAME, l = (uint64_t)count * FRAME;
    if (w & 2)
        off += take(in, 2) % FRAME;
    if (w & 4)
        l += take(in, 2) % FRAME;
    if (off + l > WINDOW_BYTES)
        l = WINDOW_BYTES - off;
    *base = window_base[*window] + off;
    *len = l;
}

static void op_add(struct input *in)
{
    uint32_t w;
    uint64_t base, len;
    take_range(in, &w, &base, &len);
    uint64_t b = ALIGN_UP(base, FRAME), e = ALIGN_DOWN(base + len, FRAME);
    if (b < FRAME)
        b = FRAME;
    /* Slots: a new owned span when touching none; a new free span per gap touching no free run. */
    bool nomem = false;
    if (b < e) {
        refresh_runs();
        uint32_t new_free = 0;
        for (uint64_t a = b; a < e;) {
            uint32_t i = (uint32_t)((a - window_base[w]) / FRAME) + w * WINDOW_FRAMES;
            if (model[i] != UNOWNED) {
                a += FRAME;
                continue;
            }
            uint64_t gap_end = a;
            while (gap_end < e && model[(gap_end - window_base[w]) / FRAME + w * WINDOW_FRAMES] == UNOWNED)
                gap_end += FRAME;
            new_free += touches_none(runs_free, n_free, a, gap_end);
            a = gap_end;
        }
        nomem = n_free + new_free > pmm.capacity ||
                (touches_none(runs_owned, n_owned, b, e) && n_owned >= pmm.capacity);
    }
    int err = pmm_add_usable(&pmm, base, len);
    REQUIRE(err == (nomem ? E_NOMEM : E_OK));
    if (err == E_OK)
        for (uint64_t a = b; a < e; a += FRAME) {
            uint8_t *f = &model[(a - window_base[w]) / FRAME + w * WINDOW_FRAMES];
            if (*f == UNOWNED)
                *f = FREE;
        }
}

static void op_reserve(struct input *in)
{
    uint32_t w;
    uint64_t base, len;
    take_range(in, &w, &base, &len);
    uint64_t b = ALIGN_DOWN(base, FRAME), e = ALIGN_UP(base + len, FRAME);
    bool nomem = false;
    if (len != 0) {
        refresh_runs();
        nomem = (splits_one(runs_free, n_free, b, e) && n_free >= pmm.capacity) ||
                (splits_one(runs_owned, n_owned, b, e) && n_owned >= pmm.capacity);
    }
    int err = pmm_reserve(&pmm, base, len);
    REQUIRE(err == (nomem ? E_NOMEM : E_OK));
    if (err == E_OK && len != 0)
        for (uint64_t a = b; a < e; a += FRAME)
            model[(a - window_base[w]) / FRAME + w * WINDOW_FRAMES] = UNOWNED;
}

#define MAX_LIVE 64
static struct {
    uint64_t phys;
    uint32_t frames;
} live[MAX_LIVE];
static uint32_t live_count;

static void op_alloc(struct input *in)
{
    uint32_t a = take(in, 1), b = take(in, 1);
    size_t frames = (a & 0x80) ? 1 + take(in, 2) % (2 * WINDOW_FRAMES) : 1 + (a & 0x3F);
    uint64_t align = 1ull << (12 + b % 22);
    unsigned flags = (b >> 5) & 3;
    if (a & 0x20)
        flags |= PMM_HIGHEST;
    if ((a & 0x40) && (b & 0x80))
        flags |= 8; /* unknown flag: refused */
    if ((a & 0x40) && !(b & 0x80))
        align = (a & 1) ? FRAME / 2 : align + FRAME; /* bad alignment: refused */

    bool bad = (flags & ~PMM_FLAGS_ALL) || align < FRAME || (align & (align - 1));
    uint64_t expect = 0;
    bool found = false;
    if (!bad) {
        refresh_runs();
        uint64_t size = (uint64_t)frames * FRAME;
        uint64_t low = (flags & PMM_BELOW_1MIB) ? FRAME : MiB(1);
        uint64_t limit = (flags & PMM_BELOW_1MIB) ? MiB(1) : (flags & PMM_BELOW_4GIB) ? GiB(4) : UINT64_MAX;
        for (uint32_t n = 0; n < n_free && !found; n++) {
            uint32_t i = (flags & PMM_HIGHEST) ? n_free - 1 - n : n;
            uint64_t start = runs_free[i].base_phys > low ? runs_free[i].base_phys : low;
            if (flags & PMM_HIGHEST) { /* the highest aligned start that fits */
                uint64_t end = runs_free[i].end_phys < limit ? runs_free[i].end_phys : limit;
                if (end <= start || end - start < size || ALIGN_DOWN(end - size, align) < start)
                    continue;
                start = ALIGN_DOWN(end - size, align);
            }
            start = ALIGN_UP(start, align);
            if (start >= runs_free[i].end_phys || size > runs_free[i].end_phys - start ||
                start + size > limit)
                continue;
            bool split = start > runs_free[i].base_phys && start + size < runs_free[i].end_phys;
            if (split && n_free >= pmm.capacity)
                continue;
            expect = start;
            found = true;
        }
    }
    uint64_t phys = 0x1234;
    int err = pmm_alloc(&pmm, frames, align, flags, &phys);
    if (bad) {
        REQUIRE(err == E_INVAL);
        return;
    }
    REQUIRE(err == (found ? E_OK : E_NOMEM));
    if (!found)
        return;
    REQUIRE(phys == expect);
    REQUIRE(phys != 0 && phys % align == 0);
    REQUIRE((flags & PMM_BELOW_1MIB) ? phys + frames * FRAME <= MiB(1) : phys >= MiB(1));
    for (size_t k = 0; k < frames; k++) {
        uint32_t i = frame_index(phys + k * FRAME);
        REQUIRE(i < FRAMES);
        uint8_t *f = &model[i];
        REQUIRE(*f == FREE);
        *f = ALLOCATED;
    }
    if (live_count < MAX_LIVE)
        live[live_count++].phys = phys, live[live_count - 1].frames = (uint32_t)frames;
}

static void op_free(struct input *in)
{
    uint32_t a = take(in, 1);
    uint64_t phys;
    size_t frames;
    if (live_count && !(a & 0x80)) {
        uint32_t k = take(in, 1) % live_count;
        phys = live[k].phys;
        frames = live[k].frames;
        if (a & 0x40) { /* perturbed: part of it, or a little past it */
            int32_t shift = (int32_t)(take(in, 1) % 5) - 2;
            phys += (uint64_t)(int64_t)shift * FRAME;
            frames = 1 + take(in, 1) % (frames + 2);
        } else {
            live[k] = live[--live_count];
        }
    } else {
        uint64_t len;
        uint32_t w;
        take_range(in, &w, &phys, &len);
        frames = (size_t)(len / FRAME);
    }
    /* Expected: valid when every frame is allocated in the model (and the run does not wrap). */
    bool valid =
        frames != 0 && phys % FRAME == 0 && frames <= WINDOW_FRAMES && phys <= UINT64_MAX - frames * FRAME;
    for (size_t k = 0; valid && k < frames; k++) {
        uint32_t i = frame_index(phys + k * FRAME);
        valid = i < FRAMES && model[i] == ALLOCATED;
    }
    bool nomem = false;
    if (valid) {
        refresh_runs();
        nomem = touches_none(runs_free, n_free, phys, phys + frames * FRAME) && n_free >= pmm.capacity;
    }
    int err = pmm_free(&pmm, phys, frames);
    REQUIRE(err == (!valid ? E_INVAL : nomem ? E_NOMEM : E_OK));
    if (err == E_OK)
        for (size_t k = 0; k < frames; k++)
            model[frame_index(phys + k * FRAME)] = FREE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size };
    uint32_t c = take(&in, 1);
    pmm_init_with_capacity(&pmm, (c & 0x80) ? PMM_MAX_RANGES : 1 + (c & 15));
    memset(model, 0, sizeof model);
    live_count = 0;
    for (unsigned ops = 0; in.size > 0 && ops < 200; ops++) {
        switch (take(&in, 1) % 4) {
        case 0:
            op_add(&in);
            break;
        case 1:
            op_reserve(&in);
            break;
        case 2:
            op_alloc(&in);
            break;
        default:
            op_free(&in);
            break;
        }
        check_against_model();
    }
    return 0;
}
