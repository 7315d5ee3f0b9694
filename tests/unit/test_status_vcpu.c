// host-sources: core/status_page.c core/status_record.c core/status_area.c core/status_block.c core/status_log_ring.c core/status_crc32c.c core/status_vcpu_table.c core/lib/status_vcpu_exits.c core/lib/format.c
/*
 * The vCPU records of the 1.1 status area (core/status_vcpu_table.c): exit
 * counts by basic reason in slots as the exit path keeps them
 * (core/lib/status_vcpu_exits.h) and the record shows them, the last exit, entry failures by name,
 * states with their reason, the rate limit (a running vCPU writes its record
 * at most once per interval of TSC time, and a flush or a state change
 * carries every count), the panic path past a held lock, and a vCPU writer
 * thread against a lock-free reader (no torn read is ever accepted).
 */
#include <pthread.h>
#include <sched.h>
#include "core/lib/error.h"
#include "core/status_area.h"
#include "core/status_block.h"
#include "core/status_vcpu_table.h"
#include "tests/unit/check.h"

#define CPUS 4
#define INTERVAL_TSC 1000u

static uint8_t area[8 * 4096] ALIGNED(4096);
static struct status_vcpu_counts counts[CPUS];
static struct status_vcpu_exits exits[CPUS];
static struct status_vcpu_table table;

/* One exit of cpu's vCPU as vcpu_run counts it: into its own counts, the record written when due. */
static bool exit_on(uint32_t cpu, uint32_t exit_reason, uint64_t qualification, uint64_t guest_rip,
                    uint64_t now_tsc)
{
    if (!status_vcpu_exits_count(&exits[cpu], exit_reason, qualification, guest_rip, now_tsc))
        return false;
    status_vcpu_table_exits_due(&table, cpu, now_tsc);
    return true;
}

static struct status_page *fresh_area(uint64_t interval_tsc)
{
    struct status_page *page = (struct status_page *)area;
    struct status_area_size size;
    CHECK_EQ(status_area_size_for(CPUS, &size), 0);
    CHECK(size.area_page_count * 4096u <= sizeof area);
    CHECK_EQ(status_init_area(page, 0x7f000, CPUS, 4000), 0);
    CHECK_EQ(status_vcpu_table_init(&table, page, counts, interval_tsc), 0);
    for (uint32_t cpu = 0; cpu < CPUS; cpu++) {
        status_vcpu_exits_init(&exits[cpu]);
        status_vcpu_table_attach_exits(&table, cpu, &exits[cpu]);
    }
    return page;
}

static bool record_ok(const struct status_vcpu_record *record)
{
    return record && record->generation % 2 == 0 &&
           status_block_checksum(record, STATUS_VCPU_RECORD_BYTES) == record->checksum;
}

/* What every consistent record must satisfy: the slots and "other" add up to the total. */
static bool counts_add_up(const struct status_vcpu_record *record)
{
    uint64_t sum = record->exit_count_other;
    for (uint32_t slot = 0; slot < record->exit_slots_used && slot < STATUS_EXIT_SLOTS; slot++)
        sum += record->exit_slot_count[slot];
    return sum == record->exit_count_total;
}

TEST(init_publishes_every_vcpu_not_launched)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    for (uint32_t cpu = 0; cpu < CPUS; cpu++) {
        const struct status_vcpu_record *record = status_vcpu_record(page, cpu);
        CHECK(record_ok(record)); /* NULL fails it */
        if (!record)
            continue;
        CHECK_EQ(record->index, cpu);
        CHECK_EQ(record->state, STATUS_VCPU_NOT_LAUNCHED);
        CHECK_EQ(record->publish_count, 1);
    }
    CHECK(status_vcpu_record(page, CPUS) == NULL);
    struct status_vcpu_table none;
    static uint8_t plain[4096] ALIGNED(4096);
    CHECK_EQ(status_init_pages((struct status_page *)plain, 0x1000, 1), 0);
    CHECK_EQ(status_vcpu_table_init(&none, (struct status_page *)plain, counts, 1), E_STATE);
}

