// host-sources:
/*
 * A vm0 vCPU's TSC on its TSC offset (arch/x86/vmx/tsc_offset.h): writes of
 * IA32_TSC and IA32_TSC_ADJUST move only the offset, and read back as
 * written (SDM Vol. 3: "Time-Stamp Counter Adjustment"); a guest deadline
 * becomes the processor's, never wrapped to far ahead.
 */
#include "arch/x86/vmx/tsc_offset.h"
#include "tests/unit/check.h"

TEST(adjust_write_reads_back_and_moves_the_tsc_by_the_difference)
{
    uint64_t processor_adjust = 0, processor_tsc = 5000;
    uint64_t offset = tsc_offset_for_adjust(processor_adjust, 100000000000ull);
    CHECK_EQ(processor_adjust + offset, 100000000000ull);     /* the guest's IA32_TSC_ADJUST */
    CHECK_EQ(processor_tsc + offset, 100000000000ull + 5000); /* its TSC moved by the same amount */
    offset = tsc_offset_for_adjust(processor_adjust, 0);
    CHECK_EQ(offset, 0);
    /* A processor whose own adjust is not 0: the guest's still reads what it wrote. */
    CHECK_EQ(7 + tsc_offset_for_adjust(7, 3), 3);
}

TEST(tsc_write_reads_back_and_moves_the_adjust_value_with_it)
{
    uint64_t processor_tsc = 123456, processor_adjust = 0;
    uint64_t offset = tsc_offset_for_tsc(processor_tsc, 100000000000ull);
    CHECK_EQ(processor_tsc + offset, 100000000000ull);
    /* The SDM's rule: the adjust value changes by what the TSC changed by, so TSC - ADJUST keeps counting. */
    CHECK_EQ(100000000000ull - (processor_adjust + offset), processor_tsc);
    /* Backwards too (modular arithmetic, as the 64-bit counter). */
    offset = tsc_offset_for_tsc(processor_tsc, 10);
    CHECK_EQ(processor_tsc + offset, 10);
}

TEST(deadline_is_the_processors_and_never_wraps)
{
    uint64_t offset = 1000;
    CHECK_EQ(tsc_deadline_for_processor(0, offset, 5000), 0);       /* disarmed stays disarmed */
    CHECK_EQ(tsc_deadline_for_processor(9000, offset, 5000), 8000); /* 4000 guest ticks ahead: as many */
    CHECK_EQ(tsc_deadline_for_processor(4000, offset, 5000), 1);    /* already passed: at once */
    CHECK_EQ(tsc_deadline_for_processor(5000, offset, 5000), 1);
    /* A negative offset (the guest set its TSC back): the deadline moves ahead on the processor. */
    CHECK_EQ(tsc_deadline_for_processor(100, (uint64_t)-50000, 50), 50100);
}
