/*
 * Parses the kernel command line GRUB hands over in the multiboot2 command
 * line tag ("console=com1 maxcpus=4 ..."): tokens split by spaces and tabs,
 * each "key=value". The options are one table below; adding one is one line
 * there plus its field in struct boot_options. A bad token is named in a
 * warning and skipped, so a typo never stops the boot.
 */
#include "core/cmdline.h"
#include "core/lib/format.h"
#include "core/lib/string.h"

/* Options with more values than this name README.md in a warning instead of listing them. */
#define CMDLINE_NAMES_LISTED_MAX 16
/* How many bytes of a bad token a warning quotes (escaped), before "...". */
#define CMDLINE_QUOTE_CHARS 40

enum cmdline_kind {
    CMDLINE_NUMBER,  /* decimal in [min, max] */
    CMDLINE_NAMES,   /* one of names[], stored as its index */
    CMDLINE_CONSOLE, /* a comma list of com1..com4, hex I/O ports 0xN in [min, max], fb */
};

struct cmdline_option {
    const char *name;
    enum cmdline_kind kind;
    size_t offset;     /* of the field in struct boot_options */
    size_t size_bytes; /* of that field: 1 (bool), 2 or 4 */
    uint32_t min, max;
    const char *const *names;
    size_t name_count;
};

static const char *const log_level_names[] = { "error", "warn", "info", "debug" };
static const char *const exit_names[] = { "never", "on-ready", "on-guest-exit" };
static const char *const guest_names[] = { "test", "none", "linux", "auto", "multiboot1", "attack" };
static const char *const smp_names[] = { "parallel", "serial", "off" };
static const char *const on_off_names[] = { "off", "on" };
static const char *const status_names[] = { "off", "dump" };
static const char *const selftest_names[] = { "none", "vmcs", "clocks", "display", "vmentry" };
static const char *const inject_names[INJECT_COUNT] = {
    [INJECT_NONE] = "none",
    [INJECT_VMPTRLD_VMXON] = "vmptrld-vmxon",
    [INJECT_WRONG_REVISION] = "wrong-revision",
    [INJECT_UNALIGNED_VMCS] = "unaligned-vmcs",
    [INJECT_BEYOND_PHYS_WIDTH] = "beyond-phys-width",
    [INJECT_VMCLEAR_VMXON] = "vmclear-vmxon",
    [INJECT_POOL_EXHAUSTION] = "pool-exhaustion",
    [INJECT_FEATURE_LOCKED_OFF] = "feature-locked-off",
    [INJECT_AP_NO_ANSWER] = "ap-no-answer",
    [INJECT_AP_STALL] = "ap-stall",
    [INJECT_STACK_OVERFLOW] = "stack-overflow",
    [INJECT_WRITE_TEXT] = "write-text",
    [INJECT_AP_PANIC] = "ap-panic",
    [INJECT_EXEC_DATA] = "exec-data",
    [INJECT_STACK_SMASH] = "stack-smash",
    [INJECT_NO_PIT] = "no-pit",
    [INJECT_GUEST_TRIPLE_FAULT] = "guest-triple-fault",
    [INJECT_GUEST_SPIN] = "guest-spin",
    [INJECT_VMENTRY_CONTROL_PIN] = "vmentry-control-pin",
    [INJECT_VMENTRY_CONTROL_CR3] = "vmentry-control-cr3-targets",
    [INJECT_VMENTRY_HOST_CR4] = "vmentry-host-cr4",
    [INJECT_VMENTRY_HOST_RIP] = "vmentry-host-rip",
    [INJECT_VMENTRY_GUEST_CR0] = "vmentry-guest-cr0",
    [INJECT_VMENTRY_GUEST_RFLAGS] = "vmentry-guest-rflags",
    [INJECT_VMENTRY_GUEST_LINK] = "vmentry-guest-link-pointer",
    [INJECT_VMENTRY_GUEST_RIP] = "vmentry-guest-rip",
};

/* The legacy PC serial ports, in the order of their names com1..com4. */
static const uint16_t com_ports[] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };

