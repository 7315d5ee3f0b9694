/* Compiler helpers shared by the kernel and the host-built tests. */
#ifndef CORE_LIB_COMPILER_H
#define CORE_LIB_COMPILER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* names[index] of a name table indexed by value (holes allowed), or "?" past its end or at a hole. */
#define NAME_OF(names, index) ((size_t)(index) < ARRAY_SIZE(names) && (names)[index] ? (names)[index] : "?")
#define PACKED __attribute__((packed))
#define ALIGNED(n) __attribute__((aligned(n)))
#define NORETURN __attribute__((noreturn))
#define COLD __attribute__((cold, noinline))
#define PRINTF_LIKE(fmt_index, args_index) __attribute__((format(printf, fmt_index, args_index)))
#define UNUSED __attribute__((unused))
/*
 * On every function whose result says whether it worked (each int-returning
 * function, each VMX instruction wrapper): dropping it is a compile error
 * (-Werror). The one exception is the format() family (format, format_v,
 * vmx_outcome_format): like snprintf, they return a length, not an outcome.
 */
#define MUST_CHECK __attribute__((warn_unused_result))

#define PAGE_SIZE_BYTES 4096u
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define KiB(n) ((uint64_t)(n) << 10)
#define MiB(n) ((uint64_t)(n) << 20)
#define GiB(n) ((uint64_t)(n) << 30)

#endif
