/*
 * The boot CPU <-> AP handshake in struct percpu. Each state says who writes it:
 *   BSP: HANDSHAKE_SENT (INIT-SIPI-SIPI sent), HANDSHAKE_ABANDONED (gave up).
 *   AP:  HANDSHAKE_ALIVE (reached C), HANDSHAKE_ONLINE (fully set up).
 * The stage is written by the AP alone as it goes, so a stall names where.
 * The trampoline writes STAGE_TRAMPOLINE as soon as it knows its struct
 * percpu (in long mode, by APIC id): an AP still at STAGE_NONE when the BSP
 * gives up never answered the SIPI; one at STAGE_TRAMPOLINE answered and hung
 * before C.
 */
#ifndef ARCH_X86_SMP_AP_HANDSHAKE_H
#define ARCH_X86_SMP_AP_HANDSHAKE_H

#include "core/lib/compiler.h"

enum ap_handshake {
    HANDSHAKE_NONE = 0,
    HANDSHAKE_SENT = 1,
    HANDSHAKE_ALIVE = 2,
    HANDSHAKE_ONLINE = 3,
    HANDSHAKE_ABANDONED = 4, /* BSP: gave up on the AP; it must halt */
};

enum ap_stage {
    STAGE_NONE = 0, /* nothing run yet (written by the BSP before the SIPI) */
    STAGE_TRAMPOLINE,
    STAGE_DESCRIPTORS,
    STAGE_LAPIC,
    STAGE_VMX,
    STAGE_IDLE,
};

static inline const char *ap_stage_name(uint32_t stage)
{
    static const char *const names[] = {
        [STAGE_NONE] = "not started",
        [STAGE_TRAMPOLINE] = "trampoline",
        [STAGE_DESCRIPTORS] = "descriptor setup",
        [STAGE_LAPIC] = "local APIC setup",
        [STAGE_VMX] = "VMX enable",
        [STAGE_IDLE] = "idle",
    };
    return NAME_OF(names, stage);
}

#endif
