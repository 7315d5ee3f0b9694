/*
 * INIT and SIPI between vm0's vCPUs, done by vmxroot (vapic.h says why the
 * guest's own never reach the CPU). A vCPU waiting for a SIPI waits in VMX
 * root, halted, not in the guest's wait-for-SIPI activity state: Bochs 2.7
 * masks SMIs there and only RSM unmasks them, so every exit after the
 * SIPI's would save "blocking by SMI", which VM entry refuses (vmx.cc
 * VMexitSaveGuestState, VMenterLoadCheckGuestState). Each CPU's vCPU has a
 * mailbox under a lock; the sender (in VMX root, handling its guest's ICR
 * write) changes the target's logical state and rings it with NMIs (NMI
 * exiting is on; in VMX root an NMI ends HLT) until it has answered:
 *
 *   INIT, target running:  init_request: the target takes an NMI exit and
 *                          parks (halts in VMX root) until a SIPI;
 *   INIT, target parked:   nothing more (it already waits for a SIPI);
 *   SIPI, target waiting:  sipi_request and the vector: the target leaves
 *                          its park and enters the guest in real mode;
 *   SIPI, target running:  ignored, as the SDM says (Linux's second SIPI).
 *
 * Every wait is bounded; a ring that finds the target in VMX root, not
 * halted, is lost and sent again, so a target between two entries is no
 * race. An NMI that comes while nothing is asked (a late ring) is counted
 * as vmxroot's, not handed to the guest.
 */
#include "arch/x86/vmx/vapic.h"
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/x2apic_icr.h"
#include "arch/x86/smp/ipi.h"
#include "arch/x86/smp/lapic.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "core/lib/log.h"
#include "core/lib/spinlock.h"

/* A ring is sent again after RING_INTERVAL_US without an answer, for at most RING_TIMEOUT_US. */
#define RING_INTERVAL_US 200
#define RING_TIMEOUT_US 20000
/* How long a sender waits for a target vCPU still being built. */
#define REGISTER_TIMEOUT_US 100000

struct vapic_mailbox {
    struct spinlock lock;
    struct vcpu *volatile vcpu; /* this CPU's Linux vCPU, once registered */
    bool waiting_for_sipi;      /* logically: INIT seen, no SIPI since (a SIPI now starts it) */
    bool parked;                /* halted in VMX root until a SIPI (or about to be) */
    volatile bool init_request;
    volatile bool sipi_request;
    uint8_t sipi_vector;
    volatile uint32_t rings_unseen; /* NMIs sent to it that it has not yet taken as vmxroot's */
    struct vapic_counts counts;
};

static struct vapic_mailbox mailboxes[MAX_CPUS];

