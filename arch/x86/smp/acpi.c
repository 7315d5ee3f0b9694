/*
 * ACPI root tables: the RSDP, the RSDT / XSDT, and lookup by signature.
 * Firmware tables are input we do not trust: every length is bounded, every
 * range is mapped before it is read, every checksum is checked, and a bad
 * table is named in a message and skipped rather than followed.
 */
#include "arch/x86/smp/acpi.h"
#include "core/lib/error.h"
#include "core/lib/log.h"
#include "core/lib/string.h"

#define RSDP_SIGNATURE "RSD PTR "
/* ACPI spec, "Finding the RSDP on IA-PC Systems": on a 16-byte boundary. */
#define RSDP_SCAN_STEP_BYTES 16u
/* The BDA's EBDA pointer is only believed inside conventional memory. */
#define EBDA_LOWEST_PHYS 0x400u
#define EBDA_END_PHYS 0xA0000u

uint8_t acpi_checksum(const void *bytes, size_t length_bytes)
{
    const uint8_t *p = bytes;
    uint8_t sum = 0;
    for (size_t i = 0; i < length_bytes; i++)
        sum = (uint8_t)(sum + p[i]);
    return sum;
}

/* A signature as printable text: firmware bytes may be anything. */
static void signature_text(const char *sig, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = sig[i];
        if (sig[i] < 0x20 || sig[i] >= 0x7F)
            out[i] = '?';
    }
    out[n] = 0;
}

/* The name people know a table by: the MADT's signature is "APIC". */
static void table_name(const char sig[4], char out[5])
{
    if (memcmp(sig, "APIC", 4) == 0)
        memcpy(out, "MADT", 5);
    else if (memcmp(sig, "FACP", 4) == 0)
        memcpy(out, "FADT", 5);
    else
        signature_text(sig, 4, out);
}

/*
 * Checks an RSDP with `avail` readable bytes. With short_v2_ok, a revision 2+
 * RSDP of which only the 20-byte ACPI 1.0 part is given (multiboot2's "old
 * ACPI" tag) counts as a 1.0 one. *why says what is wrong on failure.
 */
static MUST_CHECK int rsdp_check(const uint8_t *p, size_t avail, bool short_v2_ok, bool *has_v2,
                                 const char **why)
{
    struct acpi_rsdp r;
    *has_v2 = false;
    if (avail < ACPI_RSDP_V1_BYTES) {
        *why = "is shorter than 20 bytes";
        return E_RANGE;
    }
    if (memcmp(p, RSDP_SIGNATURE, 8) != 0) {
        *why = "has no \"RSD PTR \" signature";
        return E_INVAL;
    }
    if (acpi_checksum(p, ACPI_RSDP_V1_BYTES) != 0) {
        *why = "fails its checksum";
        return E_CHECKSUM;
    }
    memset(&r, 0, sizeof r);
    memcpy(&r, p, avail < sizeof r ? avail : sizeof r);
    if (r.revision < 2)
        return E_OK;
    if (avail < ACPI_RSDP_V2_BYTES) {
        if (short_v2_ok)
            return E_OK;
        *why = "is revision 2+ but shorter than 36 bytes";
        return E_RANGE;
    }
    if (r.length < ACPI_RSDP_V2_BYTES || r.length > avail) {
        *why = "has a bad length";
        return E_RANGE;
    }
    if (acpi_checksum(p, r.length) != 0) {
        *why = "fails its extended checksum";
        return E_CHECKSUM;
    }
    *has_v2 = true;
    return E_OK;
}

