/*
 * kernel_main: the whole boot, in order, top to bottom. Each step is one
 * call with a comment; a failing step says why and the boot goes on with
 * less (fewer CPUs, no VMX) wherever that is safe.
 */
#include "core/boot.h"
#include "core/cmdline.h"
#include "core/console.h"
#include "core/lib/error.h"
#include "core/fault_inject.h"
#include "core/lib/log.h"
#include "core/lib/panic.h"
#include "core/status.h"
#include "core/vmx_root.h"
#include "core/lib/string.h"
#include "drivers/serial/uart16550.h"
#include "arch/x86/boot/idt.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/emulator_exit.h"
#include "arch/x86/insn.h"
#include "arch/x86/legacy_pic.h"
#include "arch/x86/tsc.h"
#include "arch/x86/time/tsc_calibrate.h"
#include "arch/x86/smp/ap_work.h"
#include "arch/x86/smp/cpu_discovery.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/smp_boot.h"
#include "mm/frames.h"
#include "mm/multiboot2.h"
#include "mm/paging.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/vmx/vmcs_service.h"
#include "arch/x86/vmx/vmcs_selftest.h"
#include "arch/x86/vmx/vmx_inject.h"
#include "arch/x86/vmx/vmx_summary.h"
#include "arch/x86/vmx/guest_launch.h"
#include "arch/x86/vmx/guest_report.h"
#include "arch/x86/vmx/vmentry_diff_run.h"

/* Copied out of the multiboot2 block at once: low memory is reused later. */
static struct boot_info boot_info;
static struct boot_options options;

/* What the guest layer reports (arch/x86/vmx/guest_report.h), done by core's status page and console. */
static const struct guest_report_ops guest_report_core = {
    .vcpu_state = status_vcpu_state,
    .vcpu_attach_exits = status_vcpu_attach_exits,
    .vcpu_exits_due = status_vcpu_exits_due,
    .vcpu_entry_failure = status_vcpu_entry_failure,
    .vcpu_flush = status_vcpu_flush,
    .memory_range_add_cpu = status_memory_range_add_cpu,
    .area_phys = status_area_phys,
    .area_size_bytes = status_area_size_bytes,
    .screen_handover = console_screen_handover,
};

/* The guest layer's options from the command line; inject=<case> becomes its own case or none. */
static struct guest_options guest_options_of(const struct boot_options *opts)
{
    static const enum guest_fault faults[INJECT_COUNT] = {
        [INJECT_GUEST_TRIPLE_FAULT] = GUEST_FAULT_TRIPLE_FAULT,
        [INJECT_GUEST_SPIN] = GUEST_FAULT_SPIN,
        [INJECT_VMENTRY_CONTROL_PIN] = GUEST_FAULT_VMENTRY_CONTROL_PIN,
        [INJECT_VMENTRY_CONTROL_CR3] = GUEST_FAULT_VMENTRY_CONTROL_CR3,
        [INJECT_VMENTRY_HOST_CR4] = GUEST_FAULT_VMENTRY_HOST_CR4,
        [INJECT_VMENTRY_HOST_RIP] = GUEST_FAULT_VMENTRY_HOST_RIP,
        [INJECT_VMENTRY_GUEST_CR0] = GUEST_FAULT_VMENTRY_GUEST_CR0,
        [INJECT_VMENTRY_GUEST_RFLAGS] = GUEST_FAULT_VMENTRY_GUEST_RFLAGS,
        [INJECT_VMENTRY_GUEST_LINK] = GUEST_FAULT_VMENTRY_GUEST_LINK,
        [INJECT_VMENTRY_GUEST_RIP] = GUEST_FAULT_VMENTRY_GUEST_RIP,
        [INJECT_AP_PANIC] = GUEST_FAULT_AP_PANIC,
    };
    return (struct guest_options){
        .guest = opts->guest,
        .fault = opts->inject < INJECT_COUNT ? faults[opts->inject] : GUEST_FAULT_NONE,
        .fault_name = inject_case_name(opts->inject),
        .fault_cpu = opts->inject_cpu,
        .exit_on_guest_exit = opts->exit == EXIT_ON_GUEST_EXIT,
        .x2apic = opts->x2apic,
        .guest_cpus = opts->guest_cpus,
        .guest_mem_mb = opts->guest_mem_mb,
        .cpuid_hypervisor = opts->cpuid_hypervisor,
        .vmentry_check = opts->vmentry_check,
        .vmentry_cases = opts->vmentry_cases,
        .vmentry_seed = opts->vmentry_seed,
    };
}
static uint64_t ebda_phys;
static uint64_t entry_tsc;

