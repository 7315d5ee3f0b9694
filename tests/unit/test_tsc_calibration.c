/*
 * arch/x86/time/tsc_calibration.c: the window arithmetic, counter wrap, the
 * median of several windows, and the CPUID leaf 0x15 figure (the one that
 * is 375x off in Bochs corei7_icelake_u and must only be cross-checked).
 */
// host-sources: arch/x86/time/tsc_calibration.c
#include "arch/x86/time/tsc_calibration.h"
#include "tests/unit/check.h"

TEST(counter_delta_wraps_at_width)
{
    CHECK_EQ(tsc_counter_delta(10, 15, 16), 5);
    CHECK_EQ(tsc_counter_delta(0xFFFE, 0x0003, 16), 5);        /* PIT: 16 bits */
    CHECK_EQ(tsc_counter_delta(0xFFFFF0, 0x000010, 24), 0x20); /* PM timer: 24 bits */
    CHECK_EQ(tsc_counter_delta(0xFFFFFFF0u, 0x10, 32), 0x20);  /* HPET / 32-bit PM timer */
    CHECK_EQ(tsc_counter_delta(5, 5, 24), 0);
    CHECK_EQ(tsc_counter_delta(~0ull, 1, 64), 2);
}

TEST(window_khz)
{
    /* 5 ms of the PM timer (17898 ticks of 3.579545 MHz) at 2.1 GHz: 10.5 M TSC ticks. */
    CHECK_EQ(tsc_window_khz(10500000, 17898, 3579545), 2099967);
    /* Bochs at ips=4000000: 20000 TSC ticks in 5 ms of the PIT (5966 ticks). */
    CHECK_EQ(tsc_window_khz(20000, 5966, 1193182), 3999);
    CHECK_EQ(tsc_window_khz(0, 100, 1000), 0);
    CHECK_EQ(tsc_window_khz(100, 0, 1000), 0);
    CHECK_EQ(tsc_window_khz(100, 100, 0), 0);
    CHECK_EQ(tsc_window_khz(~0ull, 1, 100000000), 0); /* would overflow: refused, not wrapped */
}

TEST(median_of_odd_and_even_counts)
{
    uint64_t five[] = { 2100, 9000, 2101, 2099, 1 }; /* one stretched window, one cut short */
    CHECK_EQ(tsc_median(five, 5), 2100);
    CHECK_EQ(five[0], 1); /* sorted in place */
    CHECK_EQ(five[4], 9000);
    uint64_t four[] = { 4, 3, 2, 1 };
    CHECK_EQ(tsc_median(four, 4), 2);
    uint64_t one[] = { 7 };
    CHECK_EQ(tsc_median(one, 1), 7);
    CHECK_EQ(tsc_median(one, 0), 0);
}

TEST(spread_ppm)
{
    uint64_t v[] = { 999, 1000, 1001 };
    CHECK_EQ(tsc_spread_ppm(v, 3, 1000), 2000);
    CHECK_EQ(tsc_spread_ppm(v, 0, 1000), 0);
    CHECK_EQ(tsc_spread_ppm(v, 3, 0), 0);
}

TEST(difference_centipercent)
{
    CHECK_EQ(tsc_difference_centipercent(1010, 1000), 100); /* +1.00% */
    CHECK_EQ(tsc_difference_centipercent(990, 1000), -100);
    CHECK_EQ(tsc_difference_centipercent(1000, 1000), 0);
    CHECK_EQ(tsc_difference_centipercent(5, 0), 0);
    /* Bochs icelake_u: leaf 0x15 says 1,497,600 kHz, the TSC runs at 4,000 kHz. */
    CHECK_EQ(tsc_difference_centipercent(1497600, 4000), 3734000);
}

TEST(cpuid15_khz)
{
    /* icelake_u in Bochs: crystal 38.4 MHz, ratio 78/2 -> 1,497,600 kHz. */
    CHECK_EQ(tsc_cpuid15_khz(2, 78, 38400000), 1497600);
    CHECK_EQ(tsc_cpuid15_khz(2, 78, 0), 0); /* no crystal frequency: no figure */
    CHECK_EQ(tsc_cpuid15_khz(0, 78, 38400000), 0);
    CHECK_EQ(tsc_cpuid15_khz(2, 0, 38400000), 0);
}
