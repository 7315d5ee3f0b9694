#include "core/fault_inject.h"
#include "core/log.h"
#include "core/panic.h"
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
