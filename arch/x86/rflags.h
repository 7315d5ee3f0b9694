/* RFLAGS: names for the bits vmxroot reads or sets (SDM Vol. 1: "EFLAGS Register"). */
#ifndef ARCH_X86_RFLAGS_H
#define ARCH_X86_RFLAGS_H

#define RFLAGS_FIXED_1 (1ull << 1) /* reads as 1, must be written as 1 */
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_RF (1ull << 16) /* resume flag: set in the RFLAGS a fault pushes */
#define RFLAGS_VM (1ull << 17)

#endif
