/*
 * Fuzzes arch/x86/smp/acpi.c and madt.c. Each input is used three ways:
 *  1. as a flat "physical memory" image (address 0 = first byte) with an
 *     RSDP at offset 0: acpi_init, acpi_find_table("APIC"), madt_parse;
 *     also the RSDP scan and the legacy search over the same image;
 *  2. the same after fixing every checksum the walk would check, so that
 *     mutations reach the table walks instead of dying at a checksum;
 *  3. as a MADT, a FADT and an HPET table: signature set, length = input
 *     size, checksum fixed (madt_parse, acpi_pm_timer_parse, acpi_hpet_parse).
 * Seeds (tests/fuzz/fuzz_acpi/seeds) come from make_seeds.py.
 */
// host-sources: arch/x86/smp/acpi.c arch/x86/smp/madt.c arch/x86/smp/acpi_timers.c
#include <stdlib.h>
#include <string.h>
#include "arch/x86/smp/acpi.h"
#include "arch/x86/smp/madt.h"
#include "arch/x86/smp/acpi_timers.h"
#include "tests/unit/acpi_build.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct madt_info info;

static void walk_image(uint8_t *image, size_t size)
{
    struct fake_memory mem = { image, size, 0 };
    struct acpi_mapper mapper = { fake_map, &mem };
    struct acpi a;
    uint64_t phys;

    (void)acpi_find_rsdp_in(image, size, 0, &phys);
    (void)acpi_find_rsdp_legacy(&mapper, acpi_ebda_phys(&mapper), &phys);
    if (acpi_init(&a, &mapper, image, size < ACPI_RSDP_V2_BYTES ? size : ACPI_RSDP_V2_BYTES) != 0)
        return;
    const struct acpi_header *fadt = acpi_find_table(&a, "FACP");
    struct acpi_pm_timer pm_timer;
    if (fadt)
        (void)acpi_pm_timer_parse(fadt, &pm_timer);
    const struct acpi_header *hpet = acpi_find_table(&a, "HPET");
    uint64_t hpet_phys;
    if (hpet)
        (void)acpi_hpet_parse(hpet, &hpet_phys);
    const struct acpi_header *madt = acpi_find_table(&a, "APIC");
    if (madt)
        (void)madt_parse(madt, &info);
}

/* Fixes the checksum of the table at phys when its whole length is inside the image. */
static void fix_table(uint8_t *image, size_t size, uint64_t phys)
{
    uint32_t length;
    if (phys > size || size - phys < ACPI_HEADER_BYTES)
        return;
    memcpy(&length, image + phys + 4, sizeof length);
    if (length >= ACPI_HEADER_BYTES && length <= size - phys)
        build_fix_checksum(image + phys);
}

static void fix_checksums(uint8_t *image, size_t size)
{
    struct acpi_rsdp r;
    if (size < ACPI_RSDP_V2_BYTES)
        return;
    memcpy(&r, image, sizeof r);
    image[8] = 0;
    image[8] = (uint8_t)(0 - acpi_checksum(image, ACPI_RSDP_V1_BYTES));
    if (r.revision >= 2 && r.length == ACPI_RSDP_V2_BYTES) {
        image[32] = 0;
        image[32] = (uint8_t)(0 - acpi_checksum(image, r.length));
    }
    uint64_t roots[2] = { r.rsdt_phys, r.revision >= 2 ? r.xsdt_phys : 0 };
    for (int i = 0; i < 2; i++) {
        uint64_t root = roots[i];
        uint32_t length, entry = i ? 8 : 4;
        if (root == 0 || root > size || size - root < ACPI_HEADER_BYTES)
            continue;
        memcpy(&length, image + root + 4, sizeof length);
        if (length < ACPI_HEADER_BYTES || length > size - root)
            continue;
        for (uint32_t off = ACPI_HEADER_BYTES; off + entry <= length; off += entry) {
            uint64_t phys = 0;
            memcpy(&phys, image + root + off, entry);
            fix_table(image, size, phys);
        }
        fix_table(image, size, root); /* last: the entries above may overlap it */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    walk_image(copy, size);

    memcpy(copy, data, size);
    fix_checksums(copy, size);
    walk_image(copy, size);

    if (size >= ACPI_HEADER_BYTES) {
        memcpy(copy, data, size);
        memcpy(copy, "APIC", 4);
        build_put32(copy + 4, (uint32_t)size);
        build_fix_checksum(copy);
        (void)madt_parse((const struct acpi_header *)copy, &info);
        struct acpi_pm_timer pm_timer;
        uint64_t hpet_phys;
        memcpy(copy, "FACP", 4);
        (void)acpi_pm_timer_parse((const struct acpi_header *)copy, &pm_timer);
        memcpy(copy, "HPET", 4);
        (void)acpi_hpet_parse((const struct acpi_header *)copy, &hpet_phys);
    }
    free(copy);
    return 0;
}
