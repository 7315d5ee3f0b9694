/*
 * vm0, the Linux guest: parse into a plain description first (the setup
 * header, the load plan in the memory vmxroot leaves), check it against the
 * memory map, then copy. The plan's RAM is the guest's e820 with the
 * modules also kept out, so no copy lands on a module it still reads; the
 * e820 the guest gets gives the modules' memory back to it.
 */
#include "arch/x86/vmx/linux_guest.h"
#include "arch/x86/vmx/passthrough_space.h"
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_cpu.h"
#include "arch/x86/loader/acpi_guest.h"
#include "arch/x86/loader/boot_params.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/smp/acpi_boot.h"
#include "arch/x86/cpuid.h"
#include "arch/x86/emulator_exit.h"
#include "arch/x86/io.h"
#include "arch/x86/mtrr.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "arch/x86/vmx/guest_report.h"
#include "drivers/serial/uart16550.h"
#include "mm/frames.h"

#define OWN_MAX LINUX_VM_OWN_MAX
/* The I/O ports a Linux guest's end goes through besides the FADT's: PCI reset control, the 8042. */
#define PORT_RESET_CONTROL 0xCF9
#define PORT_KBD_COMMAND 0x64

static struct linux_vm vm;
static char cmdline[BOOT_INFO_MODULE_CMDLINE_BYTES + 64];
static uint8_t zero_page[BOOT_PARAMS_BYTES];
static struct mem_region plan_map[BOOT_PARAMS_MAP_CAPACITY];
/* The guest's ACPI copies (RSDP, root, MADT): in vmxroot's region, mapped read-only into the guest. */
#define ACPI_COPY_PAGES 4

/* A CPU is offered when it is in VMX root, within guest_cpus= counted from the boot CPU. */
static bool cpu_offered(void *ctx, uint32_t apic_id)
{
    const struct guest_options *opts = ctx;
    uint32_t rank = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        const struct percpu *cpu = cpu_table[i];
        bool in_root = cpu && cpu->state == CPU_STATE_ONLINE && cpu->in_vmx_root;
        if (cpu && cpu->apic_id == apic_id)
            return in_root && (!opts->guest_cpus || rank < opts->guest_cpus);
        rank += in_root;
    }
    return false;
}

/*
 * The RSDP the guest is given: copies whose MADT lists only the CPUs it gets
 * (arch/x86/loader/acpi_guest.h); 0 (the guest searches the BIOS areas itself)
 * when the firmware's tables cannot be read.
 */
static uint64_t guest_acpi(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys)
{
    struct acpi acpi;
    char why[128];
    struct acpi_guest_tables tables;
    if (acpi_boot_open(info, ebda_phys, &acpi) != 0 ||
        frames_alloc(ACPI_COPY_PAGES, FRAMES_BELOW_4GIB, &vm.acpi_phys) != 0)
        return 0;
    uint8_t *out = (uint8_t *)(uintptr_t)vm.acpi_phys;
    if (acpi_guest_tables_build(&acpi, cpu_offered, (void *)opts, vm.acpi_phys, out,
                                (size_t)ACPI_COPY_PAGES * PAGE_SIZE_BYTES, &tables, why, sizeof why) != 0) {
        log_warn(
            "guest: vm0: no ACPI copies (%s): the guest gets the firmware's tables and every CPU in them",
            why);
        frames_free(vm.acpi_phys, ACPI_COPY_PAGES);
        vm.acpi_phys = 0;
        return 0;
    }
    vm.acpi_bytes = ALIGN_UP((uint64_t)tables.used_bytes, PAGE_SIZE_BYTES);
    log_info("guest: vm0: ACPI copies at 0x%lx: the MADT offers %u CPUs, %u hidden (not in VMX root or past "
             "guest_cpus=)",
             tables.rsdp_phys, tables.offered, tables.hidden);
    return tables.rsdp_phys;
}

struct linux_vm *linux_vm(void) { return &vm; }

/* vmxroot's own memory: its image and its region (everything it allocates), plus RAM past guest_mem=. */
size_t linux_vm_own_ranges(const struct guest_options *opts, const struct boot_info *info,
                           struct mem_region *own)
{
    size_t n = passthrough_own_ranges(own);
    uint64_t limit = (uint64_t)opts->guest_mem_mb << 20;
    for (uint32_t i = 0; limit && i < info->region_count && n < OWN_MAX; i++) {
        const struct mem_region *r = &info->regions[i];
        uint64_t r_end = r->base_phys + r->length_bytes;
        if (r->type == MEM_USABLE && r_end > limit) {
            uint64_t from = r->base_phys > limit ? r->base_phys : limit;
            own[n++] = (struct mem_region){ from, r_end - from, MEM_RESERVED };
        }
    }
    return n;
}

