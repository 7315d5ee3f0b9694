#include "arch/x86/smp/acpi_boot.h"
#include "core/lib/error.h"
#include "mm/frames.h"
#include "mm/multiboot2.h"

static uint64_t mapped_end_phys;

/* The kernel's view of physical memory is the identity map: a table is where its address says. */
static const void *identity_map(void *ctx, uint64_t phys, size_t length_bytes)
{
    uint64_t mapped_end = *(const uint64_t *)ctx;
    if (phys < PAGE_SIZE_BYTES || phys + length_bytes < phys || phys + length_bytes > mapped_end)
        return NULL;
    return (const void *)(uintptr_t)phys;
}

static const struct acpi_mapper identity_mapper = { identity_map, &mapped_end_phys };

static struct acpi opened;
static int opened_result = 1; /* 1: not tried yet */

static int open_once(const struct boot_info *info, uint64_t ebda_phys, struct acpi *acpi);

/* The first caller finds and checks the tables (and logs them); later ones get the same view. */
int acpi_boot_open(const struct boot_info *info, uint64_t ebda_phys, struct acpi *acpi)
{
    if (opened_result == 1)
        opened_result = open_once(info, ebda_phys, &opened);
    *acpi = opened;
    return opened_result;
}

static int open_once(const struct boot_info *info, uint64_t ebda_phys, struct acpi *acpi)
{
    mapped_end_phys = frames_ram_end_phys() > GiB(4) ? frames_ram_end_phys() : GiB(4);
    const void *rsdp = NULL;
    size_t rsdp_bytes = 0;
    if (info->has_rsdp_v2) {
        rsdp = info->rsdp_v2;
        rsdp_bytes = info->rsdp_v2_size_bytes;
    } else if (info->has_rsdp_v1) {
        rsdp = info->rsdp_v1;
        rsdp_bytes = sizeof info->rsdp_v1;
    } else if (!info->efi_system_table_present) {
        /* Booted by BIOS and GRUB gave no RSDP: the legacy scan of the EBDA and 0xE0000-0xFFFFF. */
        uint64_t rsdp_phys;
        if (acpi_find_rsdp_legacy(&identity_mapper, ebda_phys, &rsdp_phys) == 0) {
            rsdp = (const void *)(uintptr_t)rsdp_phys;
            rsdp_bytes = ACPI_RSDP_V2_BYTES;
        }
    }
    if (!rsdp)
        return E_NOENT;
    return acpi_init(acpi, &identity_mapper, rsdp, rsdp_bytes);
}
