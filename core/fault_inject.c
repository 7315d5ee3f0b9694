#include "core/fault_inject.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/vmx/vmx_inject.h"

/* inject_cpu=, for the hooks (main asks for them once, before any CPU can call one). */
static uint32_t hook_cpu;

static bool hook_picks_cpu(uint32_t cpu_index) { return cpu_index == hook_cpu; }

static bool hook_feature_locked_off(uint32_t cpu_index)
{
    if (cpu_index != hook_cpu)
        return false;
    log_info("inject: simulating IA32_FEATURE_CONTROL locked with VMX off on this CPU");
    return true;
}

fault_hook_fn fault_inject_hook(const struct boot_options *opts, enum inject_case c)
{
    if (opts->inject != c)
        return NULL;
    hook_cpu = opts->inject_cpu;
    switch (c) {
    case INJECT_FEATURE_LOCKED_OFF:
        return hook_feature_locked_off;
    case INJECT_AP_NO_ANSWER:
    case INJECT_AP_STALL:
        return hook_picks_cpu;
    default:
        return NULL; /* not a hook-point case */
    }
}

void fault_inject_vmx_run(const struct boot_options *opts)
{
    switch (opts->inject) {
    case INJECT_VMPTRLD_VMXON:
        vmx_inject_vmptrld_vmxon();
        return;
    case INJECT_VMCLEAR_VMXON:
        vmx_inject_vmclear_vmxon();
        return;
    case INJECT_WRONG_REVISION:
        vmx_inject_wrong_revision();
        return;
    case INJECT_UNALIGNED_VMCS:
        vmx_inject_unaligned_vmcs();
        return;
    case INJECT_BEYOND_PHYS_WIDTH:
        vmx_inject_beyond_phys_width();
        return;
    case INJECT_POOL_EXHAUSTION:
        vmx_inject_pool_exhaustion();
        return;
    default:
        return; /* not a VMX instruction case */
    }
}

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
        int err = ipi_call(target, panic_here, NULL); /* does not come back: the panic stops this CPU too */
        panic("inject=ap-panic: cpu%u did not panic (the call returned %s)", target, error_name(err));
    }
    default:
        return;
    }
}
