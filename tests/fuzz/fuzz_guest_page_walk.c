// host-sources: arch/x86/vmx/guest_page_walk.c
/*
 * Fuzzes guest_page_walk: the input is the control registers, the linear
 * address and a small guest-physical memory whose every byte the guest
 * chose (its page tables). Reads outside that memory fail as the kernel's
 * read_gpa fails for memory the guest may not read; a read the walk asks for
 * must be 4 or 8 bytes and inside one page. A walk ends in at most four
 * reads, with a translation or an error.
 */
#include <stdlib.h>
#include <string.h>
#include "arch/x86/vmx/guest_page_walk.h"
#include "core/lib/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct memory {
    const uint8_t *bytes;
    size_t size;
    unsigned reads;
};

static int read_gpa(void *ctx, uint64_t gpa, unsigned size_bytes, uint64_t *value)
{
    struct memory *m = ctx;
    if ((size_bytes != 4 && size_bytes != 8) || (gpa & 0xFFF) + size_bytes > 4096 || ++m->reads > 4)
        abort();
    if (gpa >= m->size || m->size - gpa < size_bytes)
        return E_NOENT;
    uint64_t v = 0;
    memcpy(&v, m->bytes + gpa, size_bytes);
    *value = v;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t head[5];
    if (size < sizeof head)
        return 0;
    memcpy(head, data, sizeof head);
    struct memory m = { data + sizeof head, size - sizeof head, 0 };
    /* Page tables low in the small memory: CR3 within it most of the time. */
    struct guest_paging p = { .cr0 = head[0],
                              .cr3 = head[1] & 0xFFFF,
                              .cr4 = head[2],
                              .efer = head[3],
                              .read_gpa = read_gpa,
                              .ctx = &m };
    uint64_t gpa = 0;
    int err = guest_page_walk(&p, head[4], &gpa);
    if (err != 0 && err != E_NOENT && err != E_NOTSUP)
        abort();
    return 0;
}
