// host-sources: core/status_log_ring.c core/status_area.c core/status_block.c core/status_page.c core/status_record.c core/status_crc32c.c core/status_vcpu_table.c core/lib/format.c
/*
 * The status page's log ring (core/status_log_ring.c): an empty ring, lines
 * in order, the oldest pushed out after 31, the newline left out, a long line
 * cut and counted, the seqlock and CRC-32C after every write, and its place
 * in a 1.2 area (the last page, named by the header, inside area_page_count).
 */
#include "core/lib/error.h"
#include "core/status_area.h"
#include "core/status_block.h"
#include "core/status_log_ring.h"
#include "tests/unit/check.h"

static uint8_t ring_page[STATUS_LOG_RING_BYTES] ALIGNED(4096);

static struct status_log_ring *fresh_ring(void)
{
    memset(ring_page, 0xa5, sizeof ring_page);
    struct status_log_ring *ring = (struct status_log_ring *)ring_page;
    status_log_ring_init(ring);
    return ring;
}

static bool ring_consistent(const struct status_log_ring *ring)
{
    return ring->generation % 2 == 0 &&
           status_block_checksum(ring, STATUS_LOG_RING_COVERED_BYTES) == ring->checksum;
}

static void append(struct status_log_ring *ring, const char *text)
{
    status_log_ring_append(ring, text, strlen(text));
}

TEST(an_empty_ring_is_consistent_and_holds_no_line)
{
    struct status_log_ring *ring = fresh_ring();
    CHECK_EQ(STATUS_LOG_LINES, 31);
    CHECK_EQ(ring->line_slots, 31);
    CHECK_EQ(ring->line_size_bytes, 128);
    CHECK_EQ(ring->line_count, 0);
    CHECK_EQ(ring->generation, 0);
    CHECK(ring_consistent(ring));
    CHECK(status_log_ring_line(ring, 0) == NULL);
    /* The 0xa5 fill is gone from the whole page, past the slots too. */
    CHECK_EQ(ring_page[STATUS_LOG_RING_BYTES - 1], 0);
    CHECK_EQ(ring_page[STATUS_LOG_RING_COVERED_BYTES - 1], 0);
}

TEST(lines_go_in_order_without_their_newline)
{
    struct status_log_ring *ring = fresh_ring();
    status_log_ring_append(ring, "cpu0: vmxroot: ready cpus=1/1\n", 30);
    CHECK(ring_consistent(ring));
    CHECK_EQ(ring->generation, 2);
    CHECK_EQ(ring->line_count, 1);
    CHECK_STR(status_log_ring_line(ring, 0), "cpu0: vmxroot: ready cpus=1/1");
    append(ring, "cpu0: second\r\n");
    append(ring, "cpu1: third"); /* no newline at all: kept as it is */
    CHECK(ring_consistent(ring));
    CHECK_EQ(ring->generation, 6);
    CHECK_STR(status_log_ring_line(ring, 0), "cpu1: third");
    CHECK_STR(status_log_ring_line(ring, 1), "cpu0: second");
    CHECK_STR(status_log_ring_line(ring, 2), "cpu0: vmxroot: ready cpus=1/1");
    CHECK(status_log_ring_line(ring, 3) == NULL);
    /* A shorter line in a slot that held a longer one leaves no byte of the old one. */
    for (int i = 0; i < 31; i++)
        append(ring, "x");
    const char *slot = status_log_ring_line(ring, 0);
    for (unsigned i = 1; i < STATUS_LOG_LINE_BYTES; i++)
        CHECK_EQ(slot[i], 0);
    CHECK_EQ(ring->cut_count, 0);
}

TEST(the_oldest_line_goes_after_31)
{
    struct status_log_ring *ring = fresh_ring();
    char text[32];
    for (int i = 0; i < 100; i++) {
        snprintf(text, sizeof text, "cpu0: line %d\n", i);
        append(ring, text);
        CHECK(ring_consistent(ring));
    }
    CHECK_EQ(ring->line_count, 100);
    CHECK_STR(status_log_ring_line(ring, 0), "cpu0: line 99");
    CHECK_STR(status_log_ring_line(ring, 30), "cpu0: line 69");
    CHECK(status_log_ring_line(ring, 31) == NULL); /* line 68 is gone */
    /* The newest is in slot (line_count - 1) % slots, as the document tells a reader. */
    CHECK_STR(ring->lines[(ring->line_count - 1) % ring->line_slots].text, "cpu0: line 99");
}