TEST(exits_are_counted_by_basic_reason_in_first_use_order)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    status_vcpu_table_state(&table, 1, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 100);
    uint32_t reasons[] = { 10, 10, 31, 30, 10, 0x80000021u /* entry failure, basic 33 */, 12 };
    for (uint32_t i = 0; i < ARRAY_SIZE(reasons); i++)
        exit_on(1, reasons[i], 0x100 + i, 0xfff0 + i, 200 + i);
    status_vcpu_table_flush(&table, 1, 300);
    const struct status_vcpu_record *record = status_vcpu_record(page, 1);
    CHECK(record_ok(record));
    CHECK_EQ(record->state, STATUS_VCPU_RUNNING);
    CHECK_EQ(record->exit_count_total, 7);
    CHECK_EQ(record->exit_slots_used, 5);
    CHECK_EQ(record->exit_slot_reason[0], 10);
    CHECK_EQ(record->exit_slot_reason[1], 31);
    CHECK_EQ(record->exit_slot_reason[2], 30);
    CHECK_EQ(record->exit_slot_reason[3], 33);
    CHECK_EQ(record->exit_slot_reason[4], 12);
    CHECK_EQ(status_vcpu_record_exit_count(record, 10), 3);
    CHECK_EQ(status_vcpu_record_exit_count(record, 33), 1);
    CHECK_EQ(status_vcpu_record_exit_count(record, 55), 0);
    CHECK_EQ(record->last_exit_reason, 12);
    CHECK_EQ(record->last_exit_qualification, 0x106);
    CHECK_EQ(record->last_exit_guest_rip, 0xfff6);
    CHECK_EQ(record->published_tsc, 206);
    CHECK(counts_add_up(record));
    /* Other CPUs' records are untouched. */
    CHECK_EQ(status_vcpu_record(page, 0)->exit_count_total, 0);
    CHECK_EQ(status_vcpu_record(page, 0)->publish_count, 1);
}

TEST(reasons_past_the_slots_count_as_other)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    for (uint32_t reason = 0; reason < STATUS_EXIT_SLOTS + 5; reason++)
        exit_on(2, reason, 0, 0, 10);
    exit_on(2, 300, 0, 0, 11); /* beyond what a u8 slot can name */
    exit_on(2, 3, 0, 0, 12);   /* has a slot */
    status_vcpu_table_flush(&table, 2, 13);
    const struct status_vcpu_record *record = status_vcpu_record(page, 2);
    CHECK_EQ(record->exit_slots_used, STATUS_EXIT_SLOTS);
    CHECK_EQ(record->exit_count_other, 6);
    CHECK_EQ(record->exit_count_total, STATUS_EXIT_SLOTS + 7);
    CHECK_EQ(status_vcpu_record_exit_count(record, 3), 2);
    CHECK_EQ(record->exit_slot_reason[STATUS_EXIT_SLOTS - 1], STATUS_EXIT_SLOTS - 1);
    CHECK(counts_add_up(record));
}

TEST(exits_publish_at_most_once_per_interval)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    const struct status_vcpu_record *record = status_vcpu_record(page, 0);
    status_vcpu_table_state(&table, 0, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 0);
    uint32_t before = record->publish_count, published = 0;
    /* 100 exits per interval for 20 intervals: at most one write per interval. */
    for (uint64_t tsc = 1; tsc <= 20 * INTERVAL_TSC; tsc += 10) {
        published += exit_on(0, 10, 0, tsc, tsc);
        /* What the page shows is never older than one interval. */
        CHECK(exits[0].total - record->exit_count_total <= INTERVAL_TSC / 10);
        CHECK(tsc - record->published_tsc <= INTERVAL_TSC || record->exit_count_total == 0);
    }
    CHECK_EQ(record->publish_count - before, published);
    CHECK(published >= 19 && published <= 20);
    CHECK(record_ok(record));
    CHECK(record->exit_count_total < 2000);
    /* The flush carries the rest: nothing counted is lost. */
    status_vcpu_table_flush(&table, 0, 20 * INTERVAL_TSC + 1);
    CHECK_EQ(record->exit_count_total, 2000);
    CHECK_EQ(status_vcpu_record_exit_count(record, 10), 2000);
    /* A flush with nothing new writes nothing. */
    uint32_t after_flush = record->publish_count;
    status_vcpu_table_flush(&table, 0, 20 * INTERVAL_TSC + 2);
    CHECK_EQ(record->publish_count, after_flush);
}

