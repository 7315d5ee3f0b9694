/*
 * Orderly shutdown: each CPU in VMX root operation VMCLEARs the VMCSs active
 * on it and executes VMXOFF (on its own, by IPI), the boot CPU last, so no
 * CPU is left in VMX operation when the machine resets or the emulator ends.
 */
#include "core/boot.h"
#include "core/lib/log.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/percpu.h"
#include "core/vmx_root.h"

static void leave_vmx(void *unused) { vmx_root_leave_this_cpu(); }

void boot_shutdown(enum emulator_exit_status status)
{
    uint32_t left = 0;
    for (uint32_t i = 1; i < cpu_count_found; i++) {
        struct percpu *cpu = cpu_table[i];
        if (!cpu || cpu->state != CPU_STATE_ONLINE || !cpu->in_vmx_root)
            continue;
        if (ipi_call(i, leave_vmx, NULL) == 0)
            left++;
    }
    if (cpu_table[0] && cpu_table[0]->in_vmx_root) {
        vmx_root_leave_this_cpu();
        left++;
    }
    log_info("vmxroot: shutdown: %u CPUs left VMX operation", left);
    emulator_exit(status);
}
