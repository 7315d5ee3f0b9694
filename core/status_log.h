/*
 * vmxroot's log into the status page's log ring (core/status_log_ring.h):
 * the ring is one more console of the log (core/lib/log.c), so it gets every
 * line the UARTs get, under the same console lock, from the status page's
 * set-up on.
 */
#ifndef CORE_STATUS_LOG_H
#define CORE_STATUS_LOG_H

#include "core/status_page.h"

/* From now on every log line goes into the ring of page (the writer's view); no ring, nothing. */
void status_log_attach(struct status_page *page);
/*
 * While paused the ring keeps no line: the status dump prints the area as
 * hex through the log, and its own lines would change the ring it is
 * printing (and push out the lines worth keeping).
 */
void status_log_pause(bool paused);

#endif
