/* The few string and memory functions the freestanding kernel needs. */
#ifndef CORE_LIB_STRING_H
#define CORE_LIB_STRING_H

#include "core/lib/compiler.h"

#ifdef VMXROOT_HOST
#include <string.h>
#else
void *memset(void *dst, int value, size_t size_bytes);
void *memcpy(void *dst, const void *src, size_t size_bytes);
void *memmove(void *dst, const void *src, size_t size_bytes);
MUST_CHECK int memcmp(const void *a, const void *b, size_t size_bytes);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max_bytes);
MUST_CHECK int strcmp(const char *a, const char *b);
MUST_CHECK int strncmp(const char *a, const char *b, size_t max_bytes);
#endif

#endif
