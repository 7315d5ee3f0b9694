/*
 * Building a vCPU on its CPU: memory, EPT, bitmaps and the VMCS image, by
 * guest kind (test guest, Linux), then the software entry check and the
 * VMWRITE loop (vmcs_load.h). Above the generic vCPU (vcpu.h), the guest
 * kinds and the exit handlers' policies: nothing below includes this.
 */
#include "arch/x86/vmx/vcpu_create.h"
#include "arch/x86/vmx/vcpu_invalidate.h"
#include "arch/x86/vmx/linux_guest.h"
#include "arch/x86/vmx/multiboot1_guest.h"
#include "arch/x86/vmx/vmcs_load.h"
#include "arch/x86/vmx/vmcs_pool.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmentry_inject.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/vmx/test_guest/test_guest.h"
#include "arch/x86/vmx/attack_guest/attack_guest.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/cr.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "arch/x86/smp/percpu.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "arch/x86/vmx/guest_report.h"
#include "core/lib/string.h"
#include "mm/frames.h"

#define CPUID1_ECX_XSAVE (1u << 26)
/* A guest that runs this long without any exit is stopped by the preemption-timer watchdog. */
#define VCPU_WATCHDOG_MS 2000ull

static uint16_t read_selector_cs(void)
{
    uint16_t s;
    __asm__ volatile("mov %%cs, %0" : "=r"(s));
    return s;
}
#define READ_SEGMENT(reg)                                                                                    \
    ({                                                                                                       \
        uint16_t s_;                                                                                         \
        __asm__ volatile("mov %%" #reg ", %0" : "=r"(s_));                                                   \
        s_;                                                                                                  \
    })

struct descriptor_table_register {
    uint16_t limit;
    uint64_t base;
} PACKED;

/* This CPU's own state as the host-state area must restore it (SDM: "Host-State Area"). */
static void host_state_read(struct vmcs_host_state *state)
{
    struct descriptor_table_register gdtr, idtr;
    uint16_t tr;
    __asm__ volatile("sgdt %0" : "=m"(gdtr));
    __asm__ volatile("sidt %0" : "=m"(idtr));
    __asm__ volatile("str %0" : "=r"(tr));
    *state = (struct vmcs_host_state){
        .cr0 = read_cr0(),
        .cr3 = read_cr3(),
        .cr4 = read_cr4(),
        .cs = read_selector_cs(),
        .ss = READ_SEGMENT(ss),
        .ds = READ_SEGMENT(ds),
        .es = READ_SEGMENT(es),
        .fs = READ_SEGMENT(fs),
        .gs = READ_SEGMENT(gs),
        .tr = tr,
        .fs_base = rdmsr(MSR_FS_BASE),
        .gs_base = rdmsr(MSR_GS_BASE),
        .tr_base = (uint64_t)(uintptr_t)&this_cpu()->tss,
        .gdtr_base = gdtr.base,
        .idtr_base = idtr.base,
        .rsp = this_cpu()->kernel_stack_top,
        .rip = (uint64_t)(uintptr_t)vmx_exit_stub,
        .efer = rdmsr(MSR_EFER),
        .pat = rdmsr(MSR_IA32_PAT),
        .sysenter_cs = (uint32_t)rdmsr(MSR_IA32_SYSENTER_CS),
        .sysenter_esp = rdmsr(MSR_IA32_SYSENTER_ESP),
        .sysenter_eip = rdmsr(MSR_IA32_SYSENTER_EIP),
    };
}

/* A Linux vCPU runs in vm0's one space with vm0's bitmaps (linux_guest.c), and sees the local APIC. */
static int linux_memory(struct vcpu *vcpu)
{
    const struct linux_vm *vm = linux_vm();
    vcpu->ept = vm->ept; /* the same tables: the copy only names them */
    vcpu->io_bitmap_phys = vm->io_bitmap_phys;
    vcpu->msr_bitmap_phys = vm->msr_bitmap_phys;
    vcpu->cpuid_context = (struct guest_cpuid_context){
        .secondary_controls = vcpu->controls->value[VMX_CONTROL_SECONDARY],
        .status_gpa = vm->status_phys, /* gpa = hpa */
        .status_bytes = (uint32_t)vm->status_bytes,
        .local_apic = true,
        .hypervisor_bit_clear = !vcpu->options->cpuid_hypervisor,
    };
    return 0;
}

/* The guest's memory: RAM, the status page read-only, and nothing of vmxroot's (docs/guests.md). */
static int build_memory(struct vcpu *vcpu, char *why, size_t why_bytes)
{
    if (guest_kind_is_vm0(vcpu->kind))
        return linux_memory(vcpu);
    if (vcpu->kind == GUEST_ATTACK)
        return attack_guest_memory(vcpu, why, why_bytes);
    const struct vmx_caps *caps = vmx_boot_caps();
    struct ept_allocator allocator = vcpu_ept_allocator;
    int err = vcpu_memory_alloc(vcpu, TEST_GUEST_RAM_GPA, TEST_GUEST_RAM_BYTES, why, why_bytes);
    if (err)
        return err;
    vmexit_io_bitmap_init(vcpu);
    vmexit_msr_bitmap_init(vcpu);
    err = ept_space_init(&vcpu->ept, &allocator, caps->ept_vpid_cap, cpu_phys_addr_bits());
    if (!err)
        err = ept_map_range_typed(&vcpu->ept, TEST_GUEST_RAM_GPA, vcpu->ram_phys, vcpu->ram_bytes,
                                  EPT_READ | EPT_WRITE | EPT_EXEC, MTRR_TYPE_WB);
    uint64_t status_phys = guest_report->area_phys();
    if (!err && status_phys) {
        err = ept_map_range_typed(&vcpu->ept, TEST_GUEST_STATUS_GPA, status_phys,
                                  guest_report->area_size_bytes(), EPT_READ, MTRR_TYPE_WB);
    }
    if (err)
        format(why, why_bytes, "cannot build the EPT space (%s)", error_name(err));
    vcpu->cpuid_context = (struct guest_cpuid_context){
        .secondary_controls = vcpu->controls->value[VMX_CONTROL_SECONDARY],
        .status_gpa = status_phys ? TEST_GUEST_STATUS_GPA : 0,
        .status_bytes = status_phys ? (uint32_t)guest_report->area_size_bytes() : 0,
        .local_apic = false,
    };
    return err;
}

static uint32_t preemption_timer_value(const struct vmx_caps *caps)
{
    /* SDM: "VMX-Preemption Timer": it counts down by 1 every 2^IA32_VMX_MISC[4:0] TSC ticks. */
    uint64_t ticks = tsc_khz() * VCPU_WATCHDOG_MS >> (caps->misc & 0x1f);
    return ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
}

#define LINUX_BOOT_CS 0x10 /* the boot protocol's __BOOT_CS and __BOOT_DS */
#define LINUX_BOOT_DS 0x18

/*
 * Linux's entry: the guest's boot CPU at the 32-bit entry of the boot
 * protocol (flat protected mode, paging off, interrupts off, ESI = the zero
 * page; the kernel loads its own GDT first thing); every other vCPU in real
 * mode, launched only once the guest's SIPI reaches it (it waits in VMX
 * root: vapic_icr.c says why not in the wait-for-SIPI activity state).
 */
static int linux_entry(struct vcpu *vcpu, const struct vmx_caps *caps, const struct vmx_controls *controls,
                       char *why, size_t why_bytes)
{
    struct vmcs_guest_entry entry = { .mode = vcpu->mode };
    if (vcpu->boot_vcpu) {
        entry.rip = linux_vm()->entry32_phys;
        entry.code_selector = LINUX_BOOT_CS;
        entry.data_selector = LINUX_BOOT_DS;
        vcpu->regs.rsi = linux_vm()->boot_params_phys;
        vcpu->regs.rax = linux_vm()->entry_eax; /* multiboot1: the loader's magic, EBX its information */
        vcpu->regs.rbx = linux_vm()->entry_ebx;
    }
    return vmcs_setup_guest(&vcpu->image, caps, controls, &entry, why, why_bytes);
}

static int build_vmcs_image(struct vcpu *vcpu, const struct vmx_controls *controls, char *why,
                            size_t why_bytes)
{
    const struct vmx_caps *caps = vmx_boot_caps();
    bool unrestricted = controls->value[VMX_CONTROL_SECONDARY] & PROC2_UNRESTRICTED_GUEST;
    uint64_t cr0_fixed0 = caps->cr0_fixed0 & ~(unrestricted ? CR0_PE | CR0_PG : 0);
    struct vmcs_control_params params = {
        .io_bitmap_a_phys = vcpu->io_bitmap_phys,
        .io_bitmap_b_phys = vcpu->io_bitmap_phys + PAGE_SIZE_BYTES,
        .msr_bitmap_phys = vcpu->msr_bitmap_phys,
        .ept_pointer = ept_pointer(&vcpu->ept),
        .vpid = vcpu->vpid,
        .preemption_timer_value = preemption_timer_value(caps),
        .exception_bitmap = 0,
        /* vmxroot owns the bits VMX fixes (CR0.NE, CR4.VMXE) and those the CPU cannot set. */
        .cr0_guest_host_mask = CR0_NE | cr0_fixed0 | (~caps->cr0_fixed1 & 0xffffffffull),
        .cr4_guest_host_mask = caps->cr4_fixed0 | (~caps->cr4_fixed1 & 0xffffffffull),
    };
    struct vmcs_guest_entry entry;
    struct vmcs_host_state host;
    vmcs_image_clear(&vcpu->image);
    int err = vmcs_setup_controls(&vcpu->image, controls, &params, vcpu->mode, why, why_bytes);
    if (err)
        return err;
    host_state_read(&host);
    vmcs_setup_host(&vcpu->image, controls, &host);
    if (guest_kind_is_vm0(vcpu->kind))
        return linux_entry(vcpu, caps, controls, why, why_bytes);
    if (vcpu->kind == GUEST_ATTACK)
        attack_guest_entry(vcpu, &entry);
    else
        test_guest_entry(vcpu, &entry);
    vcpu->regs.rax = entry.rax;
    vcpu->regs.rbx = entry.rbx;
    return vmcs_setup_guest(&vcpu->image, caps, controls, &entry, why, why_bytes);
}

int vcpu_create(struct vcpu *vcpu, const struct guest_options *opts, const struct vmx_controls *controls,
                enum vmcs_entry_mode mode, char *why, size_t why_bytes)
{
    struct percpu *cpu = this_cpu();
    vcpu->cpu_index = cpu->index;
    vcpu->vpid = (uint16_t)(cpu->index + 1); /* 0 is vmxroot's own */
    vcpu->options = opts;
    vcpu->controls = controls;
    vcpu->mode = mode;
    vcpu->kind_ops = vcpu->kind == GUEST_LINUX        ? &linux_guest_kind_ops
                     : vcpu->kind == GUEST_MULTIBOOT1 ? &multiboot1_guest_kind_ops
                     : vcpu->kind == GUEST_ATTACK     ? &attack_guest_kind_ops
                                                      : &test_guest_kind_ops;
    vcpu->vmcs = VMCS_NONE;
    /* Its exit counts, read by the status page's publisher from here on (guest_report.h). */
    status_vcpu_exits_init(&vcpu->exits);
    guest_report->vcpu_attach_exits(vcpu->cpu_index, &vcpu->exits);
    vcpu->setup_tsc = rdtsc();
    /* vmxroot executes XSETBV for the guest: CR4.OSXSAVE on this CPU (and so in the host-state CR4). */
    if (cpuid(1, 0).ecx & CPUID1_ECX_XSAVE)
        write_cr4(read_cr4() | CR4_OSXSAVE);
    int err = build_memory(vcpu, why, why_bytes);
    if (err)
        return err;
    if (vcpu->kind == GUEST_ATTACK)
        attack_guest_load(vcpu);
    else if (!guest_kind_is_vm0(vcpu->kind))
        test_guest_load(vcpu);
    err = build_vmcs_image(vcpu, controls, why, why_bytes);
    if (err)
        return err;
    vmentry_inject_apply(vcpu); /* inject=vmentry-*: one field broken on purpose */
    struct vmcs_pool *pool = vmcs_service_pool();
    if ((err = vmcs_pool_acquire(pool, &vcpu->vmcs)) || (err = vmcs_pool_load(pool, vcpu->vmcs))) {
        format(why, why_bytes, "no VMCS from the pool (%s)", error_name(err));
        return err;
    }
    if ((err = vmcs_image_load(&vcpu->image))) {
        format(why, why_bytes, "the VMCS could not be written (see the VMWRITE error above)");
        return err;
    }
    return vcpu_invalidate_translations(vcpu, why, why_bytes);
}
