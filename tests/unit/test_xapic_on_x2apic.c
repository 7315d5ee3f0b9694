// host-sources: arch/x86/vmx/xapic_on_x2apic.c
/*
 * The xAPIC view over an x2APIC against a model of Bochs 2.7's x2APIC
 * (cpu/apic.cc read_x2apic/write_x2apic): each MSR the translation reads
 * or writes must be one that model takes without a #GP (a #GP in VMX root
 * would be vmxroot's own fault), and each register must read as an xAPIC
 * reads it: the ID in 31:24, the ICR split in two with the delivery status
 * clear, the DFR kept, the LDR in the DFR's model, the IPIs in x2APIC form.
 */
#include "arch/x86/vmx/xapic_on_x2apic.h"
#include "tests/unit/check.h"

struct fake_x2apic {
    uint64_t msr[0x100]; /* 0x800-0x8FF */
    int faults;          /* accesses Bochs's x2APIC refuses with #GP */
    int reads, writes;
    uint32_t last_write_msr;
    uint64_t last_write;
    int ipis;
    uint32_t ipi_low, ipi_high;
    uint64_t ipi_x2apic;
};

static bool readable(uint32_t msr)
{
    /* read_x2apic: not DFR (0x80E), APR (0x809), ICR high (0x831), EOI (0x80B), SELF IPI (0x83F), reserved */
    return msr == 0x802 || msr == 0x803 || msr == 0x808 || msr == 0x80A || msr == 0x80D || msr == 0x80F ||
           (msr >= 0x810 && msr <= 0x828) || msr == 0x82F || msr == 0x830 || (msr >= 0x832 && msr <= 0x839) ||
           msr == 0x83E;
}

static bool write_allowed(uint32_t msr, uint64_t v)
{
    if (msr != 0x830 && (v >> 32))
        return false;
    switch (msr) {
    case 0x808:
        return (v & ~0xffull) == 0; /* TPR */
    case 0x80F:
        return (v & ~0x1ffull) == 0; /* SVR */
    case 0x80B:
    case 0x828:
        return v == 0; /* EOI, ESR */
    case 0x82F:
    case 0x832:
    case 0x833:
    case 0x834:
    case 0x835:
    case 0x836:
    case 0x837:
    case 0x838:
    case 0x83E:
    case 0x830:
    case 0x83F:
        return true;
    default:
        return false; /* ID, version, PPR, LDR, ISR/TMR/IRR, current count, reserved: read-only */
    }
}

static uint64_t fake_rdmsr(void *ctx, uint32_t msr)
{
    struct fake_x2apic *f = ctx;
    f->reads++;
    if (msr < 0x800 || msr > 0x8ff || !readable(msr)) {
        f->faults++;
        return 0;
    }
    return f->msr[msr - 0x800];
}

static void fake_wrmsr(void *ctx, uint32_t msr, uint64_t value)
{
    struct fake_x2apic *f = ctx;
    f->writes++;
    f->last_write_msr = msr;
    f->last_write = value;
    if (msr < 0x800 || msr > 0x8ff || !write_allowed(msr, value)) {
        f->faults++;
        return;
    }
    f->msr[msr - 0x800] = value;
}

static void fake_send(void *ctx, uint32_t low, uint32_t high, uint64_t x2apic_icr)
{
    struct fake_x2apic *f = ctx;
    f->ipis++;
    f->ipi_low = low;
    f->ipi_high = high;
    f->ipi_x2apic = x2apic_icr;
}

static struct fake_x2apic fake;
static struct xapic_view view;
static const struct xapic_on_x2apic_ops ops = { fake_rdmsr, fake_wrmsr, fake_send, &fake };

/* A Bochs skylake_x CPU with x2APIC id id (version 0x50014: 6 LVT entries, no CMCI). */
static void setup(uint32_t id)
{
    memset(&fake, 0, sizeof fake);
    fake.msr[0x02] = id;
    fake.msr[0x03] = 0x50014;
    fake.msr[0x0D] = ((id >> 4) << 16) | (1u << (id & 15));
    fake.msr[0x0F] = 0x1ff;
    for (unsigned i = 0x32; i <= 0x37; i++)
        fake.msr[i] = 0x10000;
    fake.msr[0x39] = 0x1234;
    xapic_view_reset(&view);
}

TEST(page_state)
{
    CHECK_EQ(xapic_page_state(0xfee00900, false), XAPIC_PAGE_REAL);
    CHECK_EQ(xapic_page_state(0xfee00900, true), XAPIC_PAGE_EMULATED);
    CHECK_EQ(xapic_page_state(0xfee00100, true), XAPIC_PAGE_NONE); /* disabled */
    CHECK_EQ(xapic_page_state(0xfee00100, false), XAPIC_PAGE_NONE);
    CHECK_EQ(xapic_page_state(0xfee00d00, true), XAPIC_PAGE_NONE); /* x2APIC: no MMIO */
}

