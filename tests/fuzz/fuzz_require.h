/*
 * REQUIRE(cond) for the libFuzzer harnesses: a broken invariant prints the
 * file, line and condition, then aborts, so libFuzzer saves the input as a
 * crash (a plain assert would vanish under NDEBUG).
 */
#ifndef TESTS_FUZZ_FUZZ_REQUIRE_H
#define TESTS_FUZZ_FUZZ_REQUIRE_H

#include <stdio.h>
#include <stdlib.h>

#define REQUIRE(cond)                                                                                        \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);                     \
            abort();                                                                                         \
        }                                                                                                    \
    } while (0)

#endif
