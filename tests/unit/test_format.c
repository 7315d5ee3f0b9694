// host-sources: core/lib/format.c
/*
 * core/lib/format.c against the host's snprintf: the same format and arguments
 * must give the same text and the same return value, at every buffer size.
 */
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <stdarg.h>
#include "core/lib/format.h"
#include "tests/unit/check.h"

/*
 * Formats with both, at a roomy size and at every small size (truncation),
 * and compares text and return value. A macro so both see identical varargs.
 */
#define SAME(...)                                                                                            \
    do {                                                                                                     \
        char want_[256], got_[256];                                                                          \
        int want_len_ = snprintf(want_, sizeof want_, __VA_ARGS__);                                          \
        int got_len_ = format(got_, sizeof got_, __VA_ARGS__);                                               \
        CHECK_EQ(got_len_, want_len_);                                                                       \
        CHECK_STR(got_, want_);                                                                              \
        for (size_t size_ = 0; size_ <= (size_t)want_len_ + 1; size_++) {                                    \
            char w_[256], g_[256];                                                                           \
            memset(w_, 'W', sizeof w_);                                                                      \
            memset(g_, 'W', sizeof g_);                                                                      \
            int wl_ = snprintf(w_, size_, __VA_ARGS__);                                                      \
            int gl_ = format(g_, size_, __VA_ARGS__);                                                        \
            CHECK_EQ(gl_, wl_);                                                                              \
            CHECK(memcmp(g_, w_, sizeof g_) == 0);                                                           \
        }                                                                                                    \
    } while (0)

TEST(format_plain_text)
{
    SAME("hello");
    SAME("100%% sure");
    SAME("%%");
}

TEST(format_signed)
{
    SAME("%d", 0);
    SAME("%d", 42);
    SAME("%d", -42);
    SAME("%i", INT_MAX);
    SAME("%i", INT_MIN);
    SAME("%ld", LONG_MIN);
    SAME("%ld", LONG_MAX);
    SAME("%lld", (long long)INT64_MIN);
    SAME("%lld", (long long)INT64_MAX);
    SAME("%5d|%-5d|%05d", -7, -7, -7);
    SAME("%05d", 123456);
    SAME("%020lld", (long long)INT64_MIN);
    SAME("%1d", 0);
}

TEST(format_unsigned_and_hex)
{
    SAME("%u", 0u);
    SAME("%u", UINT_MAX);
    SAME("%lu", ULONG_MAX);
    SAME("%llu", (unsigned long long)UINT64_MAX);
    SAME("%zu", (size_t)SIZE_MAX);
    SAME("%x", 0xdeadbeefu);
    SAME("%X", 0xdeadbeefu);
    SAME("%lx", 0x123456789abcdefUL);
    SAME("%llX", 0xfedcba9876543210ULL);
    SAME("%zx", (size_t)4096);
    SAME("%08x", 0x3f8u);
    SAME("%-8x|", 0x3f8u);
    SAME("%016llx", 0x1234ULL);
    SAME("%x", 0u);
    SAME("%04X", 0xabu);
}

TEST(format_width_star)
{
    SAME("%*d", 6, 42);
    SAME("%-*d|", 6, 42);
    SAME("%*d|", -6, 42); /* negative '*': left-justify */
    SAME("%0*x", 8, 0xbeefu);
    SAME("%*s|", 10, "abc");
    SAME("%*s|", 0, "abc");
}

TEST(format_char_and_string)
{
    SAME("%c", 'A');
    SAME("[%3c][%-3c]", 'x', 'y');
    SAME("%s", "string");
    SAME("%10s|%-10s|", "right", "left");
    SAME("%2s", "longer than width");
    SAME("%s and %s", "one", "two");
    SAME("%s", "");
}

TEST(format_null_string_prints_null)
{
    char buf[32];
    const char *nothing = NULL;
    CHECK_EQ(format(buf, sizeof buf, "[%s]", nothing), 8);
    CHECK_STR(buf, "[(null)]");
}

TEST(format_pointer_is_0x_and_16_digits)
{
    char buf[64];
    CHECK_EQ(format(buf, sizeof buf, "%p", (void *)0x1000), 18);
    CHECK_STR(buf, "0x0000000000001000");
    format(buf, sizeof buf, "%p", (void *)NULL);
    CHECK_STR(buf, "0x0000000000000000");
    format(buf, sizeof buf, "%p", (void *)UINTPTR_MAX);
    CHECK_STR(buf, "0xffffffffffffffff");
    format(buf, sizeof buf, "[%20p]", (void *)0xabc);
    CHECK_STR(buf, "[  0x0000000000000abc]");
    format(buf, sizeof buf, "[%-20p]", (void *)0xabc);
    CHECK_STR(buf, "[0x0000000000000abc  ]");
}