/* Each field's index-valued names must match the enum's numbering. */
_Static_assert(LOG_ERROR == 0 && LOG_DEBUG == 3, "log_level_names order");
_Static_assert(EXIT_NEVER == 0 && EXIT_ON_READY == 1 && EXIT_ON_GUEST_EXIT == 2, "exit_names order");
_Static_assert(GUEST_TEST == 0 && GUEST_NONE == 1 && GUEST_LINUX == 2 && GUEST_AUTO == 3 &&
                   GUEST_MULTIBOOT1 == 4 && GUEST_ATTACK == 5,
               "guest_names order");
_Static_assert(SMP_PARALLEL == 0 && SMP_SERIAL == 1 && SMP_OFF == 2, "smp_names order");
_Static_assert(STATUS_DUMP_OFF == 0 && STATUS_DUMP_HEX == 1, "status_names order");
_Static_assert(SELFTEST_NONE == 0 && SELFTEST_VMCS == 1 && SELFTEST_CLOCKS == 2 && SELFTEST_DISPLAY == 3 &&
                   SELFTEST_VMENTRY == 4,
               "selftest_names order");
_Static_assert(sizeof(enum inject_case) == 4 && sizeof(enum log_level) == 4, "enum fields are 4 bytes");

#define FIELD(member) offsetof(struct boot_options, member), sizeof(((struct boot_options *)0)->member)
#define NAMES(list) 0, 0, list, ARRAY_SIZE(list)
#define RANGE(lo, hi) lo, hi, NULL, 0

static const struct cmdline_option cmdline_options[] = {
    { "console", CMDLINE_CONSOLE, FIELD(console), 1, 0xFFFF, NULL, 0 },
    { "loglevel", CMDLINE_NAMES, FIELD(log_level), NAMES(log_level_names) },
    { "exit", CMDLINE_NAMES, FIELD(exit), NAMES(exit_names) },
    { "smp", CMDLINE_NAMES, FIELD(smp), NAMES(smp_names) },
    { "maxcpus", CMDLINE_NUMBER, FIELD(max_cpus), RANGE(1, 4096) },
    { "init_wait", CMDLINE_NAMES, FIELD(init_wait), NAMES(on_off_names) },
    { "sipi_timeout_ms", CMDLINE_NUMBER, FIELD(sipi_timeout_ms), RANGE(1, 10000) },
    { "vmcs_per_cpu", CMDLINE_NUMBER, FIELD(vmcs_per_cpu), RANGE(0, 64) },
    { "inject", CMDLINE_NAMES, FIELD(inject), NAMES(inject_names) },
    { "inject_cpu", CMDLINE_NUMBER, FIELD(inject_cpu), RANGE(0, 4095) },
    { "status", CMDLINE_NAMES, FIELD(status_dump), NAMES(status_names) },
    { "vmx", CMDLINE_NAMES, FIELD(vmx), NAMES(on_off_names) },
    { "selftest", CMDLINE_NAMES, FIELD(selftest), NAMES(selftest_names) },
    { "x2apic", CMDLINE_NAMES, FIELD(x2apic), NAMES(on_off_names) },
    { "guest", CMDLINE_NAMES, FIELD(guest), NAMES(guest_names) },
    { "vmentry_check", CMDLINE_NAMES, FIELD(vmentry_check), NAMES(on_off_names) },
    { "guest_cpus", CMDLINE_NUMBER, FIELD(guest_cpus), RANGE(1, 4096) },
    { "guest_mem", CMDLINE_NUMBER, FIELD(guest_mem_mb), RANGE(16, 1048576) },
    { "cpuid_hypervisor", CMDLINE_NAMES, FIELD(cpuid_hypervisor), NAMES(on_off_names) },
    { "vmentry_cases", CMDLINE_NUMBER, FIELD(vmentry_cases), RANGE(1, 1000000) },
    { "vmentry_seed", CMDLINE_NUMBER, FIELD(vmentry_seed), RANGE(0, 0xffffffffu) },
};

/* A piece of the command line: not NUL-terminated, the line is read-only. */
struct cmdline_span {
    const char *text;
    size_t length;
};

const char *inject_case_name(enum inject_case c)
{
    if ((unsigned)c >= ARRAY_SIZE(inject_names))
        return "unknown";
    return inject_names[c];
}

