/*
 * An EPT table allocator for the host tests and the fuzz harness: malloc'ed
 * 4 KiB-aligned pages, each given a made-up physical address (not its
 * pointer), so a builder that mixes up virt and phys fails at once. Counts
 * what is outstanding and can refuse after a number of pages (E_NOMEM).
 */
#ifndef TESTS_UNIT_EPT_PAGES_H
#define TESTS_UNIT_EPT_PAGES_H

#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/ept.h"
#include "core/lib/error.h"

#define TEST_PAGES_MAX 8192
#define TEST_PAGES_PHYS_BASE 0x7700000000ull

struct test_pages {
    void *virt[TEST_PAGES_MAX]; /* by (phys - TEST_PAGES_PHYS_BASE) / 4096; NULL when free */
    int outstanding;
    int allocated_total;
    int limit; /* alloc_page refuses once allocated_total reaches it; 0: no limit */
    int next;  /* where the search for a free slot starts */
};

static inline int test_pages_alloc(void *ctx, struct ept_page *page)
{
    struct test_pages *t = ctx;
    if (t->limit != 0 && t->allocated_total >= t->limit)
        return E_NOMEM;
    for (int n = 0; n < TEST_PAGES_MAX; n++) {
        int i = (t->next + n) % TEST_PAGES_MAX;
        if (t->virt[i] != NULL)
            continue;
        t->next = i + 1;
        t->virt[i] = aligned_alloc(4096, 4096);
        if (t->virt[i] == NULL)
            return E_NOMEM;
        memset(t->virt[i], 0xA5, 4096); /* the builder must zero it */
        page->virt = t->virt[i];
        page->phys = TEST_PAGES_PHYS_BASE + (uint64_t)i * 4096;
        t->outstanding++;
        t->allocated_total++;
        return 0;
    }
    return E_NOMEM;
}

static inline void *test_pages_virt(void *ctx, uint64_t phys)
{
    struct test_pages *t = ctx;
    uint64_t i = (phys - TEST_PAGES_PHYS_BASE) / 4096;
    if (phys < TEST_PAGES_PHYS_BASE || i >= TEST_PAGES_MAX || t->virt[i] == NULL)
        abort(); /* a phys the allocator never gave out */
    return t->virt[i];
}

static inline void test_pages_free(void *ctx, struct ept_page page)
{
    struct test_pages *t = ctx;
    if (test_pages_virt(ctx, page.phys) != page.virt)
        abort();
    free(page.virt);
    t->virt[(page.phys - TEST_PAGES_PHYS_BASE) / 4096] = NULL;
    t->outstanding--;
}

static inline struct ept_allocator test_pages_allocator(struct test_pages *t)
{
    return (struct ept_allocator){ test_pages_alloc, test_pages_free, test_pages_virt, t };
}

#endif
