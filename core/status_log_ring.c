/*
 * The log ring of the status page (core/status_log_ring.h): set-up, one line
 * in, one line out. Its seqlock and checksum are the guest blocks' own
 * (core/status_block.h).
 */
#include "core/status_log_ring.h"
#include "core/status_block.h"
#include "core/lib/string.h"

void status_log_ring_init(struct status_log_ring *ring)
{
    memset(ring, 0, STATUS_LOG_RING_BYTES);
    ring->line_slots = (uint16_t)STATUS_LOG_LINES;
    ring->line_size_bytes = (uint16_t)STATUS_LOG_LINE_BYTES;
    ring->checksum = status_block_checksum(ring, STATUS_LOG_RING_COVERED_BYTES); /* generation 0: even */
}

void status_log_ring_append(struct status_log_ring *ring, const char *line, size_t length_bytes)
{
    while (length_bytes && (line[length_bytes - 1] == '\n' || line[length_bytes - 1] == '\r'))
        length_bytes--;
    status_block_write_begin(&ring->generation);
    char *slot = ring->lines[ring->line_count % STATUS_LOG_LINES].text;
    if (length_bytes > STATUS_LOG_LINE_BYTES) {
        length_bytes = STATUS_LOG_LINE_BYTES;
        if (ring->cut_count != UINT32_MAX)
            ring->cut_count++;
    }
    memcpy(slot, line, length_bytes);
    memset(slot + length_bytes, 0, STATUS_LOG_LINE_BYTES - length_bytes);
    ring->line_count++;
    status_block_write_end(ring, STATUS_LOG_RING_COVERED_BYTES);
}

const char *status_log_ring_line(const struct status_log_ring *ring, uint32_t age)
{
    if (age >= STATUS_LOG_LINES || age >= ring->line_count)
        return NULL;
    return ring->lines[(ring->line_count - 1 - age) % STATUS_LOG_LINES].text;
}