int acpi_find_rsdp_in(const void *buf, size_t len, uint64_t base_phys, uint64_t *rsdp_phys)
{
    const uint8_t *bytes = buf;
    size_t first = (size_t)((RSDP_SCAN_STEP_BYTES - base_phys % RSDP_SCAN_STEP_BYTES) % RSDP_SCAN_STEP_BYTES);
    for (size_t off = first; off < len && len - off >= ACPI_RSDP_V1_BYTES; off += RSDP_SCAN_STEP_BYTES) {
        bool has_v2;
        const char *why;
        if (rsdp_check(bytes + off, len - off, false, &has_v2, &why) == E_OK) {
            *rsdp_phys = base_phys + off;
            return E_OK;
        }
    }
    return E_NOENT;
}

uint64_t acpi_ebda_phys(const struct acpi_mapper *m)
{
    const uint8_t *bda = m->map(m->ctx, ACPI_BDA_EBDA_SEGMENT_PHYS, 2);
    if (!bda)
        return 0;
    uint64_t phys = (uint64_t)(bda[0] | (bda[1] << 8)) << 4;
    return (phys >= EBDA_LOWEST_PHYS && phys < EBDA_END_PHYS) ? phys : 0;
}

/* Maps [phys, phys + len) and scans it; E_NOENT also when it is not readable. */
static MUST_CHECK int scan_area(const struct acpi_mapper *m, uint64_t phys, size_t len, uint64_t *rsdp_phys)
{
    const void *area = m->map(m->ctx, phys, len);
    return area ? acpi_find_rsdp_in(area, len, phys, rsdp_phys) : E_NOENT;
}

int acpi_find_rsdp_legacy(const struct acpi_mapper *m, uint64_t ebda_phys, uint64_t *rsdp_phys)
{
    if (ebda_phys >= EBDA_LOWEST_PHYS && ebda_phys < EBDA_END_PHYS) {
        size_t len = ACPI_EBDA_SCAN_BYTES;
        if (EBDA_END_PHYS - ebda_phys < len)
            len = (size_t)(EBDA_END_PHYS - ebda_phys);
        if (scan_area(m, ebda_phys, len, rsdp_phys) == E_OK)
            return E_OK;
    }
    return scan_area(m, ACPI_BIOS_AREA_PHYS, ACPI_BIOS_AREA_BYTES, rsdp_phys);
}

/*
 * Maps the whole table whose header is at phys and checks its length and
 * checksum. Returns 0 or an error with *why saying what is wrong.
 */
static MUST_CHECK int map_whole_table(const struct acpi_mapper *m, uint64_t phys,
                                      const struct acpi_header *hdr, const struct acpi_header **out,
                                      const char **why)
{
    uint32_t length = hdr->length;
    if (length < ACPI_HEADER_BYTES) {
        *why = "is shorter than its 36-byte header";
        return E_RANGE;
    }
    if (length > ACPI_TABLE_MAX_BYTES) {
        *why = "claims more than 1 MiB";
        return E_RANGE;
    }
    const struct acpi_header *whole = m->map(m->ctx, phys, length);
    if (!whole) {
        *why = "runs past readable memory";
        return E_RANGE;
    }
    if (acpi_checksum(whole, length) != 0) {
        *why = "fails its checksum";
        return E_CHECKSUM;
    }
    *out = whole;
    return E_OK;
}

/* Checks the XSDT or RSDT at phys; a warning names what is wrong. */
static MUST_CHECK int root_check(const struct acpi_mapper *m, uint64_t phys, const char *sig,
                                 const struct acpi_header **out)
{
    const char *why = "is not readable";
    const struct acpi_header *hdr = m->map(m->ctx, phys, ACPI_HEADER_BYTES);
    int err = E_RANGE;
    if (hdr && memcmp(hdr->signature, sig, 4) != 0) {
        why = "has a wrong signature";
        err = E_INVAL;
    } else if (hdr) {
        err = map_whole_table(m, phys, hdr, out, &why);
    }
    if (err)
        log_warn("acpi: %s at 0x%llx %s, not used", sig, (unsigned long long)phys, why);
    return err;
}

