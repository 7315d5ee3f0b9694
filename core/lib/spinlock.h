/*
 * Ticket spinlock: CPUs get the lock in the order they asked for it, so a
 * busy CPU cannot starve another one's log line. Plain C11 atomics, so the
 * host tests can use it too.
 */
#ifndef CORE_LIB_SPINLOCK_H
#define CORE_LIB_SPINLOCK_H

#include "core/lib/compiler.h"
#include "arch/x86/insn.h"

struct spinlock {
    uint32_t next_ticket;
    uint32_t now_serving;
};

#define SPINLOCK_INIT                                                                                        \
    {                                                                                                        \
        0, 0                                                                                                 \
    }

static inline void spin_lock(struct spinlock *lock)
{
    uint32_t ticket = __atomic_fetch_add(&lock->next_ticket, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&lock->now_serving, __ATOMIC_ACQUIRE) != ticket)
        cpu_relax();
}

/*
 * Takes the lock only if it is free within `spins` tries: for the panic path,
 * where the holder may be a CPU that will never release it.
 */
static inline bool spin_trylock_bounded(struct spinlock *lock, uint32_t spins)
{
    for (uint32_t i = 0; i < spins; i++) {
        uint32_t serving = __atomic_load_n(&lock->now_serving, __ATOMIC_ACQUIRE);
        uint32_t expected = serving;
        if (__atomic_compare_exchange_n(&lock->next_ticket, &expected, serving + 1, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return true;
        cpu_relax();
    }
    return false;
}

static inline void spin_unlock(struct spinlock *lock)
{
    __atomic_store_n(&lock->now_serving, lock->now_serving + 1, __ATOMIC_RELEASE);
}

#endif
