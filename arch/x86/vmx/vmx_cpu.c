#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "mm/frames.h"

static struct vmx_caps boot_caps;
static bool boot_caps_read;
static struct vmx_cpu_options options;

static MUST_CHECK int kernel_rdmsr(void *ctx, uint32_t msr, uint64_t *value)
{
    *value = rdmsr(msr); /* vmx_caps_read only asks for MSRs the SDM says exist */
    return 0;
}

const struct vmx_caps *vmx_boot_caps(void) { return &boot_caps; }
bool vmx_boot_caps_valid(void) { return boot_caps_read; }
uint32_t vmx_revision_id(void) { return vmx_basic_revision_id(boot_caps.basic); }

void vmx_boot_cpu_init(const struct vmx_cpu_options *opts)
{
    options = *opts;
    if (!opts->enabled) {
        log_info("vmx: vmx=off on the command line: no CPU enters VMX operation");
        return;
    }
    if (!cpu_has_vmx())
        return; /* each CPU reports it in vmx_enable_this_cpu */
    if (vmx_caps_read(&boot_caps, kernel_rdmsr, NULL) < 0)
        return;
    boot_caps_read = true;
    log_info("vmx: revision id 0x%x, EPT %s, VPID %s, unrestricted guest %s, TRUE controls %s",
             vmx_revision_id(), boot_caps.ept ? "yes" : "no", boot_caps.vpid ? "yes" : "no",
             boot_caps.unrestricted_guest ? "yes" : "no", boot_caps.have_true_controls ? "yes" : "no");
    if (log_enabled(LOG_DEBUG))
        vmx_caps_report(&boot_caps);
}

static MUST_CHECK int refuse(struct percpu *cpu, enum cpu_reason reason, int err)
{
    cpu->reason = reason;
    return err;
}

/* SDM "Enabling and Entering VMX Operation": IA32_FEATURE_CONTROL must be locked with VMX on. */
static MUST_CHECK int feature_control_enable(struct percpu *cpu)
{
    uint64_t value = rdmsr(MSR_IA32_FEATURE_CONTROL);
    if (options.inject_feature_locked_off && options.inject_feature_locked_off(cpu->index))
        value = FEATURE_CONTROL_LOCKED; /* hook point: the injected case says so in the log */
    if (value & FEATURE_CONTROL_LOCKED) {
        if (value & FEATURE_CONTROL_VMX_OUTSIDE_SMX)
            return 0;
        percpu_note(
            cpu, "VMX disabled by firmware (IA32_FEATURE_CONTROL=0x%lx): enable VT-x in the firmware setup",
            value);
        return refuse(cpu, REASON_VMX_LOCKED_OFF, E_DENIED);
    }
    value |= FEATURE_CONTROL_VMX_OUTSIDE_SMX | FEATURE_CONTROL_LOCKED;
    if (cpuid(1, 0).ecx & CPUID1_ECX_SMX)
        value |= FEATURE_CONTROL_VMX_INSIDE_SMX;
    wrmsr(MSR_IA32_FEATURE_CONTROL, value);
    return 0;
}

static MUST_CHECK int check_capabilities(struct percpu *cpu)
{
    char why[160];
    if (!boot_caps_read) {
        percpu_note(cpu, "the boot CPU's VMX capabilities could not be read: leaving VMX off");
        return refuse(cpu, REASON_VMX_BASIC, E_NOTSUP);
    }
    if (cpu->index != 0) {
        struct vmx_caps mine;
        if (vmx_caps_read(&mine, kernel_rdmsr, NULL) < 0 ||
            vmx_caps_compare(&boot_caps, &mine, (int)cpu->index)) {
            percpu_note(cpu, "VMX capabilities differ from the boot CPU's (the lines above name them)");
            return refuse(cpu, REASON_CAPS_MISMATCH, E_INVAL);
        }
    }
    if (vmx_caps_check_basic(&boot_caps, why, sizeof why) < 0) {
        percpu_note(cpu, "IA32_VMX_BASIC (0x%lx) is unusable: %s", boot_caps.basic, why);
        return refuse(cpu, REASON_VMX_BASIC, E_NOTSUP);
    }
    return 0;
}

