/*
 * Host stand-ins for the kernel services pure code calls (log_printf), and
 * the runner for tests/unit/check.h. Fuzz harnesses link it for the log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/lib/log.h"
#include "tests/unit/check.h"

static char captured[1 << 16];
static size_t captured_len;
static enum log_level host_log_level = LOG_DEBUG;

bool log_enabled(enum log_level level) { return level <= host_log_level; }

void log_printf(enum log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    static const char *const labels[] = { "error: ", "warning: ", "", "" };
    char line[512];
    va_list args;
    va_start(args, fmt);
    int n = snprintf(line, sizeof line, "cpu0: %s", labels[level]);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, args);
    va_end(args);
    size_t len = strlen(line);
    if (captured_len + len + 2 < sizeof captured) {
        memcpy(captured + captured_len, line, len);
        captured_len += len;
        captured[captured_len++] = '\n';
        captured[captured_len] = 0;
    }
    if (getenv("VMXROOT_TEST_VERBOSE"))
        printf("    log: %s\n", line);
}

const char *log_captured(void) { return captured; }
void log_capture_reset(void)
{
    captured_len = 0;
    captured[0] = 0;
}
bool log_contains(const char *needle) { return strstr(captured, needle) != NULL; }

#ifndef VMXROOT_FUZZ
int check_failures_in_test;
static struct test_case tests[512];
static int test_count;

void check_register(const char *name, void (*fn)(void))
{
    if (test_count < (int)(sizeof tests / sizeof tests[0]))
        tests[test_count++] = (struct test_case){ name, fn };
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0;
    for (int i = 0; i < test_count; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1]))
            continue;
        check_failures_in_test = 0;
        log_capture_reset();
        tests[i].fn();
        if (check_failures_in_test) {
            printf("FAIL %s\n", tests[i].name);
            failed++;
        } else {
            passed++;
        }
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
#endif
