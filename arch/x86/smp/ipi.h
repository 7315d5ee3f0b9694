/*
 * The one cross-CPU interface: run a function on another CPU and wait for it
 * (bounded), and stop every other CPU on panic. Everything that must happen
 * on a particular CPU (VMCLEAR of a VMCS active there) goes through here.
 */
#ifndef ARCH_X86_SMP_IPI_H
#define ARCH_X86_SMP_IPI_H

#include "core/lib/compiler.h"

#define IPI_CALL_TIMEOUT_MS 100

void ipi_init(void);
/* Runs fn(arg) on CPU index cpu (directly when it is this CPU). 0, E_TIMEOUT, E_INVAL (CPU not online). */
MUST_CHECK int ipi_call(uint32_t cpu, void (*fn)(void *arg), void *arg);
/* Panic: NMI every other CPU; each runs the stop hook (leave VMX) and halts. */
void ipi_stop_other_cpus(void);
/* True once a panic stops the other CPUs: an NMI now is vmxroot's own (a guest's NMI otherwise). */
bool ipi_stopping(void);
void ipi_set_stop_hook(void (*hook)(void));
/* An NMI in VMX root while not stopping (a guest's, or vmxroot's ring to a vCPU): true when hook took it. */
void ipi_set_other_nmi_hook(bool (*hook)(void));

#endif
