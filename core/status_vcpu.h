/*
 * The publisher's side of core/lib/status_vcpu.h: set-up and the panic
 * path, called by core/status.c only.
 */
#ifndef CORE_STATUS_VCPU_H
#define CORE_STATUS_VCPU_H

#include "core/lib/status_vcpu.h"
#include "core/status_page.h"

/* The vCPU counters and the memory ranges' page (from status_publish_init); 0 or E_NOMEM/E_STATE. */
MUST_CHECK int status_vcpu_publish_init(struct status_page *page);
/* Panic path: every vCPU's unpublished counts into its record. */
void status_vcpu_publish_panic(void);

#endif
