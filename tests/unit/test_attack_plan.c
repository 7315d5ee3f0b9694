// host-sources: arch/x86/vmx/attack_guest/attack_plan.c
/*
 * Where the hostile guest's cases run (arch/x86/vmx/attack_guest/attack_plan.h):
 * every case on exactly one CPU, the non-destructive ones on rank 0, the
 * destructive ones (flood and after) off rank 0 whenever there are other
 * CPUs; and the names the result lines use.
 */
#include "arch/x86/vmx/attack_guest/attack_plan.h"
#include "tests/unit/check.h"

#define ALL_CASES ((1u << ATTACK_CASE_COUNT) - 1)

TEST(every_case_runs_exactly_once_for_any_cpu_count)
{
    for (uint32_t ranks = 1; ranks <= 16; ranks++) {
        uint32_t seen = 0;
        for (uint32_t rank = 0; rank < ranks; rank++) {
            uint32_t mask = attack_plan_case_mask(rank, ranks);
            CHECK_EQ(seen & mask, 0u);
            seen |= mask;
        }
        CHECK_EQ(seen, ALL_CASES);
        CHECK_EQ(attack_plan_case_mask(ranks, ranks), 0u);
    }
}

TEST(rank_0_gets_the_cases_that_do_not_stop_it)
{
    uint32_t safe = (1u << ATTACK_FIRST_DESTRUCTIVE) - 1;
    CHECK_EQ(attack_plan_case_mask(0, 4), safe);
    CHECK_EQ(attack_plan_case_mask(0, 1), ALL_CASES);
    for (uint32_t rank = 1; rank < 4; rank++)
        CHECK_EQ(attack_plan_case_mask(rank, 4) & safe, 0u);
}

TEST(four_cpus_spread_the_destructive_cases_over_cpus_1_to_3)
{
    CHECK_EQ(attack_plan_case_mask(1, 4), (1u << ATTACK_CASE_FLOOD) | (1u << ATTACK_CASE_CR0_PG));
    CHECK_EQ(attack_plan_case_mask(2, 4), (1u << ATTACK_CASE_TRIPLE_FAULT) | (1u << ATTACK_CASE_CR3_OUTSIDE));
    CHECK_EQ(attack_plan_case_mask(3, 4), 1u << ATTACK_CASE_DF_STORM);
    CHECK_EQ(attack_plan_case_mask(1, 2), ALL_CASES & ~((1u << ATTACK_FIRST_DESTRUCTIVE) - 1));
}

TEST(names)
{
    CHECK(strcmp(attack_case_name(ATTACK_CASE_STATUS_PAGE), "status-page") == 0);
    CHECK(strcmp(attack_case_name(ATTACK_CASE_CR3_OUTSIDE), "cr3-outside") == 0);
    CHECK(strcmp(attack_case_name(ATTACK_CASE_COUNT), "?") == 0);
    CHECK(strcmp(attack_memory_kind_name(7), "ept") == 0);
    CHECK(strcmp(attack_memory_kind_name(13), "bss") == 0);
    CHECK(strcmp(attack_memory_kind_name(14), "?") == 0);
    CHECK(strcmp(attack_result_name(ATTACK_SKIP), "SKIP") == 0);
}
