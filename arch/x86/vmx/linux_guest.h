/*
 * The Linux guest (vm0): an unmodified bzImage from GRUB's first module2
 * (its string is the guest's command line), the second module its
 * initramfs. Built once on the boot CPU before any vCPU: the setup header
 * checked (arch/x86/loader/bzimage.h), a load plan in the RAM vmxroot left
 * to the guest, the copies, the zero page, and one guest-physical space
 * for every vCPU: gpa = hpa for all memory and MMIO except vmxroot's own
 * (its image and its region: not mapped) and the status area (read-only).
 * The policies it runs under are in docs/guests.md, the Linux column.
 */
#ifndef ARCH_X86_VMX_LINUX_GUEST_H
#define ARCH_X86_VMX_LINUX_GUEST_H

#include "arch/x86/smp/acpi_power.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/guest_options.h"
#include "mm/multiboot2.h"

struct vcpu_kind_ops;

/* How the guest ended its machine, and the write vmxroot repeats to do what it asked. */
struct linux_vm_end {
    char reason[320]; /* room for a vCPU's whole stop reason */
    bool replay;      /* repeat the guest's write (power off, reset) */
    bool mmio;
    uint64_t address; /* the port or the MMIO address */
    uint32_t value;
    uint8_t size_bytes;
};

struct linux_vm {
    struct ept_space ept;
    uint64_t io_bitmap_phys;  /* two pages: 0 = pass through */
    uint64_t msr_bitmap_phys; /* one page */
    uint64_t entry32_phys;    /* the kernel's 32-bit entry: ESI = zero page */
    uint64_t boot_params_phys;
    uint32_t entry_eax, entry_ebx; /* a multiboot1 kernel's: the loader's magic and its information block */
    uint64_t status_phys, status_bytes;
    struct acpi_power power;        /* the FADT's PM1 control and reset registers */
    struct mem_region own[2];       /* vmxroot's image and its region: not mapped */
    uint64_t acpi_phys, acpi_bytes; /* the guest's ACPI copies (in the region, mapped read-only); 0: none */
    volatile uint32_t ended;        /* set once, by the first vCPU that sees the end */
    struct linux_vm_end end;
};

/*
 * Checks and loads vm0's kernel, initramfs, command line and zero page
 * from the modules in *info (needs no VMX, so a bad module is named on any
 * machine); 0, or an E_* with why naming the bad input (not a bzImage,
 * protocol too old, truncated, too long a command line, does not fit in the
 * memory left): nothing is launched then and vmxroot stays up.
 */
int linux_vm_load(const struct guest_options *opts, const struct boot_info *info, uint64_t ebda_phys,
                  char *why, size_t why_bytes);
/* Then its bitmaps and its guest-physical space (EPT): 0 or E_* with why. */
int linux_vm_build(const struct boot_info *info, uint64_t ebda_phys, char *why, size_t why_bytes);
struct linux_vm *linux_vm(void);
/* vmxroot's own memory (its image, its region, RAM past guest_mem=) as reserved ranges, at most LINUX_VM_OWN_MAX. */
#define LINUX_VM_OWN_MAX (4 + BOOT_INFO_MAX_REGIONS)
size_t linux_vm_own_ranges(const struct guest_options *opts, const struct boot_info *info,
                           struct mem_region *own);

/*
 * The guest asked its machine to end (reason says how): the first caller
 * prints `vmxroot: guest vm0 ended: <reason>` and returns true; it then
 * calls linux_vm_finish. Later callers return false.
 */
bool linux_vm_end(const struct linux_vm_end *end);
/*
 * A guest write of value (size_bytes wide) to a port or an MMIO address:
 * when it is the FADT's sleep (PM1 control with SLP_EN) or reset write
 * (acpi_power_classify_write), vm0 ends (this vCPU is stopped, or the
 * machine ended) and it returns true; else false, the write is the
 * caller's to do.
 */
struct vcpu;
bool linux_vm_power_write(struct vcpu *vcpu, bool mmio, uint64_t address, unsigned size_bytes,
                          uint64_t value);

/* Its devices on the exit path (linux_ports.c): the console UART, the end of the machine, the rest passed or denied. */
extern const struct vcpu_kind_ops linux_guest_kind_ops;

/* After the end line: leave the emulator (exit=on-guest-exit) or do what the guest asked. */
NORETURN void linux_vm_finish(const struct guest_options *opts);

#endif
