/*
 * Valid VMCS images for the VM-entry check's tests and fuzz harness, against
 * the capability MSRs Bochs 2.7 computes for corei7_skylake_x (bochs/cpu/
 * vmcs.cc init_vmx_capabilities, vmx.h VMX_MSR_*, cpudb/intel/
 * corei7_skylake-x.cc's extensions), and a small fake physical memory that
 * holds the pages the checks read (virtual-APIC page, VMCS link target,
 * MSR-load list, PAE page-directory-pointer table).
 */
#ifndef TESTS_UNIT_VMENTRY_BUILD_H
#define TESTS_UNIT_VMENTRY_BUILD_H

#include <string.h>
#include "arch/x86/vmx/vmentry_check.h"
#include "core/lib/error.h"

/* Bochs corei7_skylake_x. */
#define SKX_BASIC 0x00d810000000002bull /* rev 0x2b, 4096 bytes, WB, INS/OUTS info, TRUE controls */
#define SKX_PIN 0x0000007f00000016ull
#define SKX_PROC 0xf7f9fffe0401e172ull /* no monitor trap flag */
#define SKX_EXIT 0x007fffff00036dffull
#define SKX_ENTRY 0x0000ffff000011ffull
#define SKX_MISC 0x00000000600401e0ull /* HLT, shutdown, wait-for-SIPI, 4 CR3 targets, VMWRITE any, ILEN 0 */
#define SKX_PROC2 0x02177fff00000000ull
#define SKX_EPT_VPID 0x00000f0106334141ull
#define SKX_TRUE_PROC 0xf7f9fffe04006172ull
#define SKX_TRUE_EXIT 0x007fffff00036dfbull
#define SKX_TRUE_ENTRY 0x0000ffff000011fbull
#define TEST_PHYS_WIDTH 40

/* The fake memory: 16 pages from 64 KiB. */
#define FAKE_BASE 0x10000ull
#define FAKE_PAGES 16
#define PAGE_VIRTUAL_APIC (FAKE_BASE + 0x0000)
#define PAGE_IO_A (FAKE_BASE + 0x1000)
#define PAGE_IO_B (FAKE_BASE + 0x2000)
#define PAGE_MSR_BITMAP (FAKE_BASE + 0x3000)
#define PAGE_EPT_PML4 (FAKE_BASE + 0x4000)
#define PAGE_LINK (FAKE_BASE + 0x5000)
#define PAGE_MSR_LOAD (FAKE_BASE + 0x6000)
#define PAGE_PDPT (FAKE_BASE + 0x7000)
#define PAGE_CURRENT_VMCS (FAKE_BASE + 0x8000)
#define PAGE_SCRATCH (FAKE_BASE + 0x9000)

struct fake_phys {
    uint8_t bytes[FAKE_PAGES][4096];
    unsigned reads;
};

static inline int fake_phys_read(void *ctx, uint64_t phys, void *buffer, size_t size)
{
    struct fake_phys *mem = ctx;
    mem->reads++;
    if (phys < FAKE_BASE || size > FAKE_PAGES * 4096ull || phys - FAKE_BASE > FAKE_PAGES * 4096ull - size)
        return E_FAULT;
    memcpy(buffer, &mem->bytes[0][0] + (phys - FAKE_BASE), size);
    return 0;
}

static inline void fake_phys_write64(struct fake_phys *mem, uint64_t phys, uint64_t value)
{
    memcpy(&mem->bytes[0][0] + (phys - FAKE_BASE), &value, sizeof value);
}

/* A WRMSR model for the MSR-load tests: every MSR but 1234H takes any value. */
static inline bool fake_msr_writable(void *ctx, uint32_t msr, uint64_t value)
{
    (void)ctx, (void)value;
    return msr != 0x1234;
}

static inline void build_skylake_caps(struct vmx_caps *caps)
{
    memset(caps, 0, sizeof *caps);
    caps->basic = SKX_BASIC;
    caps->pinbased_ctls = caps->true_pinbased_ctls = SKX_PIN;
    caps->procbased_ctls = SKX_PROC;
    caps->true_procbased_ctls = SKX_TRUE_PROC;
    caps->exit_ctls = SKX_EXIT;
    caps->true_exit_ctls = SKX_TRUE_EXIT;
    caps->entry_ctls = SKX_ENTRY;
    caps->true_entry_ctls = SKX_TRUE_ENTRY;
    caps->misc = SKX_MISC;
    caps->cr0_fixed0 = 0x80000021;
    caps->cr0_fixed1 = 0xffffffff;
    caps->cr4_fixed0 = 0x2000;
    caps->cr4_fixed1 = 0x003727ff;
    caps->vmcs_enum = 0x34;
    caps->procbased_ctls2 = SKX_PROC2;
    caps->ept_vpid_cap = SKX_EPT_VPID;
    caps->vmfunc = 1;
    caps->have_procbased_ctls2 = caps->have_ept_vpid_cap = caps->have_true_controls = caps->have_vmfunc =
        true;
    caps->ept = caps->vpid = caps->unrestricted_guest = true;
}

