/*
 * The memory and string functions the compiler and the kernel need. Simple
 * code, and the kernel may not use SSE. The host build uses libc's instead
 * (core/lib/string.h).
 *
 * memset and memcpy move 8 bytes per step when they can: emulators run a
 * REP string instruction one element at a time (Bochs counts each as an
 * instruction of emulated time), and zeroing each CPU's 40 KiB of frames a
 * byte at a time cost Bochs 10 ms of emulated time per CPU at boot.
 */
#include "core/lib/string.h"
#include "arch/x86/insn.h"

#ifndef VMXROOT_HOST
void *memset(void *dst, int value, size_t size_bytes)
{
    if ((((uintptr_t)dst | size_bytes) & 7) == 0)
        cpu_rep_stosq(dst, 0x0101010101010101ull * (uint8_t)value, size_bytes / 8);
    else
        cpu_rep_stosb(dst, (uint8_t)value, size_bytes);
    return dst;
}

void *memcpy(void *dst, const void *src, size_t size_bytes)
{
    if ((((uintptr_t)dst | (uintptr_t)src | size_bytes) & 7) == 0)
        cpu_rep_movsq(dst, src, size_bytes / 8);
    else
        cpu_rep_movsb(dst, src, size_bytes);
    return dst;
}

void *memmove(void *dst, const void *src, size_t size_bytes)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + size_bytes)
        return memcpy(dst, src, size_bytes);
    while (size_bytes--)
        d[size_bytes] = s[size_bytes];
    return dst;
}

int memcmp(const void *a, const void *b, size_t size_bytes)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < size_bytes; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t strnlen(const char *s, size_t max_bytes)
{
    size_t n = 0;
    while (n < max_bytes && s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t max_bytes)
{
    for (size_t i = 0; i < max_bytes; i++) {
        if (a[i] != b[i])
            return (unsigned char)a[i] < (unsigned char)b[i] ? -1 : 1;
        if (!a[i])
            return 0;
    }
    return 0;
}

int strcmp(const char *a, const char *b) { return strncmp(a, b, (size_t)-1); }
#endif
