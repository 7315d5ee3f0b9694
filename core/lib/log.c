/*
 * The kernel's log: each call formats one whole line on the caller's stack,
 * then writes it under the console lock, so lines from several CPUs never
 * interleave. Every line starts with the printing CPU ("cpu3: ").
 */
#include "core/lib/log.h"
#include "core/lib/format.h"
#include "core/lib/spinlock.h"
#include "core/lib/string.h"
#include "drivers/serial/uart16550.h"
#include "arch/x86/cpu_index.h"

/* How long a panicking CPU waits for the console lock before taking it anyway. */
#define PANIC_LOCK_SPINS 10000000u

static struct spinlock console_lock = SPINLOCK_INIT;
static enum log_level current_level = LOG_INFO;
static volatile bool console_forced;

void log_set_level(enum log_level level) { current_level = level; }

bool log_enabled(enum log_level level) { return level <= current_level; }

/* Consoles besides the UARTs (the screen, the status page's log ring), in the order they were added. */
#define LOG_CONSOLES_MAX 3
static const struct log_console *consoles[LOG_CONSOLES_MAX];
static unsigned console_count;

void log_add_console(const struct log_console *console)
{
    if (console_count < LOG_CONSOLES_MAX)
        consoles[console_count++] = console;
}

static void write_everywhere(const char *line, size_t length_bytes)
{
    serial_write(line, length_bytes);
    for (unsigned i = 0; i < console_count; i++)
        consoles[i]->write(line, length_bytes);
}

void log_write_line(const char *line, size_t length_bytes)
{
    if (console_forced) {
        /* Panic mode: the lock may be held by a CPU that will never return. */
        bool locked = spin_trylock_bounded(&console_lock, PANIC_LOCK_SPINS);
        write_everywhere(line, length_bytes);
        if (locked)
            spin_unlock(&console_lock);
        return;
    }
    spin_lock(&console_lock);
    write_everywhere(line, length_bytes);
    spin_unlock(&console_lock);
}

void log_with_console_lock(void (*fn)(void))
{
    spin_lock(&console_lock);
    fn();
    spin_unlock(&console_lock);
}

void log_force_console(void)
{
    console_forced = true;
    /* A panic takes every console back (the screen from a guest that owns the display). */
    bool locked = spin_trylock_bounded(&console_lock, PANIC_LOCK_SPINS);
    for (unsigned i = 0; i < console_count; i++)
        if (consoles[i]->panic_takeover)
            consoles[i]->panic_takeover();
    if (locked)
        spin_unlock(&console_lock);
}

static void log_vprintf(enum log_level level, const char *fmt, va_list args)
{
    static const char *const labels[] = {
        [LOG_ERROR] = "error: ",
        [LOG_WARN] = "warning: ",
        [LOG_INFO] = "",
        [LOG_DEBUG] = "",
    };
    char line[LOG_LINE_BYTES];
    int prefix = format(line, sizeof line, "cpu%u: %s", this_cpu_index(), labels[level]);
    int body = format_v(line + prefix, sizeof line - (size_t)prefix - 1, fmt, args);
    size_t length = (size_t)prefix + (size_t)body;
    if (length > sizeof line - 2)
        length = sizeof line - 2; /* truncated: keep the newline */
    line[length++] = '\n';
    log_write_line(line, length);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
    if (!log_enabled(level))
        return;
    va_list args;
    va_start(args, fmt);
    log_vprintf(level, fmt, args);
    va_end(args);
}
