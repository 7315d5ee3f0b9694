// host-sources: core/status_page.c core/status_record.c core/lib/format.c
/*
 * The status page writer (the 1.0 part; the layout is checked against the
 * doc by test_status_layout.c, the 1.1 blocks by test_status_area.c and
 * test_status_vcpu.c): the seqlock generation, the checksum, the setters,
 * several pages, the hex dump, and writers on several threads against a
 * lock-free reader.
 */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include "core/lib/error.h"
#include "core/status_page.h"
#include "tests/unit/check.h"

static struct status_page one_page;
static uint8_t four_pages[4 * 4096] ALIGNED(4096);

/* --- set-up, generation, checksum ---------------------------------------- */

static bool checksum_ok(const struct status_page *page)
{
    return status_checksum(page) == page->header.checksum;
}

TEST(crc32_is_zlibs)
{
    CHECK_EQ(status_crc32(0, "123456789", 9), 0xCBF43926u);
    CHECK_EQ(status_crc32(0, "", 0), 0);
    /* Chained calls give the CRC of the concatenation, as zlib.crc32(b, crc) does. */
    CHECK_EQ(status_crc32(status_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

TEST(init_writes_a_valid_empty_page)
{
    memset(&one_page, 0xa5, sizeof one_page);
    status_init(&one_page, 0x1f000);
    const struct status_header *header = &one_page.header;
    CHECK(memcmp(header, "VMXROOT", 8) == 0);
    CHECK_EQ(header->magic, STATUS_MAGIC);
    CHECK_EQ(header->version_major, 1);
    CHECK_EQ(header->version_minor, 2);
    CHECK_EQ(header->header_size_bytes, 512);
    CHECK_EQ(header->record_size_bytes, 56);
    CHECK_EQ(header->record_count, 0);
    CHECK_EQ(header->page_count, 1);
    CHECK_EQ(header->generation, 0);
    CHECK_EQ(header->page_phys, 0x1f000);
    CHECK_EQ(header->checksum_bytes, 512);
    CHECK(checksum_ok(&one_page));
    CHECK_EQ(one_page.cpus[63].apic_id, 0); /* the 0xa5 fill is gone */
    CHECK_EQ(status_cpu_capacity(&one_page), 64);
}

TEST(init_refuses_bad_arguments)
{
    CHECK_EQ(status_init_pages(NULL, 0x1000, 1), E_INVAL);
    CHECK_EQ(status_init_pages(&one_page, 0x1234, 1), E_INVAL);
    CHECK_EQ(status_init_pages(&one_page, 0x1000, 0), E_INVAL);
    CHECK_EQ(status_init_pages(&one_page, 0x1000, STATUS_MAX_PAGES + 1), E_INVAL);
    CHECK_EQ(status_init_pages((struct status_page *)(four_pages + 8), 0x1000, 1), E_INVAL);
}

TEST(every_write_moves_the_generation_by_two)
{
    status_init(&one_page, 0x1f000);
    status_set_boot_phase(&one_page, STATUS_PHASE_SMP);
    CHECK_EQ(one_page.header.generation, 2);
    status_write_begin(&one_page);
    CHECK_EQ(one_page.header.generation, 3); /* odd while inside */
    one_page.header.tsc_khz = 2000000;
    status_write_end(&one_page);
    CHECK_EQ(one_page.header.generation, 4);
    CHECK(checksum_ok(&one_page));
    status_set_cpu_totals(&one_page, 4, 3, 2);
    status_set_tsc_khz(&one_page, 2400000);
    status_set_bringup_time_us(&one_page, 1234);
    status_set_entry_to_ready_us(&one_page, 56789);
    status_set_memory_per_cpu(&one_page, 45056);
    status_set_boot_flags(&one_page, STATUS_BOOT_UEFI | STATUS_BOOT_X2APIC);
    status_set_vmcs_pool(&one_page, 16, 12, 4);
    struct status_vmx_summary summary = { 0x2b, STATUS_VMX_SUPPORTED | STATUS_VMX_EPT, 0xda04000000002bull,
                                          0 };
    status_set_vmx_summary(&one_page, &summary);
    CHECK_EQ(one_page.header.generation, 20);
    CHECK(checksum_ok(&one_page));
    CHECK_EQ(one_page.header.cpus_online, 3);
    CHECK_EQ(one_page.header.vmx_basic_msr, 0xda04000000002bull);
    CHECK_EQ(one_page.header.vmcs_pool_free, 12);
}

TEST(checksum_leaves_out_the_generation_and_sees_every_covered_byte)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 0, 0, true), 0);
    uint32_t sum = one_page.header.checksum;
    one_page.header.generation = 12345;
    CHECK_EQ(status_checksum(&one_page), sum);
    uint8_t *bytes = (uint8_t *)&one_page;
    CHECK_EQ(one_page.header.checksum_bytes, 512 + 56);
    bytes[512 + 55] ^= 1; /* last covered byte */
    CHECK(!checksum_ok(&one_page));
    bytes[512 + 55] ^= 1;
    bytes[512 + 56] ^= 1; /* first byte past checksum_bytes: not covered */
    CHECK(checksum_ok(&one_page));
    bytes[512 + 56] ^= 1;
}

