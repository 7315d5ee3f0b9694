/*
 * vm0 as a multiboot1 kernel: parse into a plain description first (the
 * header, the segments, the information block's plan), check it against
 * the guest's map (vmxroot's memory reserved), then copy. The module goes
 * first (its destination is clear of the kernel and of both modules' old
 * places), then the segments (from a bounce copy when one lands on the
 * kernel's own module), then the block.
 */
#include "arch/x86/vmx/multiboot1_guest.h"
#include "arch/x86/vmx/linux_guest.h"
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/loader/boot_params.h"
#include "arch/x86/loader/multiboot1.h"
#include "arch/x86/msr.h"
#include "arch/x86/legacy_pic.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "core/lib/string.h"
#include "mm/frames.h"

#define PORT_EXIT 0xF4 /* kvm-unit-tests' exit(code): outl(code, 0xf4) (QEMU's isa-debug-exit) */
#define PORT_EXIT_BYTES 4
#define PORT_SHUTDOWN 0x8900 /* then "Shutdown", byte by byte (Bochs's own way out) */

static struct mem_region guest_map[BOOT_PARAMS_MAP_CAPACITY];
static uint8_t info_block[2 * PAGE_SIZE_BYTES]; /* 128 + 160 map entries * 24 + strings: under 8 KiB */
static char cmdline[BOOT_INFO_MODULE_CMDLINE_BYTES];
static volatile uint32_t exit_code;
static volatile bool exit_code_written;
static unsigned shutdown_matched; /* how much of "Shutdown" the guest has written to port 0x8900 */

bool multiboot1_vm_detect(const struct boot_info *info)
{
    if (info->module_count == 0)
        return false;
    const struct boot_module *m = &info->modules[0];
    return multiboot1_detect((const void *)(uintptr_t)m->start_phys, m->end_phys - m->start_phys);
}

static bool overlaps(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
    return a < b_end && b < a_end;
}

/* The segments from image (or a bounce copy of it, when one would land on the image itself). */
static int copy_segments(const struct multiboot1_image *img, const uint8_t *image, uint64_t image_bytes,
                         char *why, size_t why_bytes)
{
    uint64_t image_phys = (uint64_t)(uintptr_t)image, bounce = 0;
    size_t bounce_pages = (size_t)(ALIGN_UP(image_bytes, PAGE_SIZE_BYTES) / PAGE_SIZE_BYTES);
    for (uint32_t i = 0; i < img->segment_count && !bounce; i++) {
        const struct multiboot1_segment *s = &img->segments[i];
        if (overlaps(s->phys, s->phys + s->mem_bytes, image_phys, image_phys + image_bytes)) {
            if (frames_alloc(bounce_pages, 0, &bounce) != 0) {
                format(why, why_bytes, "no memory for a copy of the %llu-byte kernel image",
                       (unsigned long long)image_bytes);
                return E_NOMEM;
            }
            memcpy((void *)(uintptr_t)bounce, image, image_bytes);
            image = (const uint8_t *)(uintptr_t)bounce;
        }
    }
    for (uint32_t i = 0; i < img->segment_count; i++) {
        const struct multiboot1_segment *s = &img->segments[i];
        uint8_t *to = (uint8_t *)(uintptr_t)s->phys;
        memmove(to, image + s->file_offset, s->file_bytes);
        memset(to + s->file_bytes, 0, s->mem_bytes - s->file_bytes);
    }
    if (bounce)
        frames_free(bounce, bounce_pages);
    return 0;
}

static int load(const struct guest_options *opts, const struct boot_info *info, char *why, size_t why_bytes)
{
    struct linux_vm *vm = linux_vm();
    const struct boot_module *kernel = &info->modules[0];
    const struct boot_module *module = info->module_count > 1 ? &info->modules[1] : NULL;
    const uint8_t *image = (const uint8_t *)(uintptr_t)kernel->start_phys;
    uint64_t image_bytes = kernel->end_phys - kernel->start_phys;
    struct multiboot1_image img;
    int err = multiboot1_parse(image, image_bytes, &img, why, why_bytes);
    if (err)
        return err;
    if (info->module0_cmdline_truncated) {
        format(why, why_bytes, "the kernel's command line is longer than the %u bytes vmxroot keeps",
               BOOT_INFO_MODULE_CMDLINE_BYTES - 1);
        return E_RANGE;
    }
    struct mem_region own[LINUX_VM_OWN_MAX];
    size_t own_count = linux_vm_own_ranges(opts, info, own), map_count;
    err = boot_params_guest_map(info->regions, info->region_count, own, own_count, guest_map, &map_count, why,
                                why_bytes);
    if (!err)
        err = multiboot1_check_ranges(&img, guest_map, map_count, own, own_count, why, why_bytes);
    if (err)
        return err;
    struct multiboot1_busy busy[2];
    size_t busy_count = 0;
    for (uint32_t i = 0; i < info->module_count && i < 2; i++)
        busy[busy_count++] =
            (struct multiboot1_busy){ info->modules[i].start_phys, info->modules[i].end_phys };
    memcpy(cmdline, info->module0_cmdline, sizeof cmdline);
    struct multiboot1_info_input in = {
        .map = guest_map,
        .map_count = map_count,
        .image = &img,
        .cmdline = cmdline,
        .loader_name = "vmxroot",
        .has_module = module != NULL,
        .module_bytes = module ? module->end_phys - module->start_phys : 0,
        .module_string = "",
        .busy = busy,
        .busy_count = busy_count,
    };
    struct multiboot1_info_plan plan;
    err = multiboot1_info_plan(&in, &plan, why, why_bytes);
    if (!err && plan.block_bytes > sizeof info_block) {
        format(why, why_bytes, "the information block of %llu bytes is larger than vmxroot's %llu",
               (unsigned long long)plan.block_bytes, (unsigned long long)sizeof info_block);
        err = E_NOMEM;
    }
    if (err)
        return err;
    if (module)
        memmove((void *)(uintptr_t)plan.module_phys, (const void *)(uintptr_t)module->start_phys,
                in.module_bytes);
    err = copy_segments(&img, image, image_bytes, why, why_bytes);
    if (err)
        return err;
    multiboot1_info_build(&in, &plan, info_block);
    memcpy((void *)(uintptr_t)plan.block_phys, info_block, plan.block_bytes);
    vm->entry32_phys = img.entry_phys;
    vm->boot_params_phys = 0;
    vm->entry_eax = MULTIBOOT1_BOOTLOADER_MAGIC;
    vm->entry_ebx = (uint32_t)plan.block_phys;
    memcpy(vm->own, own, sizeof vm->own[0] * 2);
    log_info("guest: vm0: multiboot1 kernel (%s), %u segments 0x%lx-0x%lx, entry 0x%x, module %lu bytes at "
             "0x%lx, information block at 0x%lx, mem_upper %u KiB, command line \"%s\"",
             img.address_fields ? "address fields" : "ELF32", img.segment_count, img.lowest_phys,
             img.end_phys, img.entry_phys, in.module_bytes, plan.module_phys, plan.block_phys,
             plan.mem_upper_kib, cmdline);
    return 0;
}

