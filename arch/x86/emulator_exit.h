/*
 * Leaving an emulator from inside, so that tests end by themselves
 * (exit=on-ready, or a panic under test). Harmless elsewhere: on a machine
 * without these devices the writes go nowhere and the CPU then halts.
 */
#ifndef ARCH_X86_EMULATOR_EXIT_H
#define ARCH_X86_EMULATOR_EXIT_H

#include "core/lib/compiler.h"

enum emulator_exit_status { EMULATOR_EXIT_SUCCESS = 0, EMULATOR_EXIT_FAILURE = 1 };

/* QEMU isa-debug-exit (port 0xf4: process status (v << 1) | 1), then Bochs (port 0x8900 "Shutdown"). */
NORETURN void emulator_exit(enum emulator_exit_status status);

#endif
