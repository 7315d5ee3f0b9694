// host-sources: core/status_crc32c.c
/*
 * CRC-32C of the status area's guest blocks (core/status_crc32c.c): the
 * check value, chaining, and the CRC32 instruction against the table on
 * every length and alignment (where the host CPU has SSE4.2).
 */
#include <stdlib.h>
#include "arch/x86/cpuid.h"
#include "core/status_crc32c.h"
#include "tests/unit/check.h"

TEST(check_value_and_chaining)
{
    status_crc32c_use_instruction(false);
    CHECK_EQ(status_crc32c(0, "123456789", 9), 0xE3069283u);
    CHECK_EQ(status_crc32c(0, "", 0), 0);
    CHECK_EQ(status_crc32c(status_crc32c(0, "1234", 4), "56789", 5), 0xE3069283u);
    /* RFC 3720 (iSCSI), B.4: 32 bytes of zeros. */
    static const uint8_t zeros[32];
    CHECK_EQ(status_crc32c(0, zeros, sizeof zeros), 0x8A9136AAu);
}

TEST(instruction_equals_table)
{
    if (!(cpuid(1, 0).ecx & CPUID1_ECX_SSE4_2)) {
        printf("  this host has no SSE4.2: the table alone is checked\n");
        return;
    }
    static uint8_t data[400];
    srand(7);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)rand();
    status_crc32c_use_instruction(true);
    CHECK_EQ(status_crc32c(0, "123456789", 9), 0xE3069283u);
    for (size_t start = 0; start < 9; start++)
        for (size_t size = 0; size + start <= sizeof data; size += 7)
            CHECK_EQ(status_crc32c(0x1234, data + start, size),
                     status_crc32c_table(0x1234, data + start, size));
    status_crc32c_use_instruction(false);
}