int multiboot1_vm_load(const struct guest_options *opts, const struct boot_info *info, char *why,
                       size_t why_bytes)
{
    if (info->module_count == 0) {
        format(why, why_bytes, "guest=multiboot1 needs a kernel: GRUB gave no module2");
        return E_NOENT;
    }
    if (opts->x2apic) {
        format(why, why_bytes,
               "x2apic=on: a multiboot1 kernel starts its local APIC in xAPIC mode, and an x2APIC cannot go "
               "back to xAPIC without the disable Bochs never undoes; boot without x2apic=on");
        return E_NOTSUP;
    }
    struct linux_vm *vm = linux_vm();
    vm->status_phys = guest_report->area_phys();
    vm->status_bytes = guest_report->area_size_bytes();
    return load(opts, info, why, why_bytes);
}

void multiboot1_vm_build(void)
{
    const struct linux_vm *vm = linux_vm();
    uint8_t *io = (uint8_t *)(uintptr_t)vm->io_bitmap_phys; /* A then B: one bit per port */
    for (unsigned port = PORT_EXIT; port < PORT_EXIT + PORT_EXIT_BYTES; port++)
        io[port / 8] |= (uint8_t)(1u << (port % 8));
    io[PORT_SHUTDOWN / 8] |= (uint8_t)(1u << (PORT_SHUTDOWN % 8));
    uint8_t *msr = (uint8_t *)(uintptr_t)vm->msr_bitmap_phys; /* reads of low MSRs at 0, writes at 2048 */
    msr[MSR_IA32_APIC_BASE / 8] |= (uint8_t)(1u << (MSR_IA32_APIC_BASE % 8));
    msr[2048 + MSR_IA32_APIC_BASE / 8] |= (uint8_t)(1u << (MSR_IA32_APIC_BASE % 8));
    legacy_pic_restore_loader_masks(); /* the machine as the loader left it: the firmware's timer line */
}

/* The guest ended itself: the first vCPU to see it prints the line (after the guest's last byte) and exits. */
static void end_vm(struct vcpu *vcpu, const char *how)
{
    struct linux_vm_end end = { .replay = false };
    if (exit_code_written)
        format(end.reason, sizeof end.reason, "exit code %u", exit_code);
    else
        format(end.reason, sizeof end.reason, "%s without an exit code", how);
    if (linux_vm_end(&end))
        linux_vm_finish(vcpu->options);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_GUEST_ENDED, "%s", end.reason);
}

static bool multiboot1_guest_port(struct vcpu *vcpu, uint16_t port, bool in, unsigned size_bytes,
                                  uint32_t *value)
{
    static const char shutdown[] = "Shutdown";
    if (port >= PORT_EXIT && port < PORT_EXIT + PORT_EXIT_BYTES) {
        if (in) {
            *value = 0xffffffffu; /* no device there */
            return true;
        }
        exit_code = *value;
        exit_code_written = true;
        end_vm(vcpu, "exit port");
        return true;
    }
    if (port == PORT_SHUTDOWN) {
        if (in) {
            *value = 0xffffffffu;
            return true;
        }
        uint8_t byte = (uint8_t)*value;
        shutdown_matched = byte == (uint8_t)shutdown[shutdown_matched] ? shutdown_matched + 1
                           : byte == (uint8_t)shutdown[0]              ? 1
                                                                       : 0;
        if (shutdown_matched == sizeof shutdown - 1)
            end_vm(vcpu, "\"Shutdown\" to port 0x8900");
        return true;
    }
    return linux_guest_kind_ops.port(vcpu, port, in, size_bytes, value);
}

const struct vcpu_kind_ops multiboot1_guest_kind_ops = {
    .port = multiboot1_guest_port,
    .msr = multiboot1_apic_base_msr,
};
