/*
 * The framebuffer GRUB set up (Multiboot2 spec, "Framebuffer info"): a u64
 * address, u32 pitch, width, height, u8 bits per pixel, u8 type, u16
 * reserved, then for type 1 (direct RGB) the position and size of each
 * colour field. Untrusted like the rest of the block: a framebuffer whose
 * rows do not fit its pitch, or whose colour fields run past its pixels, is
 * refused with a warning (the boot goes on without a screen console).
 */
#include "mm/multiboot2.h"
#include "mm/multiboot2_mmap.h"
#include "core/lib/log.h"

#define FB_TYPE_INDEXED 0
#define FB_TYPE_RGB 1
#define FB_TYPE_EGA_TEXT 2
#define FB_RGB_TAG_MIN_BYTES 38
/* Larger than any screen (16K x 16K): the size arithmetic below stays inside 64 bits. */
#define FB_DIMENSION_MAX 16384u

static bool colour_field_fits(uint8_t shift, uint8_t bits, uint8_t bits_per_pixel)
{
    return bits >= 1 && bits <= 8 && shift + bits <= bits_per_pixel;
}

static bool take_rgb(const uint8_t *tag, uint32_t size, struct boot_framebuffer *fb)
{
    if (size < FB_RGB_TAG_MIN_BYTES) {
        log_warn("framebuffer: RGB tag of %u bytes has no colour fields: no screen console", size);
        return false;
    }
    fb->red_shift = tag[32];
    fb->red_bits = tag[33];
    fb->green_shift = tag[34];
    fb->green_bits = tag[35];
    fb->blue_shift = tag[36];
    fb->blue_bits = tag[37];
    uint8_t bpp = fb->bits_per_pixel;
    if ((bpp != 16 && bpp != 24 && bpp != 32) || !colour_field_fits(fb->red_shift, fb->red_bits, bpp) ||
        !colour_field_fits(fb->green_shift, fb->green_bits, bpp) ||
        !colour_field_fits(fb->blue_shift, fb->blue_bits, bpp)) {
        log_warn("framebuffer: %u bits per pixel with colour fields r%u@%u g%u@%u b%u@%u is not drawable: no "
                 "screen console",
                 bpp, fb->red_bits, fb->red_shift, fb->green_bits, fb->green_shift, fb->blue_bits,
                 fb->blue_shift);
        return false;
    }
    return true;
}

void multiboot2_take_framebuffer(const uint8_t *tag, uint32_t size, struct boot_info *out)
{
    struct boot_framebuffer fb = {
        .phys = mb2_read_u64(tag + 8),
        .pitch_bytes = mb2_read_u32(tag + 16),
        .width = mb2_read_u32(tag + 20),
        .height = mb2_read_u32(tag + 24),
        .bits_per_pixel = tag[28],
    };
    uint8_t type = tag[29];
    if (type == FB_TYPE_INDEXED) {
        log_warn("framebuffer: GRUB set an indexed-colour mode (%ux%u): not drawn; set gfxpayload to a "
                 "true-colour mode",
                 fb.width, fb.height);
        return;
    }
    if (type != FB_TYPE_RGB && type != FB_TYPE_EGA_TEXT) {
        log_warn("framebuffer: unknown type %u: no screen console", type);
        return;
    }
    uint32_t bytes_per_unit = type == FB_TYPE_EGA_TEXT ? 2 : (fb.bits_per_pixel + 7u) / 8u;
    if (fb.width == 0 || fb.height == 0 || fb.width > FB_DIMENSION_MAX || fb.height > FB_DIMENSION_MAX ||
        fb.pitch_bytes < (uint64_t)fb.width * bytes_per_unit || fb.phys == 0 ||
        fb.phys + (uint64_t)fb.pitch_bytes * fb.height < fb.phys) {
        log_warn("framebuffer: %ux%u, pitch %u bytes at 0x%lx does not add up: no screen console", fb.width,
                 fb.height, fb.pitch_bytes, fb.phys);
        return;
    }
    if (type == FB_TYPE_EGA_TEXT) {
        if (fb.bits_per_pixel != 16) {
            log_warn("framebuffer: EGA text with %u bits per cell (want 16): no screen console",
                     fb.bits_per_pixel);
            return;
        }
        fb.kind = BOOT_FB_EGA_TEXT;
    } else {
        if (!take_rgb(tag, size, &fb))
            return;
        fb.kind = BOOT_FB_RGB;
    }
    out->framebuffer = fb;
}