TEST(null_page_is_ignored)
{
    status_set_boot_phase(NULL, STATUS_PHASE_READY);
    status_set_cpu_totals(NULL, 1, 1, 1);
    CHECK_EQ(status_cpu_found(NULL, 0, 0, true), E_RANGE);
    CHECK_EQ(status_count_vmclear(NULL, 0), E_RANGE);
}

/* --- per-CPU records ------------------------------------------------------- */

TEST(cpu_records)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 0, 0, true), 0);
    CHECK_EQ(status_cpu_found(&one_page, 3, 6, false), 0);
    CHECK_EQ(one_page.header.record_count, 4);
    CHECK_EQ(one_page.cpus[3].apic_id, 6);
    CHECK_EQ(one_page.cpus[3].index, 3);
    CHECK_EQ(one_page.cpus[3].state, CPU_STATE_FOUND);
    CHECK_EQ(one_page.cpus[0].flags, STATUS_CPU_BOOT);
    CHECK_EQ(status_set_cpu_state(&one_page, 3, CPU_STATE_NO_ANSWER, REASON_NO_SIPI_ANSWER), 0);
    CHECK_EQ(one_page.cpus[3].reason, REASON_NO_SIPI_ANSWER);
    CHECK_EQ(status_set_cpu_vmx(&one_page, 0, 0x2b, true, true), 0);
    CHECK_EQ(one_page.cpus[0].flags, STATUS_CPU_BOOT | STATUS_CPU_VMX_CAPABLE | STATUS_CPU_VMX_ROOT);
    CHECK_EQ(status_set_cpu_vmx(&one_page, 0, 0x2b, true, false), 0);
    CHECK_EQ(one_page.cpus[0].flags, STATUS_CPU_BOOT | STATUS_CPU_VMX_CAPABLE);
    one_page.cpus[0].vmcs_free = 2; /* as an older writer might have left it */
    struct status_vmcs_counts counts = { .active_current = 1, .active_not_current = 0, .launched = 70000 };
    CHECK_EQ(status_set_cpu_vmcs_counts(&one_page, 0, &counts), 0);
    CHECK_EQ(one_page.cpus[0].vmcs_free, 0); /* free and clear are pool-wide: 0 per CPU by definition */
    CHECK_EQ(one_page.cpus[0].vmcs_clear, 0);
    CHECK_EQ(one_page.cpus[0].vmcs_active_current, 1);
    CHECK_EQ(one_page.cpus[0].vmcs_launched, 0xffff); /* saturates */
    CHECK(checksum_ok(&one_page));
}

TEST(index_beyond_capacity_writes_nothing)
{
    status_init(&one_page, 0x1f000);
    uint32_t generation = one_page.header.generation;
    CHECK_EQ(status_cpu_found(&one_page, 64, 64, false), E_RANGE);
    CHECK_EQ(status_count_vmptrld(&one_page, 1000, false), E_RANGE);
    CHECK_EQ(one_page.header.generation, generation);
    CHECK_EQ(one_page.header.record_count, 0);
    CHECK(status_cpu_record(&one_page, 64) == NULL);
    CHECK(status_cpu_record(&one_page, 63) == &one_page.cpus[63]);
}

