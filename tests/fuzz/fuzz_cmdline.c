// host-sources: core/cmdline.c core/lib/format.c
/*
 * Fuzzes cmdline_parse with arbitrary bytes. GRUB hands the kernel a
 * NUL-terminated string, so the input is copied into an exact-size heap
 * buffer with a NUL appended: ASan then catches any read past the NUL.
 * Whatever the input, every field must stay within its documented range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/cmdline.h"
#include "tests/unit/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    if (line == NULL)
        return 0;
    memcpy(line, data, size);
    line[size] = '\0';

    struct boot_options opts;
    cmdline_parse(line, &opts);
    free(line);
    log_capture_reset(); /* the capture buffer is bounded, but keep it from filling */

    bool console_ok =
        opts.console.port_count <= CONSOLE_PORTS_MAX && (opts.console.port_count > 0 || opts.console.screen);
    for (unsigned i = 0; i < opts.console.port_count; i++)
        console_ok = console_ok && opts.console.ports[i] != 0;
    bool ranges_ok = (opts.max_cpus == 0 || (opts.max_cpus >= 1 && opts.max_cpus <= 4096)) &&
                     opts.sipi_timeout_ms >= 1 && opts.sipi_timeout_ms <= 10000 && opts.vmcs_per_cpu <= 64 &&
                     opts.inject_cpu <= 4095 && opts.guest_cpus <= 4096 &&
                     (opts.guest_mem_mb == 0 || (opts.guest_mem_mb >= 16 && opts.guest_mem_mb <= 1048576));
    bool enums_ok = (unsigned)opts.inject < INJECT_COUNT && (unsigned)opts.log_level <= LOG_DEBUG &&
                    (unsigned)opts.smp <= SMP_OFF && (unsigned)opts.exit <= EXIT_ON_GUEST_EXIT &&
                    (unsigned)opts.guest <= GUEST_AUTO && (unsigned)opts.status_dump <= STATUS_DUMP_HEX;
    if (!console_ok || !ranges_ok || !enums_ok)
        abort();
    return 0;
}
