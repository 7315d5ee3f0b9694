// host-sources: core/cmdline.c core/lib/format.c
/*
 * core/cmdline.c: defaults, every option with good and bad values, and the
 * lines a boot loader or a person could get wrong (garbage, control bytes,
 * overlong lines). Bad input must warn by name and keep the default.
 */
#include <stdlib.h>
#include "core/cmdline.h"
#include "tests/unit/check.h"

static struct boot_options parse(const char *line)
{
    struct boot_options opts;
    memset(&opts, 0xA5, sizeof opts); /* parse must not depend on what was there */
    cmdline_parse(line, &opts);
    return opts;
}

static bool same_as_defaults(const struct boot_options *opts)
{
    struct boot_options defaults;
    cmdline_defaults(&defaults);
    return opts->console.every == defaults.console.every && opts->console.screen == defaults.console.screen &&
           opts->console.port_count == defaults.console.port_count && opts->log_level == defaults.log_level &&
           opts->exit == defaults.exit && opts->smp == defaults.smp && opts->max_cpus == defaults.max_cpus &&
           opts->init_wait == defaults.init_wait && opts->sipi_timeout_ms == defaults.sipi_timeout_ms &&
           opts->vmcs_per_cpu == defaults.vmcs_per_cpu && opts->inject == defaults.inject &&
           opts->inject_cpu == defaults.inject_cpu && opts->status_dump == defaults.status_dump &&
           opts->vmx == defaults.vmx && opts->selftest == defaults.selftest;
}

TEST(cmdline_defaults_are_documented_values)
{
    struct boot_options o;
    cmdline_defaults(&o);
    CHECK(o.console.every && o.console.screen);
    CHECK_EQ(o.console.port_count, 4);
    CHECK_EQ(o.console.ports[0], 0x3F8);
    CHECK_EQ(o.log_level, LOG_INFO);
    CHECK_EQ(o.exit, EXIT_NEVER);
    CHECK_EQ(o.smp, SMP_PARALLEL);
    CHECK_EQ(o.max_cpus, 0);
    CHECK(!o.init_wait);
    CHECK_EQ(o.sipi_timeout_ms, 100);
    CHECK_EQ(o.vmcs_per_cpu, 4);
    CHECK_EQ(o.inject, INJECT_NONE);
    CHECK_EQ(o.inject_cpu, 1);
    CHECK_EQ(o.status_dump, STATUS_DUMP_OFF);
    CHECK(o.vmx);
    CHECK_EQ(o.selftest, SELFTEST_NONE);
}

TEST(cmdline_selftest)
{
    CHECK_EQ(parse("selftest=vmcs").selftest, SELFTEST_VMCS);
    CHECK_EQ(parse("selftest=none").selftest, SELFTEST_NONE);
    CHECK_EQ(parse("selftest=clocks").selftest, SELFTEST_CLOCKS);
    CHECK_STR(log_captured(), "");
    CHECK_EQ(parse("selftest=vmentry").selftest, SELFTEST_VMENTRY);
    CHECK_EQ(parse("selftest=vmx").selftest, SELFTEST_NONE);
    CHECK(
        log_contains("bad value \"vmx\" for selftest (want none|vmcs|clocks|display|vmentry), keeping none"));
}

TEST(cmdline_vmentry_diff_options)
{
    struct boot_options defaults = parse("");
    CHECK_EQ(defaults.vmentry_cases, 200);
    CHECK_EQ(defaults.vmentry_seed, 1);
    struct boot_options opts = parse("selftest=vmentry vmentry_cases=10000 vmentry_seed=4294967295");
    CHECK_EQ(opts.vmentry_cases, 10000);
    CHECK_EQ(opts.vmentry_seed, 4294967295u);
    CHECK_EQ(parse("vmentry_cases=0").vmentry_cases, 200); /* out of range: the default kept */
}

