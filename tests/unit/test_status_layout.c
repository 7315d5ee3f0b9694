// host-sources: core/lib/format.c
/*
 * The status area's layout against the status-layout table of
 * docs/status-page.md, the one statement of it: every row names a field of
 * a C structure at the offset and size the C compiler gives it, every C
 * field has a row, and each region's rows run without a gap to its size.
 */
#include "core/status_area.h"
#include "core/status_log_ring.h"
#include "core/status_page.h"
#include "tests/unit/check.h"

struct layout_field {
    const char *region;
    const char *name;
    size_t offset;
    size_t size;
};

#define FIELD(region, type, name)                                                                            \
    {                                                                                                        \
        region, #name, offsetof(type, name), sizeof(((type *)0)->name)                                       \
    }
#define HEADER_FIELD(name) FIELD("header", struct status_header, name)
#define CPU_FIELD(name) FIELD("cpu", struct status_cpu_record, name)
#define MEMBLOCK_FIELD(name) FIELD("memblock", struct status_memory_block, name)
#define RANGE_FIELD(name) FIELD("range", struct status_memory_range, name)
#define VCPU_FIELD(name) FIELD("vcpu", struct status_vcpu_record, name)
#define LOGRING_FIELD(name) FIELD("logring", struct status_log_ring, name)
#define LOGLINE_FIELD(name) FIELD("logline", struct status_log_line, name)

static const struct layout_field c_layout[] = {
    HEADER_FIELD(magic),
    HEADER_FIELD(version_major),
    HEADER_FIELD(version_minor),
    HEADER_FIELD(header_size_bytes),
    HEADER_FIELD(record_size_bytes),
    HEADER_FIELD(record_count),
    HEADER_FIELD(page_count),
    HEADER_FIELD(generation),
    HEADER_FIELD(checksum),
    HEADER_FIELD(checksum_bytes),
    HEADER_FIELD(boot_phase),
    HEADER_FIELD(page_phys),
    HEADER_FIELD(boot_flags),
    HEADER_FIELD(cpus_found),
    HEADER_FIELD(cpus_online),
    HEADER_FIELD(cpus_vmx_root),
    HEADER_FIELD(tsc_khz),
    HEADER_FIELD(vmcs_per_cpu),
    HEADER_FIELD(bringup_time_us),
    HEADER_FIELD(entry_to_ready_us),
    HEADER_FIELD(memory_per_cpu_bytes),
    HEADER_FIELD(vmx_revision_id),
    HEADER_FIELD(vmx_features),
    HEADER_FIELD(vmx_basic_msr),
    HEADER_FIELD(vmx_ept_vpid_cap_msr),
    HEADER_FIELD(vmcs_pool_total),
    HEADER_FIELD(vmcs_pool_free),
    HEADER_FIELD(vm_area_offset),
    HEADER_FIELD(vm_record_size_bytes),
    HEADER_FIELD(vm_record_count),
    HEADER_FIELD(area_page_count),
    HEADER_FIELD(memory_block_offset),
    HEADER_FIELD(memory_range_capacity),
    HEADER_FIELD(memory_range_size_bytes),
    HEADER_FIELD(vcpu_record_size_bytes),
    HEADER_FIELD(vcpu_area_offset),
    HEADER_FIELD(vcpu_record_count),
    HEADER_FIELD(vcpu_publish_interval_us),
    HEADER_FIELD(log_ring_offset),
    HEADER_FIELD(log_ring_size_bytes),
    HEADER_FIELD(reserved),
    CPU_FIELD(index),
    CPU_FIELD(state),
    CPU_FIELD(reason),
    CPU_FIELD(apic_id),
    CPU_FIELD(vmx_revision_id),
    CPU_FIELD(flags),
    CPU_FIELD(vmcs_free),
    CPU_FIELD(vmcs_clear),
    CPU_FIELD(vmcs_active_current),
    CPU_FIELD(vmcs_active_not_current),
    CPU_FIELD(vmcs_launched),
    CPU_FIELD(vmclear_count),
    CPU_FIELD(vmptrld_count),
    CPU_FIELD(vmptrld_skipped_count),
    CPU_FIELD(vmfail_invalid_count),
    CPU_FIELD(vmfail_valid_count),
    CPU_FIELD(vmfail_valid_by_error),
    MEMBLOCK_FIELD(generation),
    MEMBLOCK_FIELD(checksum),
    MEMBLOCK_FIELD(count),
    MEMBLOCK_FIELD(flags),
    RANGE_FIELD(phys),
    RANGE_FIELD(size_pages),
    RANGE_FIELD(kind),
    RANGE_FIELD(cpu),
    VCPU_FIELD(generation),
    VCPU_FIELD(checksum),
    VCPU_FIELD(index),
    VCPU_FIELD(state),
    VCPU_FIELD(reason),
    VCPU_FIELD(last_exit_reason),
    VCPU_FIELD(last_exit_qualification),
    VCPU_FIELD(last_exit_guest_rip),
    VCPU_FIELD(exit_count_total),
    VCPU_FIELD(published_tsc),
    VCPU_FIELD(exit_count_other),
    VCPU_FIELD(entry_failure_count),
    VCPU_FIELD(entry_failure_kind),
    VCPU_FIELD(entry_failure_flags),
    VCPU_FIELD(exit_slots_used),
    VCPU_FIELD(reserved0),
    VCPU_FIELD(entry_failure_number),
    VCPU_FIELD(entry_failure_field),
    VCPU_FIELD(publish_count),
    VCPU_FIELD(entry_failure_value),
    VCPU_FIELD(entry_failure_name),
    VCPU_FIELD(reason_text),
    VCPU_FIELD(exit_slot_reason),
    VCPU_FIELD(exit_slot_count),
    LOGRING_FIELD(generation),
    LOGRING_FIELD(checksum),
    LOGRING_FIELD(line_count),
    LOGRING_FIELD(line_slots),
    LOGRING_FIELD(line_size_bytes),
    LOGRING_FIELD(cut_count),
    LOGRING_FIELD(reserved),
    LOGLINE_FIELD(text),
};

