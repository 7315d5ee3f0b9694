/*
 * panic(): for broken invariants and fatal exceptions only. It prints
 * "cpuN: PANIC: <why>", stops every other CPU (each leaves VMX operation on
 * its way down), leaves VMX on this CPU, and then halts - or leaves the
 * emulator when the command line said exit=on-ready, so a test ends.
 */
#ifndef CORE_LIB_PANIC_H
#define CORE_LIB_PANIC_H

#include "core/lib/compiler.h"

NORETURN void panic(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* For multi-line panic reports (exceptions): begin, print lines, then panic_end(). */
void panic_frame_begin(void);
void panic_print(const char *fmt, ...) PRINTF_LIKE(1, 2);
NORETURN void panic_end(const char *fmt, ...) PRINTF_LIKE(1, 2);

/* Run in order by the panicking CPU before it stops; at most PANIC_HOOKS_MAX. */
#define PANIC_HOOKS_MAX 4
void panic_add_hook(void (*hook)(void));
void panic_set_exit_emulator(bool exit_emulator);
bool panic_in_progress(void);
/* True only on the CPU that owns the panic (not on the CPUs it stops). */
bool panic_on_this_cpu(void);

#define ASSERT(cond)                                                                                         \
    do {                                                                                                     \
        if (!(cond))                                                                                         \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);                                \
    } while (0)

#endif