static void parse_boot_information(uint32_t boot_magic, uint32_t boot_info_phys)
{
    /* The block's size is in its first word; multiboot2_parse checks it against what we allow. */
    int err = multiboot2_parse(boot_magic, (const void *)(uintptr_t)boot_info_phys, MULTIBOOT2_INFO_MAX_BYTES,
                               &boot_info);
    if (err)
        panic("the boot information from the loader is unusable (%s): boot vmxroot with a Multiboot2 "
              "loader such as GRUB 2 ('multiboot2' in grub.cfg)",
              error_name(err));
    boot_info_normalize_regions(&boot_info);
    console_screen_init(&boot_info.framebuffer); /* keeps lines from here; drawn once mapped */
    /* The BIOS Data Area is in page 0, which paging_init unmaps: read the EBDA pointer now. */
    if (!boot_info.efi_system_table_present)
        ebda_phys = (uint64_t)(*(volatile uint16_t *)(uintptr_t)0x40E) << 4;
}

static void apply_options(void)
{
    cmdline_parse(boot_info.cmdline, &options);
    log_set_level(options.log_level);
    console_choose(&options.console); /* console=: UARTs and the screen */
    panic_set_exit_emulator(options.exit != EXIT_NEVER);
}

#define VMXROOT_REGION_BYTES MiB(48)

static void memory_init(void)
{
    /* With a module2 (a guest kernel) or guest=attack, vmxroot's memory is one region at the top of RAM (docs/guests.md). */
    bool passthrough =
        boot_info.module_count || options.guest == GUEST_ATTACK; /* guests that see all but it */
    int err = frames_init(&boot_info, passthrough ? VMXROOT_REGION_BYTES : 0);
    if (err)
        panic("no usable memory for the frame allocator (%s)", error_name(err));
    err = paging_init(frames_ram_end_phys());
    if (err)
        panic("cannot build the kernel page tables (%s)", error_name(err));
    uint64_t ram_bytes = 0; /* RAM of every kind the map names; reserved ranges are mostly not RAM */
    for (uint32_t i = 0; i < boot_info.region_count; i++)
        if (boot_info.regions[i].type != MEM_RESERVED)
            ram_bytes += boot_info.regions[i].length_bytes;
    console_screen_attach(); /* the framebuffer mapped write-combining: the log so far appears */
    log_info("mm: %lu MiB RAM in the %s memory map, %lu MiB usable, %lu MiB free after boot reservations",
             ram_bytes >> 20, boot_info.memory_map_source == BOOT_MMAP_EFI ? "UEFI" : "BIOS",
             frames_total_usable_bytes() >> 20, frames_free_bytes() >> 20);
}

static void boot_cpu_percpu_init(void)
{
    uint32_t apic_id = cpuid(1, 0).ebx >> 24; /* lapic_id() needs the APIC mode: not chosen yet */
    if (cpuid(0, 0).eax >= 0xB && cpuid(0xB, 0).ebx)
        apic_id = cpuid(0xB, 0).edx;
    int err = percpu_create(0, apic_id, true);
    if (err)
        panic("no memory for the boot CPU's per-CPU state (%s)", error_name(err));
    percpu_load(cpu_table[0]);
    idt_enable_ist();
    idt_set_exception_note(percpu_exception_note); /* a hit stack guard page is named as an overflow */
    cpu_table[0]->state = CPU_STATE_ONLINE;
}

static NORETURN void kernel_main_on_cpu_stack(void);

/* APs may take a while to enter VMX (Bochs emulates every step): give up after this long without one finishing. */
#define AP_WORK_TIMEOUT_MS 2000

/* Each subsystem takes only its own options, filled here from the command line. */
static void boot_cpu_vmx_init(void)
{
    struct vmx_cpu_options vmx = {
        .enabled = options.vmx,
        .inject_feature_locked_off = fault_inject_hook(&options, INJECT_FEATURE_LOCKED_OFF),
    };
    vmx_boot_cpu_init(&vmx);
}