struct region_size {
    const char *region;
    size_t size;
    size_t end; /* where the rows read so far end */
};

/* Runs from the repository root (make unit); the doc is the one statement of the layout. */
TEST(layout_matches_the_doc_table)
{
    struct region_size regions[] = {
        { "header", sizeof(struct status_header), 0 },
        { "cpu", sizeof(struct status_cpu_record), 0 },
        { "memblock", sizeof(struct status_memory_block), 0 },
        { "range", sizeof(struct status_memory_range), 0 },
        { "vcpu", sizeof(struct status_vcpu_record), 0 },
        { "logring", sizeof(struct status_log_ring), 0 },
        { "logline", sizeof(struct status_log_line), 0 },
    };
    FILE *doc = fopen("docs/status-page.md", "r");
    CHECK(doc != NULL);
    if (!doc)
        return;
    char line[512];
    bool inside = false;
    size_t rows = 0;
    while (fgets(line, sizeof line, doc)) {
        if (!inside) {
            inside = strncmp(line, "```status-layout", 16) == 0;
            continue;
        }
        if (strncmp(line, "```", 3) == 0)
            break;
        char region[16], type[16], name[64];
        unsigned offset, size;
        CHECK_EQ(sscanf(line, "%15s %u %u %15s %63s", region, &offset, &size, type, name), 5);
        const struct layout_field *found = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(c_layout); i++)
            if (!strcmp(c_layout[i].region, region) && !strcmp(c_layout[i].name, name))
                found = &c_layout[i];
        struct region_size *in = NULL;
        for (size_t i = 0; i < ARRAY_SIZE(regions); i++)
            if (!strcmp(regions[i].region, region))
                in = &regions[i];
        if (!found || !in) {
            printf("  doc field %s.%s is not in the C structures\n", region, name);
            CHECK(found != NULL && in != NULL);
            continue;
        }
        if (found->offset != offset || found->size != size)
            printf("  %s.%s: doc says offset %u size %u, C says %zu %zu\n", region, name, offset, size,
                   found->offset, found->size);
        CHECK_EQ(found->offset, offset);
        CHECK_EQ(found->size, size);
        /* Rows are in order and leave no gap: each starts where the previous ended. */
        CHECK_EQ(offset, in->end);
        in->end = offset + size;
        rows++;
    }
    fclose(doc);
    CHECK_EQ(rows, ARRAY_SIZE(c_layout));
    for (size_t i = 0; i < ARRAY_SIZE(regions); i++) {
        if (regions[i].end != regions[i].size)
            printf("  region %s: the rows end at %zu, the structure at %zu\n", regions[i].region,
                   regions[i].end, regions[i].size);
        CHECK_EQ(regions[i].end, regions[i].size);
    }
}

/* The sizes the doc's "Sizes" section states. */
TEST(sizes_as_documented)
{
    CHECK_EQ(sizeof(struct status_header), 512);
    CHECK_EQ(sizeof(struct status_cpu_record), 56);
    CHECK_EQ(sizeof(struct status_vcpu_record), 320);
    CHECK_EQ(sizeof(struct status_memory_range), 16);
    CHECK_EQ(STATUS_VERSION_MAJOR, 1);
    CHECK_EQ(STATUS_VERSION_MINOR, 2);
}
