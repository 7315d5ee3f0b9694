/*
 * The VMCS image's accessors, all generated from VMCS_IMAGE_FIELDS: one table
 * of (encoding, name, offset) in list order, and a lookup by encoding.
 */
#include "arch/x86/vmx/vmcs_image.h"
#include "core/lib/string.h"

/* "VMCS_GUEST_CR0" + 5 is "GUEST_CR0". */
static const struct vmcs_image_field_info image_fields[VMCS_IMAGE_FIELD_COUNT] = {
#define VMCS_IMAGE_INFO(encoding, member) { encoding, &#encoding[5], offsetof(struct vmcs_image, member) },
    VMCS_IMAGE_FIELDS(VMCS_IMAGE_INFO)
#undef VMCS_IMAGE_INFO
};

/* Every encoding in the list is a full access of a writable field with bit 12 (reserved) clear. */
#define VMCS_IMAGE_ASSERT_ENCODING(encoding, member)                                                         \
    _Static_assert(!VMCS_FIELD_ACCESS_HIGH(encoding) && VMCS_FIELD_TYPE(encoding) != VMCS_TYPE_EXIT_INFO &&  \
                       ((encoding)&0xffff9000u) == 0,                                                        \
                   #encoding " is not a writable full-access encoding");
VMCS_IMAGE_FIELDS(VMCS_IMAGE_ASSERT_ENCODING)
#undef VMCS_IMAGE_ASSERT_ENCODING

int vmcs_image_index_of(uint32_t encoding)
{
    switch (encoding) {
#define VMCS_IMAGE_CASE(encoding, member)                                                                    \
    case encoding:                                                                                           \
        return VMCS_IMAGE_INDEX_##member;
        VMCS_IMAGE_FIELDS(VMCS_IMAGE_CASE)
#undef VMCS_IMAGE_CASE
    default:
        return -1;
    }
}

const struct vmcs_image_field_info *vmcs_image_field(size_t index)
{
    return index < VMCS_IMAGE_FIELD_COUNT ? &image_fields[index] : NULL;
}

/* The list index of an encoding, accepting the high access of a 64-bit field; *high says which. */
static int image_lookup(uint32_t encoding, bool *high)
{
    *high = false;
    if (VMCS_FIELD_ACCESS_HIGH(encoding)) {
        if (VMCS_FIELD_WIDTH(encoding) != VMCS_WIDTH_64)
            return -1;
        *high = true;
        encoding &= ~1u;
    }
    return vmcs_image_index_of(encoding);
}

static uint64_t *image_slot(struct vmcs_image *image, int index)
{
    return (uint64_t *)((char *)image + image_fields[index].offset);
}

static uint64_t image_width_mask(uint32_t encoding)
{
    switch (VMCS_FIELD_WIDTH(encoding)) {
    case VMCS_WIDTH_16:
        return 0xffffull;
    case VMCS_WIDTH_32:
        return 0xffffffffull;
    default:
        return ~0ull; /* 64-bit, and natural width on a 64-bit processor */
    }
}

void vmcs_image_clear(struct vmcs_image *image) { memset(image, 0, sizeof *image); }

bool vmcs_image_get(const struct vmcs_image *image, uint32_t encoding, uint64_t *value)
{
    bool high;
    int index = image_lookup(encoding, &high);
    if (index < 0)
        return false;
    uint64_t stored = *(const uint64_t *)((const char *)image + image_fields[index].offset);
    *value = high ? stored >> 32 : stored;
    return true;
}

bool vmcs_image_set(struct vmcs_image *image, uint32_t encoding, uint64_t value)
{
    bool high;
    int index = image_lookup(encoding, &high);
    if (index < 0)
        return false;
    uint64_t *slot = image_slot(image, index);
    if (high)
        *slot = (*slot & 0xffffffffull) | ((value & 0xffffffffull) << 32);
    else
        *slot = value & image_width_mask(encoding);
    image->set_bits[index / 64] |= 1ull << (index % 64);
    return true;
}

bool vmcs_image_mark(struct vmcs_image *image, uint32_t encoding)
{
    int index = vmcs_image_index_of(encoding);
    if (index < 0)
        return false;
    image->set_bits[index / 64] |= 1ull << (index % 64);
    return true;
}

bool vmcs_image_is_set(const struct vmcs_image *image, uint32_t encoding)
{
    bool high;
    int index = image_lookup(encoding, &high);
    return index >= 0 && (image->set_bits[index / 64] >> (index % 64)) & 1;
}

const char *vmcs_field_name(uint32_t encoding)
{
    /* The high accesses' names, one static string per 64-bit field. */
    static const char *const high_names[VMCS_IMAGE_FIELD_COUNT] = {
#define VMCS_IMAGE_HIGH_NAME(encoding, member) [VMCS_IMAGE_INDEX_##member] = &#encoding "_HIGH"[5],
        VMCS_IMAGE_FIELDS(VMCS_IMAGE_HIGH_NAME)
#undef VMCS_IMAGE_HIGH_NAME
    };
    bool high;
    int index = image_lookup(encoding, &high);
    if (index < 0)
        return NULL;
    return high ? high_names[index] : image_fields[index].name;
}