static inline void image_put(struct vmcs_image *image, uint32_t field, uint64_t value)
{
    if (!vmcs_image_set(image, field, value))
        __builtin_trap();
}

/* Host state of a 64-bit hypervisor, and the controls every base shares. */
static inline void build_common(struct vmcs_image *v)
{
    vmcs_image_clear(v);
    image_put(v, VMCS_PIN_BASED_VM_EXEC_CONTROL, 0x16);
    /* TRUE allowed-0 | use TPR shadow | use I/O bitmaps | use MSR bitmaps | activate secondary */
    image_put(v, VMCS_CPU_BASED_VM_EXEC_CONTROL,
              0x04006172u | (1u << 21) | (1u << 25) | (1u << 28) | (1u << 31));
    image_put(v, VMCS_SECONDARY_VM_EXEC_CONTROL,
              (1u << 1) | (1u << 5) | (1u << 7)); /* EPT, VPID, unrestricted */
    /* TRUE allowed-0 | host address-space size | acknowledge interrupt | save/load PAT | save/load EFER */
    image_put(v, VMCS_VM_EXIT_CONTROLS, 0x36dfbu | (1u << 9) | (1u << 15) | (0xfu << 18));
    image_put(v, VMCS_VM_ENTRY_CONTROLS,
              0x11fbu | (1u << 2) | (1u << 14) | (1u << 15)); /* debug, PAT, EFER */
    image_put(v, VMCS_VPID, 1);
    image_put(v, VMCS_IO_BITMAP_A, PAGE_IO_A);
    image_put(v, VMCS_IO_BITMAP_B, PAGE_IO_B);
    image_put(v, VMCS_MSR_BITMAP, PAGE_MSR_BITMAP);
    image_put(v, VMCS_VIRTUAL_APIC_ADDRESS, PAGE_VIRTUAL_APIC);
    image_put(v, VMCS_TPR_THRESHOLD, 0);
    image_put(v, VMCS_EPT_POINTER, PAGE_EPT_PML4 | (3u << 3) | 6u); /* 4-level walk, write-back */
    image_put(v, VMCS_VMREAD_BITMAP_ADDRESS, PAGE_SCRATCH);
    image_put(v, VMCS_VMWRITE_BITMAP_ADDRESS, PAGE_SCRATCH);
    image_put(v, VMCS_LINK_POINTER, ~0ull);
    image_put(v, VMCS_HOST_CR0, 0x80050033);
    image_put(v, VMCS_HOST_CR3, 0x1000000);
    image_put(v, VMCS_HOST_CR4, 0x22a0); /* PAE, PGE, OSFXSR, VMXE */
    image_put(v, VMCS_HOST_CS_SELECTOR, 0x08);
    image_put(v, VMCS_HOST_SS_SELECTOR, 0x10);
    image_put(v, VMCS_HOST_DS_SELECTOR, 0x10);
    image_put(v, VMCS_HOST_ES_SELECTOR, 0x10);
    image_put(v, VMCS_HOST_TR_SELECTOR, 0x18);
    image_put(v, VMCS_HOST_TR_BASE, 0xffffffff80200000ull);
    image_put(v, VMCS_HOST_GDTR_BASE, 0xffffffff80201000ull);
    image_put(v, VMCS_HOST_IDTR_BASE, 0xffffffff80202000ull);
    image_put(v, VMCS_HOST_RSP, 0xffffffff80300000ull);
    image_put(v, VMCS_HOST_RIP, 0xffffffff80100000ull);
    image_put(v, VMCS_HOST_IA32_EFER, 0xd01); /* SCE, LME, LMA, NXE */
    image_put(v, VMCS_HOST_IA32_PAT, 0x0007040600070406ull);
    image_put(v, VMCS_GUEST_IA32_PAT, 0x0007040600070406ull);
    image_put(v, VMCS_GUEST_DR7, 0x400);
    image_put(v, VMCS_GUEST_RFLAGS, 0x2);
    image_put(v, VMCS_GUEST_RIP, 0x100000);
    image_put(v, VMCS_GUEST_RSP, 0x200000);
    image_put(v, VMCS_GUEST_LDTR_ACCESS_RIGHTS, 0x10000); /* unusable */
    image_put(v, VMCS_GUEST_TR_SELECTOR, 0x18);
    image_put(v, VMCS_GUEST_TR_BASE, 0x5000);
    image_put(v, VMCS_GUEST_TR_LIMIT, 0x67);
    image_put(v, VMCS_GUEST_TR_ACCESS_RIGHTS, 0x8b); /* busy 32/64-bit TSS, present */
    image_put(v, VMCS_GUEST_GDTR_BASE, 0x6000);
    image_put(v, VMCS_GUEST_GDTR_LIMIT, 0x27);
    image_put(v, VMCS_GUEST_IDTR_BASE, 0x7000);
    image_put(v, VMCS_GUEST_IDTR_LIMIT, 0xfff);
}