TEST(reads_as_an_xapic)
{
    setup(3);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x20, &ops), 3u << 24); /* ID */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x30, &ops), 0x50014);  /* version */
    fake.msr[0x08] = 0x20;
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x80, &ops), 0x20); /* TPR */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xF0, &ops), 0x1ff);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x320, &ops), 0x10000);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x390, &ops), 0x1234); /* current count */
    fake.msr[0x21] = 0x80000000;
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x210, &ops), 0x80000000); /* IRR 1 */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xE0, &ops), 0xffffffff);  /* DFR: flat after reset */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xD0, &ops), 0x08u << 24); /* LDR: x2APIC id 3, cluster 0, bit 3 */
    /* Not in x2APIC mode, write-only or reserved: 0, without touching an MSR that faults. */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x90, &ops), 0);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xB0, &ops), 0);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xC0, &ops), 0);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x2F0, &ops), 0); /* no CMCI on this model */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x3F0, &ops), 0);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x400, &ops), 0);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x23, &ops), 3u << 24); /* within the register: its slot */
    CHECK_EQ(fake.faults, 0);
    fake.msr[0x03] = 0x60014; /* 7 LVT entries: CMCI is there */
    fake.msr[0x2F] = 0x10000;
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x2F0, &ops), 0x10000);
    CHECK_EQ(fake.faults, 0);
}

TEST(ldr_in_the_dfr_model)
{
    CHECK_EQ(xapic_ldr_from_x2apic(0x00000001, 0xffffffff), 0x01000000u);
    CHECK_EQ(xapic_ldr_from_x2apic(0x00000080, 0xffffffff), 0x80000000u);
    CHECK_EQ(xapic_ldr_from_x2apic(0x00000100, 0xffffffff), 0); /* x2APIC id 8: no flat logical id */
    CHECK_EQ(xapic_ldr_from_x2apic(0x00010001, 0xffffffff), 0); /* cluster 1 */
    CHECK_EQ(xapic_ldr_from_x2apic(0x00000004, 0x0fffffff), 0x04000000u);
    CHECK_EQ(xapic_ldr_from_x2apic(0x00020002, 0x0fffffff), 0x22000000u);
    CHECK_EQ(xapic_ldr_from_x2apic(0x00020010, 0x0fffffff), 0); /* member 4: not in a 4-member cluster */
    CHECK_EQ(xapic_ldr_from_x2apic(0x000F0001, 0x0fffffff), 0); /* cluster 15 is the broadcast */
    setup(2);
    xapic_on_x2apic_write(&view, 0xE0, 0x0, &ops); /* cluster model */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xE0, &ops), 0x0fffffff);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xD0, &ops), 0x04000000u);
    xapic_on_x2apic_write(&view, 0xD0, 0x80000000, &ops); /* dropped: the x2APIC LDR is read-only */
    CHECK_EQ(xapic_on_x2apic_read(&view, 0xD0, &ops), 0x04000000u);
    CHECK_EQ(fake.writes, 0);
    CHECK_EQ(fake.faults, 0);
}