/* gpa = hpa everywhere the guest may go; vmxroot's ranges unmapped; the status area read-only. */
static int build_space(const struct mem_region *own, size_t own_count, char *why, size_t why_bytes)
{
    int err = passthrough_space_build(&vm.ept, own, own_count, vm.status_phys, vm.status_bytes);
    if (!err && vm.acpi_phys)
        err = ept_map_range_typed(&vm.ept, vm.acpi_phys, vm.acpi_phys, vm.acpi_bytes, EPT_READ, MTRR_TYPE_WB);
    if (!err) /* the local APIC: reads pass, writes exit (vapic.h) */
        err = ept_map_range_typed(&vm.ept, vapic_apic_phys(), vapic_apic_phys(), PAGE_SIZE_BYTES, EPT_READ,
                                  MTRR_TYPE_UC);
    /* The FADT's power registers in memory space: reads pass, writes exit (linux_power_mmio.h). */
    uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX];
    unsigned power_pages = acpi_power_mmio_pages(&vm.power, pages);
    for (unsigned i = 0; !err && i < power_pages; i++)
        err = ept_map_range_typed(&vm.ept, pages[i], pages[i], PAGE_SIZE_BYTES, EPT_READ, MTRR_TYPE_UC);
    if (err)
        format(why, why_bytes, "cannot build the guest-physical space (%s)", error_name(err));
    return err;
}

static void trap_port(uint16_t port, unsigned bytes)
{
    uint8_t *bitmap = (uint8_t *)(uintptr_t)vm.io_bitmap_phys; /* A then B: one bit per port */
    for (unsigned i = 0; i < bytes; i++)
        bitmap[(port + i) / 8] |= (uint8_t)(1u << ((port + i) % 8));
}

/* The I/O deny-list: vmxroot's console UARTs' data port, and the ports that end the machine. */
static void build_io_bitmap(void)
{
    uint16_t ports[4];
    unsigned count = serial_ports(ports, 4);
    for (unsigned i = 0; i < count; i++)
        trap_port(ports[i], 1);
    trap_port(PORT_RESET_CONTROL, 1);
    trap_port(PORT_KBD_COMMAND, 1);
    if (!vm.power.pm1a_control.mmio && vm.power.pm1a_control.address)
        trap_port((uint16_t)vm.power.pm1a_control.address, 2);
    if (!vm.power.pm1b_control.mmio && vm.power.pm1b_control.address)
        trap_port((uint16_t)vm.power.pm1b_control.address, 2);
    if (!vm.power.reset.mmio && vm.power.reset.address)
        trap_port((uint16_t)vm.power.reset.address, 1);
}

static void find_power_registers(const struct boot_info *info, uint64_t ebda_phys)
{
    struct acpi acpi;
    const struct acpi_header *fadt = NULL;
    if (acpi_boot_open(info, ebda_phys, &acpi) == 0)
        fadt = acpi_find_table(&acpi, "FACP");
    if (!fadt || acpi_power_parse(fadt, &vm.power) != 0)
        log_warn("guest: vm0: no FADT PM1 control register: an ACPI power-off of the guest is not seen");
    else if (vm.power.pm1a_control.mmio)
        log_info("guest: vm0: the FADT's PM1 control is MMIO at 0x%lx: its page is write-protected",
                 vm.power.pm1a_control.address);
}

