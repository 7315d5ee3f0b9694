#include "core/console.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/log.h"
#include "drivers/serial/uart16550.h"
#include "drivers/video/screen_console.h"

static const struct log_console screen = {
    .write = screen_console_write,
    .panic_takeover = screen_console_reclaim,
};

static struct boot_framebuffer framebuffer;

void console_screen_init(const struct boot_framebuffer *fb)
{
    framebuffer = *fb;
    if (screen_console_init(fb))
        log_add_console(&screen);
}

void console_choose(const struct console_choice *choice)
{
    if (choice->every) {
        for (unsigned i = 1; i < choice->port_count; i++)
            serial_add(choice->ports[i]); /* COM1 is on since entry; the others quietly, if they answer */
        return;
    }
    serial_reset();
    unsigned answered = 0;
    for (unsigned i = 0; i < choice->port_count; i++) {
        if (serial_add(choice->ports[i]))
            answered++;
        else
            log_warn("console: no UART answers at port 0x%x", choice->ports[i]);
    }
    if (choice->port_count && !answered)
        log_warn("console: no UART of console= answers: writing to the 0xE9 debug port");
    if (!choice->screen)
        screen_console_disable();
    else if (!screen_console_present())
        log_warn("console: fb named, but GRUB set up no usable framebuffer (see docs/bare-metal.md)");
}

void console_screen_attach(void)
{
    if (!screen_console_present())
        return;
    int err = screen_console_attach();
    if (err) {
        log_warn("screen: cannot map the framebuffer at 0x%lx (%s): no screen console", framebuffer.phys,
                 error_name(err));
        return;
    }
    uint32_t columns, rows, scale;
    screen_console_geometry(&columns, &rows, &scale);
    if (framebuffer.kind == BOOT_FB_EGA_TEXT)
        log_info("screen: EGA text %ux%u at 0x%lx", columns, rows, framebuffer.phys);
    else
        log_info("screen: %ux%u, %u bits per pixel at 0x%lx (write-combining): %ux%u characters, font %ux",
                 framebuffer.width, framebuffer.height, framebuffer.bits_per_pixel, framebuffer.phys, columns,
                 rows, scale);
}

void console_screen_handover(const char *owner)
{
    if (!screen_console_drawing())
        return;
    uint16_t ports[4];
    unsigned count = serial_ports(ports, ARRAY_SIZE(ports));
    char where[96];
    size_t used = 0;
    where[0] = '\0';
    for (unsigned i = 0; i < count && used < sizeof where; i++)
        used += (size_t)format(where + used, sizeof where - used, "%sthe UART at 0x%x", i ? " and " : "",
                               ports[i]);
    if (count == 0)
        format(where, sizeof where, "the 0xE9 debug port only");
    log_info("screen: %s takes the display: vmxroot stops drawing on it; its log goes on on %s", owner,
             where);
    log_with_console_lock(screen_console_release); /* between two lines, never inside one */
    log_info("screen: released to %s (a panic takes it back)", owner);
}
