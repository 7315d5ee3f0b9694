/*
 * What the hostile guest (attack_guest.nasm, beside this file) and vmxroot
 * agree on: its private RAM at guest-physical 0, the header vmxroot writes
 * before each run, the ports it announces and reports its cases through,
 * and the case report. The nasm source repeats these numbers; the header's
 * offsets are asserted here and checked against the image at load.
 */
#ifndef ARCH_X86_VMX_ATTACK_GUEST_ATTACK_GUEST_ABI_H
#define ARCH_X86_VMX_ATTACK_GUEST_ATTACK_GUEST_ABI_H

#include "core/lib/compiler.h"

/*
 * Guest-physical layout (docs/guests.md, the hostile guest): its own 128 KiB
 * at 0; everything else is the machine's memory at its own address except
 * vmxroot's (not mapped), the local APIC page (not mapped) and the status
 * area (read-only).
 */
#define ATTACK_GUEST_RAM_GPA 0x0ull
#define ATTACK_GUEST_RAM_BYTES KiB(128)
#define ATTACK_GUEST_IMAGE_GPA 0x1000ull /* org 0x1000, at most up to the page tables */
#define ATTACK_GUEST_IMAGE_MAX_BYTES 0x7000ull
#define ATTACK_GUEST_PML4_GPA 0x8000ull /* PML4, PDPT, 4 PDs: identity 4 GiB in 2 MiB pages */
#define ATTACK_GUEST_PAGE_TABLE_PAGES 6u
#define ATTACK_GUEST_IDT_GPA 0xE000ull
#define ATTACK_GUEST_REPORT_GPA 0xF000ull /* struct attack_case_report */
#define ATTACK_GUEST_STACK_TOP_GPA 0x20000ull

/* Ports (every port exits for this guest). */
#define ATTACK_PORT_BEGIN 0x5E8 /* OUT dword: case id | subkind << 8: a case starts */
#define ATTACK_PORT_END 0x5EC   /* OUT dword: the case report is at ATTACK_GUEST_REPORT_GPA */
#define ATTACK_PORT_DONE 0x5E0  /* OUT dword: every case of this run is done; HLT then ends it */
#define ATTACK_PORT_FLOOD 0x80  /* the exit flood's I/O: a port with nothing on it */

#define ATTACK_GUEST_HEADER_MAGIC 0x4b545441u /* "ATTK" */
#define ATTACK_GUEST_REPORT_MAGIC 0x52545441u /* "ATTR" */
/* What the guest writes into each of vmxroot's frames: the host looks for it after each write. */
#define ATTACK_GUEST_PATTERN 0x4b43415454415845ull /* "EXATTACK" */

/* The cases, in the order a guest runs them (the destructive ones last: each stops the vCPU). */
enum attack_case {
    ATTACK_CASE_STATUS_PAGE = 0,
    ATTACK_CASE_FRAMES,    /* one report per memory kind on the status page (subkind) */
    ATTACK_CASE_VMX_INSNS, /* every VMX instruction: #UD */
    ATTACK_CASE_MSRS,      /* shadowed or #GP; the host's values unchanged */
    ATTACK_CASE_PCI_BAR,   /* 0xCF8/0xCFC */
    ATTACK_CASE_IPI,       /* the emulated x2APIC's ICR and the xAPIC page */
    ATTACK_CASE_FLOOD,     /* CPUID and I/O exits for ATTACK_FLOOD_MS, then no exits: the watchdog */
    ATTACK_CASE_TRIPLE_FAULT,
    ATTACK_CASE_DF_STORM,    /* double faults handled in a loop, then a triple fault */
    ATTACK_CASE_CR0_PG,      /* clear CR0.PG in 64-bit mode: #GP; then again without an IDT */
    ATTACK_CASE_CR3_OUTSIDE, /* CR3 at one of vmxroot's frames */
    ATTACK_CASE_COUNT
};
#define ATTACK_FIRST_DESTRUCTIVE ATTACK_CASE_FLOOD

#define ATTACK_FLOOD_MS 3000u
#define ATTACK_DF_STORM_COUNT 200u

/* header.flags */
#define ATTACK_FLAG_PREEMPTION_TIMER (1u << 0) /* the watchdog ends the flood's spin */

/* At ATTACK_GUEST_IMAGE_GPA + 8 (after a short jump to the 64-bit entry). */
struct attack_guest_header {
    uint32_t magic;     /* ATTACK_GUEST_HEADER_MAGIC */
    uint32_t entry_gpa; /* 64-bit code, CS 0x18 */
    uint32_t gdt_gpa;   /* null, code32 0x08, data 0x10, code64 0x18 */
    uint32_t gdt_limit;
    uint32_t case_mask; /* written by vmxroot: the cases of this run, bit per enum attack_case */
    uint32_t flags;     /* ATTACK_FLAG_* */
    uint32_t cpu_index; /* which CPU it runs on (to find its own records) */
    uint32_t reserved;
    uint64_t flood_ticks; /* ATTACK_FLOOD_MS of TSC time */
};

#define ATTACK_GUEST_HEADER_OFFSET 8u
#define ATTACK_GUEST_SELECTOR_CODE64 0x18
#define ATTACK_GUEST_SELECTOR_DATA 0x10

/* What the guest saw of one case; vmxroot adds what it saw and checks (attack_judge.c). */
struct attack_case_report {
    uint32_t magic;    /* ATTACK_GUEST_REPORT_MAGIC */
    uint32_t case_id;  /* enum attack_case | subkind << 8 */
    uint32_t tried;    /* attempts */
    uint32_t faulted;  /* attempts that faulted (#GP, #UD) as the case expects */
    uint32_t allowed;  /* attempts that went through as the case expects (shadowed, delivered, readable) */
    uint32_t wrong;    /* attempts whose outcome was not one the case accepts */
    uint64_t value[8]; /* per case (attack_judge.c says which) */
};

_Static_assert(sizeof(struct attack_guest_header) == 40, "attack_guest.nasm header");
_Static_assert(offsetof(struct attack_guest_header, case_mask) == 16, "attack_guest.nasm header.case_mask");
_Static_assert(offsetof(struct attack_guest_header, flood_ticks) == 32,
               "attack_guest.nasm header.flood_ticks");
_Static_assert(sizeof(struct attack_case_report) == 88, "attack_guest.nasm report");

#endif