int vmx_enable_this_cpu(void)
{
    struct percpu *cpu = this_cpu();
    char why[200];
    int err;
    cpu->vmx_capable = cpu_has_vmx();
    if (!options.enabled)
        return E_DENIED;
    if (!cpu->vmx_capable) {
        percpu_note(cpu,
                    "VMX not available (CPUID.1:ECX.VMX=0): this CPU (or emulator) has no VT-x; going on "
                    "without it");
        return refuse(cpu, REASON_NO_VMX, E_NOTSUP);
    }
    if (read_cr4() & CR4_VMXE) {
        percpu_note(cpu, "CR4.VMXE is already set: another hypervisor owns this CPU; not touching it");
        return refuse(cpu, REASON_VMXE_ALREADY_SET, E_BUSY);
    }
    if ((err = feature_control_enable(cpu)) || (err = check_capabilities(cpu)))
        return err;

    uint64_t cr0, cr4;
    if (vmx_cr_check(read_cr0(), read_cr4() | CR4_VMXE, &boot_caps, &cr0, &cr4, why, sizeof why) < 0) {
        percpu_note(cpu, "CR0/CR4 cannot meet the VMX fixed bits: %s", why);
        return refuse(cpu, REASON_FIXED_BITS, E_NOTSUP);
    }
    /* The VMXON region: zeroed, 4 KiB aligned, below 4 GiB when VMX_BASIC bit 48 says so. */
    uint64_t region;
    unsigned where = vmx_basic_phys_width_32(boot_caps.basic) ? FRAMES_BELOW_4GIB : 0;
    if (frames_alloc(1, where, &region) < 0) {
        percpu_note(cpu, "no frame for the VMXON region: going on without VMX");
        return refuse(cpu, REASON_NO_MEMORY, E_NOMEM);
    }
    *(volatile uint32_t *)(uintptr_t)region = vmx_revision_id(); /* the CPU never writes it */
    write_cr0(cr0);
    write_cr4(cr4);
    struct vmx_outcome outcome = vmx_vmxon(region);
    if (!vmx_succeeded(outcome)) {
        char text[VMX_OUTCOME_TEXT_BYTES];
        vmx_outcome_format(outcome, text, sizeof text);
        percpu_note(cpu, "VMXON of 0x%lx failed: %s; going on without VMX", region, text);
        write_cr4(read_cr4() & ~CR4_VMXE);
        frames_free(region, 1);
        return refuse(cpu, REASON_VMXON_FAILED, E_VMX);
    }
    cpu->vmxon_region_phys = region;
    cpu->memory_bytes += PAGE_SIZE_BYTES;
    cpu->vmx_revision_id = vmx_revision_id();
    cpu->in_vmx_root = true;
    cpu->note[0] = '\0';
    /* Per CPU only with loglevel=debug; vmx_report_summary() names every CPU in VMX root at the default level. */
    log_debug("vmx: in VMX root operation (VMXON region 0x%lx, revision 0x%x)", region, cpu->vmx_revision_id);
    return 0;
}

void vmx_leave_this_cpu(void)
{
    struct percpu *cpu = this_cpu();
    if (!cpu->in_vmx_root)
        return;
    struct vmx_outcome outcome = vmx_vmxoff();
    if (!vmx_succeeded(outcome)) {
        char text[VMX_OUTCOME_TEXT_BYTES];
        vmx_outcome_format(outcome, text, sizeof text);
        log_error("vmx: VMXOFF failed: %s", text);
        return;
    }
    write_cr4(read_cr4() & ~CR4_VMXE);
    cpu->in_vmx_root = false;
    if (panic_on_this_cpu())
        log_error("PANIC: left VMX operation on the panicking CPU");
    else
        log_debug("vmx: left VMX operation (VMXOFF)");
}