TEST(counters_and_errors_by_number)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 1, 1, false), 0);
    CHECK_EQ(status_count_vmclear(&one_page, 1), 0);
    CHECK_EQ(status_count_vmptrld(&one_page, 1, false), 0);
    CHECK_EQ(status_count_vmptrld(&one_page, 1, true), 0);
    CHECK_EQ(status_count_vmptrld(&one_page, 1, true), 0);
    CHECK_EQ(status_count_vmfail_invalid(&one_page, 1), 0);
    CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 10), 0);
    CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 11), 0);
    CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 3), 0);
    CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 0), 0);
    CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 99), 0); /* not an SDM number: slot 0 */
    for (int i = 0; i < 20; i++)
        CHECK_EQ(status_count_vmfail_valid(&one_page, 1, 28), 0);
    const struct status_cpu_record *record = &one_page.cpus[1];
    CHECK_EQ(record->vmclear_count, 1);
    CHECK_EQ(record->vmptrld_count, 1);
    CHECK_EQ(record->vmptrld_skipped_count, 2);
    CHECK_EQ(record->vmfail_invalid_count, 1);
    CHECK_EQ(record->vmfail_valid_count, 25);
    CHECK_EQ(status_vm_error_count(record, 10), 1);
    CHECK_EQ(status_vm_error_count(record, 11), 1);
    CHECK_EQ(status_vm_error_count(record, 3), 1);
    CHECK_EQ(status_vm_error_count(record, 0), 2);
    CHECK_EQ(status_vm_error_count(record, 28), 15); /* 4 bits saturate */
    CHECK_EQ(status_vm_error_count(record, 2), 0);
    CHECK_EQ(status_vm_error_count(record, 29), 0);
    /* Nibble placement, as the doc gives it: n even low, n odd high. */
    CHECK_EQ(record->vmfail_valid_by_error[5], 0x11);  /* 10 low = 1, 11 high = 1 */
    CHECK_EQ(record->vmfail_valid_by_error[1], 0x10);  /* 3 high */
    CHECK_EQ(record->vmfail_valid_by_error[14], 0x0f); /* 28 low */
    CHECK(checksum_ok(&one_page));
}

TEST(counters_snapshot)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 2, 4, false), 0);
    struct status_cpu_counters counters = {
        .vmclear = 5, .vmptrld = 7, .vmptrld_skipped = 0x100000000ull, .vmfail_invalid = 2
    };
    counters.vmfail_valid_by_error[9] = 2;
    counters.vmfail_valid_by_error[11] = 100;
    CHECK_EQ(status_set_cpu_counters(&one_page, 2, &counters), 0);
    const struct status_cpu_record *record = &one_page.cpus[2];
    CHECK_EQ(record->vmclear_count, 5);
    CHECK_EQ(record->vmptrld_count, 7);
    CHECK_EQ(record->vmptrld_skipped_count, 0xffffffffu);
    CHECK_EQ(record->vmfail_invalid_count, 2);
    CHECK_EQ(record->vmfail_valid_count, 102);
    CHECK_EQ(status_vm_error_count(record, 9), 2);
    CHECK_EQ(status_vm_error_count(record, 11), 15);
}

TEST(records_continue_into_the_next_pages)
{
    CHECK_EQ(STATUS_PAGES_FOR_CPUS(64), 1);
    CHECK_EQ(STATUS_PAGES_FOR_CPUS(65), 2);
    CHECK_EQ(STATUS_PAGES_FOR_CPUS(255), 4);
    CHECK_EQ(STATUS_PAGES_FOR_CPUS(4096), 57);
    struct status_page *page = (struct status_page *)four_pages;
    CHECK_EQ(status_init_pages(page, 0x200000, 4), 0);
    CHECK_EQ(status_cpu_capacity(page), (4 * 4096 - 512) / 56);
    for (uint32_t cpu = 0; cpu < 255; cpu++)
        CHECK_EQ(status_cpu_found(page, cpu, cpu * 2, cpu == 0), 0);
    CHECK_EQ(page->header.record_count, 255);
    CHECK_EQ(page->header.checksum_bytes, 512 + 255 * 56);
    const struct status_cpu_record *last = (const void *)(four_pages + 512 + 254 * 56);
    CHECK(status_cpu_record(page, 254) == last);
    CHECK_EQ(last->apic_id, 508);
    CHECK(checksum_ok(page));
    four_pages[512 + 254 * 56 + 4] ^= 0x80; /* in the fourth page */
    CHECK(!checksum_ok(page));
    four_pages[512 + 254 * 56 + 4] ^= 0x80;
}

