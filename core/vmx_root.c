#include "core/vmx_root.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmx_cpu.h"

void vmx_root_enter_this_cpu(void)
{
    if (vmx_enable_this_cpu() != 0)
        return; /* vmx_enable_this_cpu set the CPU's reason and said why */
    struct percpu *cpu = this_cpu();
    int err = vmcs_service_cpu_entered_vmx(cpu->index, cpu->vmxon_region_phys);
    if (err) {
        percpu_note(cpu, "the VMCS pool refused this CPU's VMXON region 0x%lx (%s): leaving VMX operation",
                    cpu->vmxon_region_phys, error_name(err));
        vmx_leave_this_cpu();
        cpu->reason = REASON_VMXON_FAILED;
    }
}

void vmx_root_leave_this_cpu(void)
{
    if (!this_cpu()->in_vmx_root)
        return;
    if (vmcs_service_cpu_leaving_vmx() != 0)
        log_error("vmx: leaving VMX operation with the VMCS pool's books not clean (see above)");
    vmx_leave_this_cpu();
}