int acpi_init(struct acpi *a, const struct acpi_mapper *m, const void *rsdp, size_t rsdp_len)
{
    struct acpi_rsdp r;
    bool has_v2;
    const char *why = "";
    memset(a, 0, sizeof *a);
    a->mapper = m;
    int err = rsdp ? rsdp_check(rsdp, rsdp_len, true, &has_v2, &why) : E_INVAL;
    if (err) {
        log_error("acpi: the RSDP %s; without ACPI no CPU but this one can be found: "
                  "check the firmware's ACPI setting",
                  rsdp ? why : "is missing");
        return err;
    }
    memset(&r, 0, sizeof r);
    memcpy(&r, rsdp, rsdp_len < sizeof r ? rsdp_len : sizeof r);
    a->rsdp_revision = r.revision;
    signature_text(r.oem_id, sizeof r.oem_id, a->oem_id);

    /* ACPI spec, "Root System Description Pointer": use the XSDT when there is one. */
    err = E_NOENT;
    if (has_v2 && r.xsdt_phys != 0) {
        err = root_check(m, r.xsdt_phys, "XSDT", &a->root);
        if (err == E_OK) {
            a->root_phys = r.xsdt_phys;
            a->root_is_xsdt = true;
        } else if (r.rsdt_phys != 0) {
            log_warn("acpi: falling back to the RSDT at 0x%x", r.rsdt_phys);
        }
    }
    if (err && r.rsdt_phys != 0) {
        err = root_check(m, r.rsdt_phys, "RSDT", &a->root);
        if (err == E_OK)
            a->root_phys = r.rsdt_phys;
    }
    if (err) {
        log_error("acpi: no usable RSDT or XSDT; without them no CPU but this one can be found: "
                  "update the firmware or check its ACPI setting");
        a->root = NULL;
        return E_NOENT;
    }
    uint32_t entry_bytes = a->root_is_xsdt ? 8u : 4u;
    a->entry_count = (a->root->length - ACPI_HEADER_BYTES) / entry_bytes;
    log_info("acpi: RSDP revision %u (OEM \"%s\"), %s at 0x%llx with %u tables", r.revision, a->oem_id,
             a->root_is_xsdt ? "XSDT" : "RSDT", (unsigned long long)a->root_phys, a->entry_count);
    return E_OK;
}

/* Entry i of the root table: 32-bit in the RSDT, 64-bit (maybe unaligned) in the XSDT. */
static uint64_t root_entry(const struct acpi *a, uint32_t i)
{
    const uint8_t *entries = (const uint8_t *)a->root + ACPI_HEADER_BYTES;
    if (a->root_is_xsdt) {
        uint64_t phys;
        memcpy(&phys, entries + (size_t)i * 8, sizeof phys);
        return phys;
    }
    uint32_t phys32;
    memcpy(&phys32, entries + (size_t)i * 4, sizeof phys32);
    return phys32;
}

const struct acpi_header *acpi_find_table(struct acpi *a, const char sig[4])
{
    const struct acpi_mapper *m = a->mapper;
    if (!a->root)
        return NULL;
    for (uint32_t i = 0; i < a->entry_count; i++) {
        uint64_t phys = root_entry(a, i);
        if (phys == 0)
            continue;
        const struct acpi_header *hdr = m->map(m->ctx, phys, ACPI_HEADER_BYTES);
        if (!hdr) {
            log_warn("acpi: %s entry %u points at 0x%llx, which is not readable, ignored",
                     a->root_is_xsdt ? "XSDT" : "RSDT", i, (unsigned long long)phys);
            continue;
        }
        if (memcmp(hdr->signature, sig, 4) != 0)
            continue;
        const struct acpi_header *whole;
        const char *why;
        if (map_whole_table(m, phys, hdr, &whole, &why) == E_OK)
            return whole;
        char name[5];
        table_name(sig, name);
        log_warn("acpi: %s at 0x%llx %s, ignored", name, (unsigned long long)phys, why);
    }
    return NULL;
}
