#include "arch/x86/time/tsc_calibration.h"

uint64_t tsc_counter_delta(uint64_t before, uint64_t after, unsigned width_bits)
{
    uint64_t mask = width_bits >= 64 ? ~0ull : (1ull << width_bits) - 1;
    return (after - before) & mask;
}

uint64_t tsc_window_khz(uint64_t tsc_ticks, uint64_t reference_ticks, uint64_t reference_hz)
{
    if (reference_ticks == 0 || reference_hz == 0 || tsc_ticks == 0)
        return 0;
    if (tsc_ticks > UINT64_MAX / reference_hz)
        return 0; /* a window of seconds at GHz: not one this code takes */
    return tsc_ticks * reference_hz / reference_ticks / 1000;
}

uint64_t tsc_median(uint64_t *values, unsigned count)
{
    if (count == 0)
        return 0;
    for (unsigned i = 1; i < count; i++) { /* insertion sort: a handful of windows */
        uint64_t v = values[i];
        unsigned j = i;
        while (j > 0 && values[j - 1] > v) {
            values[j] = values[j - 1];
            j--;
        }
        values[j] = v;
    }
    return values[(count - 1) / 2];
}

uint64_t tsc_spread_ppm(const uint64_t *values, unsigned count, uint64_t median)
{
    if (count == 0 || median == 0)
        return 0;
    uint64_t low = values[0], high = values[0];
    for (unsigned i = 1; i < count; i++) {
        if (values[i] < low)
            low = values[i];
        if (values[i] > high)
            high = values[i];
    }
    return (high - low) * 1000000 / median;
}

int64_t tsc_difference_centipercent(uint64_t other, uint64_t reference)
{
    if (reference == 0)
        return 0;
    /* Both below 2^44 kHz (17 THz): the products stay far inside int64_t. */
    int64_t diff = (int64_t)other - (int64_t)reference;
    return diff * 10000 / (int64_t)reference;
}

uint64_t tsc_cpuid15_khz(uint32_t eax_denominator, uint32_t ebx_numerator, uint32_t ecx_crystal_hz)
{
    if (!eax_denominator || !ebx_numerator || !ecx_crystal_hz)
        return 0;
    return (uint64_t)ecx_crystal_hz * ebx_numerator / eax_denominator / 1000;
}
