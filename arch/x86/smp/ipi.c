#include "arch/x86/smp/ipi.h"
#include "arch/x86/insn.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"

/* How long the panicking CPU waits for the others to leave VMX and halt. */
#define STOP_TIMEOUT_MS 100

static void (*stop_hook)(void);
static bool (*other_nmi_hook)(void);
static volatile bool stopping;

void ipi_set_stop_hook(void (*hook)(void)) { stop_hook = hook; }
void ipi_set_other_nmi_hook(bool (*hook)(void)) { other_nmi_hook = hook; }

static void call_handler(struct interrupt_frame *frame)
{
    struct percpu *cpu = this_cpu();
    void (*fn)(void *) = cpu->call_fn;
    if (fn) {
        cpu->call_fn = NULL;
        fn(cpu->call_arg);
        __atomic_store_n(&cpu->call_done, 1, __ATOMIC_RELEASE);
    }
    lapic_eoi();
}

/* NMI: the only way to reach a CPU that has interrupts off. Ours only while stopping. */
static bool stop_nmi(struct interrupt_frame *frame)
{
    if (!stopping)
        return other_nmi_hook && other_nmi_hook();
    struct percpu *cpu = this_cpu();
    bool was_in_vmx = cpu->in_vmx_root;
    if (stop_hook)
        stop_hook();
    /*
     * Answered: out of VMX (or not) and about to halt. Said before the log
     * line, which waits its turn on the console: with a UART at 115200 baud
     * or a screen to draw on, the lines of many CPUs take longer than the
     * panicking CPU waits for the answers.
     */
    __atomic_store_n(&cpu->state, CPU_STATE_HALTED, __ATOMIC_RELEASE);
    log_error("stopped by the panic%s", !was_in_vmx        ? ""
                                        : cpu->in_vmx_root ? " (VMXOFF failed)"
                                                           : ", left VMX operation");
    cpu_halt_forever();
}

bool ipi_stopping(void) { return stopping; }

static void spurious_handler(struct interrupt_frame *frame) {}

void ipi_init(void)
{
    idt_set_handler(VECTOR_IPI_CALL, call_handler);
    idt_set_handler(VECTOR_SPURIOUS, spurious_handler);
    idt_set_nmi_hook(stop_nmi);
}

int ipi_call(uint32_t cpu_index, void (*fn)(void *arg), void *arg)
{
    if (cpu_index == this_cpu_index()) {
        fn(arg);
        return 0;
    }
    struct percpu *target = cpu_index < MAX_CPUS ? cpu_table[cpu_index] : NULL;
    if (!target || target->state != CPU_STATE_ONLINE)
        return E_INVAL;
    spin_lock(&target->call_lock);
    target->call_done = 0;
    target->call_arg = arg;
    __atomic_store_n(&target->call_fn, fn, __ATOMIC_RELEASE);
    int err = lapic_send_fixed(target->apic_id, VECTOR_IPI_CALL);
    uint64_t deadline = rdtsc() + tsc_from_us(IPI_CALL_TIMEOUT_MS * 1000ull);
    while (!err && !__atomic_load_n(&target->call_done, __ATOMIC_ACQUIRE)) {
        if (rdtsc() > deadline)
            err = E_TIMEOUT;
        cpu_relax();
    }
    if (err) {
        target->call_fn = NULL;
        log_error("ipi: cpu%u (apic %u) did not run the call within %u ms (%s)", cpu_index, target->apic_id,
                  IPI_CALL_TIMEOUT_MS, error_name(err));
    }
    spin_unlock(&target->call_lock);
    return err;
}

void ipi_stop_other_cpus(void)
{
    stopping = true;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (percpu_ready && lapic_send_nmi_all_but_self() != 0)
        log_error("PANIC: the local APIC did not accept the stop NMI: the other CPUs may run on");
    /* Wait (bounded) for them to leave VMX and halt before this CPU ends the machine. */
    uint64_t deadline = rdtsc() + tsc_from_us(STOP_TIMEOUT_MS * 1000ull);
    uint32_t me = this_cpu_index(), running, still_in_vmx;
    do {
        running = still_in_vmx = 0;
        for (uint32_t i = 0; i < cpu_count_found; i++) {
            struct percpu *cpu = cpu_table[i];
            if (i == me || !cpu || __atomic_load_n(&cpu->state, __ATOMIC_ACQUIRE) != CPU_STATE_ONLINE)
                continue;
            running++;
            still_in_vmx += cpu->in_vmx_root;
        }
    } while (running && rdtsc() < deadline);
    log_error("PANIC: other CPUs stopped; %u did not answer the NMI (%u of them still in VMX operation)",
              running, still_in_vmx);
}