static void calibrate_tsc(void)
{
    struct tsc_calibrate_options opts = {
        .hide_pit = options.inject == INJECT_NO_PIT,
        .every_clock = options.selftest == SELFTEST_CLOCKS,
    };
    tsc_calibrate(&boot_info, ebda_phys, &opts);
}

static void start_aps(const struct cpu_discovery *cpus, struct smp_result *smp)
{
    struct smp_options opts = {
        .mode = options.smp,
        .broadcast = cpus->every_listed_cpu_starts,
        .init_wait = options.init_wait,
        .sipi_timeout_ms = options.sipi_timeout_ms,
        .inject_no_sipi = fault_inject_hook(&options, INJECT_AP_NO_ANSWER),
        .inject_stall = fault_inject_hook(&options, INJECT_AP_STALL),
    };
    smp_start_aps(&opts, smp);
}

void kernel_main(uint32_t boot_magic, uint32_t boot_info_phys)
{
    entry_tsc = rdtsc();
    serial_init(SERIAL_COM1_PORT); /* COM1 until the command line names another */
    idt_init();                    /* exceptions print a decoded panic from here on */
    idt_load();
    legacy_pic_mask_all(); /* the 8259s deliver timer and keyboard interrupts unless masked: only the local APIC */
    parse_boot_information(boot_magic, boot_info_phys); /* before anything touches low memory */
    apply_options();                                    /* console=, loglevel=, exit= ... */
    log_info("vmxroot: booting from %s (%s), command line \"%s\"", boot_info.loader_name,
             boot_info.efi_system_table_present ? "UEFI" : "BIOS", boot_info.cmdline);
    memory_init();          /* frame allocator, then W^X page tables */
    boot_cpu_percpu_init(); /* GDT, TSS with IST stacks, GS base */
    stack_switch_call(cpu_table[0]->kernel_stack_top, kernel_main_on_cpu_stack); /* onto the guarded stack */
}

/* What one CPU costs, as allocated (percpu->memory_bytes counts every frame given to it). */
static void report_memory_per_cpu(void)
{
    uint32_t largest = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++)
        if (cpu_table[i] && cpu_table[i]->memory_bytes > largest)
            largest = cpu_table[i]->memory_bytes;
    log_info(
        "mm: memory per CPU: %u bytes fixed (structure, stacks with guard pages, VMXON region) + %u bytes "
        "per VMCS x %u; %lu KiB free",
        largest, (uint32_t)PAGE_SIZE_BYTES, options.vmcs_per_cpu, frames_free_bytes() >> 10);
}

/* Where boot_us goes: the TSC at the end of each step, printed in one line before ready. */
enum boot_step {
    STEP_EARLY,
    STEP_DISCOVERY,
    STEP_SETUP,
    STEP_BRINGUP,
    STEP_AP_WORK,
    STEP_SUMMARY,
    STEP_POOL,
    STEP_COUNT
};
static uint64_t step_end_tsc[STEP_COUNT];

static void step_done(enum boot_step step) { step_end_tsc[step] = rdtsc(); }

static void report_steps(void)
{
    uint64_t us[STEP_COUNT], previous = entry_tsc;
    for (int i = 0; i < STEP_COUNT; i++) {
        us[i] = tsc_to_us(step_end_tsc[i] - previous);
        previous = step_end_tsc[i];
    }
    log_info(
        "boot: us by step: early=%lu discovery=%lu setup=%lu bringup=%lu ap_work=%lu summary=%lu pool=%lu",
        us[STEP_EARLY], us[STEP_DISCOVERY], us[STEP_SETUP], us[STEP_BRINGUP], us[STEP_AP_WORK],
        us[STEP_SUMMARY], us[STEP_POOL]);
}