static inline void put_flat_segments(struct vmcs_image *v, uint32_t cs_access_rights)
{
    static const uint32_t data_selectors[] = { VMCS_GUEST_ES_SELECTOR, VMCS_GUEST_SS_SELECTOR,
                                               VMCS_GUEST_DS_SELECTOR, VMCS_GUEST_FS_SELECTOR,
                                               VMCS_GUEST_GS_SELECTOR };
    for (unsigned i = 0; i < 5; i++) {
        uint32_t selector = data_selectors[i];
        image_put(v, selector, 0x10);
        image_put(v, selector - VMCS_GUEST_ES_SELECTOR + VMCS_GUEST_ES_LIMIT, 0xffffffff);
        image_put(v, selector - VMCS_GUEST_ES_SELECTOR + VMCS_GUEST_ES_ACCESS_RIGHTS, 0xc093);
        image_put(v, selector - VMCS_GUEST_ES_SELECTOR + VMCS_GUEST_ES_BASE, 0);
    }
    image_put(v, VMCS_GUEST_CS_SELECTOR, 0x08);
    image_put(v, VMCS_GUEST_CS_LIMIT, 0xffffffff);
    image_put(v, VMCS_GUEST_CS_ACCESS_RIGHTS, cs_access_rights);
    image_put(v, VMCS_GUEST_CS_BASE, 0);
}

/* A 64-bit guest with EPT, VPID and unrestricted guest. */
static inline void build_guest_64(struct vmcs_image *v)
{
    build_common(v);
    image_put(v, VMCS_VM_ENTRY_CONTROLS, v->vm_entry_controls | (1u << 9)); /* IA-32e mode guest */
    image_put(v, VMCS_GUEST_CR0, 0x80010031);                               /* PG, WP, NE, ET, PE */
    image_put(v, VMCS_GUEST_CR3, 0x200000);
    image_put(v, VMCS_GUEST_CR4, 0x2020);      /* VMXE, PAE */
    image_put(v, VMCS_GUEST_IA32_EFER, 0x500); /* LME, LMA */
    put_flat_segments(v, 0xa09b);              /* 64-bit code: type 11, S, P, L, G */
}

/* Paging-off 32-bit protected mode as a multiboot loader leaves it; needs "unrestricted guest". */
static inline void build_guest_32(struct vmcs_image *v)
{
    build_common(v);
    image_put(v, VMCS_GUEST_CR0, 0x31); /* NE, ET, PE */
    image_put(v, VMCS_GUEST_CR4, 0x2000);
    image_put(v, VMCS_GUEST_IA32_EFER, 0);
    put_flat_segments(v, 0xc09b); /* 32-bit code: type 11, S, P, D, G */
}

enum test_base { BASE_64, BASE_32, BASE_64_NO_UG, BASE_V8086, BASE_PAE_EPT, BASE_PAE_NO_EPT, BASE_COUNT };

static inline void build_base(struct vmcs_image *v, enum test_base base)
{
    switch (base) {
    case BASE_64:
        build_guest_64(v);
        return;
    case BASE_64_NO_UG:
        build_guest_64(v);
        image_put(v, VMCS_SECONDARY_VM_EXEC_CONTROL, v->secondary_processor_based_controls & ~(1u << 7));
        return;
    case BASE_V8086:
        build_guest_32(v);
        image_put(v, VMCS_GUEST_RFLAGS, 0x20002);
        for (unsigned s = 0; s < 6; s++) {
            image_put(v, VMCS_GUEST_ES_SELECTOR + 2 * s, 0x1000 + s);
            image_put(v, VMCS_GUEST_ES_BASE + 2 * s, (0x1000 + s) << 4);
            image_put(v, VMCS_GUEST_ES_LIMIT + 2 * s, 0xffff);
            image_put(v, VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * s, 0xf3);
        }
        return;
    case BASE_PAE_EPT:
    case BASE_PAE_NO_EPT:
        build_guest_32(v);
        image_put(v, VMCS_GUEST_CR0, 0x80000031);
        image_put(v, VMCS_GUEST_CR4, 0x2020);
        image_put(v, VMCS_GUEST_CR3, PAGE_PDPT);
        if (base == BASE_PAE_NO_EPT)
            image_put(v, VMCS_SECONDARY_VM_EXEC_CONTROL,
                      v->secondary_processor_based_controls & ~((1u << 1) | (1u << 7)));
        return;
    default:
        build_guest_32(v);
        return;
    }
}

/* Everything vmentry_check needs, in one place. */
struct test_vmentry {
    struct vmcs_image image;
    struct vmx_caps caps;
    struct vmentry_cpu cpu;
    struct fake_phys mem;
    struct vmentry_check_input in;
};

static inline void test_vmentry_init(struct test_vmentry *t, enum test_base base)
{
    memset(t, 0, sizeof *t);
    build_base(&t->image, base);
    build_skylake_caps(&t->caps);
    vmentry_cpu_default(&t->cpu);
    t->in.image = &t->image;
    t->in.caps = &t->caps;
    t->in.phys_address_width_bits = TEST_PHYS_WIDTH;
    t->in.cpu = &t->cpu;
    t->in.read_phys = fake_phys_read;
    t->in.msr_writable = fake_msr_writable;
    t->in.ctx = &t->mem;
}

#endif