/* Takes one unseen ring, if there is one: true when the NMI was vmxroot's. */
static bool take_ring(struct vapic_mailbox *m)
{
    uint32_t unseen = __atomic_load_n(&m->rings_unseen, __ATOMIC_ACQUIRE);
    while (unseen && !__atomic_compare_exchange_n(&m->rings_unseen, &unseen, unseen - 1, false,
                                                  __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        ;
    return unseen != 0;
}

/*
 * An NMI in VMX root on a CPU that runs a Linux vCPU: a ring that found it
 * between two entries (the sender rings again), or the guest's own NMI,
 * which is lost (counted): never the panic an unexpected NMI would be.
 */
static bool nmi_in_root(void)
{
    struct vapic_mailbox *m = &mailboxes[this_cpu_index()];
    if (!__atomic_load_n(&m->vcpu, __ATOMIC_ACQUIRE))
        return false;
    if (!take_ring(m))
        m->counts.guest_nmis_in_root++;
    return true;
}

void vapic_register(struct vcpu *vcpu)
{
    struct vapic_mailbox *m = &mailboxes[vcpu->cpu_index];
    spin_lock(&m->lock);
    m->waiting_for_sipi = m->parked = !vcpu->boot_vcpu;
    m->init_request = m->sipi_request = false;
    __atomic_store_n(&m->vcpu, vcpu, __ATOMIC_RELEASE);
    spin_unlock(&m->lock);
    ipi_set_other_nmi_hook(nmi_in_root);
}

static uint64_t apic_phys;

uint64_t vapic_apic_phys(void)
{
    if (!apic_phys) /* the boot CPU's, read once as vm0 is built; every CPU's APIC sits at the same address */
        apic_phys = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDRESS_MASK;
    return apic_phys;
}

void vapic_counts(uint32_t cpu_index, struct vapic_counts *out) { *out = mailboxes[cpu_index].counts; }

void vapic_count_write(struct vcpu *vcpu, uint32_t offset, uint64_t ticks)
{
    struct vapic_counts *c = &mailboxes[vcpu->cpu_index].counts;
    c->writes++;
    c->eoi_writes += offset == VAPIC_EOI;
    c->icr_writes += offset == VAPIC_ICR_LOW;
    c->write_ticks += ticks;
}

void vapic_count_load(struct vcpu *vcpu) { mailboxes[vcpu->cpu_index].counts.loads++; }

void vapic_report(void)
{
    for (uint32_t i = 0; i < cpu_count_found && i < MAX_CPUS; i++) {
        const struct vapic_counts *c = &mailboxes[i].counts;
        if (!__atomic_load_n(&mailboxes[i].vcpu, __ATOMIC_ACQUIRE))
            continue;
        log_info("guest: vm0 cpu%u apic: writes=%lu eoi=%lu icr=%lu inits=%lu sipis=%lu sipis_ignored=%lu "
                 "guest_nmis_in_root=%lu ticks_per_write=%lu loads=%lu",
                 i, c->writes, c->eoi_writes, c->icr_writes, c->inits, c->sipis, c->sipis_ignored,
                 c->guest_nmis_in_root, c->writes ? c->write_ticks / c->writes : 0, c->loads);
    }
}

/* Rings (NMI) until *flag is clear, again every RING_INTERVAL_US, at most RING_TIMEOUT_US; true when it cleared. */
static bool ring_until_clear(uint32_t apic_id, volatile bool *flag, struct vapic_mailbox *m)
{
    uint64_t start = rdtsc(), interval = tsc_from_us(RING_INTERVAL_US),
             give_up = tsc_from_us(RING_TIMEOUT_US);
    for (;;) {
        __atomic_add_fetch(&m->rings_unseen, 1, __ATOMIC_ACQ_REL);
        int err = lapic_send_nmi(apic_id);
        uint64_t sent = rdtsc();
        while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) && rdtsc() - sent < interval)
            cpu_relax();
        if (!__atomic_load_n(flag, __ATOMIC_ACQUIRE))
            return true;
        if (err || rdtsc() - start > give_up)
            return false;
    }
}

/* The CPU index whose APIC id is apic_id, or -1. */
static int cpu_of_apic(uint32_t apic_id)
{
    for (uint32_t i = 0; i < cpu_count_found; i++)
        if (cpu_table[i] && cpu_table[i]->apic_id == apic_id)
            return (int)i;
    return -1;
}

static struct vcpu *registered(struct vapic_mailbox *m)
{
    uint64_t start = rdtsc();
    while (!__atomic_load_n(&m->vcpu, __ATOMIC_ACQUIRE) && rdtsc() - start < tsc_from_us(REGISTER_TIMEOUT_US))
        cpu_relax();
    return __atomic_load_n(&m->vcpu, __ATOMIC_ACQUIRE);
}

static void send_init(struct vcpu *sender, uint32_t target_cpu)
{
    struct vapic_mailbox *m = &mailboxes[target_cpu];
    spin_lock(&m->lock);
    bool running = !m->parked;
    m->waiting_for_sipi = true;
    m->sipi_request = false;
    if (running)
        __atomic_store_n(&m->init_request, true, __ATOMIC_RELEASE);
    spin_unlock(&m->lock);
    mailboxes[sender->cpu_index].counts.inits++;
    if (running && !ring_until_clear(cpu_table[target_cpu]->apic_id, &m->init_request, m))
        log_warn("guest: vm0: cpu%u did not take the INIT cpu%u sent within %u us", target_cpu,
                 sender->cpu_index, RING_TIMEOUT_US);
}