/* --- batched writes --------------------------------------------------------- */

TEST(batch_of_255_cpus_is_one_write)
{
    struct status_page *page = (struct status_page *)four_pages;
    CHECK_EQ(status_init_pages(page, 0x200000, 4), 0);
    struct status_cpu_counters counters = { .vmclear = 4, .vmptrld = 3, .vmfail_invalid = 1 };
    counters.vmfail_valid_by_error[10] = 1;
    struct status_vmcs_counts counts = { .active_current = 1, .active_not_current = 2 };
    status_write_begin(page);
    for (uint32_t cpu = 0; cpu < 255; cpu++) {
        CHECK_EQ(status_record_found(page, cpu, cpu * 2, cpu == 0), 0);
        CHECK_EQ(status_record_state(page, cpu, CPU_STATE_ONLINE, REASON_NONE), 0);
        CHECK_EQ(status_record_vmx(page, cpu, 0x2b, true, cpu % 2 == 0), 0);
        CHECK_EQ(status_record_vmcs_counts(page, cpu, &counts), 0);
        CHECK_EQ(status_record_counters(page, cpu, &counters), 0);
    }
    CHECK_EQ(status_record_found(page, 292, 0, false), E_RANGE); /* beyond 4 pages: nothing written */
    page->header.cpus_online = 255;
    CHECK_EQ(page->header.generation, 1); /* odd for the whole batch */
    status_write_end(page);
    CHECK_EQ(page->header.generation, 2);
    CHECK_EQ(page->header.record_count, 255);
    CHECK_EQ(page->header.checksum_bytes, 512 + 255 * 56);
    CHECK(checksum_ok(page));
    const struct status_cpu_record *record = status_cpu_record(page, 254);
    CHECK_EQ(record->apic_id, 508);
    CHECK_EQ(record->state, CPU_STATE_ONLINE);
    CHECK_EQ(record->flags, STATUS_CPU_VMX_CAPABLE | STATUS_CPU_VMX_ROOT);
    CHECK_EQ(record->vmcs_active_not_current, 2);
    CHECK_EQ(record->vmclear_count, 4);
    CHECK_EQ(record->vmfail_valid_count, 1);
    CHECK_EQ(status_vm_error_count(record, 10), 1);
    CHECK_EQ(status_cpu_record(page, 0)->flags,
             STATUS_CPU_BOOT | STATUS_CPU_VMX_CAPABLE | STATUS_CPU_VMX_ROOT);
}

TEST(record_writers_refuse_outside_a_batch)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 0, 0, true), 0);
    uint32_t generation = one_page.header.generation, sum = one_page.header.checksum;
    struct status_vmcs_counts counts = { .active_current = 1 };
    struct status_cpu_counters counters = { .vmclear = 1 };
    CHECK_EQ(status_record_found(&one_page, 1, 1, false), E_STATE);
    CHECK_EQ(status_record_state(&one_page, 0, CPU_STATE_HALTED, REASON_PANIC), E_STATE);
    CHECK_EQ(status_record_vmx(&one_page, 0, 0x2b, true, true), E_STATE);
    CHECK_EQ(status_record_vmcs_counts(&one_page, 0, &counts), E_STATE);
    CHECK_EQ(status_record_counters(&one_page, 0, &counters), E_STATE);
    CHECK_EQ(status_record_state(NULL, 0, CPU_STATE_HALTED, REASON_PANIC), E_RANGE);
    CHECK_EQ(one_page.header.generation, generation);
    CHECK_EQ(one_page.header.record_count, 1);
    CHECK_EQ(one_page.cpus[0].state, CPU_STATE_FOUND);
    CHECK_EQ(one_page.header.checksum, sum);
    CHECK(checksum_ok(&one_page));
}