TEST(cmdline_empty_and_null_give_defaults_quietly)
{
    struct boot_options o = parse(NULL);
    CHECK(same_as_defaults(&o));
    o = parse("");
    CHECK(same_as_defaults(&o));
    o = parse("   \t  ");
    CHECK(same_as_defaults(&o));
    CHECK_STR(log_captured(), "");
}

static uint16_t first_port(const char *line) { return parse(line).console.ports[0]; }

TEST(cmdline_console)
{
    CHECK_EQ(first_port("console=com1"), 0x3F8);
    CHECK_EQ(first_port("console=com2"), 0x2F8);
    CHECK_EQ(first_port("console=com3"), 0x3E8);
    CHECK_EQ(first_port("console=com4"), 0x2E8);
    CHECK_EQ(first_port("console=0x2f8"), 0x2F8);
    CHECK_EQ(first_port("console=0XE9"), 0xE9);
    CHECK_EQ(first_port("console=0x1"), 0x1);
    CHECK_EQ(first_port("console=0xFFFF"), 0xFFFF);
    CHECK_EQ(first_port("console=0x0000ffff"), 0xFFFF);
    struct boot_options o = parse("console=com2");
    CHECK(!o.console.every && !o.console.screen);
    CHECK_EQ(o.console.port_count, 1);
    CHECK_STR(log_captured(), "");
    const char *bad[] = { "console=com5",
                          "console=0x0",
                          "console=0x10000",
                          "console=0x",
                          "console=3f8",
                          "console=0x3g8",
                          "console=",
                          "console=COM1",
                          "console=0xffffffffffffffffff",
                          "console=com1,",
                          "console=,fb",
                          "console=com1,,fb",
                          "console=fb;com1",
                          "console=com1,com2,com3,com4,0x2f0" };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        log_capture_reset();
        o = parse(bad[i]);
        CHECK(o.console.every);
        CHECK(log_contains("for console (want a comma list of com1..com4, 0x1..0xffff and fb), keeping every "
                           "console"));
    }
}

TEST(cmdline_console_list)
{
    struct boot_options o = parse("console=com1,fb");
    CHECK(!o.console.every && o.console.screen);
    CHECK_EQ(o.console.port_count, 1);
    CHECK_EQ(o.console.ports[0], 0x3F8);
    o = parse("console=fb");
    CHECK(o.console.screen);
    CHECK_EQ(o.console.port_count, 0);
    o = parse("console=0x2f8,com1,com1,fb,fb"); /* repeats count once */
    CHECK_EQ(o.console.port_count, 2);
    CHECK_EQ(o.console.ports[0], 0x2F8);
    CHECK_EQ(o.console.ports[1], 0x3F8);
    o = parse("console=com1,com2,com3,com4,fb");
    CHECK_EQ(o.console.port_count, 4);
    CHECK_STR(log_captured(), "");
    log_capture_reset();
    o = parse("console=com2,fb console=com9"); /* the bad second one keeps the first */
    CHECK(
        log_contains("bad value \"com9\" for console (want a comma list of com1..com4, 0x1..0xffff and fb), "
                     "keeping 0x2f8,fb"));
    CHECK_EQ(o.console.ports[0], 0x2F8);
}

TEST(cmdline_loglevel)
{
    CHECK_EQ(parse("loglevel=error").log_level, LOG_ERROR);
    CHECK_EQ(parse("loglevel=warn").log_level, LOG_WARN);
    CHECK_EQ(parse("loglevel=info").log_level, LOG_INFO);
    CHECK_EQ(parse("loglevel=debug").log_level, LOG_DEBUG);
    CHECK_STR(log_captured(), "");
    CHECK_EQ(parse("loglevel=verbose").log_level, LOG_INFO);
    CHECK(log_contains(
        "cmdline: bad value \"verbose\" for loglevel (want error|warn|info|debug), keeping info"));
    log_capture_reset();
    CHECK_EQ(parse("loglevel=3").log_level, LOG_INFO);
    CHECK(log_contains("bad value \"3\" for loglevel"));
}