static NORETURN void kernel_main_on_cpu_stack(void)
{
    struct cpu_discovery cpus;
    struct smp_result smp;
    struct cpu_discovery_options discovery = { .smp_off = options.smp == SMP_OFF,
                                               .max_cpus = options.max_cpus };
    step_done(STEP_EARLY);
    cpu_discovery_run(&boot_info, ebda_phys, &discovery, &cpus); /* ACPI MADT -> cpu_table */
    calibrate_tsc(); /* against the PM timer, HPET or PIT: every wait needs it */
    step_done(STEP_DISCOVERY);
    status_publish_init(cpu_count_found, &options,
                        boot_info.efi_system_table_present); /* one record per CPU */
    guest_report_register(&guest_report_core); /* the guest layer reports through core's status page */
    status_publish_sync();
    status_publish_phase(STATUS_PHASE_SMP);
    if (options.x2apic)
        lapic_force_x2apic();                               /* x2apic=on */
    lapic_init_boot_cpu(cpus.lapic_phys, cpus.max_apic_id); /* xAPIC or x2APIC */
    ipi_init();                                             /* cross-CPU calls, panic stop */
    ipi_set_stop_hook(vmx_root_leave_this_cpu);             /* a stopped CPU leaves VMX first */
    panic_add_hook(ipi_stop_other_cpus);
    panic_add_hook(vmx_root_leave_this_cpu);
    panic_add_hook(status_publish_panic);  /* what the page held before stays; dump it */
    boot_cpu_vmx_init();                   /* capabilities every AP is checked against */
    vmcs_service_prepare(cpu_count_found); /* pool records, VMXON-pointer guard */
    vmx_root_enter_this_cpu();             /* the boot CPU into VMX root */
    /* Each AP's VMX enable, which it runs as soon as it is online. */
    smp_set_ap_work(vmx_root_enter_this_cpu);
    step_done(STEP_SETUP);
    start_aps(&cpus, &smp); /* INIT-SIPI-SIPI, parallel (at once to all when every CPU starts) or serial */
    step_done(STEP_BRINGUP);
    smp_run_ap_work(AP_WORK_TIMEOUT_MS); /* the wait for every AP's VMX enable (each runs it once online) */
    step_done(STEP_AP_WORK);
    status_publish_phase(STATUS_PHASE_VMX);
    uint32_t in_vmx = vmx_report_summary(); /* one line per kind of outcome, every CPU named */
    step_done(STEP_SUMMARY);
    vmcs_service_init(options.vmcs_per_cpu, in_vmx); /* the VMCS pool, each VMCS VMCLEARed */
    status_publish_memory_ranges();                  /* vmxroot's own memory, for guests to stay out of */
    status_publish_sync();
    step_done(STEP_POOL);
    fault_inject_vmx_run(&options); /* inject=<VMX case>: a deliberate VMX failure */
    if (options.selftest == SELFTEST_VMCS)
        vmcs_selftest_run(); /* the pool's lifecycle across two CPUs */
    if (options.selftest == SELFTEST_DISPLAY)
        console_screen_handover("selftest=display"); /* as a guest taking the display will */

    uint64_t ready_us = tsc_to_us(rdtsc() - entry_tsc);
    status_publish_times(tsc_khz(), smp.bringup_us, ready_us);
    status_publish_sync();
    status_publish_phase(STATUS_PHASE_READY);
    if (options.status_dump == STATUS_DUMP_HEX)
        status_publish_dump(); /* the way out of Bochs for the status page */
    report_memory_per_cpu();
    report_steps();
    bool linux_guest =
        options.guest == GUEST_LINUX || (options.guest == GUEST_AUTO && boot_info.module_count);
    if (options.inject != INJECT_AP_PANIC || !linux_guest)
        fault_inject_run(
            &options); /* inject=<fatal case>: ends here on purpose (ap-panic: in a Linux guest) */
    log_info("vmxroot: ready cpus=%u/%u vmx=%u vmcs=%u/%u status=0x%lx bringup_us=%lu boot_us=%lu",
             smp.online, cpus.found, in_vmx, vmcs_service_free(), vmcs_service_total(), status_publish_phys(),
             smp.bringup_us, ready_us);
    if (options.exit == EXIT_ON_READY)
        boot_shutdown(EMULATOR_EXIT_SUCCESS);
    static struct guest_options guest; /* the vCPUs keep a pointer to it */
    guest = guest_options_of(&options);
    guest_launch_all(&guest, &boot_info, ebda_phys,
                     in_vmx); /* guest=test: the test guest on every CPU in VMX root */
    if (options.status_dump == STATUS_DUMP_HEX)
        status_publish_dump(); /* again, as the guests left it: every vCPU record, launched or not, is final */
    if (options.selftest == SELFTEST_VMENTRY)
        vmentry_diff_selftest(&guest); /* the VM-entry check against this CPU's own VM entry */
    if (options.exit == EXIT_ON_GUEST_EXIT)
        boot_shutdown(EMULATOR_EXIT_SUCCESS);
    cpu_idle(); /* the boot CPU idles; APs already do */
}
