/*
 * The VMCS pool: which VMCS is where, as a state machine over a small
 * instruction interface (VMCLEAR, VMPTRLD, a synchronous cross-CPU call), so
 * the same code runs on the hardware and against a fake processor on the host.
 *
 * The processor's rules it keeps (SDM: "VMCS Life Cycle" and "VMCLEAR"/
 * "VMPTRLD"): a VMCS may be active on one logical processor only; moving it
 * needs a VMCLEAR on the old processor before a VMPTRLD on the new one; a
 * VMCLEAR of the current VMCS leaves no current VMCS; VMCLEAR/VMPTRLD of any
 * VMXON region fails (VM-instruction errors 3 and 10).
 *
 * States of one VMCS (vmcs_pool_state()):
 *   FREE                in the pool, revision written, VMCLEARed, not handed out
 *   CLEAR               acquired, clear, not active anywhere
 *   ACTIVE_CURRENT      active on its owner CPU and that CPU's current VMCS
 *   ACTIVE_NOT_CURRENT  active on its owner CPU, not (known to be) current there
 *   LAUNCHED            active on its owner CPU with launch state "launched"
 *                       (only vmcs_pool_mark_launched() produces it, for later use)
 *   MIGRATING/RELEASING an operation is moving it through another CPU; every
 *                       other operation on it is refused with E_BUSY until done
 *
 * Every operation runs on the calling CPU, returns 0 or a negative E_*, logs
 * a refusal's reason and changes nothing when it refuses. A failing VMX
 * instruction is counted by error number, logged by name and returns E_VMX
 * with the records unchanged.
 *
 * Locking: one pool spinlock guards every record. Instructions this CPU runs
 * itself execute under the lock together with their record update. The lock
 * is never held across run_on_cpu (the target may be spinning on it); a VMCS
 * being worked on through another CPU is MIGRATING/RELEASING meanwhile, and
 * its owner changes only after the remote VMCLEAR succeeded. The function
 * run on the other CPU executes one instruction and writes the outcome into
 * the VMCS's slot: it never takes the pool lock, so an IPI arriving while its
 * target holds the lock cannot deadlock. A CPU receiving a VMCS by a remote
 * VMPTRLD has its current-VMCS record invalidated before the VMPTRLD and kept
 * invalid until it loads again itself, so it never skips a VMPTRLD it needs.
 */
#ifndef ARCH_X86_VMX_VMCS_POOL_H
#define ARCH_X86_VMX_VMCS_POOL_H

#include "arch/x86/vmx/vmx_error.h"
#include "arch/x86/vmx/vmx_outcome.h"
#include "core/lib/compiler.h"
#include "core/lib/spinlock.h"

#define VMCS_POOL_MAX_CPUS 256
#define VMCS_POOL_MAX_VMCS 1024
#define VMCS_NONE (-1) /* no VMCS / no CPU */

enum vmcs_state {
    VMCS_STATE_FREE = 0,
    VMCS_STATE_CLEAR = 1,
    VMCS_STATE_ACTIVE_CURRENT = 2,
    VMCS_STATE_ACTIVE_NOT_CURRENT = 3,
    VMCS_STATE_LAUNCHED = 4,
    VMCS_STATE_MIGRATING = 5,
    VMCS_STATE_RELEASING = 6,
    VMCS_STATE_COUNT
};

/*
 * The instruction layer. vmclear/vmptrld run the instruction on the CPU that
 * calls them. run_on_cpu runs fn(arg) on CPU cpu and returns when it has run
 * (directly when cpu is the caller): 0, or E_TIMEOUT/E_INVAL when it could
 * not; the kernel passes ipi_call(). this_cpu returns the caller's index.
 */
struct vmcs_ops {
    struct vmx_outcome (*vmclear)(void *ctx, uint64_t phys);
    struct vmx_outcome (*vmptrld)(void *ctx, uint64_t phys);
    int (*run_on_cpu)(void *ctx, int cpu, void (*fn)(void *arg), void *arg);
    int (*this_cpu)(void *ctx);
    void *ctx;
};