TEST(cmdline_exit_smp_status_vmx_init_wait)
{
    CHECK_EQ(parse("exit=on-ready").exit, EXIT_ON_READY);
    CHECK_EQ(parse("exit=never").exit, EXIT_NEVER);
    CHECK_EQ(parse("smp=serial").smp, SMP_SERIAL);
    CHECK_EQ(parse("smp=off").smp, SMP_OFF);
    CHECK_EQ(parse("smp=parallel").smp, SMP_PARALLEL);
    CHECK_EQ(parse("status=dump").status_dump, STATUS_DUMP_HEX);
    CHECK_EQ(parse("status=off").status_dump, STATUS_DUMP_OFF);
    CHECK(!parse("vmx=off").vmx);
    CHECK(parse("vmx=on").vmx);
    CHECK(parse("init_wait=on").init_wait);
    CHECK(!parse("init_wait=off").init_wait);
    CHECK_STR(log_captured(), "");

    CHECK_EQ(parse("exit=onready").exit, EXIT_NEVER);
    CHECK(log_contains("bad value \"onready\" for exit (want never|on-ready|on-guest-exit), keeping never"));
    CHECK_EQ(parse("smp=4").smp, SMP_PARALLEL);
    CHECK(log_contains("bad value \"4\" for smp (want parallel|serial|off), keeping parallel"));
    CHECK_EQ(parse("status=hex").status_dump, STATUS_DUMP_OFF);
    CHECK(log_contains("for status (want off|dump), keeping off"));
    CHECK(parse("vmx=0").vmx);
    CHECK(log_contains("bad value \"0\" for vmx (want off|on), keeping on"));
    CHECK(!parse("init_wait=yes").init_wait);
    CHECK(log_contains("bad value \"yes\" for init_wait (want off|on), keeping off"));
}

static uint32_t get_parsed(uint32_t (*get)(const struct boot_options *), const char *line)
{
    struct boot_options o = parse(line);
    return get(&o);
}

/* One numeric option: its good edges, the values just outside, and junk. */
static void check_number(const char *key, uint32_t (*get)(const struct boot_options *), uint32_t min,
                         uint32_t max, uint32_t fallback)
{
    char line[128], want[160];
    snprintf(line, sizeof line, "%s=%u", key, min);
    CHECK_EQ(get_parsed(get, line), min);
    snprintf(line, sizeof line, "%s=%u", key, max);
    CHECK_EQ(get_parsed(get, line), max);
    snprintf(line, sizeof line, "%s=00%u", key, max); /* leading zeros are fine */
    CHECK_EQ(get_parsed(get, line), max);
    CHECK_STR(log_captured(), "");

    const char *junk[] = { "",           "-1",
                           "+5",         "1x",
                           "x",          "0x10",
                           "1.5",        "99999999999999999999999999",
                           "4294967296", "18446744073709551617" };
    for (size_t i = 0; i < ARRAY_SIZE(junk); i++) {
        log_capture_reset();
        snprintf(line, sizeof line, "%s=%s", key, junk[i]);
        CHECK_EQ(get_parsed(get, line), fallback);
        snprintf(want, sizeof want, "for %s (want %u..%u), keeping %u", key, min, max, fallback);
        CHECK(log_contains(want));
    }
    log_capture_reset();
    snprintf(line, sizeof line, "%s=%u", key, max + 1);
    CHECK_EQ(get_parsed(get, line), fallback);
    snprintf(want, sizeof want, "cmdline: bad value \"%u\" for %s (want %u..%u), keeping %u", max + 1, key,
             min, max, fallback);
    CHECK(log_contains(want));
    if (min > 0) {
        log_capture_reset();
        snprintf(line, sizeof line, "%s=%u", key, min - 1);
        CHECK_EQ(get_parsed(get, line), fallback);
        CHECK(log_contains("bad value"));
    }
}