TEST(a_state_change_publishes_at_once_with_every_count)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    const struct status_vcpu_record *record = status_vcpu_record(page, 3);
    status_vcpu_table_state(&table, 3, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 5000);
    exit_on(3, 10, 0, 0x1000, 5001); /* the first exit is due: nothing since TSC 0 */
    exit_on(3, 12, 0, 0x1002, 5002); /* HLT: within the interval, not written */
    CHECK_EQ(record->exit_count_total, 1);
    status_vcpu_table_state(&table, 3, STATUS_VCPU_HALTED, STATUS_VCPU_REASON_HLT, "hlt", 5003);
    CHECK_EQ(record->state, STATUS_VCPU_HALTED);
    CHECK_EQ(record->reason, STATUS_VCPU_REASON_HLT);
    CHECK_STR(record->reason_text, "hlt");
    CHECK_EQ(record->exit_count_total, 2);
    CHECK_EQ(record->last_exit_guest_rip, 0x1002);
    CHECK(record_ok(record));
    /* The text keeps its first 31 bytes and a NUL; a shorter one later leaves no tail behind. */
    status_vcpu_table_state(&table, 3, STATUS_VCPU_STOPPED, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                            "exit 'RDPMC' (15) has no handler in vmxroot", 5004);
    CHECK_EQ(strlen(record->reason_text), STATUS_REASON_TEXT_BYTES - 1);
    CHECK(strncmp(record->reason_text, "exit 'RDPMC' (15) has no handle", 31) == 0);
    status_vcpu_table_state(&table, 3, STATUS_VCPU_STOPPED, STATUS_VCPU_REASON_TRIPLE_FAULT, "triple", 5005);
    CHECK_STR(record->reason_text, "triple");
    CHECK_EQ(record->reason_text[STATUS_REASON_TEXT_BYTES - 1], 0);
    status_vcpu_table_state(&table, 3, STATUS_VCPU_STOPPED, STATUS_VCPU_REASON_TRIPLE_FAULT, NULL, 5006);
    CHECK_STR(record->reason_text, "");
}

TEST(entry_failures_keep_the_name_field_and_value)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    const struct status_vcpu_record *record = status_vcpu_record(page, 0);
    struct status_entry_failure refused = {
        .kind = STATUS_ENTRY_FAILURE_INVALID_GUEST_STATE,
        .flags = STATUS_ENTRY_REFUSED_BY_CHECK | STATUS_ENTRY_NAMED_BY_CHECK,
        .number = 33,
        .field_encoding = 0x681e, /* guest RIP */
        .value = 0x8000000000000000ull,
        .name = "RIP: bits 63:N must be identical (N = linear-address width) in 64-bit mode",
    };
    status_vcpu_table_entry_failure(&table, 0, &refused, 77);
    CHECK(record_ok(record));
    CHECK_EQ(record->entry_failure_count, 1);
    CHECK_EQ(record->entry_failure_kind, STATUS_ENTRY_FAILURE_INVALID_GUEST_STATE);
    CHECK_EQ(record->entry_failure_flags, 3);
    CHECK_EQ(record->entry_failure_number, 33);
    CHECK_EQ(record->entry_failure_field, 0x681e);
    CHECK_EQ(record->entry_failure_value, 0x8000000000000000ull);
    CHECK_EQ(strlen(record->entry_failure_name), STATUS_ENTRY_FAILURE_NAME_BYTES - 1);
    CHECK(strncmp(record->entry_failure_name, refused.name, STATUS_ENTRY_FAILURE_NAME_BYTES - 1) == 0);
    struct status_entry_failure vmfail = { .kind = STATUS_ENTRY_FAILURE_VMFAIL_VALID,
                                           .number = 8,
                                           .name = "entry-invalid-host-state" };
    status_vcpu_table_entry_failure(&table, 0, &vmfail, 78);
    CHECK_EQ(record->entry_failure_count, 2);
    CHECK_EQ(record->entry_failure_kind, STATUS_ENTRY_FAILURE_VMFAIL_VALID);
    CHECK_EQ(record->entry_failure_flags, 0);
    CHECK_EQ(record->entry_failure_field, 0);
    CHECK_STR(record->entry_failure_name, "entry-invalid-host-state");
    status_vcpu_table_entry_failure(&table, 0, NULL, 79); /* ignored */
    CHECK_EQ(record->entry_failure_count, 2);
}