/* Instructions a CPU executed for the pool, and how they failed. */
struct vmcs_cpu_counters {
    uint32_t vmclear;
    uint32_t vmptrld;
    uint32_t vmptrld_skipped;                      /* load of the VMCS already current here: no instruction */
    uint32_t fail_invalid;                         /* VMfailInvalid */
    uint32_t failures_by_error[VMX_ERROR_MAX + 1]; /* VMfailValid by error number; [0]: out of range */
};

/* One instruction run on another CPU: written there, read by the caller after run_on_cpu. */
struct vmcs_remote_call {
    struct vmcs_pool *pool;
    uint64_t phys;
    struct vmx_outcome outcome;
    int16_t ran_on_cpu;
    uint8_t instruction; /* enum vmcs_instruction in vmcs_pool.c */
};

struct vmcs_slot {
    uint64_t phys;
    int16_t owner;       /* CPU it is active on; VMCS_NONE when clear */
    int16_t next_active; /* next VMCS in the owner's active list */
    uint8_t in_flight;   /* 0, VMCS_STATE_MIGRATING or VMCS_STATE_RELEASING */
    bool acquired;
    bool launched;
    struct vmcs_remote_call remote;
};

struct vmcs_pool_cpu {
    uint64_t vmxon_region_phys; /* VMCS_POOL_NO_REGION until registered */
    int16_t current;            /* VMCS index, VMCS_NONE when none or unknown */
    int16_t active_head;        /* VMCSs active here, linked through next_active */
    uint16_t active_count;
    uint16_t remote_loads_pending; /* remote VMPTRLDs to this CPU in progress */
    struct vmcs_cpu_counters counters;
};

#define VMCS_POOL_NO_REGION UINT64_MAX

struct vmcs_pool {
    struct spinlock lock;
    struct vmcs_ops ops;
    int cpu_count;
    int vmcs_count;
    int acquired_count;
    uint32_t phys_width_bits;
    struct vmcs_pool_cpu cpus[VMCS_POOL_MAX_CPUS];
    struct vmcs_slot slots[VMCS_POOL_MAX_VMCS];
};

/* --- setup (boot CPU) --- */

/* Empties the pool. phys_width_bits: VMCS/VMXON address width (vmx_caps_vmcs_phys_width_bits); 0 means 52. */
void vmcs_pool_prepare(struct vmcs_pool *pool, const struct vmcs_ops *ops, int cpu_count,
                       uint32_t phys_width_bits);
/*
 * After VMXON on cpu: records its VMXON region for the guard and marks the CPU
 * as in VMX operation. E_FAULT if the region is a pool VMCS or another CPU's
 * region, misaligned or too wide; E_INVAL for a bad cpu.
 */
MUST_CHECK int vmcs_pool_set_vmxon_region(struct vmcs_pool *pool, int cpu, uint64_t region_phys);
/* Before VMXOFF on cpu: E_BUSY while a VMCS is still active there (vmcs_pool_clear_all_on_this_cpu first). */
MUST_CHECK int vmcs_pool_forget_vmxon_region(struct vmcs_pool *pool, int cpu);
/*
 * Takes region_count regions (4 KiB each, revision id already written) and
 * VMCLEARs each from the calling CPU, which must be in VMX operation. Every
 * address passes vmcs_guard_check("VMCLEAR") and none repeats, else E_FAULT
 * and the pool stays empty; a failing VMCLEAR gives E_VMX, pool empty.
 */
MUST_CHECK int vmcs_pool_init(struct vmcs_pool *pool, const uint64_t *region_phys, int region_count);

/*
 * 0 when phys may be the operand of insn ("VMPTRLD", "VMCLEAR"): 4 KiB
 * aligned, within the physical-address width, not any CPU's VMXON region.
 * Else logs the rule it would break and returns E_FAULT. The kernel also
 * calls it before any raw VMCLEAR/VMPTRLD outside the pool.
 */
MUST_CHECK int vmcs_guard_check(const struct vmcs_pool *pool, uint64_t phys, const char *insn);

