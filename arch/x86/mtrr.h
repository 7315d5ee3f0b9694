/*
 * Memory type range registers (SDM: "Memory Type Range Registers (MTRRs)"):
 * IA32_MTRRCAP, IA32_MTRR_DEF_TYPE, the fixed ranges below 1 MiB and the
 * variable ranges, read once through an RDMSR callback into a plain
 * struct mtrr_map, and the memory type of a physical range computed from it
 * with the SDM's precedence rules. EPT uses it to give each leaf the type
 * the host's MTRRs give that memory, and to choose a large page only where
 * the whole page has one type. Pure code: the kernel passes a real RDMSR,
 * tests pass a table.
 */
#ifndef ARCH_X86_MTRR_H
#define ARCH_X86_MTRR_H

#include "core/lib/compiler.h"

#define MSR_IA32_MTRRCAP 0xFE
#define MSR_IA32_MTRR_PHYSBASE0 0x200 /* PHYSBASEn = 0x200 + 2n, PHYSMASKn = 0x201 + 2n */
#define MSR_IA32_MTRR_FIX64K_00000 0x250
#define MSR_IA32_MTRR_FIX16K_80000 0x258
#define MSR_IA32_MTRR_FIX16K_A0000 0x259
#define MSR_IA32_MTRR_FIX4K_C0000 0x268 /* ... FIX4K_F8000 0x26F, one MSR per 32 KiB */
#define MSR_IA32_MTRR_DEF_TYPE 0x2FF

/* IA32_MTRRCAP (SDM: "MTRR Feature Identification"). */
#define MTRRCAP_VCNT_MASK 0xffu
#define MTRRCAP_FIX (1ull << 8)
#define MTRRCAP_WC (1ull << 10)
/* IA32_MTRR_DEF_TYPE (SDM: "IA32_MTRR_DEF_TYPE MSR"). */
#define MTRR_DEF_TYPE_MASK 0xffu
#define MTRR_DEF_TYPE_FE (1ull << 10)
#define MTRR_DEF_TYPE_E (1ull << 11)
/* IA32_MTRR_PHYSMASKn valid bit; PHYSBASE/PHYSMASK addresses are bits MAXPHYADDR-1:12. */
#define MTRR_PHYSMASK_VALID (1ull << 11)

/* The memory type encodings, shared by MTRRs, PAT and EPT (SDM: "Memory Types"). */
enum mtrr_type {
    MTRR_TYPE_UC = 0, /* uncacheable */
    MTRR_TYPE_WC = 1, /* write combining */
    MTRR_TYPE_WT = 4, /* write-through */
    MTRR_TYPE_WP = 5, /* write-protected */
    MTRR_TYPE_WB = 6, /* write-back */
};

/* The fixed ranges: 8 x 64 KiB from 0, 16 x 16 KiB from 0x80000, 64 x 4 KiB from 0xC0000. */
#define MTRR_FIXED_RANGES 88u
#define MTRR_FIXED_END_PHYS 0x100000ull
/* More variable ranges than any CPU has reported (8 to 10 on current parts); more is refused. */
#define MTRR_VARIABLE_MAX 32u

struct mtrr_variable {
    uint64_t base_phys; /* PHYSBASE bits 51:12 */
    uint64_t mask;      /* PHYSMASK bits 51:12, widened with 1s above the physical-address width */
    uint8_t type;       /* PHYSBASE bits 7:0 */
};

struct mtrr_map {
    bool enabled;                          /* IA32_MTRR_DEF_TYPE.E: when clear, all memory is UC */
    bool fixed_enabled;                    /* IA32_MTRRCAP.FIX and IA32_MTRR_DEF_TYPE.FE */
    uint8_t default_type;                  /* IA32_MTRR_DEF_TYPE bits 7:0 */
    uint8_t fixed_type[MTRR_FIXED_RANGES]; /* in address order */
    uint32_t variable_count;               /* valid (PHYSMASK.V) ranges only */
    struct mtrr_variable variable[MTRR_VARIABLE_MAX];
};

/* The same shape as vmx_rdmsr_fn: 0 or a negative E_* (e.g. E_FAULT for #GP). */
typedef int (*mtrr_rdmsr_fn)(void *ctx, uint32_t msr, uint64_t *value);

/*
 * Reads the MTRRs. phys_width_bits is MAXPHYADDR (CPUID 0x80000008 EAX[7:0]).
 * Returns 0; the callback's error; E_RANGE when IA32_MTRRCAP reports more
 * than MTRR_VARIABLE_MAX variable ranges; E_INVAL for a reserved memory type
 * in an enabled register (hardware refuses to load one, so it means a bad
 * callback or a bad emulator) — each logged with the MSR named.
 */
MUST_CHECK int mtrr_read(struct mtrr_map *map, mtrr_rdmsr_fn rdmsr, void *ctx, uint32_t phys_width_bits);

/*
 * The memory type of [phys, phys + size_bytes): true and *type when every
 * byte has the same type, false (and *type the type of the first byte) when
 * the range has more than one. A 4 KiB-aligned 4 KiB page is always uniform.
 * size_bytes 0, or a range that wraps, returns false. Overlapping variable
 * ranges follow the SDM ("MTRR Precedences"): one type if they agree, UC if
 * any is UC, WT for WT with WB; any other mix is undefined there and is
 * taken as UC here. May answer false for a uniform range whose variable
 * masks are not contiguous (a bounded search gives up): never the reverse.
 */
bool mtrr_type_of_range(const struct mtrr_map *map, uint64_t phys, uint64_t size_bytes, uint8_t *type);

#ifndef VMXROOT_HOST
/*
 * This CPU's MTRRs (arch/x86/mtrr_cpu.c, the thin hardware layer): reads
 * them with RDMSR and MAXPHYADDR from CPUID; a CPU without MTRRs
 * (CPUID.1:EDX.MTRR clear) gets a map that is WB everywhere, as PAT alone
 * then decides. The errors of mtrr_read.
 */
MUST_CHECK int mtrr_read_this_cpu(struct mtrr_map *map);
#endif

/* A map that gives every byte one type (no MTRRs, or a guest whose memory is all one kind). */
void mtrr_map_all(struct mtrr_map *map, uint8_t type);

/* UC, WC, WT, WP, WB: the others are reserved (a #GP in an MTRR, a misconfiguration in EPT). */
bool mtrr_type_is_defined(uint64_t type);

/* "UC", "WC", "WT", "WP", "WB"; "reserved" for the other values. */
const char *mtrr_type_name(uint8_t type);

#endif