static uint32_t get_max_cpus(const struct boot_options *o) { return o->max_cpus; }
static uint32_t get_sipi(const struct boot_options *o) { return o->sipi_timeout_ms; }
static uint32_t get_vmcs(const struct boot_options *o) { return o->vmcs_per_cpu; }
static uint32_t get_inject_cpu(const struct boot_options *o) { return o->inject_cpu; }

TEST(cmdline_numbers)
{
    check_number("maxcpus", get_max_cpus, 1, 4096, 0);
    log_capture_reset();
    check_number("sipi_timeout_ms", get_sipi, 1, 10000, 100);
    log_capture_reset();
    check_number("vmcs_per_cpu", get_vmcs, 0, 64, 4);
    log_capture_reset();
    check_number("inject_cpu", get_inject_cpu, 0, 4095, 1);
}

TEST(cmdline_maxcpus_example_message)
{
    parse("maxcpus=x");
    CHECK(log_contains("cmdline: bad value \"x\" for maxcpus (want 1..4096), keeping 0"));
}

TEST(cmdline_every_inject_case_round_trips)
{
    for (int c = 0; c < INJECT_COUNT; c++) {
        char line[64];
        const char *name = inject_case_name((enum inject_case)c);
        CHECK(strcmp(name, "unknown") != 0);
        snprintf(line, sizeof line, "inject=%s", name);
        CHECK_EQ(parse(line).inject, c);
    }
    CHECK_STR(log_captured(), "");
    CHECK_STR(inject_case_name(INJECT_VMPTRLD_VMXON), "vmptrld-vmxon");
    CHECK_STR(inject_case_name(INJECT_AP_PANIC), "ap-panic");
    CHECK_STR(inject_case_name(INJECT_COUNT), "unknown");
    CHECK_STR(inject_case_name((enum inject_case) - 1), "unknown");
    CHECK_EQ(parse("inject=vmptrld").inject, INJECT_NONE);
    CHECK(log_contains("bad value \"vmptrld\" for inject (want one of the 26 inject= values in README.md), "
                       "keeping none"));
}

TEST(cmdline_many_options_together)
{
    struct boot_options o = parse("console=com2 loglevel=debug exit=on-ready\tsmp=serial maxcpus=8 "
                                  "init_wait=on sipi_timeout_ms=250 vmcs_per_cpu=0 inject=ap-stall "
                                  "inject_cpu=3 status=dump vmx=off");
    CHECK_EQ(o.console.ports[0], 0x2F8);
    CHECK_EQ(o.log_level, LOG_DEBUG);
    CHECK_EQ(o.exit, EXIT_ON_READY);
    CHECK_EQ(o.smp, SMP_SERIAL);
    CHECK_EQ(o.max_cpus, 8);
    CHECK(o.init_wait);
    CHECK_EQ(o.sipi_timeout_ms, 250);
    CHECK_EQ(o.vmcs_per_cpu, 0);
    CHECK_EQ(o.inject, INJECT_AP_STALL);
    CHECK_EQ(o.inject_cpu, 3);
    CHECK_EQ(o.status_dump, STATUS_DUMP_HEX);
    CHECK(!o.vmx);
    CHECK_STR(log_captured(), "");
}

TEST(cmdline_duplicates_last_wins_and_bad_keeps_earlier)
{
    CHECK_EQ(parse("maxcpus=2 maxcpus=6").max_cpus, 6);
    CHECK_EQ(parse("smp=off smp=serial smp=parallel").smp, SMP_PARALLEL);
    CHECK_STR(log_captured(), "");
    CHECK_EQ(parse("maxcpus=2 maxcpus=0").max_cpus, 2);
    CHECK(log_contains("bad value \"0\" for maxcpus (want 1..4096), keeping 2"));
}

