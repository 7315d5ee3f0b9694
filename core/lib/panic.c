#include "core/lib/panic.h"
#include "arch/x86/insn.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "arch/x86/emulator_exit.h"
#include "arch/x86/cpu_index.h"

#define NO_CPU 0xFFFFFFFFu

static volatile uint32_t panicking_cpu = NO_CPU;
static void (*hooks[PANIC_HOOKS_MAX])(void);
static unsigned hook_count;
static bool exit_emulator_on_panic;

void panic_add_hook(void (*hook)(void))
{
    if (hook_count < PANIC_HOOKS_MAX)
        hooks[hook_count++] = hook;
}

void panic_set_exit_emulator(bool exit_emulator) { exit_emulator_on_panic = exit_emulator; }

bool panic_in_progress(void) { return panicking_cpu != NO_CPU; }

bool panic_on_this_cpu(void) { return panicking_cpu == this_cpu_index(); }

/* The first CPU to panic owns the shutdown; a second one only reports and halts. */
void panic_frame_begin(void)
{
    uint32_t me = this_cpu_index();
    uint32_t expected = NO_CPU;
    cpu_cli();
    log_force_console();
    if (!__atomic_compare_exchange_n(&panicking_cpu, &expected, me, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST) &&
        expected == me) {
        log_error("PANIC: nested panic, halting");
        cpu_halt_forever();
    }
}

void panic_print(const char *fmt, ...)
{
    char line[256];
    va_list args;
    va_start(args, fmt);
    format_v(line, sizeof line, fmt, args);
    va_end(args);
    log_error("PANIC: %s", line);
}

static NORETURN void panic_finish(const char *line)
{
    log_error("PANIC: %s", line);
    if (panicking_cpu != this_cpu_index()) /* someone else is already bringing the machine down */
        cpu_halt_forever();
    for (unsigned i = 0; i < hook_count; i++)
        hooks[i]();
    log_error("PANIC: system halted");
    if (exit_emulator_on_panic)
        emulator_exit(EMULATOR_EXIT_FAILURE);
    cpu_halt_forever();
}

void panic_end(const char *fmt, ...)
{
    char line[256];
    va_list args;
    va_start(args, fmt);
    format_v(line, sizeof line, fmt, args);
    va_end(args);
    panic_finish(line);
}

void panic(const char *fmt, ...)
{
    char line[256];
    va_list args;
    va_start(args, fmt);
    format_v(line, sizeof line, fmt, args);
    va_end(args);
    panic_frame_begin();
    panic_finish(line);
}

/* Called by code built with -fstack-protector-strong when a canary was overwritten. */
NORETURN void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    panic("stack smashing detected: a stack canary was overwritten (caller 0x%lx)",
          (uint64_t)(uintptr_t)__builtin_return_address(0));
}