TEST(setter_and_batch_write_the_same_bytes)
{
    static struct status_page by_setters, by_batch;
    struct status_cpu_counters counters = { .vmclear = 70000, .vmptrld = 2, .vmptrld_skipped = 1 };
    counters.vmfail_valid_by_error[11] = 20;
    struct status_vmcs_counts counts = { .active_current = 1, .launched = 3 };
    status_init(&by_setters, 0x1f000);
    CHECK_EQ(status_cpu_found(&by_setters, 1, 2, false), 0);
    CHECK_EQ(status_set_cpu_state(&by_setters, 1, CPU_STATE_STALLED, REASON_STALLED), 0);
    CHECK_EQ(status_set_cpu_vmx(&by_setters, 1, 0x2b, true, false), 0);
    CHECK_EQ(status_set_cpu_vmcs_counts(&by_setters, 1, &counts), 0);
    CHECK_EQ(status_set_cpu_counters(&by_setters, 1, &counters), 0);
    status_init(&by_batch, 0x1f000);
    status_write_begin(&by_batch);
    CHECK_EQ(status_record_found(&by_batch, 1, 2, false), 0);
    CHECK_EQ(status_record_state(&by_batch, 1, CPU_STATE_STALLED, REASON_STALLED), 0);
    CHECK_EQ(status_record_vmx(&by_batch, 1, 0x2b, true, false), 0);
    CHECK_EQ(status_record_vmcs_counts(&by_batch, 1, &counts), 0);
    CHECK_EQ(status_record_counters(&by_batch, 1, &counters), 0);
    status_write_end(&by_batch);
    CHECK_EQ(by_setters.header.generation, 10);
    CHECK_EQ(by_batch.header.generation, 2);
    CHECK(memcmp(&by_setters.cpus, &by_batch.cpus, sizeof by_batch.cpus) == 0);
    CHECK_EQ(by_setters.header.checksum, by_batch.header.checksum);
}

/* --- hex dump --------------------------------------------------------------- */

struct dump_capture {
    char text[64 * 1024];
    size_t length;
    int lines;
};

static void capture_line(const char *line, void *context)
{
    struct dump_capture *capture = context;
    capture->length += (size_t)snprintf(capture->text + capture->length,
                                        sizeof capture->text - capture->length, "%s\n", line);
    capture->lines++;
}

TEST(hexdump_round_trips)
{
    static struct dump_capture capture;
    static uint8_t rebuilt[4096];
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 0, 0, true), 0);
    status_set_tsc_khz(&one_page, 3000000);
    status_hexdump(&one_page, capture_line, &capture);
    CHECK(strncmp(capture.text, "status-dump begin phys=0x1f000 size=4096 pages=1\n", 49) == 0);
    memset(rebuilt, 0, sizeof rebuilt);
    int hex_lines = 0;
    unsigned reported_lines = 0, reported_crc = 0;
    for (char *line = strtok(capture.text, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned offset, b[16];
        if (sscanf(line, "status: %x: %x %x %x %x %x %x %x %x %x %x %x %x %x %x %x %x", &offset, &b[0], &b[1],
                   &b[2], &b[3], &b[4], &b[5], &b[6], &b[7], &b[8], &b[9], &b[10], &b[11], &b[12], &b[13],
                   &b[14], &b[15]) == 17) {
            if (offset % 16 != 0 || offset + 16 > sizeof rebuilt) {
                CHECK(!"hex line offset inside the page");
                continue;
            }
            for (unsigned i = 0; i < 16; i++)
                rebuilt[offset + i] = (uint8_t)b[i];
            hex_lines++;
        }
        sscanf(line, "status-dump end lines=%u crc32=0x%x", &reported_lines, &reported_crc);
    }
    CHECK(memcmp(rebuilt, &one_page, sizeof rebuilt) == 0);
    CHECK_EQ(hex_lines, reported_lines);
    CHECK(hex_lines < 20); /* the zero lines are left out */
    CHECK_EQ(capture.lines, hex_lines + 2);
    CHECK_EQ(reported_crc, status_crc32(0, &one_page, sizeof one_page));
}

