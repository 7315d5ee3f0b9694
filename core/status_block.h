/*
 * The seqlock of one status block (a vCPU record, the memory block, the log
 * ring): begin makes the generation odd; end computes the CRC-32C of the
 * first covered_bytes with bytes 0..7 read as zero, stores it at offset 4,
 * and makes the generation even again. A block starts with its 32-bit
 * generation and its 32-bit checksum. The caller serializes writers of one
 * block; readers copy the block and retry on an odd or changed generation or a
 * wrong checksum (docs/status-page.md).
 */
#ifndef CORE_STATUS_BLOCK_H
#define CORE_STATUS_BLOCK_H

#include "core/lib/compiler.h"

void status_block_write_begin(uint32_t *generation);
void status_block_write_end(void *block, uint32_t covered_bytes);
uint32_t status_block_checksum(const void *block, uint32_t covered_bytes);

#endif
