#include "drivers/serial/uart16550.h"
#include "arch/x86/io.h"
#include "arch/x86/tsc.h"
#include "core/lib/spinlock.h"

/* Register offsets from the base port (16550 data sheet). */
enum {
    UART_DATA = 0,       /* DLAB=0: THR/RBR; DLAB=1: divisor low */
    UART_INT_ENABLE = 1, /* DLAB=1: divisor high */
    UART_FIFO_CONTROL = 2,
    UART_LINE_CONTROL = 3,
    UART_MODEM_CONTROL = 4,
    UART_LINE_STATUS = 5,
    UART_SCRATCH = 7,
};

#define LINE_CONTROL_8N1 0x03
#define LINE_CONTROL_DLAB 0x80
#define LINE_STATUS_THR_EMPTY 0x20
#define LINE_STATUS_TRANSMITTER_EMPTY 0x40 /* THR and the shift register both empty */
#define UART_CLOCK_HZ 1843200
#define BAUD_RATE 115200
/* Bounded wait for the transmit register: ~1 ms of polling at worst per byte. */
#define TX_POLL_LIMIT 100000

#define SERIAL_PORTS_MAX 4

/* The UARTs that answered, in the order they were added; none means the 0xE9 fallback. */
static uint16_t ports[SERIAL_PORTS_MAX];
static unsigned port_count;

static bool uart_answers(uint16_t io_port)
{
    /* A missing UART reads 0xFF on every register; a real one keeps the scratch value. */
    outb(io_port + UART_SCRATCH, 0x5A);
    if (inb(io_port + UART_SCRATCH) != 0x5A)
        return false;
    outb(io_port + UART_SCRATCH, 0xA5);
    return inb(io_port + UART_SCRATCH) == 0xA5;
}

bool serial_init(uint16_t io_port)
{
    port_count = 0;
    return serial_add(io_port);
}

void serial_reset(void) { port_count = 0; }

bool serial_add(uint16_t io_port)
{
    for (unsigned i = 0; i < port_count; i++)
        if (ports[i] == io_port)
            return true;
    if (port_count == SERIAL_PORTS_MAX || !uart_answers(io_port))
        return false;
    uint16_t divisor = UART_CLOCK_HZ / 16 / BAUD_RATE;
    outb(io_port + UART_INT_ENABLE, 0);
    outb(io_port + UART_LINE_CONTROL, LINE_CONTROL_DLAB);
    outb(io_port + UART_DATA, divisor & 0xff);
    outb(io_port + UART_INT_ENABLE, divisor >> 8);
    outb(io_port + UART_LINE_CONTROL, LINE_CONTROL_8N1);
    outb(io_port + UART_FIFO_CONTROL, 0xC7);  /* enable and clear FIFOs, 14-byte threshold */
    outb(io_port + UART_MODEM_CONTROL, 0x03); /* DTR, RTS */
    ports[port_count++] = io_port;
    return true;
}

unsigned serial_ports(uint16_t *out, unsigned max)
{
    unsigned n = port_count < max ? port_count : max;
    for (unsigned i = 0; i < n; i++)
        out[i] = ports[i];
    return n;
}

static void serial_write_unlocked(const char *text, size_t length_bytes);

static void uart_put_byte(uint16_t io_port, uint8_t byte)
{
    for (unsigned i = 0; i < TX_POLL_LIMIT; i++)
        if (inb(io_port + UART_LINE_STATUS) & LINE_STATUS_THR_EMPTY)
            break;
    outb(io_port + UART_DATA, byte);
}

/* How long a writer waits for the byte lock before writing anyway (a CPU stopped while holding it). */
#define BYTE_LOCK_SPINS 10000000u

static struct spinlock byte_lock = SPINLOCK_INIT;
static volatile bool guest_line_open;

void serial_guest_byte(uint16_t io_port, uint8_t byte)
{
    bool locked = spin_trylock_bounded(&byte_lock, BYTE_LOCK_SPINS);
    outb(io_port, byte); /* the guest's driver checked LSR.THRE itself: at once, as on the wire */
    if (byte == '\n')
        guest_line_open = false;
    else if (byte >= ' ' || byte == '\t')
        guest_line_open = true;
    if (locked)
        spin_unlock(&byte_lock);
}

bool serial_is_console_port(uint16_t io_port)
{
    for (unsigned p = 0; p < port_count; p++)
        if (ports[p] == io_port)
            return true;
    return false;
}

/* Before a line of vmxroot's: the guest's open line gets a bounded time to end, then a newline ends it. */
static bool wait_for_guest_line(void)
{
    if (!guest_line_open)
        return false;
    uint64_t deadline = rdtsc() + tsc_from_us(SERIAL_GUEST_LINE_WAIT_US);
    while (guest_line_open && rdtsc() < deadline)
        cpu_relax();
    return guest_line_open;
}

void serial_write(const char *text, size_t length_bytes)
{
    bool break_line = wait_for_guest_line();
    bool locked = spin_trylock_bounded(&byte_lock, BYTE_LOCK_SPINS);
    if (break_line && guest_line_open) {
        for (unsigned p = 0; p < port_count; p++) {
            uart_put_byte(ports[p], '\r');
            uart_put_byte(ports[p], '\n');
        }
        guest_line_open = false;
    }
    serial_write_unlocked(text, length_bytes);
    if (locked)
        spin_unlock(&byte_lock);
}

static void serial_write_unlocked(const char *text, size_t length_bytes)
{
    if (port_count == 0) {
        for (size_t i = 0; i < length_bytes; i++)
            outb(DEBUG_CONSOLE_PORT, (uint8_t)text[i]);
        return;
    }
    /* Byte by byte across the ports: their transmitters run in parallel, so N ports cost one port's time. */
    for (size_t i = 0; i < length_bytes; i++) {
        for (unsigned p = 0; p < port_count; p++) {
            if (text[i] == '\n')
                uart_put_byte(ports[p], '\r');
            uart_put_byte(ports[p], (uint8_t)text[i]);
        }
    }
}

void serial_drain(void)
{
    for (unsigned p = 0; p < port_count; p++)
        for (unsigned i = 0; i < TX_POLL_LIMIT * 16; i++)
            if (inb(ports[p] + UART_LINE_STATUS) & LINE_STATUS_TRANSMITTER_EMPTY)
                break;
}
