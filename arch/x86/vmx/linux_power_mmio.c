/*
 * The FADT's PM1 control (and reset) registers when they are in memory
 * space (X_PM1a_CNT_BLK, X_PM1b_CNT_BLK, RESET_REG with address space id
 * 0): their pages are read-only in vm0's EPT (linux_guest.c), so each
 * guest store to them exits. The store is fetched and decoded
 * (guest_store.h); a sleep or reset write ends vm0 as the port path does
 * (linux_vm_power_write, one decision for both); any other store is done on
 * the device as written, with the same width, and the guest resumes past
 * the instruction. ACPI spec: "PM1 Control Registers", "Generic Address
 * Structure".
 */
#include "arch/x86/vmx/linux_power_mmio.h"
#include "arch/x86/vmx/guest_store.h"
#include "arch/x86/vmx/linux_guest.h"

bool linux_power_mmio_page(uint64_t page_phys)
{
    uint64_t pages[ACPI_POWER_MMIO_PAGES_MAX];
    unsigned count = acpi_power_mmio_pages(&linux_vm()->power, pages);
    for (unsigned i = 0; i < count; i++)
        if (pages[i] == page_phys)
            return true;
    return false;
}

/* The device's register as the instruction would have accessed it: the old value read (an XCHG), the new written. */
static uint64_t device_exchange(uint64_t gpa, unsigned size_bytes, uint64_t value, bool read_old)
{
    uint64_t old = 0;
    switch (size_bytes) {
    case 1:
        old = read_old ? *(volatile uint8_t *)(uintptr_t)gpa : 0;
        *(volatile uint8_t *)(uintptr_t)gpa = (uint8_t)value;
        break;
    case 2:
        old = read_old ? *(volatile uint16_t *)(uintptr_t)gpa : 0;
        *(volatile uint16_t *)(uintptr_t)gpa = (uint16_t)value;
        break;
    case 4:
        old = read_old ? *(volatile uint32_t *)(uintptr_t)gpa : 0;
        *(volatile uint32_t *)(uintptr_t)gpa = (uint32_t)value;
        break;
    default:
        old = read_old ? *(volatile uint64_t *)(uintptr_t)gpa : 0;
        *(volatile uint64_t *)(uintptr_t)gpa = value;
        break;
    }
    return old;
}

enum vmexit_action linux_power_mmio_write(struct vcpu *vcpu, uint64_t gpa)
{
    struct mmio_store store;
    char why[160];
    if (guest_store_decode(vcpu, &store, why, sizeof why) != 0) {
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                  "a write to the FADT's power registers' page at 0x%lx, guest RIP 0x%lx: %s", gpa,
                  vcpu->exit_rip, why);
        return VMEXIT_STOP;
    }
    if (linux_vm_power_write(vcpu, true, gpa, store.size_bytes, store.value))
        return VMEXIT_STOP;
    uint64_t old = device_exchange(gpa, store.size_bytes, store.value, store.exchange);
    if (store.exchange)
        vcpu_set_gpr(vcpu, store.source_register,
                     mmio_store_exchange_register(&store, vcpu_gpr(vcpu, store.source_register), old));
    guest_store_done(vcpu, &store);
    return VMEXIT_RESUME;
}
