/*
 * Kernel log. Each call prints one whole line, prefixed with the CPU that
 * prints it ("cpu3: "); lines from several CPUs never interleave. Warnings and
 * errors carry "warning: " / "error: " after the prefix.
 *
 * The kernel implementation is core/lib/log.c; host tests link a capturing one.
 */
#ifndef CORE_LIB_LOG_H
#define CORE_LIB_LOG_H

#include "core/lib/compiler.h"

enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
};

void log_printf(enum log_level level, const char *fmt, ...) PRINTF_LIKE(2, 3);
bool log_enabled(enum log_level level);

/* The longest line one call prints (longer ones are cut, keeping the newline). */
#define LOG_LINE_BYTES 384

#ifndef VMXROOT_HOST
void log_set_level(enum log_level level);
/* Writes an already formatted line (ending in '\n') under the console lock. */
void log_write_line(const char *line, size_t length_bytes);
/* After a panic: never wait forever for a console lock another CPU holds; consoles are taken back. */
void log_force_console(void);

/* A console besides the UARTs (the screen). Both are called under the console lock. */
struct log_console {
    void (*write)(const char *line, size_t length_bytes);
    void (*panic_takeover)(void); /* may be NULL */
};
void log_add_console(const struct log_console *console);
/* Runs fn under the console lock: to change a console's state between two lines. */
void log_with_console_lock(void (*fn)(void));
#endif

#define log_error(...) log_printf(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
