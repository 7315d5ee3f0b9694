/*
 * A tiny test framework for the host unit tests. Each test is a function
 * registered with TEST(); CHECK() records a failure and goes on. The binary
 * ends with the line "N passed, N failed" and exits non-zero on any failure.
 */
#ifndef TESTS_UNIT_CHECK_H
#define TESTS_UNIT_CHECK_H

#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <stdbool.h>

struct test_case {
    const char *name;
    void (*fn)(void);
};

extern int check_failures_in_test;
void check_register(const char *name, void (*fn)(void));

/* Text that the code under test logged since the last log_capture_reset(). */
const char *log_captured(void);
void log_capture_reset(void);
bool log_contains(const char *needle);

#define TEST(name)                                                                                           \
    static void test_##name(void);                                                                           \
    __attribute__((constructor)) static void register_##name(void) { check_register(#name, test_##name); }   \
    static void test_##name(void)

#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                                \
            check_failures_in_test++;                                                                        \
        }                                                                                                    \
    } while (0)

#define CHECK_EQ(a, b)                                                                                       \
    do {                                                                                                     \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                                      \
        if (check_a_ != check_b_) {                                                                          \
            printf("  %s:%d: CHECK_EQ(%s, %s) failed: %lld != %lld\n", __FILE__, __LINE__, #a, #b, check_a_, \
                   check_b_);                                                                                \
            check_failures_in_test++;                                                                        \
        }                                                                                                    \
    } while (0)

#define CHECK_STR(a, b)                                                                                      \
    do {                                                                                                     \
        const char *check_a_ = (a), *check_b_ = (b);                                                         \
        if (strcmp(check_a_, check_b_) != 0) {                                                               \
            printf("  %s:%d: CHECK_STR(%s, %s) failed: \"%s\" != \"%s\"\n", __FILE__, __LINE__, #a, #b,      \
                   check_a_, check_b_);                                                                      \
            check_failures_in_test++;                                                                        \
        }                                                                                                    \
    } while (0)

#endif