TEST(a_long_line_is_cut_to_its_slot_and_counted)
{
    struct status_log_ring *ring = fresh_ring();
    char text[400];
    memset(text, 'a', sizeof text);
    status_log_ring_append(ring, text, sizeof text);
    CHECK_EQ(ring->cut_count, 1);
    CHECK(ring_consistent(ring));
    const char *slot = status_log_ring_line(ring, 0);
    CHECK(memcmp(slot, text, STATUS_LOG_LINE_BYTES) == 0); /* fills its slot: no NUL */
    append(ring, "cpu0: next");
    CHECK_STR(status_log_ring_line(ring, 0), "cpu0: next"); /* the cut line did not run into the next slot */
    CHECK(memcmp(status_log_ring_line(ring, 1), text, STATUS_LOG_LINE_BYTES) == 0);
    /* Exactly a slot long is not cut. */
    status_log_ring_append(ring, text, STATUS_LOG_LINE_BYTES);
    CHECK_EQ(ring->cut_count, 1);
    status_log_ring_append(ring, "", 0);
    CHECK_STR(status_log_ring_line(ring, 0), "");
    CHECK(ring_consistent(ring));
}

TEST(a_torn_write_shows_in_the_generation_and_the_checksum)
{
    struct status_log_ring *ring = fresh_ring();
    append(ring, "cpu0: one");
    status_block_write_begin(&ring->generation); /* a writer stopped inside (a panic on another CPU) */
    CHECK(!ring_consistent(ring));
    ring->lines[0].text[0] = 'X';
    ring->generation++; /* even again, but the bytes changed under the old checksum */
    CHECK(!ring_consistent(ring));
    append(ring, "cpu0: two"); /* the next write makes it whole again */
    CHECK(ring_consistent(ring));
}

#define AREA_PAGES 16u
static uint8_t area[AREA_PAGES * 4096] ALIGNED(4096);

TEST(the_ring_is_the_last_page_of_a_1_2_area)
{
    memset(area, 0xa5, sizeof area);
    struct status_page *page = (struct status_page *)area;
    CHECK_EQ(status_init_area(page, 0x7f000, 4, 4000), 0);
    const struct status_header *header = &page->header;
    CHECK_EQ(header->version_minor, 2);
    CHECK_EQ(header->area_page_count, 3); /* 1.0 page, guest blocks, ring */
    CHECK_EQ(header->log_ring_offset, 2 * 4096);
    CHECK_EQ(header->log_ring_size_bytes, 4096);
    CHECK_EQ(status_checksum(page), header->checksum); /* the new header fields are under the checksum */
    struct status_log_ring *ring = status_log_ring_of(page);
    CHECK((uint8_t *)ring == area + 2 * 4096);
    CHECK(ring_consistent(ring));
    CHECK_EQ(ring->line_slots, 31);
    append(ring, "cpu0: in the area");
    CHECK_STR(status_log_ring_line(ring, 0), "cpu0: in the area");
    /* The vCPU records before it are untouched. */
    for (uint32_t i = 0; i < 4; i++)
        CHECK_EQ(status_block_checksum(status_vcpu_record(page, i), 320),
                 status_vcpu_record(page, i)->checksum);
    /* Every CPU count puts the ring in the last page, after the vCPU records. */
    uint32_t cpu_counts[] = { 1, 15, 64, 255, 4096 };
    for (size_t i = 0; i < ARRAY_SIZE(cpu_counts); i++) {
        struct status_area_size size;
        CHECK_EQ(status_area_size_for(cpu_counts[i], &size), 0);
        CHECK_EQ(size.log_ring_offset, (size.area_page_count - 1) * 4096);
        CHECK(size.vcpu_area_offset + cpu_counts[i] * 320 <= size.log_ring_offset);
    }
    CHECK(status_log_ring_of(NULL) == NULL);
}