void cmdline_defaults(struct boot_options *opts)
{
    *opts = (struct boot_options){
        .console = { .every = true,
                     .screen = true,
                     .port_count = 4,
                     .ports = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 } },
        .log_level = LOG_INFO,
        .exit = EXIT_NEVER,
        .smp = SMP_PARALLEL,
        .max_cpus = 0,
        .init_wait = false,
        .sipi_timeout_ms = 100,
        .vmcs_per_cpu = 4,
        .inject = INJECT_NONE,
        .inject_cpu = 1,
        .status_dump = STATUS_DUMP_OFF,
        .vmx = true,
        .guest = GUEST_AUTO,
        .vmentry_check = true,
        .cpuid_hypervisor = true,
        .vmentry_cases = 200,
        .vmentry_seed = 1,
    };
}

static bool span_equals(struct cmdline_span span, const char *word)
{
    size_t length = strlen(word);
    return span.length == length && memcmp(span.text, word, length) == 0;
}

static bool span_ends_with(struct cmdline_span span, const char *suffix)
{
    size_t length = strlen(suffix);
    return span.length >= length && memcmp(span.text + span.length - length, suffix, length) == 0;
}

/* Quotes span for a warning: printable ASCII as is, the rest as \xNN, cut at ~40 chars. */
static void quote(struct cmdline_span span, char *out, size_t out_bytes)
{
    static const char hex[] = "0123456789abcdef";
    size_t used = 0;
    for (size_t i = 0; i < span.length; i++) {
        unsigned char c = (unsigned char)span.text[i];
        char piece[4];
        size_t piece_length = 0;
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
            piece[piece_length++] = (char)c;
        } else {
            piece[piece_length++] = '\\';
            piece[piece_length++] = 'x';
            piece[piece_length++] = hex[c >> 4];
            piece[piece_length++] = hex[c & 0xF];
        }
        if (used + piece_length > CMDLINE_QUOTE_CHARS || used + piece_length + 4 > out_bytes) {
            memcpy(out + used, "...", 3);
            used += 3;
            break;
        }
        memcpy(out + used, piece, piece_length);
        used += piece_length;
    }
    out[used] = '\0';
}

/* Decimal digits only, no sign; false on anything else or above max. */
static bool parse_decimal(struct cmdline_span span, uint32_t max, uint32_t *value)
{
    uint64_t result = 0;
    if (span.length == 0)
        return false;
    for (size_t i = 0; i < span.length; i++) {
        char c = span.text[i];
        if (c < '0' || c > '9')
            return false;
        result = result * 10 + (uint64_t)(c - '0');
        if (result > max) /* stops long before uint64_t could overflow */
            return false;
    }
    *value = (uint32_t)result;
    return true;
}

/* "0x" then hex digits; false on anything else or above max. */
static bool parse_hex(struct cmdline_span span, uint32_t max, uint32_t *value)
{
    uint64_t result = 0;
    if (span.length < 3 || span.text[0] != '0' || (span.text[1] != 'x' && span.text[1] != 'X'))
        return false;
    for (size_t i = 2; i < span.length; i++) {
        char c = span.text[i];
        unsigned digit;
        if (c >= '0' && c <= '9')
            digit = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            digit = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            digit = (unsigned)(c - 'A' + 10);
        else
            return false;
        result = result * 16 + digit;
        if (result > max)
            return false;
    }
    *value = (uint32_t)result;
    return true;
}

/* Turns a value into what the field stores; false if the value is not acceptable. */
static bool option_value(const struct cmdline_option *opt, struct cmdline_span value, uint32_t *out)
{
    switch (opt->kind) {
    case CMDLINE_NUMBER:
        return parse_decimal(value, opt->max, out) && *out >= opt->min;
    case CMDLINE_NAMES:
        for (size_t i = 0; i < opt->name_count; i++) {
            if (span_equals(value, opt->names[i])) {
                *out = (uint32_t)i;
                return true;
            }
        }
        return false;
    case CMDLINE_CONSOLE:
        break; /* a list: console_list_parse */
    }
    return false;
}

