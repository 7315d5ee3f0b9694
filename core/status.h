/*
 * Publishing the status page (core/status_page.c holds its layout and the
 * seqlock writer). The page lives in frames of its own: the identity map
 * shows it read-only and never executable - as a guest will see it - and
 * only the writer's alias at STATUS_WRITER_VIRT may change it.
 */
#ifndef CORE_STATUS_H
#define CORE_STATUS_H

#include "core/cmdline.h"
#include "core/status_page.h"

#define STATUS_WRITER_VIRT 0xFFFFC00000000000ull

/*
 * Allocates and maps the area for cpu_count CPUs (the 1.0 pages, then the
 * memory block and the vCPU records); without memory the boot goes on
 * without a page, or without the vCPU part (logged).
 */
void status_publish_init(uint32_t cpu_count, const struct boot_options *opts, bool uefi);
uint64_t status_publish_phys(void);
/* The writer's view of the area (NULL without a page), for the other status_* publishers. */
struct status_page *status_publish_page(void);
/* vmxroot's own memory into the page's memory block: kernel image, page tables, per-CPU memory, VMCS pool. */
void status_publish_memory_ranges(void);
/* Copies the per-CPU state, VMX and VMCS pool records into the page as one seqlock write. */
void status_publish_sync(void);
void status_publish_phase(enum status_boot_phase phase);
void status_publish_times(uint64_t tsc_khz, uint64_t bringup_us, uint64_t entry_to_ready_us);
/* Panic hook: marks this CPU halted by a panic, the phase PANIC, and dumps the page when status=dump. */
void status_publish_panic(void);
/* status=dump: the page as hex lines between markers, for tools/vmxroot-status --serial-log. */
void status_publish_dump(void);

#endif
