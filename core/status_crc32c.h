/*
 * CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, initial value and
 * final XOR 0xFFFFFFFF; check value of "123456789": 0xE3069283), the
 * checksum of the status area's guest blocks (docs/status-page.md,
 * "Checksum"). The 1.0 header keeps zlib's CRC-32 (status_crc32).
 *
 * Why a second CRC: a vCPU record is re-hashed on the VM-exit path (at most
 * once per publish interval), and SSE4.2's CRC32 instruction computes this
 * polynomial 8 bytes at a time: 40 instructions for a 320-byte record where
 * a table-driven CRC-32 takes about 2,500 (under Bochs, where every
 * instruction is a tick, that was +40 ticks on an average exit).
 */
#ifndef CORE_STATUS_CRC32C_H
#define CORE_STATUS_CRC32C_H

#include "core/lib/compiler.h"

/* CPUID.1:ECX.SSE4_2: the CRC32 instruction exists. */
#define CPUID1_ECX_SSE4_2 (1u << 20)

/*
 * Chooses the CRC32 instruction (true: the caller checked CPUID.1:ECX.SSE4_2)
 * or the table (false, the default). Both give the same values.
 */
void status_crc32c_use_instruction(bool use);
/* CRC-32C of size_bytes at data, continuing from crc (0 to start), as crc32c libraries chain it. */
uint32_t status_crc32c(uint32_t crc, const void *data, size_t size_bytes);
/* The table-driven one alone, for the host tests that compare the two. */
uint32_t status_crc32c_table(uint32_t crc, const void *data, size_t size_bytes);

#endif
