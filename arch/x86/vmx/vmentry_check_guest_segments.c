/*
 * SDM "Checks on Guest Segment Registers": selectors, bases, limits and access
 * rights of CS, SS, DS, ES, FS, GS, TR and LDTR. Terms as the SDM uses them:
 * the guest "will be virtual-8086" if RFLAGS.VM is 1; a register is "usable"
 * if bit 16 of its access rights is 0. A failure is a VM exit with reason 33.
 */
#include "arch/x86/vmx/vmentry_check_internal.h"

static bool is_system_segment(unsigned s) { return s == SEG_TR || s == SEG_LDTR; }

/*
 * Whether the access-rights checks apply to a register: CS, SS, DS, ES, FS
 * and GS outside virtual-8086 mode ("if the register is CS or if the register
 * is usable"), TR always, LDTR when usable.
 */
static bool access_rights_checked(const struct vmentry_ctx *c, unsigned s)
{
    if (s == SEG_TR)
        return true;
    if (s == SEG_LDTR)
        return c->seg[s].usable;
    return !c->v8086 && (s == SEG_CS || c->seg[s].usable);
}

bool vmentry_ok_guest_selector_ti(struct vmentry_ctx *c, unsigned s)
{
    return (s == SEG_LDTR && !c->seg[s].usable) || (c->seg[s].selector & 4) == 0;
}

bool vmentry_ok_guest_ss_rpl_equals_cs_rpl(struct vmentry_ctx *c, unsigned unused)
{
    return c->v8086 || c->unrestricted || (c->seg[SEG_SS].selector & 3) == (c->seg[SEG_CS].selector & 3);
}

/* --- bases --- */

bool vmentry_ok_guest_v8086_base(struct vmentry_ctx *c, unsigned s)
{
    return !c->v8086 || c->seg[s].base == c->seg[s].selector << 4;
}

bool vmentry_ok_guest_base_canonical(struct vmentry_ctx *c, unsigned s)
{
    return (s == SEG_LDTR && !c->seg[s].usable) || vmentry_canonical(c, c->seg[s].base);
}

bool vmentry_ok_guest_base_high(struct vmentry_ctx *c, unsigned s)
{
    return (s != SEG_CS && !c->seg[s].usable) || (c->seg[s].base >> 32) == 0;
}

/* --- virtual-8086 limits and access rights --- */

bool vmentry_ok_guest_v8086_limit(struct vmentry_ctx *c, unsigned s)
{
    return !c->v8086 || c->seg[s].limit == 0xffff;
}

bool vmentry_ok_guest_v8086_access_rights(struct vmentry_ctx *c, unsigned s)
{
    return !c->v8086 || c->seg[s].access_rights == 0xf3;
}

/* --- types --- */

bool vmentry_ok_guest_cs_type(struct vmentry_ctx *c, unsigned unused)
{
    if (c->v8086)
        return true;
    unsigned type = AR_TYPE(c->seg[SEG_CS].access_rights);
    return type == 9 || type == 11 || type == 13 || type == 15 || (type == 3 && c->unrestricted);
}

bool vmentry_ok_guest_ss_type(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type = AR_TYPE(c->seg[SEG_SS].access_rights);
    return !access_rights_checked(c, SEG_SS) || type == 3 || type == 7;
}

bool vmentry_ok_guest_data_type_accessed(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].access_rights & 1);
}

bool vmentry_ok_guest_data_type_readable(struct vmentry_ctx *c, unsigned s)
{
    unsigned type = AR_TYPE(c->seg[s].access_rights);
    return !access_rights_checked(c, s) || !(type & 8) || (type & 2);
}

bool vmentry_ok_guest_tr_type(struct vmentry_ctx *c, unsigned unused)
{
    unsigned type = AR_TYPE(c->seg[SEG_TR].access_rights);
    return type == 11 || (type == 3 && !c->ia32e_guest);
}

bool vmentry_ok_guest_ldtr_type(struct vmentry_ctx *c, unsigned unused)
{
    return !c->seg[SEG_LDTR].usable || AR_TYPE(c->seg[SEG_LDTR].access_rights) == 2;
}

/* --- S, DPL, P --- */

bool vmentry_ok_guest_seg_s(struct vmentry_ctx *c, unsigned s)
{
    if (!access_rights_checked(c, s))
        return true;
    bool code_or_data = (c->seg[s].access_rights & AR_S) != 0;
    return is_system_segment(s) ? !code_or_data : code_or_data;
}

bool vmentry_ok_guest_cs_dpl(struct vmentry_ctx *c, unsigned rule)
{
    if (c->v8086)
        return true;
    unsigned type = AR_TYPE(c->seg[SEG_CS].access_rights);
    unsigned cs_dpl = AR_DPL(c->seg[SEG_CS].access_rights), ss_dpl = AR_DPL(c->seg[SEG_SS].access_rights);
    switch (rule) {
    case CS_DPL_DATA:
        return type != 3 || cs_dpl == 0;
    case CS_DPL_NONCONFORMING:
        return (type != 9 && type != 11) || cs_dpl == ss_dpl;
    default:
        return (type != 13 && type != 15) || cs_dpl <= ss_dpl;
    }
}

bool vmentry_ok_guest_ss_dpl_rpl(struct vmentry_ctx *c, unsigned unused)
{
    return c->v8086 || c->unrestricted ||
           AR_DPL(c->seg[SEG_SS].access_rights) == (c->seg[SEG_SS].selector & 3);
}

bool vmentry_ok_guest_ss_dpl_zero(struct vmentry_ctx *c, unsigned unused)
{
    bool applies = AR_TYPE(c->seg[SEG_CS].access_rights) == 3 || !(c->v->guest_cr0 & CR0_PE);
    return c->v8086 || !applies || AR_DPL(c->seg[SEG_SS].access_rights) == 0;
}

bool vmentry_ok_guest_data_dpl_rpl(struct vmentry_ctx *c, unsigned s)
{
    if (c->unrestricted || !access_rights_checked(c, s) || AR_TYPE(c->seg[s].access_rights) > 11)
        return true;
    return AR_DPL(c->seg[s].access_rights) >= (c->seg[s].selector & 3);
}

bool vmentry_ok_guest_seg_p(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].access_rights & AR_P);
}

/* --- reserved bits, D/B, G --- */

bool vmentry_ok_guest_seg_reserved_11_8(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].access_rights & 0xf00) == 0;
}

bool vmentry_ok_guest_seg_reserved_31_17(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].access_rights & 0xfffe0000u) == 0;
}

bool vmentry_ok_guest_cs_db_long(struct vmentry_ctx *c, unsigned unused)
{
    uint32_t ar = c->seg[SEG_CS].access_rights;
    return c->v8086 || !c->ia32e_guest || !(ar & AR_L) || !(ar & AR_DB);
}

bool vmentry_ok_guest_seg_g_limit_low(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].limit & 0xfff) == 0xfff ||
           !(c->seg[s].access_rights & AR_G);
}

bool vmentry_ok_guest_seg_g_limit_high(struct vmentry_ctx *c, unsigned s)
{
    return !access_rights_checked(c, s) || (c->seg[s].limit & 0xfff00000u) == 0 ||
           (c->seg[s].access_rights & AR_G);
}

bool vmentry_ok_guest_tr_usable(struct vmentry_ctx *c, unsigned unused) { return c->seg[SEG_TR].usable; }
