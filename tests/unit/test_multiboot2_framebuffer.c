// host-sources: mm/multiboot2.c mm/multiboot2_mmap.c mm/multiboot2_framebuffer.c mm/memory_map.c
/*
 * The framebuffer tag (8) as GRUB writes it under OVMF (GOP, 32 bpp
 * BGRX), under SeaBIOS (VBE) and in EGA text mode, and the malformed ones a
 * screen console must not draw on.
 */
#include "mm/multiboot2.h"
#include "core/lib/error.h"
#include "tests/unit/check.h"
#include "tests/unit/mb2_build.h"

static struct mb2_builder b;
static struct boot_info info;

struct fb_fields {
    uint64_t phys;
    uint32_t pitch, width, height;
    uint8_t bpp, type;
    uint8_t colours[6]; /* red shift, bits, green shift, bits, blue shift, bits */
    uint32_t colour_bytes;
};

static int parse_framebuffer(const struct fb_fields *f)
{
    uint8_t data[32];
    memset(data, 0, sizeof data);
    mb2_put64(data, f->phys);
    mb2_put32(data + 8, f->pitch);
    mb2_put32(data + 12, f->width);
    mb2_put32(data + 16, f->height);
    data[20] = f->bpp;
    data[21] = f->type;
    memcpy(data + 24, f->colours, f->colour_bytes);
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_FRAMEBUFFER, data, 24 + f->colour_bytes);
    mb2_finish(&b);
    log_capture_reset();
    return multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, sizeof b.bytes, &info);
}

static const struct fb_fields ovmf_gop = { 0x80000000u, 5120, 1280, 800, 32, 1, { 16, 8, 8, 8, 0, 8 }, 6 };

TEST(uefi_gop_rgb)
{
    CHECK_EQ(parse_framebuffer(&ovmf_gop), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_RGB);
    CHECK_EQ(info.framebuffer.phys, 0x80000000u);
    CHECK_EQ(info.framebuffer.pitch_bytes, 5120);
    CHECK_EQ(info.framebuffer.width, 1280);
    CHECK_EQ(info.framebuffer.height, 800);
    CHECK_EQ(info.framebuffer.bits_per_pixel, 32);
    CHECK_EQ(info.framebuffer.red_shift, 16);
    CHECK_EQ(info.framebuffer.green_shift, 8);
    CHECK_EQ(info.framebuffer.blue_bits, 8);
    CHECK(!log_contains("framebuffer"));
}

TEST(vbe_16_and_24_bpp)
{
    struct fb_fields f = { 0xFD000000u, 2048, 1024, 768, 16, 1, { 11, 5, 5, 6, 0, 5 }, 6 };
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_RGB);
    CHECK_EQ(info.framebuffer.green_bits, 6);
    f = (struct fb_fields){ 0xFD000000u, 3072, 1024, 768, 24, 1, { 16, 8, 8, 8, 0, 8 }, 6 };
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_RGB);
}

TEST(ega_text)
{
    struct fb_fields f = { 0xB8000, 160, 80, 25, 16, 2, { 0 }, 0 };
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_EGA_TEXT);
    CHECK_EQ(info.framebuffer.width, 80);
    CHECK_EQ(info.framebuffer.height, 25);
    f.bpp = 8;
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);
    CHECK(log_contains("EGA text with 8 bits per cell"));
}

TEST(refused_framebuffers_keep_the_boot)
{
    struct fb_fields f = ovmf_gop;
    f.pitch = 1280 * 4 - 1; /* a row does not fit its pitch */
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);
    CHECK(log_contains("does not add up"));

    f = ovmf_gop;
    f.width = 0;
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);

    f = ovmf_gop;
    f.phys = ~0ull - 4096; /* wraps past the top of the address space */
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);

    f = ovmf_gop;
    f.colours[0] = 28; /* red at bits 28..35 of a 32-bit pixel */
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);
    CHECK(log_contains("not drawable"));

    f = ovmf_gop;
    f.bpp = 8;
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);

    f = ovmf_gop;
    f.colour_bytes = 0; /* RGB without its colour fields */
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);
    CHECK(log_contains("has no colour fields"));

    f = ovmf_gop;
    f.type = 0; /* indexed colour */
    CHECK_EQ(parse_framebuffer(&f), E_OK);
    CHECK_EQ(info.framebuffer.kind, BOOT_FB_NONE);
    CHECK(log_contains("indexed-colour"));
}

TEST(short_framebuffer_tag_is_malformed)
{
    uint8_t data[20] = { 0 };
    mb2_begin(&b);
    mb2_tag(&b, MB2_TAG_FRAMEBUFFER, data, sizeof data);
    mb2_finish(&b);
    CHECK_EQ(multiboot2_parse(MULTIBOOT2_BOOTLOADER_MAGIC, b.bytes, sizeof b.bytes, &info), E_INVAL);
    CHECK(log_contains("framebuffer info tag"));
}