static int load(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys, char *why,
                size_t why_bytes)
{
    const struct boot_module *kernel = &info->modules[0];
    const uint8_t *image = (const uint8_t *)(uintptr_t)kernel->start_phys;
    struct bzimage_info bz;
    int err = bzimage_parse(image, kernel->end_phys - kernel->start_phys, &bz, why, why_bytes);
    if (err)
        return err;
    if (info->module0_cmdline_truncated) {
        format(why, why_bytes, "the guest command line is longer than the %u bytes vmxroot keeps",
               BOOT_INFO_MODULE_CMDLINE_BYTES - 1);
        return E_RANGE;
    }
    uint32_t cmdline_bytes;
    err = boot_params_cmdline(info->module0_cmdline, vm.status_phys, bz.cmdline_max_bytes, cmdline,
                              sizeof cmdline, &cmdline_bytes, why, why_bytes);
    if (err)
        return err;
    struct mem_region own[OWN_MAX + BOOT_INFO_MAX_MODULES];
    size_t own_count = linux_vm_own_ranges(opts, info, own), plan_own = own_count, plan_count;
    for (uint32_t i = 0; i < info->module_count && i < 2; i++)
        if (info->modules[i].end_phys > info->modules[i].start_phys)
            own[plan_own++] =
                (struct mem_region){ info->modules[i].start_phys,
                                     info->modules[i].end_phys - info->modules[i].start_phys, MEM_RESERVED };
    err = boot_params_guest_map(info->regions, info->region_count, own, plan_own, plan_map, &plan_count, why,
                                why_bytes);
    if (err)
        return err;
    const struct boot_module *initrd = info->module_count > 1 ? &info->modules[1] : NULL;
    uint64_t initrd_bytes = initrd ? initrd->end_phys - initrd->start_phys : 0;
    struct bzimage_plan plan;
    err = bzimage_plan(&bz, plan_map, plan_count, cmdline_bytes, initrd_bytes, &plan, why, why_bytes);
    if (err)
        return err;
    struct boot_params_input in = {
        .image = image,
        .info = &bz,
        .plan = &plan,
        .memory_map = info->regions,
        .memory_map_count = info->region_count,
        .own = own,
        .own_count = own_count,
        .rsdp_phys = guest_acpi(opts, info, ebda_phys),
    };
    err = boot_params_build(&in, zero_page, why, why_bytes);
    if (err)
        return err;
    if (initrd_bytes)
        memmove((void *)(uintptr_t)plan.initrd_phys, (const void *)(uintptr_t)initrd->start_phys,
                initrd_bytes);
    memcpy((void *)(uintptr_t)plan.kernel_phys, image + bz.setup_bytes, bz.kernel_bytes);
    memcpy((void *)(uintptr_t)plan.cmdline_phys, cmdline, cmdline_bytes);
    memcpy((void *)(uintptr_t)plan.boot_params_phys, zero_page, BOOT_PARAMS_BYTES);
    vm.entry32_phys = plan.entry32_phys;
    vm.boot_params_phys = plan.boot_params_phys;
    memcpy(vm.own, own, sizeof vm.own[0] * 2);
    log_info("guest: vm0: Linux boot protocol %u.%02u, kernel %lu KiB at 0x%lx, initramfs %lu KiB at 0x%lx, "
             "command line \"%s\"",
             bz.version >> 8, bz.version & 0xff, bz.kernel_bytes >> 10, plan.kernel_phys, initrd_bytes >> 10,
             plan.initrd_phys, cmdline);
    return 0;
}

int linux_vm_load(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                  char *why, size_t why_bytes)
{
    if (info->module_count == 0) {
        format(why, why_bytes, "guest=linux needs a kernel: GRUB gave no module2");
        return E_NOENT;
    }
    vm.status_phys = guest_report->area_phys();
    vm.status_bytes = guest_report->area_size_bytes();
    return load(opts, info, ebda_phys, why, why_bytes);
}

int linux_vm_build(const struct boot_info *info, uint64_t ebda_phys, char *why, size_t why_bytes)
{
    find_power_registers(info, ebda_phys);
    int err = frames_alloc(2, 0, &vm.io_bitmap_phys);
    if (!err)
        err = frames_alloc(1, 0, &vm.msr_bitmap_phys);
    if (err) {
        format(why, why_bytes, "no memory for the I/O and MSR bitmaps (%s)", error_name(err));
        return err;
    }
    build_io_bitmap();
    vmexit_msr_bitmap_linux((uint8_t *)(uintptr_t)vm.msr_bitmap_phys);
    return build_space(vm.own, 2, why, why_bytes);
}

bool linux_vm_end(const struct linux_vm_end *end)
{
    uint32_t expected = 0;
    if (!__atomic_compare_exchange_n(&vm.ended, &expected, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return false;
    vm.end = *end;
    vapic_report();
    log_info("vmxroot: guest vm0 ended: %s", end->reason);
    return true;
}

void linux_vm_finish(const struct guest_options *opts)
{
    if (opts->exit_on_guest_exit || !vm.end.replay)
        emulator_exit(EMULATOR_EXIT_SUCCESS); /* off the emulator; on a machine, it stops here */
    /* What the guest asked of its machine, done now that the end line is out. */
    serial_drain();
    if (vm.end.mmio) {
        volatile uint32_t *reg = (volatile uint32_t *)(uintptr_t)vm.end.address;
        *reg = vm.end.value;
    } else if (vm.end.size_bytes == 2) {
        outw((uint16_t)vm.end.address, (uint16_t)vm.end.value);
    } else if (vm.end.size_bytes == 4) {
        outl((uint16_t)vm.end.address, vm.end.value);
    } else {
        outb((uint16_t)vm.end.address, (uint8_t)vm.end.value);
    }
    for (;;)
        __asm__ volatile("cli; hlt");
}
