/* The seqlock and checksum of one status block (core/status_block.h). */
#include "core/status_block.h"
#include "core/status_crc32c.h"

uint32_t status_block_checksum(const void *block, uint32_t covered_bytes)
{
    static const uint8_t zeros[8];
    if (covered_bytes < sizeof zeros)
        return 0;
    uint32_t crc = status_crc32c(0, zeros, sizeof zeros);
    return status_crc32c(crc, (const uint8_t *)block + sizeof zeros, covered_bytes - sizeof zeros);
}

void status_block_write_begin(uint32_t *generation)
{
    /* "| 1": a writer stopped inside (forced after a panic) already left it odd. */
    __atomic_store_n(generation, *generation | 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
}

void status_block_write_end(void *block, uint32_t covered_bytes)
{
    uint32_t *words = block;
    words[1] = status_block_checksum(block, covered_bytes);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&words[0], words[0] + 1, __ATOMIC_RELEASE);
}