TEST(writes_within_what_the_x2apic_takes)
{
    setup(0);
    xapic_on_x2apic_write(&view, 0x80, 0xffffff30, &ops);
    CHECK_EQ(fake.last_write_msr, 0x808);
    CHECK_EQ(fake.last_write, 0x30);
    xapic_on_x2apic_write(&view, 0xF0, 0x3ff, &ops); /* focus disable dropped: Bochs's x2APIC SVR is 8:0 */
    CHECK_EQ(fake.last_write, 0x1ff);
    xapic_on_x2apic_write(&view, 0xB0, 0x12345678, &ops); /* EOI: any value in xAPIC mode, 0 in x2APIC */
    CHECK_EQ(fake.last_write_msr, 0x80B);
    CHECK_EQ(fake.last_write, 0);
    xapic_on_x2apic_write(&view, 0x280, 0xffffffff, &ops);
    CHECK_EQ(fake.last_write_msr, 0x828);
    CHECK_EQ(fake.last_write, 0);
    xapic_on_x2apic_write(&view, 0x320, 0xffffffff, &ops); /* LVT timer: defined bits only */
    CHECK_EQ(fake.last_write_msr, 0x832);
    CHECK_EQ(fake.last_write, 0x000700ff);
    xapic_on_x2apic_write(&view, 0x350, 0xffffffff, &ops); /* LINT0: no delivery status, no remote IRR */
    CHECK_EQ(fake.last_write, 0x0001a7ff);
    xapic_on_x2apic_write(&view, 0x370, 0xffffffff, &ops);
    CHECK_EQ(fake.last_write_msr, 0x837);
    CHECK_EQ(fake.last_write, 0x000100ff);
    xapic_on_x2apic_write(&view, 0x380, 0x10000, &ops);
    CHECK_EQ(fake.last_write_msr, 0x838);
    CHECK_EQ(fake.last_write, 0x10000);
    xapic_on_x2apic_write(&view, 0x3E0, 0xffffffff, &ops);
    CHECK_EQ(fake.last_write_msr, 0x83E);
    CHECK_EQ(fake.last_write, 0xb);
    int writes = fake.writes;
    /* Read-only, reserved, x2APIC-only and no-CMCI registers: dropped. */
    static const uint32_t dropped[] = { 0x20,  0x30,  0x90,  0xA0,  0xC0,  0xD0,
                                        0x100, 0x200, 0x390, 0x2F0, 0x3F0, 0x400 };
    for (unsigned i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
        xapic_on_x2apic_write(&view, dropped[i], 0xffffffff, &ops);
    CHECK_EQ(fake.writes, writes);
    CHECK_EQ(fake.faults, 0);
    CHECK_EQ(fake.ipis, 0);
}

TEST(icr_in_two_halves)
{
    setup(0);
    fake.msr[0x30] = 0xdead; /* the processor's ICR is never what the view shows */
    xapic_on_x2apic_write(&view, 0x310, 0x01ffffff, &ops);
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x310, &ops), 0x01000000u); /* bits 55:32 reserved */
    CHECK_EQ(fake.ipis, 0);
    /* kvm-unit-tests' self IPI: shorthand self, vector 0xf1 */
    xapic_on_x2apic_write(&view, 0x300, 0x000440f1 | (1u << 12), &ops);
    CHECK_EQ(fake.ipis, 1);
    CHECK_EQ(fake.ipi_low, 0x000450f1u);
    CHECK_EQ(fake.ipi_high, 0x01000000u);
    CHECK(fake.ipi_x2apic == (0x000440f1ull | (1ull << 32)));
    CHECK_EQ(xapic_on_x2apic_read(&view, 0x300, &ops), 0x000440f1u); /* delivery status: idle */
    CHECK_EQ(fake.writes, 0);
    CHECK_EQ(fake.faults, 0);
}

TEST(icr_destinations)
{
    /* Physical: the id as is; 0xFF is the broadcast. */
    CHECK(xapic_icr_to_x2apic(0x4000 | 0xcf, 0x02000000, 0xffffffff) == (0x40cfull | (2ull << 32)));
    CHECK(xapic_icr_to_x2apic(0x4000 | 0xcf, 0xff000000, 0xffffffff) == (0x40cfull | (0xffffffffull << 32)));
    /* Logical flat: cluster 0, the same bits; cluster model: bits 7:4 the cluster, 3:0 the members. */
    CHECK(xapic_icr_to_x2apic(0x8f1, 0x05000000, 0xffffffff) == (0x8f1ull | (5ull << 32)));
    CHECK(xapic_icr_to_x2apic(0x8f1, 0x23000000, 0x0fffffff) == (0x8f1ull | (0x00020003ull << 32)));
    CHECK(xapic_icr_to_x2apic(0x8f1, 0xff000000, 0x0fffffff) == (0x8f1ull | (0xffffffffull << 32)));
    /* Reserved bits (13, 16-17, 20-31) and the delivery status do not reach the x2APIC ICR. */
    CHECK(xapic_icr_to_x2apic(0xffffffff, 0, 0xffffffff) == 0x000ccfffull);
    /* INIT and SIPI keep their mode and shorthand: the caller's vapic_icr_write sees them. */
    CHECK(xapic_icr_to_x2apic(0x000c4500, 0, 0xffffffff) == 0x000c4500ull);
}

TEST(register_bytes)
{
    CHECK(xapic_register_bytes(0x11223344, 0x30, 4) == 0x11223344);
    CHECK(xapic_register_bytes(0x11223344, 0x31, 1) == 0x33);
    CHECK(xapic_register_bytes(0x11223344, 0x32, 2) == 0x1122);
    CHECK(xapic_register_bytes(0x11223344, 0x32, 4) == 0x1122); /* past the register: 0 */
    CHECK(xapic_register_bytes(0x11223344, 0x30, 8) == 0x11223344);
    CHECK(xapic_register_bytes(0x11223344, 0x34, 4) == 0);
    CHECK(xapic_register_bytes(0xffffffff, 0x3c, 8) == 0);
}