TEST(a_cpu_beyond_the_table_is_ignored)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    uint32_t generation = page->header.generation;
    status_vcpu_table_state(&table, CPUS, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, "x", 1);
    struct status_vcpu_exits beyond;
    status_vcpu_exits_init(&beyond);
    status_vcpu_table_attach_exits(&table, CPUS, &beyond); /* ignored: never due */
    CHECK(!status_vcpu_exits_count(&beyond, 10, 0, 0, 1 << 30));
    status_vcpu_table_exits_due(&table, CPUS, 1 << 30);
    status_vcpu_table_flush(&table, 1000, 1);
    status_vcpu_table_state(NULL, 0, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, "x", 1);
    CHECK_EQ(page->header.generation, generation);
    for (uint32_t cpu = 0; cpu < CPUS; cpu++)
        CHECK_EQ(status_vcpu_record(page, cpu)->publish_count, 1);
}

TEST(counts_no_publisher_attached_are_never_due)
{
    struct status_vcpu_exits alone;
    status_vcpu_exits_init(&alone);
    for (uint64_t tsc = 0; tsc < 4; tsc++)
        CHECK(!status_vcpu_exits_count(&alone, 10, 0, 0, tsc << 62));
    CHECK(!status_vcpu_exits_count(&alone, 10, 0, 0, 0)); /* nor a TSC that went backwards */
    CHECK_EQ(alone.total, 5);
    CHECK_EQ(alone.slots_used, 1);
    CHECK_EQ(alone.slot_count[0], 5);
}

TEST(a_vcpu_created_again_attaches_counts_of_its_own)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    const struct status_vcpu_record *record = status_vcpu_record(page, 1);
    exit_on(1, 30, 0, 0, 10);
    exit_on(1, 10, 0, 0, 11);
    status_vcpu_table_flush(&table, 1, 12);
    CHECK_EQ(record->exit_slots_used, 2);
    /* A second vCPU on CPU 1 (the VM-entry selftest's, then the guest's): its counts from zero. */
    struct status_vcpu_exits second;
    status_vcpu_exits_init(&second);
    status_vcpu_table_attach_exits(&table, 1, &second);
    CHECK(status_vcpu_exits_count(&second, 12, 0, 0x40, 5013)); /* its first exit is due: nothing since 0 */
    status_vcpu_table_exits_due(&table, 1, 5013);
    CHECK(record_ok(record));
    CHECK_EQ(record->exit_count_total, 1);
    CHECK_EQ(record->exit_slots_used, 1);
    CHECK_EQ(record->exit_slot_reason[0], 12);
    CHECK_EQ(record->exit_slot_count[0], 1);
    CHECK_EQ(record->last_exit_guest_rip, 0x40);
    CHECK(counts_add_up(record));
    status_vcpu_table_attach_exits(&table, 1, &exits[1]); /* the static counts again, for later tests */
}

