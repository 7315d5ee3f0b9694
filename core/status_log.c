/* The log ring as a console of the log (core/status_log.h). */
#include "core/status_log.h"
#include "core/status_area.h"
#include "core/status_log_ring.h"
#include "core/lib/log.h"

static struct status_log_ring *ring;
static volatile bool ring_paused;

/* Called under the console lock (core/lib/log.c): one writer at a time. */
static void ring_write(const char *line, size_t length_bytes)
{
    if (ring && !ring_paused)
        status_log_ring_append(ring, line, length_bytes);
}

static const struct log_console ring_console = { .write = ring_write };

void status_log_attach(struct status_page *page)
{
    ring = status_log_ring_of(page);
    if (ring)
        log_add_console(&ring_console);
}

void status_log_pause(bool paused) { ring_paused = paused; }