/* --- operations (calling CPU) --- */

/* A FREE VMCS becomes CLEAR; its index in *vmcs_out. E_NOMEM when none is free. */
MUST_CHECK int vmcs_pool_acquire(struct vmcs_pool *pool, int *vmcs_out);
/*
 * Makes vmcs current on this CPU (VMPTRLD; skipped and counted when it is
 * already current here). The previous current VMCS stays active here, not
 * current. E_BUSY when it is active on another CPU or in flight; E_STATE when free.
 */
MUST_CHECK int vmcs_pool_load(struct vmcs_pool *pool, int vmcs);
/* VMCLEAR on the owning CPU (by run_on_cpu when that is another CPU), then FREE. */
MUST_CHECK int vmcs_pool_release(struct vmcs_pool *pool, int vmcs);
/*
 * VMCLEAR on the owning CPU, then VMPTRLD on to_cpu. When to_cpu is this CPU
 * the VMCS ends ACTIVE_CURRENT; when it is another CPU it ends
 * ACTIVE_NOT_CURRENT there (that CPU's next load does a real VMPTRLD), and
 * its current VMCS changes under it: only migrate to a CPU that is not using
 * its current VMCS. A VMCS already active on to_cpu is left alone (0).
 * If the VMPTRLD fails after the VMCLEAR succeeded, the VMCS is CLEAR: E_VMX.
 */
MUST_CHECK int vmcs_pool_migrate(struct vmcs_pool *pool, int vmcs, int to_cpu);
/* After a successful VMLAUNCH of vmcs, current on this CPU: LAUNCHED. E_STATE otherwise. */
MUST_CHECK int vmcs_pool_mark_launched(struct vmcs_pool *pool, int vmcs);
/* Shutdown: VMCLEAR every VMCS active on this CPU (they become CLEAR). E_VMX if any failed. */
MUST_CHECK int vmcs_pool_clear_all_on_this_cpu(struct vmcs_pool *pool);
/* Counts a VMCLEAR/VMPTRLD issued outside the pool (fault injection) in this CPU's counters. */
void vmcs_pool_count_outside(struct vmcs_pool *pool, bool is_vmclear, struct vmx_outcome outcome);
/*
 * Panic/NMI stop hook: VMCLEARs every VMCS the records show on this CPU,
 * without the lock (another CPU may have died holding it) and without
 * updating any record. Only for the way down.
 */
void vmcs_pool_panic_clear_this_cpu(struct vmcs_pool *pool);

/* --- queries --- */

/* State of vmcs (VMCS_STATE_COUNT for a bad index); *owner_out (may be NULL) gets its CPU or VMCS_NONE. */
enum vmcs_state vmcs_pool_state(struct vmcs_pool *pool, int vmcs, int *owner_out);
const char *vmcs_state_name(enum vmcs_state state);
/* The VMCS current on cpu as far as the pool knows, or VMCS_NONE. */
MUST_CHECK int vmcs_pool_current(struct vmcs_pool *pool, int cpu);
/* Physical address of vmcs; 0 for a bad index. */
uint64_t vmcs_pool_phys(const struct vmcs_pool *pool, int vmcs);

struct vmcs_pool_snapshot {
    int vmcs_count;
    uint32_t by_state[VMCS_STATE_COUNT];
};

struct vmcs_pool_cpu_snapshot {
    bool in_vmx_operation; /* a VMXON region is registered */
    int current;
    uint32_t active_current, active_not_current, launched, in_flight;
    struct vmcs_cpu_counters counters;
};

/* For the status page: a consistent copy taken under the lock. */
void vmcs_pool_snapshot(struct vmcs_pool *pool, struct vmcs_pool_snapshot *out);
void vmcs_pool_cpu_snapshot(struct vmcs_pool *pool, int cpu, struct vmcs_pool_cpu_snapshot *out);

/* 0 when the records are self-consistent (lists, owners, currents); else E_STATE and why. Tests and debug. */
MUST_CHECK int vmcs_pool_check_invariants(struct vmcs_pool *pool, char *why, size_t why_bytes);

#endif
