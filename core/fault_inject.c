#include "core/fault_inject.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/percpu.h"

/* Each frame holds a page of locals, so the recursion walks down into the guard page quickly. */
static unsigned overflow_stack(unsigned depth)
{
    volatile char page[4096];
    page[0] = (char)depth;
    page[sizeof page - 1] = (char)depth;
    if (depth == 0xFFFFFFFFu) /* never: only here so the recursion is not provably endless */
        return 0;
    return overflow_stack(depth + 1) + (unsigned)page[0];
}

extern uint64_t __stack_chk_guard; /* arch/x86/boot/entry.asm */

/*
 * Overwrites its own frame's canary, then returns, so the check at the
 * return fires. The canary sits above the array, where the compiler chose:
 * look for its value rather than guess the layout.
 */
static __attribute__((noinline)) void smash_own_canary(void)
{
    volatile uint64_t words[2] = { 0, 0 };
    /* Between the array and the saved frame pointer: the locals' area, where the canary is. */
    uintptr_t low = (uintptr_t)words, high = (uintptr_t)__builtin_frame_address(0);
    for (uintptr_t slot = low + sizeof words; slot < high; slot += sizeof(uint64_t)) {
        if (*(volatile uint64_t *)slot == __stack_chk_guard) {
            *(volatile uint64_t *)slot = 0x4141414141414141ull;
            return;
        }
    }
    log_warn("inject: case=stack-smash: no canary found above the buffer");
}

static void panic_here(void *unused)
{
    panic("inject=ap-panic: deliberate panic on cpu%u while the others are in VMX root", this_cpu_index());
}

void fault_inject_run(const struct boot_options *opts)
{
    switch (opts->inject) {
    case INJECT_STACK_OVERFLOW:
        log_info("inject: case=stack-overflow: recursing into this CPU's stack guard page");
        overflow_stack(0);
        panic("inject=stack-overflow: the recursion came back: no guard page below the stack");
    case INJECT_WRITE_TEXT: {
        log_info("inject: case=write-text: writing to kernel text at 0x%lx",
                 (uint64_t)(uintptr_t)fault_inject_run);
        *(volatile uint8_t *)(uintptr_t)fault_inject_run = 0xCC;
        panic("inject=write-text: a write to kernel text did not fault: W^X is not in force");
    }
    case INJECT_EXEC_DATA: {
        /* A RET in a data page: with NX on, fetching it is a #PF (instruction fetch) before it runs. */
        static uint8_t data_page_code[16] = { 0xC3 };
        log_info("inject: case=exec-data: calling into data at 0x%lx", (uint64_t)(uintptr_t)data_page_code);
        ((void (*)(void))(uintptr_t)data_page_code)();
        panic("inject=exec-data: code in a data page ran: NX is not in force");
    }
    case INJECT_STACK_SMASH:
        log_info("inject: case=stack-smash: writing past a stack buffer over its canary");
        smash_own_canary();
        panic("inject=stack-smash: the overwritten canary went unnoticed: no stack protector");
    case INJECT_AP_PANIC: {
        uint32_t target = opts->inject_cpu;
        if (target == 0 || target >= cpu_count_found || !cpu_table[target] ||
            cpu_table[target]->state != CPU_STATE_ONLINE) {
            log_warn(
                "inject: case=ap-panic needs inject_cpu=N naming an online AP (cpu%u is not): result=SKIP",
                target);
            return;
        }
        log_info("inject: case=ap-panic on cpu%u", target);
        ipi_call(target, panic_here, NULL); /* does not come back: the panic stops this CPU too */
        panic("inject=ap-panic: cpu%u did not panic", target);
    }
    default:
        return;
    }
}