/* One item of console=: com1..com4 or 0xN, as a port; false for fb or anything else. */
static bool console_port_item(const struct cmdline_option *opt, struct cmdline_span item, uint32_t *port)
{
    static const char *const com_names[] = { "com1", "com2", "com3", "com4" };
    for (size_t i = 0; i < ARRAY_SIZE(com_names); i++) {
        if (span_equals(item, com_names[i])) {
            *port = com_ports[i];
            return true;
        }
    }
    return parse_hex(item, opt->max, port) && *port >= opt->min;
}

/* "com1,fb,0x2f8": false (and *out untouched) when an item is bad or there are too many ports. */
static bool console_list_parse(const struct cmdline_option *opt, struct cmdline_span value,
                               struct console_choice *out)
{
    struct console_choice choice = { 0 };
    size_t start = 0;
    if (value.length == 0)
        return false;
    while (start <= value.length) {
        size_t end = start;
        while (end < value.length && value.text[end] != ',')
            end++;
        struct cmdline_span item = { value.text + start, end - start };
        uint32_t port;
        if (span_equals(item, "fb")) {
            choice.screen = true;
        } else if (console_port_item(opt, item, &port)) {
            bool seen = false;
            for (unsigned i = 0; i < choice.port_count; i++)
                seen |= choice.ports[i] == port;
            if (!seen && choice.port_count == CONSOLE_PORTS_MAX)
                return false;
            if (!seen)
                choice.ports[choice.port_count++] = (uint16_t)port;
        } else {
            return false;
        }
        start = end + 1;
    }
    *out = choice;
    return true;
}

/* "every console" or "com1,0x2f8,fb": what console= is now, for a warning. */
static void describe_consoles(const struct console_choice *choice, char *out, size_t out_bytes)
{
    size_t used = 0;
    if (choice->every) {
        format(out, out_bytes, "every console");
        return;
    }
    out[0] = '\0';
    for (unsigned i = 0; i < choice->port_count && used < out_bytes; i++)
        used += (size_t)format(out + used, out_bytes - used, "%s0x%x", i ? "," : "", choice->ports[i]);
    if (choice->screen && used < out_bytes)
        format(out + used, out_bytes - used, "%sfb", used ? "," : "");
}

/* Fields are bool, uint16_t, uint32_t or a 4-byte enum; copy through memcpy to respect each type. */
static void field_store(struct boot_options *opts, const struct cmdline_option *opt, uint32_t value)
{
    unsigned char *field = (unsigned char *)opts + opt->offset;
    if (opt->size_bytes == sizeof(bool)) {
        bool b = value != 0;
        memcpy(field, &b, sizeof b);
    } else if (opt->size_bytes == sizeof(uint16_t)) {
        uint16_t v = (uint16_t)value;
        memcpy(field, &v, sizeof v);
    } else {
        memcpy(field, &value, sizeof value);
    }
}

static uint32_t field_load(const struct boot_options *opts, const struct cmdline_option *opt)
{
    const unsigned char *field = (const unsigned char *)opts + opt->offset;
    if (opt->size_bytes == sizeof(bool)) {
        bool b;
        memcpy(&b, field, sizeof b);
        return b;
    }
    if (opt->size_bytes == sizeof(uint16_t)) {
        uint16_t v;
        memcpy(&v, field, sizeof v);
        return v;
    }
    uint32_t v;
    memcpy(&v, field, sizeof v);
    return v;
}

/* "1..4096", "never|on-ready", "com1..com4 or 0x1..0xffff": what the option accepts. */
static void describe_wanted(const struct cmdline_option *opt, char *out, size_t out_bytes)
{
    size_t used = 0;
    switch (opt->kind) {
    case CMDLINE_NUMBER:
        format(out, out_bytes, "%u..%u", opt->min, opt->max);
        return;
    case CMDLINE_CONSOLE:
        format(out, out_bytes, "a comma list of com1..com4, 0x%x..0x%x and fb", opt->min, opt->max);
        return;
    case CMDLINE_NAMES:
        if (opt->name_count > CMDLINE_NAMES_LISTED_MAX) {
            /* A long list (inject=) would not fit a log line: point at the table. */
            format(out, out_bytes, "one of the %zu %s= values in README.md", opt->name_count, opt->name);
            return;
        }
        out[0] = '\0';
        for (size_t i = 0; i < opt->name_count && used < out_bytes; i++)
            used += (size_t)format(out + used, out_bytes - used, "%s%s", i ? "|" : "", opt->names[i]);
        return;
    }
}

