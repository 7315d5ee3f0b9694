/* Minimal: the ept branch owns this file. */
#ifndef ARCH_X86_VMX_VMX_EXIT_QUALIFICATION_H
#define ARCH_X86_VMX_VMX_EXIT_QUALIFICATION_H
#include "core/lib/compiler.h"
#include "core/lib/format.h"
enum { VMX_CR_ACCESS_MOV_TO_CR = 0, VMX_CR_ACCESS_MOV_FROM_CR = 1, VMX_CR_ACCESS_CLTS = 2, VMX_CR_ACCESS_LMSW = 3 };
struct vmx_cr_access { unsigned cr, type, gpr; uint16_t lmsw_source; };
static inline void vmx_decode_cr_access(uint64_t q, struct vmx_cr_access *a)
{
    a->cr = q & 15; a->type = (q >> 4) & 3; a->gpr = (q >> 8) & 15; a->lmsw_source = (uint16_t)(q >> 16);
}
static inline void vmx_format_cr_access(const struct vmx_cr_access *a, char *b, size_t n) { format(b, n, "CR%u type %u", a->cr, a->type); }
struct vmx_io_access { uint16_t port; uint8_t size_bytes; bool in, string, rep; };
static inline void vmx_decode_io_instruction(uint64_t q, struct vmx_io_access *io)
{
    io->size_bytes = (uint8_t)((q & 7) + 1); io->in = (q >> 3) & 1; io->string = (q >> 4) & 1; io->rep = (q >> 5) & 1;
    io->port = (uint16_t)(q >> 16);
}
static inline void vmx_format_io_instruction(const struct vmx_io_access *io, char *b, size_t n) { format(b, n, "port 0x%x", io->port); }
struct vmx_ept_violation { uint64_t q; };
static inline void vmx_decode_ept_violation(uint64_t q, struct vmx_ept_violation *v) { v->q = q; }
static inline void vmx_format_ept_violation(const struct vmx_ept_violation *v, char *b, size_t n) { format(b, n, "%s%s%s", v->q & 1 ? "read" : "", v->q & 2 ? "write" : "", v->q & 4 ? "fetch" : ""); }
#endif