TEST(format_mixed)
{
    SAME("cpu%u (apic %u): %s error %d at 0x%x", 3u, 17u, "VMPTRLD", 10, 0x1000u);
    SAME("%s=%lu MiB, %d%%", "memory", 256UL, 99);
    SAME("%llx-%llx %s", 0ULL, 0x9fc00ULL, "usable");
}

/*
 * Unknown conversions are copied literally and take no argument. Built with a
 * runtime format so the compiler's format check does not reject it.
 */
static int format_runtime(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int n = format_v(buf, size, fmt, args);
    va_end(args);
    return n;
}

TEST(format_unknown_conversion_is_literal)
{
    char buf[64];
    /* '-' wins over '0' (not unknown, but the compiler warns on it as a literal). */
    CHECK_EQ(format_runtime(buf, sizeof buf, "%-05d|", 12), 6);
    CHECK_STR(buf, "12   |");
    const char *fmts[] = { "a%qb", "%-5q|%d", "%ly%d", "end%", "end%-0", "%.3s" };
    const char *want[] = { "a%qb", "%-5q|7", "%ly7", "end%", "end%-0", "%.3s" };
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        int n = format_runtime(buf, sizeof buf, fmts[i], 7);
        CHECK_STR(buf, want[i]);
        CHECK_EQ(n, (int)strlen(want[i]));
    }
}

TEST(format_empty_and_signed_size_t)
{
    char buf[32] = "x";
    CHECK_EQ(format_runtime(buf, sizeof buf, ""), 0);
    CHECK_STR(buf, "");
    CHECK_EQ(format(buf, sizeof buf, "%zd|%zd", (ptrdiff_t)-5, (ptrdiff_t)PTRDIFF_MAX), 22);
    CHECK_STR(buf, "-5|9223372036854775807");
}

TEST(format_size_zero_writes_nothing)
{
    char buf[4] = { 'x', 'x', 'x', 'x' };
    CHECK_EQ(format(buf, 0, "hello %d", 12345), 11);
    CHECK(buf[0] == 'x');
    CHECK_EQ(format(NULL, 0, "%s", "abc"), 3);
}

TEST(format_size_one_is_just_nul)
{
    char buf[4] = { 'x', 'x', 'x', 'x' };
    CHECK_EQ(format(buf, 1, "hello"), 5);
    CHECK_EQ(buf[0], 0);
    CHECK(buf[1] == 'x');
}

TEST(format_truncation_keeps_prefix)
{
    char buf[8];
    CHECK_EQ(format(buf, sizeof buf, "%s-%d", "truncated", 12345), 15);
    CHECK_STR(buf, "truncat");
    CHECK_EQ(format(buf, sizeof buf, "%020d", 1), 20);
    CHECK_STR(buf, "0000000");
}

TEST(format_huge_width_is_bounded)
{
    char buf[16];
    int n = format_runtime(buf, sizeof buf, "%99999999999d", 1);
    CHECK(n > 0 && n <= 4096);
    CHECK_EQ(strlen(buf), 15);
    n = format_runtime(buf, sizeof buf, "%*d", INT_MIN, 1);
    CHECK(n > 0 && n <= 4096);
    CHECK(buf[0] == '1');
}

/* Many numbers through every conversion and size, against snprintf. */
TEST(format_sweep_against_snprintf)
{
    static const long long values[] = {
        0,
        1,
        -1,
        9,
        10,
        -10,
        255,
        256,
        65535,
        -65536,
        INT_MAX,
        INT_MIN,
        (long long)UINT_MAX,
        LLONG_MAX,
        LLONG_MIN,
        0x7ff0000000000000LL,
        1000000007LL,
        -999999999999LL,
    };
    static const int widths[] = { 0, 1, 3, 8, 17, 24 };
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        long long x = values[v];
        for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
            int width = widths[w];
            SAME("%*d|%-*d|%0*d", width, (int)x, width, (int)x, width, (int)x);
            SAME("%*u|%0*x|%-*X", width, (unsigned)x, width, (unsigned)x, width, (unsigned)x);
            SAME("%*ld|%0*lu|%-*lx", width, (long)x, width, (unsigned long)x, width, (unsigned long)x);
            SAME("%0*lld|%*llu|%0*llX", width, x, width, (unsigned long long)x, width, (unsigned long long)x);
            SAME("%*zu|%0*zx", width, (size_t)x, width, (size_t)x);
        }
    }
}