/* --- several writers, one lock-free reader ---------------------------------- */

static volatile bool writers_done;
/* Few threads and rounds: a ticket lock convoys badly when threads outnumber cores. */
#define WRITER_COUNT 2
#define WRITER_ROUNDS 500

static void *writer_thread(void *arg)
{
    uint32_t cpu = (uint32_t)(uintptr_t)arg;
    for (int i = 0; i < WRITER_ROUNDS; i++) {
        CHECK_EQ(status_count_vmptrld(&one_page, cpu, i % 3 == 0), 0);
        if (i % 100 == 0)
            status_set_cpu_totals(&one_page, 4, cpu, (uint32_t)i);
        sched_yield();
    }
    return NULL;
}

/* The reader of docs/status-page.md "Reading protocol": gen, copy, gen. */
static void *reader_thread(void *arg)
{
    static struct status_page copy;
    int *consistent = arg;
    while (!writers_done) {
        uint32_t before = __atomic_load_n(&one_page.header.generation, __ATOMIC_ACQUIRE);
        if (before & 1) {
            sched_yield();
            continue;
        }
        memcpy(&copy, (const void *)&one_page, sizeof copy);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (__atomic_load_n(&one_page.header.generation, __ATOMIC_ACQUIRE) != before)
            continue;
        if (status_checksum(&copy) != copy.header.checksum)
            *consistent = -1000000;
        else
            (*consistent)++;
        sched_yield();
    }
    return NULL;
}

TEST(concurrent_writers_keep_the_page_consistent)
{
    status_init(&one_page, 0x1f000);
    for (uint32_t cpu = 0; cpu < 4; cpu++)
        CHECK_EQ(status_cpu_found(&one_page, cpu, cpu, cpu == 0), 0);
    pthread_t writers[WRITER_COUNT], reader;
    int consistent_reads = 0;
    writers_done = false;
    pthread_create(&reader, NULL, reader_thread, &consistent_reads);
    for (uintptr_t cpu = 0; cpu < WRITER_COUNT; cpu++)
        pthread_create(&writers[cpu], NULL, writer_thread, (void *)cpu);
    for (int cpu = 0; cpu < WRITER_COUNT; cpu++)
        pthread_join(writers[cpu], NULL);
    writers_done = true;
    pthread_join(reader, NULL);
    CHECK(consistent_reads >= 0);
    for (uint32_t cpu = 0; cpu < WRITER_COUNT; cpu++)
        CHECK_EQ(one_page.cpus[cpu].vmptrld_count + one_page.cpus[cpu].vmptrld_skipped_count, WRITER_ROUNDS);
    CHECK_EQ(one_page.header.generation,
             2 * (4 + WRITER_COUNT * WRITER_ROUNDS + WRITER_COUNT * WRITER_ROUNDS / 100));
    CHECK(checksum_ok(&one_page));
    printf("  concurrent: %d consistent reads while %d writers ran\n", consistent_reads, WRITER_COUNT);
}

/* --- after a panic ---------------------------------------------------------------- */

TEST(forced_writer_goes_on_past_a_held_lock)
{
    status_init(&one_page, 0x1f000);
    CHECK_EQ(status_cpu_found(&one_page, 0, 0, true), 0);
    /* A CPU stopped inside its write: lock held, generation odd, a field half-written. */
    status_write_begin(&one_page);
    one_page.cpus[0].apic_id = 99;
    status_force_writer();
    CHECK_EQ(status_set_cpu_state(&one_page, 0, CPU_STATE_HALTED, REASON_PANIC), 0);
    CHECK_EQ(one_page.header.generation % 2, 0);
    CHECK(checksum_ok(&one_page));
    CHECK_EQ(one_page.cpus[0].reason, REASON_PANIC);
    static struct dump_capture capture;
    status_hexdump(&one_page, capture_line, &capture);
    CHECK(strstr(capture.text, "status-dump end") != NULL);
    /* The stopped writer's end, so the lock is free again for the tests that follow. */
    status_write_end(&one_page);
    status_force_writer_reset();
}