TEST(panic_publishes_past_a_held_vcpu_lock)
{
    struct status_page *page = fresh_area(INTERVAL_TSC);
    const struct status_vcpu_record *record = status_vcpu_record(page, 2);
    status_vcpu_table_state(&table, 2, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 10);
    for (int i = 0; i < 5; i++)
        exit_on(2, 30, 0x3f8, 0x2000, 11 + (uint64_t)i);
    /* CPU 2 stopped inside a publish: its lock held, its record's generation odd. */
    spin_lock(&counts[2].lock);
    status_block_write_begin(&status_vcpu_record(page, 2)->generation);
    status_vcpu_table_flush_all_forced(&table);
    CHECK(record_ok(record));
    CHECK_EQ(record->exit_count_total, 5);
    CHECK_EQ(status_vcpu_record_exit_count(record, 30), 5);
    /* Records with nothing unpublished are left alone. */
    CHECK_EQ(status_vcpu_record(page, 1)->publish_count, 1);
    spin_unlock(&counts[2].lock);
    /* CPU 3 stopped inside a state change's write: nothing left unpublished, but the record is torn. */
    status_vcpu_table_state(&table, 3, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, NULL, 20);
    spin_lock(&counts[3].lock);
    status_block_write_begin(&status_vcpu_record(page, 3)->generation);
    status_vcpu_record(page, 3)->state = 0x5a; /* half-written */
    CHECK_EQ(counts[3].published_total, exits[3].total);
    status_vcpu_table_flush_all_forced(&table);
    CHECK(record_ok(status_vcpu_record(page, 3)));
    CHECK_EQ(status_vcpu_record(page, 3)->state, STATUS_VCPU_RUNNING);
    spin_unlock(&counts[3].lock);
}

/* --- one vCPU writing, a reader that takes no lock ----------------------------- */

static volatile bool writer_done;
#define WRITER_EXITS 200000

static void *vcpu_thread(void *arg)
{
    (void)arg;
    status_vcpu_table_state(&table, 1, STATUS_VCPU_RUNNING, STATUS_VCPU_REASON_NONE, "running", 1);
    for (uint64_t i = 0; i < WRITER_EXITS; i++)
        exit_on(1, (uint32_t)(i % 40), i, i, 2 + i); /* due every 4th exit */
    status_vcpu_table_state(&table, 1, STATUS_VCPU_STOPPED, STATUS_VCPU_REASON_GUEST_PASSED, "done", 1);
    writer_done = true;
    return NULL;
}

struct reader_result {
    int consistent;
    int refused;
    int bad; /* a read the protocol accepted whose counts do not add up */
};

/* The reader of docs/status-page.md for one record: generation, copy, generation, checksum. */
static void *reader_thread(void *arg)
{
    struct reader_result *result = arg;
    const struct status_vcpu_record *shared = status_vcpu_record((struct status_page *)area, 1);
    struct status_vcpu_record copy;
    while (!writer_done) {
        uint32_t first = __atomic_load_n(&shared->generation, __ATOMIC_ACQUIRE);
        memcpy(&copy, (const void *)shared, sizeof copy);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t second = __atomic_load_n(&shared->generation, __ATOMIC_RELAXED);
        if (first % 2 || first != second ||
            status_block_checksum(&copy, STATUS_VCPU_RECORD_BYTES) != copy.checksum) {
            result->refused++;
            sched_yield();
            continue;
        }
        result->consistent++;
        result->bad += !counts_add_up(&copy);
    }
    return NULL;
}

TEST(a_reader_never_accepts_a_torn_record)
{
    fresh_area(4);
    writer_done = false;
    struct reader_result result = { 0, 0, 0 };
    pthread_t writer, reader;
    pthread_create(&reader, NULL, reader_thread, &result);
    pthread_create(&writer, NULL, vcpu_thread, NULL);
    pthread_join(writer, NULL);
    pthread_join(reader, NULL);
    const struct status_vcpu_record *record = status_vcpu_record((struct status_page *)area, 1);
    CHECK(record_ok(record));
    CHECK_EQ(record->exit_count_total, WRITER_EXITS);
    CHECK_EQ(record->exit_slots_used, 32);
    CHECK(counts_add_up(record));
    CHECK_EQ(result.bad, 0);
    printf("  vcpu reader: %d consistent, %d refused reads while %u publishes ran\n", result.consistent,
           result.refused, record->publish_count);
}
