/*
 * CRC-32C for the status area's guest blocks (core/status_crc32c.h): the
 * SSE4.2 CRC32 instruction where the CPU has it, a 1 KiB table otherwise.
 * The instruction is unprivileged and takes general registers only, so it
 * is fine in a kernel built with -mno-sse (Intel SDM: "CRC32 - Accumulate
 * CRC32 Value").
 */
#include "core/status_crc32c.h"

static uint32_t crc32c_table[256];
static bool crc32c_table_ready;
static bool use_instruction;

void status_crc32c_use_instruction(bool use) { use_instruction = use; }

static void build_table(void)
{
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (crc & 1 ? 0x82f63b78u : 0);
        crc32c_table[byte] = crc;
    }
    __atomic_store_n(&crc32c_table_ready, true, __ATOMIC_RELEASE);
}

uint32_t status_crc32c_table(uint32_t crc, const void *data, size_t size_bytes)
{
    const uint8_t *bytes = data;
    if (!__atomic_load_n(&crc32c_table_ready, __ATOMIC_ACQUIRE))
        build_table();
    crc = ~crc;
    for (size_t i = 0; i < size_bytes; i++)
        crc = (crc >> 8) ^ crc32c_table[(crc ^ bytes[i]) & 0xff];
    return ~crc;
}

#if defined(__x86_64__)
static uint32_t crc32c_instruction(uint32_t crc, const void *data, size_t size_bytes)
{
    const uint8_t *bytes = data;
    uint64_t value = ~crc;
    size_t i = 0;
    for (; i + 8 <= size_bytes; i += 8) {
        uint64_t word;
        __builtin_memcpy(&word, bytes + i, sizeof word);
        __asm__("crc32q %1, %0" : "+r"(value) : "rm"(word));
    }
    uint32_t narrow = (uint32_t)value;
    for (; i < size_bytes; i++)
        __asm__("crc32b %1, %0" : "+r"(narrow) : "rm"(bytes[i]));
    return ~narrow;
}
#endif

uint32_t status_crc32c(uint32_t crc, const void *data, size_t size_bytes)
{
#if defined(__x86_64__)
    if (use_instruction)
        return crc32c_instruction(crc, data, size_bytes);
#endif
    return status_crc32c_table(crc, data, size_bytes);
}
