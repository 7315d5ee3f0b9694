/*
 * A small vsnprintf for the kernel: %d %i %u %x %X %c %s %p %% with the '-'
 * and '0' flags, a field width (digits or '*') and the l, ll, z sizes.
 * Anything else after a '%' is copied to the output literally, so a bad format
 * shows up in the log instead of eating arguments. No libc, no builtins.
 */
#include "core/lib/format.h"

/* A width larger than any log line; keeps the width arithmetic far from overflow. */
#define FORMAT_MAX_WIDTH 4096

/* The output cursor: counts every byte, stores only those that fit. */
struct format_out {
    char *buf;
    size_t size_bytes;
    size_t length; /* bytes the whole output would have */
};

static void out_char(struct format_out *out, char c)
{
    /* Keep the last byte of buf for the terminating NUL. */
    if (out->size_bytes > 0 && out->length < out->size_bytes - 1)
        out->buf[out->length] = c;
    out->length++;
}

static void out_repeat(struct format_out *out, char c, int count)
{
    for (int i = 0; i < count; i++)
        out_char(out, c);
}

static void out_bytes(struct format_out *out, const char *s, size_t length)
{
    for (size_t i = 0; i < length; i++)
        out_char(out, s[i]);
}

enum format_size { SIZE_INT, SIZE_LONG, SIZE_LONG_LONG, SIZE_SIZE_T };

struct format_spec {
    bool left; /* '-': pad on the right */
    bool zero; /* '0': pad numbers with zeros after the sign/prefix */
    int width; /* minimum field width */
    enum format_size size;
};

/* Pads text (already split into prefix and body) to the field width. */
static void out_field(struct format_out *out, const struct format_spec *spec, const char *prefix,
                      size_t prefix_length, const char *body, size_t body_length, bool numeric)
{
    size_t total = prefix_length + body_length;
    int pad = spec->width > (int)total ? spec->width - (int)total : 0;
    if (spec->left) {
        out_bytes(out, prefix, prefix_length);
        out_bytes(out, body, body_length);
        out_repeat(out, ' ', pad);
    } else if (spec->zero && numeric) {
        out_bytes(out, prefix, prefix_length);
        out_repeat(out, '0', pad);
        out_bytes(out, body, body_length);
    } else {
        out_repeat(out, ' ', pad);
        out_bytes(out, prefix, prefix_length);
        out_bytes(out, body, body_length);
    }
}

/* Writes value's digits, most significant first, into the end of digits[]; returns the start. */
static char *digits_of(uint64_t value, unsigned base, bool upper, char *end, int min_digits)
{
    const char *alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;
    int count = 0;
    do {
        *--p = alphabet[value % base];
        value /= base;
        count++;
    } while (value != 0 || count < min_digits);
    return p;
}

static void out_number(struct format_out *out, const struct format_spec *spec, uint64_t magnitude,
                       bool negative, unsigned base, bool upper, const char *prefix, int min_digits)
{
    char digits[24];
    char *end = digits + sizeof digits;
    char *start = digits_of(magnitude, base, upper, end, min_digits);
    char prefix_buf[3];
    size_t prefix_length = 0;
    if (negative)
        prefix_buf[prefix_length++] = '-';
    for (; prefix != NULL && *prefix != '\0' && prefix_length < sizeof prefix_buf; prefix++)
        prefix_buf[prefix_length++] = *prefix;
    out_field(out, spec, prefix_buf, prefix_length, start, (size_t)(end - start), true);
}

static int64_t signed_arg(enum format_size size, va_list *args)
{
    switch (size) {
    case SIZE_LONG:
        return va_arg(*args, long);
    case SIZE_LONG_LONG:
        return va_arg(*args, long long);
    case SIZE_SIZE_T:
        return va_arg(*args, ptrdiff_t); /* the signed size_t ("ssize_t") */
    default:
        return va_arg(*args, int);
    }
}

static uint64_t unsigned_arg(enum format_size size, va_list *args)
{
    switch (size) {
    case SIZE_LONG:
        return va_arg(*args, unsigned long);
    case SIZE_LONG_LONG:
        return va_arg(*args, unsigned long long);
    case SIZE_SIZE_T:
        return va_arg(*args, size_t);
    default:
        return va_arg(*args, unsigned int);
    }
}

static size_t string_length(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0')
        n++;
    return n;
}

/*
 * Parses the flags, width and size of one conversion starting just after the
 * '%'; returns the pointer to the conversion character.
 */
static const char *parse_spec(const char *p, struct format_spec *spec, va_list *args)
{
    *spec = (struct format_spec){ 0 };
    for (;; p++) {
        if (*p == '-')
            spec->left = true;
        else if (*p == '0')
            spec->zero = true;
        else
            break;
    }
    if (*p == '*') {
        int width = va_arg(*args, int);
        if (width < 0) { /* C: a negative '*' width means '-' and its magnitude */
            spec->left = true;
            width = width < -FORMAT_MAX_WIDTH ? FORMAT_MAX_WIDTH : -width;
        }
        spec->width = width > FORMAT_MAX_WIDTH ? FORMAT_MAX_WIDTH : width;
        p++;
    } else {
        for (; *p >= '0' && *p <= '9'; p++) {
            spec->width = spec->width * 10 + (*p - '0');
            if (spec->width > FORMAT_MAX_WIDTH)
                spec->width = FORMAT_MAX_WIDTH;
        }
    }
    if (*p == 'l') {
        p++;
        spec->size = SIZE_LONG;
        if (*p == 'l') {
            p++;
            spec->size = SIZE_LONG_LONG;
        }
    } else if (*p == 'z') {
        p++;
        spec->size = SIZE_SIZE_T;
    }
    return p;
}

int format_v(char *buf, size_t size_bytes, const char *fmt, va_list args)
{
    struct format_out out = { buf, size_bytes, 0 };
    va_list ap;
    va_copy(ap, args);
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            out_char(&out, *p);
            continue;
        }
        const char *spec_start = p;
        struct format_spec spec;
        p = parse_spec(p + 1, &spec, &ap);
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t value = signed_arg(spec.size, &ap);
            /* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
            uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
            out_number(&out, &spec, magnitude, value < 0, 10, false, NULL, 1);
            break;
        }
        case 'u':
            out_number(&out, &spec, unsigned_arg(spec.size, &ap), false, 10, false, NULL, 1);
            break;
        case 'x':
        case 'X':
            out_number(&out, &spec, unsigned_arg(spec.size, &ap), false, 16, *p == 'X', NULL, 1);
            break;
        case 'p': {
            uint64_t value = (uint64_t)(uintptr_t)va_arg(ap, void *);
            out_number(&out, &spec, value, false, 16, false, "0x", 16);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            out_field(&out, &spec, NULL, 0, &c, 1, false);
            break;
        }
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            out_field(&out, &spec, NULL, 0, s, string_length(s), false);
            break;
        }
        case '%':
            out_char(&out, '%');
            break;
        default:
            /* Unknown or truncated conversion: print what we saw, consume no argument. */
            if (*p == '\0') {
                out_bytes(&out, spec_start, (size_t)(p - spec_start));
                p--; /* let the loop see the NUL */
            } else {
                out_bytes(&out, spec_start, (size_t)(p - spec_start) + 1);
            }
            break;
        }
    }
    va_end(ap);
    if (size_bytes > 0)
        buf[out.length < size_bytes ? out.length : size_bytes - 1] = '\0';
    return out.length > 0x7fffffff ? 0x7fffffff : (int)out.length;
}

int format(char *buf, size_t size_bytes, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    int length = format_v(buf, size_bytes, fmt, args);
    va_end(args);
    return length;
}