static void send_sipi(struct vcpu *sender, uint32_t target_cpu, uint8_t vector)
{
    struct vapic_mailbox *m = &mailboxes[target_cpu];
    spin_lock(&m->lock);
    bool starts = m->waiting_for_sipi;
    if (starts) {
        m->waiting_for_sipi = false;
        m->sipi_vector = vector;
        __atomic_store_n(&m->sipi_request, true, __ATOMIC_RELEASE);
    }
    spin_unlock(&m->lock);
    if (!starts) {
        mailboxes[sender->cpu_index].counts.sipis_ignored++;
        return;
    }
    mailboxes[sender->cpu_index].counts.sipis++;
    if (!ring_until_clear(cpu_table[target_cpu]->apic_id, &m->sipi_request, m))
        log_warn("guest: vm0: cpu%u did not take the SIPI (vector 0x%x) cpu%u sent within %u us", target_cpu,
                 vector, sender->cpu_index, RING_TIMEOUT_US);
}

/* One destination: emulated when it is one of vm0's vCPUs; false (write the ICR) for any other CPU. */
static bool deliver(struct vcpu *sender, int target_cpu, uint8_t mode, uint8_t vector)
{
    if (target_cpu < 0 || (uint32_t)target_cpu == sender->cpu_index)
        return false;
    struct vapic_mailbox *m = &mailboxes[target_cpu];
    const struct percpu *cpu = cpu_table[target_cpu];
    if (!cpu->in_vmx_root || !registered(m))
        return false; /* a CPU vm0 was not given: INIT/SIPI reach it natively (docs/guests.md) */
    if (mode == X2APIC_DELIVERY_INIT)
        send_init(sender, (uint32_t)target_cpu);
    else
        send_sipi(sender, (uint32_t)target_cpu, vector);
    return true;
}

bool vapic_icr_write(struct vcpu *vcpu, uint32_t icr_low, uint32_t icr_high)
{
    struct x2apic_icr icr = x2apic_icr_decode_xapic(icr_low, icr_high);
    if (icr.delivery != X2APIC_DELIVERY_INIT && icr.delivery != X2APIC_DELIVERY_SIPI)
        return false;
    /* SDM: "INIT Level De-assert" has no effect on current processors: nothing to do, nothing to send. */
    if (icr.delivery == X2APIC_DELIVERY_INIT && icr.level_triggered && !icr.level_assert)
        return true;
    if (icr.shorthand == X2APIC_SHORTHAND_NONE) {
        if (icr.logical)
            return false; /* Linux starts CPUs by physical APIC id; a logical one goes to the APIC as written */
        return deliver(vcpu, cpu_of_apic(icr.destination), icr.delivery, icr.vector);
    }
    if (icr.shorthand == X2APIC_SHORTHAND_SELF)
        return false; /* to itself: the CPU's own business */
    /* A broadcast: each of vm0's vCPUs gets it from vmxroot; a CPU vm0 was not given would need the real one. */
    for (uint32_t i = 0; i < cpu_count_found; i++)
        if (cpu_table[i] && i != vcpu->cpu_index)
            (void)deliver(vcpu, (int)i, icr.delivery, icr.vector);
    return true;
}

/* Halts in VMX root until a SIPI is asked of this vCPU (an NMI ends each HLT); its vector. */
static uint8_t park(struct vapic_mailbox *m)
{
    for (;;) {
        spin_lock(&m->lock);
        if (m->sipi_request) {
            uint8_t vector = m->sipi_vector;
            m->parked = false;
            __atomic_store_n(&m->sipi_request, false, __ATOMIC_RELEASE);
            spin_unlock(&m->lock);
            return vector;
        }
        spin_unlock(&m->lock);
        /* A ring between the check and the HLT is lost: the sender rings again (ring_until_clear). */
        __asm__ volatile("hlt" ::: "memory");
    }
}

enum vmexit_action vapic_wait_for_start(struct vcpu *vcpu)
{
    return vmexit_start_up(vcpu, park(&mailboxes[vcpu->cpu_index]));
}

bool vapic_nmi_exit(struct vcpu *vcpu, enum vmexit_action *action)
{
    struct vapic_mailbox *m = &mailboxes[vcpu->cpu_index];
    bool ours = take_ring(m);
    *action = VMEXIT_RESUME;
    spin_lock(&m->lock);
    bool init = m->init_request;
    if (init) {
        m->parked = true;
        __atomic_store_n(&m->init_request, false, __ATOMIC_RELEASE); /* taken: the sender goes on */
    }
    spin_unlock(&m->lock);
    if (!init)
        return ours;
    *action = vapic_wait_for_start(vcpu); /* INIT (SDM: "INIT Signal"): nothing runs until a SIPI */
    return true;
}