TEST(cmdline_unknown_and_malformed_tokens)
{
    struct boot_options o = parse("foo=bar maxcpus=3");
    CHECK_EQ(o.max_cpus, 3);
    CHECK(log_contains("cmdline: unknown option \"foo=bar\" ignored"));
    log_capture_reset();
    o = parse("quiet maxcpus=3");
    CHECK_EQ(o.max_cpus, 3);
    CHECK(log_contains("cmdline: option \"quiet\" has no value (want key=value), ignored"));
    log_capture_reset();
    parse("=5");
    CHECK(log_contains("unknown option \"=5\""));
    log_capture_reset();
    CHECK_EQ(parse("maxcpus=4=5").max_cpus, 0);
    CHECK(log_contains("bad value \"4=5\" for maxcpus"));
    log_capture_reset();
    parse("MAXCPUS=4"); /* keys are case-sensitive, like Linux */
    CHECK(log_contains("unknown option \"MAXCPUS=4\""));
    log_capture_reset();
    parse("maxcpu=4 maxcpus_=4 maxcpusx=4");
    CHECK(log_contains("unknown option \"maxcpu=4\""));
    CHECK(log_contains("unknown option \"maxcpus_=4\""));
    CHECK(log_contains("unknown option \"maxcpusx=4\""));
}

TEST(cmdline_leading_kernel_path_is_tolerated)
{
    struct boot_options o = parse("/boot/vmxroot.elf maxcpus=2");
    CHECK_EQ(o.max_cpus, 2);
    CHECK_STR(log_captured(), "");
    parse("maxcpus=2 /boot/vmxroot.elf"); /* only as the first token */
    CHECK(log_contains("option \"/boot/vmxroot.elf\" has no value"));
}

TEST(cmdline_control_bytes_are_escaped_and_ignored)
{
    struct boot_options o = parse("maxcpus=\0017 smp=serial\r vmx=off\n inject_cpu=\x7f"
                                  "2 status=\xc3\xa9 console=com2");
    CHECK_EQ(o.max_cpus, 0);
    CHECK_EQ(o.smp, SMP_PARALLEL);
    CHECK(o.vmx);
    CHECK_EQ(o.inject_cpu, 1);
    CHECK_EQ(o.status_dump, STATUS_DUMP_OFF);
    CHECK_EQ(o.console.ports[0], 0x2F8); /* the good one still applies */
    CHECK(log_contains("cmdline: option \"maxcpus=\\x017\" has non-printable bytes, ignored"));
    CHECK(log_contains("option \"smp=serial\\x0d\" has non-printable"));
    CHECK(log_contains("option \"vmx=off\\x0a\" has non-printable"));
    CHECK(log_contains("option \"inject_cpu=\\x7f2\" has non-printable"));
    CHECK(log_contains("option \"status=\\xc3\\xa9\" has non-printable"));
    log_capture_reset();
    parse("a\"b=1 c\\d=2"); /* quotes and backslashes cannot break the quoting */
    CHECK(log_contains("unknown option \"a\\x22b=1\""));
    CHECK(log_contains("unknown option \"c\\x5cd=2\""));
}

TEST(cmdline_long_token_is_truncated_in_warning)
{
    char line[200];
    memset(line, 'k', 100);
    strcpy(line + 100, "=1");
    parse(line);
    CHECK(log_contains("unknown option \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...\" ignored"));
    log_capture_reset();
    char bad[64];
    memset(bad, '\x01', 30);
    bad[30] = '\0';
    parse(bad);
    /* 10 escapes of 4 chars fill the 40-char quote. */
    CHECK(log_contains("option \"\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01\\x01...\" has non-printable"));
}

