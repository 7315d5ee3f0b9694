/*
 * The I/O ports a Linux guest does not simply own (its deny-list, built in
 * linux_guest.c): vmxroot's console UARTs' data port, whose bytes go out at
 * once under the console's byte lock (drivers/serial/uart16550.h) and whose
 * reads give the guest its input; and the writes that end the machine (the
 * FADT's PM1 control with SLP_EN, its reset register, port 0xCF9 with the
 * reset bit, the 8042's pulse-reset command 0xFE), which end vm0. Every
 * other access to these ports goes through to the device as it was. The
 * FADT's registers in memory space end vm0 the same way (linux_power_mmio.c,
 * through linux_vm_power_write).
 */
#include "arch/x86/vmx/linux_guest.h"
#include "arch/x86/vmx/vcpu.h"
#include "arch/x86/io.h"
#include "core/lib/format.h"
#include "drivers/serial/uart16550.h"

#define PORT_RESET_CONTROL 0xCF9
#define RESET_CONTROL_RESET (1u << 2) /* with bit 1: a hard reset */
#define PORT_KBD_COMMAND 0x64
#define KBD_PULSE_RESET 0xFE

static uint32_t port_in(uint16_t port, unsigned size_bytes)
{
    return size_bytes == 4 ? inl(port) : size_bytes == 2 ? inw(port) : inb(port);
}

static void port_out(uint16_t port, unsigned size_bytes, uint32_t value)
{
    if (size_bytes == 4)
        outl(port, value);
    else if (size_bytes == 2)
        outw(port, (uint16_t)value);
    else
        outb(port, (uint8_t)value);
}

/* The guest asked for its end: the first vCPU to see it prints the line and ends the machine. */
static void end_vm(struct vcpu *vcpu, bool mmio, uint64_t address, unsigned size_bytes, uint32_t value,
                   const char *what)
{
    struct linux_vm_end end = {
        .replay = true, .mmio = mmio, .address = address, .value = value, .size_bytes = (uint8_t)size_bytes
    };
    format(end.reason, sizeof end.reason, "%s (write of 0x%x to %s 0x%lx on cpu%u)", what, value,
           mmio ? "MMIO" : "port", address, vcpu->cpu_index);
    if (linux_vm_end(&end))
        linux_vm_finish(vcpu->options);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_GUEST_ENDED, "%s", end.reason);
}

bool linux_vm_power_write(struct vcpu *vcpu, bool mmio, uint64_t address, unsigned size_bytes, uint64_t value)
{
    char what[64];
    switch (acpi_power_classify_write(&linux_vm()->power, mmio, address, value)) {
    case ACPI_POWER_WRITE_SLEEP:
        format(what, sizeof what, "power off (ACPI PM1 control, SLP_TYP %u)",
               (unsigned)(value >> ACPI_PM1_SLP_TYP_SHIFT) & ACPI_PM1_SLP_TYP_MASK);
        end_vm(vcpu, mmio, address, size_bytes, (uint32_t)value, what);
        return true;
    case ACPI_POWER_WRITE_RESET:
        end_vm(vcpu, mmio, address, size_bytes, (uint32_t)value, "reset (ACPI reset register)");
        return true;
    case ACPI_POWER_WRITE_OTHER:
        break;
    }
    return false;
}

static bool linux_guest_port(struct vcpu *vcpu, uint16_t port, bool in, unsigned size_bytes, uint32_t *value)
{
    if (serial_is_console_port(port)) {
        if (in)
            *value = inb(port); /* the guest's input (or DLL while DLAB is set): as the UART has it */
        else
            serial_guest_byte(port, (uint8_t)*value);
        return true;
    }
    if (in) {
        *value = port_in(port, size_bytes);
        return true;
    }
    if (linux_vm_power_write(vcpu, false, port, size_bytes, *value))
        return true;
    if (port == PORT_RESET_CONTROL && (*value & RESET_CONTROL_RESET)) {
        end_vm(vcpu, false, port, size_bytes, *value, "reset (port 0xCF9)");
        return true;
    }
    if (port == PORT_KBD_COMMAND && (*value & 0xff) == KBD_PULSE_RESET) {
        end_vm(vcpu, false, port, size_bytes, *value, "reset (keyboard controller)");
        return true;
    }
    port_out(port, size_bytes, *value);
    return true;
}

const struct vcpu_kind_ops linux_guest_kind_ops = { .port = linux_guest_port };
