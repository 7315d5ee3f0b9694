/*
 * The I/O ports a Linux guest does not simply own (its deny-list, built in
 * linux_guest.c): vmxroot's console UARTs' data port, whose bytes go out at
 * once under the console's byte lock (drivers/serial/uart16550.h) and whose
 * reads give the guest its input; and the writes that end the machine (the
 * FADT's PM1 control with SLP_EN, its reset register, port 0xCF9 with the
 * reset bit, the 8042's pulse-reset command 0xFE), which end vm0. Every
 * other access to these ports goes through to the device as it was.
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

static bool is_port(const struct acpi_power_register *reg, uint16_t port)
{
    return !reg->mmio && reg->address && reg->address == port;
}

/* The guest asked for its end: the first vCPU to see it prints the line and ends the machine. */
static void end_vm(struct vcpu *vcpu, uint16_t port, unsigned size_bytes, uint32_t value, const char *what)
{
    struct linux_vm_end end = {
        .replay = true, .address = port, .value = value, .size_bytes = (uint8_t)size_bytes
    };
    format(end.reason, sizeof end.reason, "%s (write of 0x%x to port 0x%x on cpu%u)", what, value, port,
           vcpu->cpu_index);
    if (linux_vm_end(&end))
        linux_vm_finish(vcpu->options);
    vcpu_stop(vcpu, STATUS_VCPU_REASON_GUEST_ENDED, "%s", end.reason);
}

bool linux_guest_port(struct vcpu *vcpu, uint16_t port, bool in, unsigned size_bytes, uint32_t *value)
{
    const struct linux_vm *vm = linux_vm();
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
    if ((is_port(&vm->power.pm1a_control, port) || is_port(&vm->power.pm1b_control, port)) &&
        (*value & ACPI_PM1_SLP_EN)) {
        char what[64];
        format(what, sizeof what, "power off (ACPI PM1 control, SLP_TYP %u)",
               (*value >> ACPI_PM1_SLP_TYP_SHIFT) & ACPI_PM1_SLP_TYP_MASK);
        end_vm(vcpu, port, size_bytes, *value, what);
        return true;
    }
    if (is_port(&vm->power.reset, port) && (*value & 0xff) == vm->power.reset_value) {
        end_vm(vcpu, port, size_bytes, *value, "reset (ACPI reset register)");
        return true;
    }
    if (port == PORT_RESET_CONTROL && (*value & RESET_CONTROL_RESET)) {
        end_vm(vcpu, port, size_bytes, *value, "reset (port 0xCF9)");
        return true;
    }
    if (port == PORT_KBD_COMMAND && (*value & 0xff) == KBD_PULSE_RESET) {
        end_vm(vcpu, port, size_bytes, *value, "reset (keyboard controller)");
        return true;
    }
    port_out(port, size_bytes, *value);
    return true;
}