TEST(cmdline_overlong_line_parses_only_the_limit)
{
    static char line[CMDLINE_MAX_BYTES * 3];
    size_t used = 0;
    /* "vmx=off" once, then padding options up to just past the limit, then a last option. */
    used += (size_t)sprintf(line + used, "vmx=off ");
    while (used < CMDLINE_MAX_BYTES - 20)
        used += (size_t)sprintf(line + used, "smp=serial ");
    /* A token straddling byte CMDLINE_MAX_BYTES must be dropped, not parsed cut short. */
    while (used < CMDLINE_MAX_BYTES - 6)
        line[used++] = ' ';
    used += (size_t)sprintf(line + used, "maxcpus=1234 ");
    while (used < sizeof line - 40)
        line[used++] = ' ';
    sprintf(line + used, "status=dump");
    struct boot_options o = parse(line);
    CHECK(!o.vmx);
    CHECK_EQ(o.smp, SMP_SERIAL);
    CHECK_EQ(o.max_cpus, 0);
    CHECK_EQ(o.status_dump, STATUS_DUMP_OFF);
    CHECK(log_contains("cmdline: longer than 1024 bytes; parsing only the first 1018"));
    CHECK(!log_contains("maxcpus"));

    /* Exactly CMDLINE_MAX_BYTES bytes is not overlong. */
    log_capture_reset();
    memset(line, ' ', CMDLINE_MAX_BYTES);
    memcpy(line + CMDLINE_MAX_BYTES - 9, "maxcpus=7", 9);
    line[CMDLINE_MAX_BYTES] = '\0';
    CHECK_EQ(parse(line).max_cpus, 7);
    CHECK_STR(log_captured(), "");

    /* One token longer than the limit: nothing parsed, one warning. */
    log_capture_reset();
    memset(line, 'a', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    o = parse(line);
    CHECK(same_as_defaults(&o));
    CHECK(log_contains("parsing only the first 0"));
}

/* The parser reads exactly up to the NUL: a heap copy lets ASan catch any overread. */
TEST(cmdline_never_reads_past_nul)
{
    const char *lines[] = { "maxcpus=", "m", "=", "console=0x", "inject=ap-pani", "a.elf", "x=\x01" };
    for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
        size_t n = strlen(lines[i]) + 1;
        char *copy = malloc(n);
        memcpy(copy, lines[i], n);
        parse(copy);
        free(copy);
    }
}

/* A fixed xorshift sequence: the same "random" lines on every run, so a failure reproduces. */
static uint32_t next_random(uint32_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    return *state;
}

TEST(cmdline_random_garbage_never_crashes)
{
    /* Raw bytes mixed with pieces of real syntax, so the option paths get exercised too. */
    static const char *const pieces[] = { " ",    "=",  "maxcpus=", "console=0x", "inject=",
                                          "smp=", "on", "ap-stall", "4096",       "99999999999",
                                          "com",  "\t", ".elf" };
    uint32_t state = 12345;
    for (int round = 0; round < 200; round++) {
        char *line = malloc(501);
        size_t used = 0;
        while (used < 500) {
            uint32_t pick = next_random(&state) % 16;
            if (pick < ARRAY_SIZE(pieces)) {
                size_t n = strlen(pieces[pick]);
                if (used + n > 500)
                    n = 500 - used;
                memcpy(line + used, pieces[pick], n);
                used += n;
            } else {
                line[used++] = (char)(unsigned char)(1 + next_random(&state) % 255);
            }
        }
        line[500] = '\0';
        struct boot_options o = parse(line);
        CHECK(o.max_cpus <= 4096);
        CHECK(o.sipi_timeout_ms >= 1 && o.sipi_timeout_ms <= 10000);
        CHECK(o.vmcs_per_cpu <= 64);
        CHECK(o.inject < INJECT_COUNT);
        CHECK(o.inject_cpu <= 4095);
        CHECK(o.console.port_count <= CONSOLE_PORTS_MAX && (o.console.port_count > 0 || o.console.screen));
        free(line);
        log_capture_reset();
    }
}

/* core/lib/log.c formats a line into LOG_LINE_BYTES; the longest warning must fit, even from cpu4095. */
TEST(cmdline_longest_warning_fits_a_kernel_log_line)
{
    char line[200];
    snprintf(line, sizeof line, "inject=feature-locked-off inject=%060d", 0);
    parse(line);
    size_t length = strcspn(log_captured(), "\n");
    CHECK(length > 100);
    CHECK(length + 3 <= LOG_LINE_BYTES - 2); /* "cpu4095" is 3 longer than "cpu0"; keep '\n' and NUL */
}