static void describe_current(const struct cmdline_option *opt, uint32_t value, char *out, size_t out_bytes)
{
    if (opt->kind == CMDLINE_NAMES && value < opt->name_count)
        format(out, out_bytes, "%s", opt->names[value]);
    else
        format(out, out_bytes, "%u", value);
}

static const struct cmdline_option *option_find(struct cmdline_span key)
{
    for (size_t i = 0; i < ARRAY_SIZE(cmdline_options); i++) {
        if (span_equals(key, cmdline_options[i].name))
            return &cmdline_options[i];
    }
    return NULL;
}

static void apply_token(struct cmdline_span token, bool first, struct boot_options *opts)
{
    char quoted[CMDLINE_QUOTE_CHARS + 4];
    quote(token, quoted, sizeof quoted);
    for (size_t i = 0; i < token.length; i++) {
        unsigned char c = (unsigned char)token.text[i];
        if (c < 0x21 || c > 0x7E) {
            log_warn("cmdline: option \"%s\" has non-printable bytes, ignored; retype it in the GRUB entry",
                     quoted);
            return;
        }
    }
    size_t eq = 0;
    while (eq < token.length && token.text[eq] != '=')
        eq++;
    if (eq == token.length) {
        /* Tolerate a boot loader that passes the kernel's own path first. */
        if (first && span_ends_with(token, ".elf"))
            return;
        log_warn("cmdline: option \"%s\" has no value (want key=value), ignored", quoted);
        return;
    }
    struct cmdline_span key = { token.text, eq };
    struct cmdline_span value = { token.text + eq + 1, token.length - eq - 1 };
    const struct cmdline_option *opt = option_find(key);
    if (opt == NULL) {
        log_warn("cmdline: unknown option \"%s\" ignored; README.md lists the options", quoted);
        return;
    }
    uint32_t parsed = 0;
    bool good = opt->kind == CMDLINE_CONSOLE ? console_list_parse(opt, value, &opts->console)
                                             : option_value(opt, value, &parsed);
    if (!good) {
        char quoted_value[CMDLINE_QUOTE_CHARS + 4], wanted[256], current[64];
        quote(value, quoted_value, sizeof quoted_value);
        describe_wanted(opt, wanted, sizeof wanted);
        if (opt->kind == CMDLINE_CONSOLE)
            describe_consoles(&opts->console, current, sizeof current);
        else
            describe_current(opt, field_load(opts, opt), current, sizeof current);
        log_warn("cmdline: bad value \"%s\" for %s (want %s), keeping %s", quoted_value, opt->name, wanted,
                 current);
        return;
    }
    if (opt->kind != CMDLINE_CONSOLE)
        field_store(opts, opt, parsed);
}

void cmdline_parse(const char *cmdline, struct boot_options *opts)
{
    cmdline_defaults(opts);
    if (cmdline == NULL)
        return;
    size_t length = 0;
    while (length < CMDLINE_MAX_BYTES && cmdline[length] != '\0')
        length++;
    if (length == CMDLINE_MAX_BYTES && cmdline[length] != '\0') {
        /* A token cut at the limit could change meaning (maxcpus=12 -> =1): drop it. */
        while (length > 0 && cmdline[length - 1] != ' ' && cmdline[length - 1] != '\t')
            length--;
        log_warn("cmdline: longer than %u bytes; parsing only the first %zu, shorten the GRUB command line",
                 (unsigned)CMDLINE_MAX_BYTES, length);
    }
    bool first = true;
    size_t i = 0;
    while (i < length) {
        if (cmdline[i] == ' ' || cmdline[i] == '\t') {
            i++;
            continue;
        }
        size_t start = i;
        while (i < length && cmdline[i] != ' ' && cmdline[i] != '\t')
            i++;
        apply_token((struct cmdline_span){ cmdline + start, i - start }, first, opts);
        first = false;
    }
}
