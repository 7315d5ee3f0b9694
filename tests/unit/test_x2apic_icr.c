// host-sources: arch/x86/vmx/x2apic_icr.c
/*
 * The ICR decoder (arch/x86/vmx/x2apic_icr.h) in both forms, and the x2APIC
 * ICR of a VM of one vCPU: the fields decoded, and every destination but the sender itself refused by
 * name; to itself only fixed, lowest-priority and NMI are delivered.
 */
#include "arch/x86/vmx/x2apic_icr.h"
#include "tests/unit/check.h"

#define ICR(low, dest) (((uint64_t)(dest) << 32) | (low))

TEST(decode_takes_every_field_from_its_bits)
{
    struct x2apic_icr icr = x2apic_icr_decode(ICR(0xCC641, 7));
    CHECK_EQ(icr.vector, 0x41);
    CHECK_EQ(icr.delivery, X2APIC_DELIVERY_SIPI);
    CHECK(!icr.logical);
    CHECK(icr.level_assert);
    CHECK(icr.level_triggered);
    CHECK_EQ(icr.shorthand, X2APIC_SHORTHAND_ALL_EXCLUDING_SELF);
    CHECK_EQ(icr.destination, 7u);
    CHECK(x2apic_icr_decode(ICR(0x800, 0)).logical);
}

TEST(the_xapic_form_decodes_the_same_with_its_8_bit_destination)
{
    /* kvm-unit-tests' INIT and SIPI broadcasts, as vapic_icr.c sees them: ICR2 is 0 */
    struct x2apic_icr icr = x2apic_icr_decode_xapic(0x000C4500, 0);
    CHECK_EQ(icr.delivery, X2APIC_DELIVERY_INIT);
    CHECK_EQ(icr.shorthand, X2APIC_SHORTHAND_ALL_EXCLUDING_SELF);
    CHECK(icr.level_assert);
    icr = x2apic_icr_decode_xapic(0x00000699,
                                  0x03ffffff); /* Linux's SIPI to APIC id 3: bits 23:0 of ICR2 reserved */
    CHECK_EQ(icr.delivery, X2APIC_DELIVERY_SIPI);
    CHECK_EQ(icr.vector, 0x99);
    CHECK_EQ(icr.destination, 3u);
    CHECK_EQ(x2apic_icr_decode_xapic(0x4000, 0xff000000).destination, 0xffu); /* broadcast stays 0xFF */
    CHECK(x2apic_icr_decode_xapic(0x8000, 0).level_triggered);
}

TEST(an_ipi_to_another_cpu_is_refused_by_name)
{
    static const uint32_t modes[] = { 0x4500, 0x4610, 0x4400, 0x4040 }; /* INIT, SIPI, NMI, fixed */
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        struct x2apic_icr icr = x2apic_icr_decode(ICR(modes[i], 3));
        struct x2apic_ipi_decision d = x2apic_ipi_decide(&icr, 0);
        CHECK(d.refused);
        CHECK(!d.deliver_to_self);
        CHECK_EQ(d.refused_destination, 3u);
        CHECK(strstr(d.refusal, "not a vCPU of this VM") != NULL);
    }
}

TEST(fixed_and_nmi_to_itself_are_delivered)
{
    struct x2apic_icr fixed = x2apic_icr_decode(ICR(0x4041, 0));
    struct x2apic_ipi_decision d = x2apic_ipi_decide(&fixed, 0);
    CHECK(d.deliver_to_self && !d.refused);
    struct x2apic_icr self = x2apic_icr_decode(ICR(0x44044, 9)); /* shorthand self: the field is ignored */
    d = x2apic_ipi_decide(&self, 0);
    CHECK(d.deliver_to_self && !d.refused);
    struct x2apic_icr nmi = x2apic_icr_decode(ICR(0x4400, 0));
    d = x2apic_ipi_decide(&nmi, 0);
    CHECK(d.deliver_to_self && !d.refused);
}

TEST(init_sipi_smi_and_low_vectors_to_itself_are_refused)
{
    static const uint32_t lows[] = { 0x4500, 0x4610, 0x4200, 0x400F };
    for (size_t i = 0; i < sizeof lows / sizeof lows[0]; i++) {
        struct x2apic_icr icr = x2apic_icr_decode(ICR(lows[i], 0));
        struct x2apic_ipi_decision d = x2apic_ipi_decide(&icr, 0);
        CHECK(d.refused);
        CHECK(!d.deliver_to_self);
        CHECK_EQ(d.refused_destination, 0u);
    }
}

TEST(broadcasts_deliver_only_the_own_part)
{
    struct x2apic_icr incl = x2apic_icr_decode(ICR(0x84042, 0));
    struct x2apic_ipi_decision d = x2apic_ipi_decide(&incl, 0);
    CHECK(d.deliver_to_self && d.refused);
    CHECK_EQ(d.refused_destination, 0xffffffffu);
    struct x2apic_icr excl = x2apic_icr_decode(ICR(0xC4500, 0));
    d = x2apic_ipi_decide(&excl, 0);
    CHECK(!d.deliver_to_self && d.refused);
    struct x2apic_icr all = x2apic_icr_decode(ICR(0x4042, 0xffffffffu)); /* destination broadcast */
    d = x2apic_ipi_decide(&all, 0);
    CHECK(d.deliver_to_self && d.refused);
}

TEST(logical_destinations_match_the_own_cluster_bit_only)
{
    CHECK_EQ(x2apic_logical_id(0), 0x1u);
    CHECK_EQ(x2apic_logical_id(0x13), 0x10008u);
    struct x2apic_icr mine = x2apic_icr_decode(ICR(0x4840, 0x1));
    struct x2apic_ipi_decision d = x2apic_ipi_decide(&mine, 0);
    CHECK(d.deliver_to_self && !d.refused);
    struct x2apic_icr two = x2apic_icr_decode(ICR(0x4840, 0x3)); /* itself and member 1 */
    d = x2apic_ipi_decide(&two, 0);
    CHECK(d.deliver_to_self && d.refused);
    struct x2apic_icr other_cluster = x2apic_icr_decode(ICR(0x4840, 0x10001));
    d = x2apic_ipi_decide(&other_cluster, 0);
    CHECK(!d.deliver_to_self && d.refused);
}

TEST(an_init_level_deassert_is_nothing)
{
    struct x2apic_icr icr = x2apic_icr_decode(ICR(0x8500, 2)); /* INIT, level-triggered, de-assert */
    struct x2apic_ipi_decision d = x2apic_ipi_decide(&icr, 0);
    CHECK(!d.deliver_to_self && !d.refused);
}

TEST(names_of_the_delivery_modes)
{
    CHECK(strcmp(x2apic_delivery_name(X2APIC_DELIVERY_INIT), "INIT") == 0);
    CHECK(strcmp(x2apic_delivery_name(X2APIC_DELIVERY_SIPI), "SIPI") == 0);
    CHECK(strcmp(x2apic_delivery_name(3), "reserved") == 0);
}
