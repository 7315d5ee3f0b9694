/*
 * The VM-entry check's driver: decodes the input once, then runs the checks of
 * vmentry_check_list.h in order and reports the first that fails (SDM: "VM
 * Entries": controls and host state are checked before guest state, and MSRs
 * are loaded last; within an area, the SDM's order).
 */
#include "arch/x86/vmx/vmentry_check_internal.h"
#include "core/lib/error.h"
#include "core/lib/string.h"

enum check_area { AREA_CONTROL, AREA_HOST, AREA_GUEST, AREA_MSR_LIST, AREA_MSR_ENTRY };
#define AREA_OF_CONTROL AREA_CONTROL
#define AREA_OF_HOST AREA_HOST
#define AREA_OF_GUEST AREA_GUEST
#define AREA_OF_MSR_LIST AREA_MSR_LIST
#define AREA_OF_MSR_ENTRY AREA_MSR_ENTRY

struct check_def {
    uint8_t area;
    uint32_t param;
    bool (*ok)(struct vmentry_ctx *c, unsigned param);
};

static const struct check_def checks[VMENTRY_CHECK_COUNT] = {
#define VMENTRY_CHECK_DEF(area, id, predicate, param, field, name)                                           \
    { AREA_OF_##area, param, vmentry_ok_##predicate },
    VMENTRY_CHECK_LIST(VMENTRY_CHECK_DEF)
#undef VMENTRY_CHECK_DEF
};

/*
 * The checker of the checker: `make VMENTRY_BROKEN_CHECK=<id>` (a test-only build, never a release)
 * compiles VMENTRY_CHECK_BROKEN_ID in, and that one check then passes whatever the VMCS holds. The
 * differential run against Bochs must then report disagreements (tests/test_vmentry_diff.py); if it did
 * not, the run could not catch a wrong check either.
 */
#ifdef VMENTRY_CHECK_BROKEN_ID
const enum vmentry_check_id vmentry_check_broken_id = VMENTRY_CHECK_BROKEN_ID;
#else
const enum vmentry_check_id vmentry_check_broken_id = VMENTRY_CHECK_NONE;
#endif

static bool check_passes(struct vmentry_ctx *c, unsigned id)
{
    if (id == (unsigned)vmentry_check_broken_id)
        return true;
    return checks[id].ok(c, checks[id].param);
}

void vmentry_cpu_default(struct vmentry_cpu *cpu)
{
    memset(cpu, 0, sizeof *cpu);
    cpu->linear_address_width_bits = 48;
    cpu->efer_allowed_bits = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    /* LBR, BTF, TR, BTS, BTINT, BTS_OFF_OS/USR, FREEZE_LBRS/PERFMON_ON_PMI, UNCORE_PMI, FREEZE_WHILE_SMM, RTM_DEBUG */
    cpu->debugctl_allowed_bits = 0xffc3;
    cpu->perf_global_ctrl_allowed_bits = 0x70000000full; /* 4 general-purpose and 3 fixed counters */
    cpu->current_vmcs_phys = ~0ull;
    cpu->host_ia32e_mode = true;
}

const char *vmentry_class_name(enum vmentry_class class_)
{
    switch (class_) {
    case VMENTRY_OK:
        return "ok";
    case VMENTRY_BAD_CONTROL:
        return "invalid control field (VM-instruction error 7)";
    case VMENTRY_BAD_HOST:
        return "invalid host-state field (VM-instruction error 8)";
    case VMENTRY_BAD_GUEST:
        return "invalid guest state (exit reason 33)";
    case VMENTRY_BAD_MSR_LOAD:
        return "MSR loading (exit reason 34)";
    case VMENTRY_NOT_CHECKED:
        return "not checked (a memory read failed)";
    }
    return "?";
}

#define CLASS_OF_CONTROL VMENTRY_BAD_CONTROL
#define CLASS_OF_HOST VMENTRY_BAD_HOST
#define CLASS_OF_GUEST VMENTRY_BAD_GUEST
#define CLASS_OF_MSR_LIST VMENTRY_BAD_MSR_LOAD
#define CLASS_OF_MSR_ENTRY VMENTRY_BAD_MSR_LOAD

static const struct vmentry_check_info infos[VMENTRY_CHECK_COUNT] = {
#define VMENTRY_CHECK_INFO(area, id, predicate, param, field, name)                                          \
    { VMENTRY_CHECK_##id, CLASS_OF_##area, #id, name, field },
    VMENTRY_CHECK_LIST(VMENTRY_CHECK_INFO)
#undef VMENTRY_CHECK_INFO
};

const struct vmentry_check_info *vmentry_check_info(enum vmentry_check_id id)
{
    return (unsigned)id < VMENTRY_CHECK_COUNT ? &infos[id] : NULL;
}

bool vmentry_read(struct vmentry_ctx *c, uint64_t phys, void *buffer, size_t bytes)
{
    memset(buffer, 0, bytes);
    if (c->in->read_phys == NULL || c->in->read_phys(c->in->ctx, phys, buffer, bytes) < 0) {
        c->read_error = E_FAULT;
        return false;
    }
    return true;
}

bool vmentry_pat_valid(uint64_t pat)
{
    for (unsigned byte = 0; byte < 8; byte++) {
        unsigned type = (unsigned)(pat >> (byte * 8)) & 0xff;
        if (type != 0 && type != 1 && type != 4 && type != 5 && type != 6 && type != 7)
            return false;
    }
    return true;
}

static void decode_segments(struct vmentry_ctx *c)
{
    const struct vmcs_image *v = c->v;
    const uint64_t selectors[SEG_COUNT] = { v->guest_es_selector,   v->guest_cs_selector,
                                            v->guest_ss_selector,   v->guest_ds_selector,
                                            v->guest_fs_selector,   v->guest_gs_selector,
                                            v->guest_ldtr_selector, v->guest_tr_selector };
    const uint64_t bases[SEG_COUNT] = { v->guest_es_base,   v->guest_cs_base, v->guest_ss_base,
                                        v->guest_ds_base,   v->guest_fs_base, v->guest_gs_base,
                                        v->guest_ldtr_base, v->guest_tr_base };
    const uint64_t limits[SEG_COUNT] = { v->guest_es_limit,   v->guest_cs_limit, v->guest_ss_limit,
                                         v->guest_ds_limit,   v->guest_fs_limit, v->guest_gs_limit,
                                         v->guest_ldtr_limit, v->guest_tr_limit };
    const uint64_t rights[SEG_COUNT] = { v->guest_es_access_rights,   v->guest_cs_access_rights,
                                         v->guest_ss_access_rights,   v->guest_ds_access_rights,
                                         v->guest_fs_access_rights,   v->guest_gs_access_rights,
                                         v->guest_ldtr_access_rights, v->guest_tr_access_rights };
    for (unsigned s = 0; s < SEG_COUNT; s++) {
        c->seg[s].selector = selectors[s] & 0xffff;
        c->seg[s].base = bases[s];
        c->seg[s].limit = (uint32_t)limits[s];
        c->seg[s].access_rights = (uint32_t)rights[s];
        c->seg[s].usable = (rights[s] & AR_UNUSABLE) == 0;
    }
}

static uint32_t clamp_width(uint32_t bits) { return bits < 32 ? 32 : bits > 52 ? 52 : bits; }

static void decode(struct vmentry_ctx *c, const struct vmentry_check_input *in, const struct vmentry_cpu *cpu)
{
    memset(c, 0, sizeof *c);
    c->v = in->image;
    c->caps = in->caps;
    c->cpu = cpu;
    c->in = in;
    const struct vmcs_image *v = in->image;
    const struct vmx_caps *caps = in->caps;
    bool true_controls = vmx_basic_true_controls(caps->basic);
    c->pin_msr = true_controls ? caps->true_pinbased_ctls : caps->pinbased_ctls;
    c->proc_msr = true_controls ? caps->true_procbased_ctls : caps->procbased_ctls;
    c->exit_msr = true_controls ? caps->true_exit_ctls : caps->exit_ctls;
    c->entry_msr = true_controls ? caps->true_entry_ctls : caps->entry_ctls;
    c->pin = (uint32_t)v->pin_based_controls;
    c->proc = (uint32_t)v->primary_processor_based_controls;
    /* SDM: with "activate secondary controls" 0 the processor operates as if they were all 0. */
    c->proc2 = (c->proc & PROC_ACTIVATE_SECONDARY) ? (uint32_t)v->secondary_processor_based_controls : 0;
    c->exit = (uint32_t)v->vm_exit_controls;
    c->entry = (uint32_t)v->vm_entry_controls;
    c->phys_width_bits = clamp_width(in->phys_address_width_bits);
    c->vmcs_phys_width_bits = vmx_basic_phys_width_32(caps->basic) ? 32 : c->phys_width_bits;
    c->ia32e_guest = (c->entry & ENTRY_IA32E_MODE_GUEST) != 0;
    c->host_64 = (c->exit & EXIT_HOST_ADDRESS_SPACE_SIZE) != 0;
    c->unrestricted = (c->proc2 & PROC2_UNRESTRICTED_GUEST) != 0;
    c->ept = (c->proc2 & PROC2_ENABLE_EPT) != 0;
    c->v8086 = (v->guest_rflags & RFLAGS_VM) != 0;
    decode_segments(c);
}

static void fill_verdict(struct vmentry_verdict *out, const struct vmentry_ctx *c, enum vmentry_check_id id)
{
    const struct vmentry_check_info *info = &infos[id];
    memset(out, 0, sizeof *out);
    out->class_ = info->class_;
    out->check = id;
    out->check_name = info->name;
    out->field = info->field;
    if (!vmcs_image_get(c->v, info->field, &out->value))
        out->value = 0;
    switch (out->class_) {
    case VMENTRY_BAD_CONTROL:
        out->vm_instruction_error = 7;
        break;
    case VMENTRY_BAD_HOST:
        out->vm_instruction_error = 8;
        break;
    case VMENTRY_BAD_GUEST:
        out->exit_reason = 0x80000000u | 33;
        out->exit_qualification = c->qualification;
        break;
    default:
        out->exit_reason = 0x80000000u | 34;
        /* The count check names the first entry past the maximum (SDM: the qualification is the entry number). */
        out->exit_qualification = c->msr_entry_number;
        out->msr_index = (uint32_t)c->msr_entry_index_qw;
        break;
    }
}

static int not_checked(struct vmentry_verdict *out, const struct vmentry_ctx *c, enum vmentry_check_id id)
{
    fill_verdict(out, c, id);
    out->class_ = VMENTRY_NOT_CHECKED;
    out->vm_instruction_error = 0;
    out->exit_reason = 0;
    return E_FAULT;
}

/*
 * The checks of each MSR-load entry, in list order (SDM: "Loading MSRs": entries are processed in
 * order). 1 with *out filled when an entry fails, 0 when all pass, E_FAULT when an entry cannot be read.
 */
static int check_msr_entries(struct vmentry_ctx *c, struct vmentry_verdict *out, unsigned first_entry_check)
{
    uint32_t count = (uint32_t)c->v->vm_entry_msr_load_count;
    for (uint32_t n = 1; n <= count; n++) {
        uint64_t entry[2];
        c->msr_entry_number = n;
        if (!vmentry_read(c, c->v->vm_entry_msr_load_address + (uint64_t)(n - 1) * 16, entry, sizeof entry))
            return not_checked(out, c, (enum vmentry_check_id)first_entry_check);
        c->msr_entry_index_qw = entry[0];
        c->msr_entry_value = entry[1];
        for (unsigned id = first_entry_check; id < VMENTRY_CHECK_COUNT; id++) {
            if (!check_passes(c, id)) {
                fill_verdict(out, c, (enum vmentry_check_id)id);
                return 1;
            }
        }
    }
    return 0;
}

static void input_cpu(const struct vmentry_check_input *in, struct vmentry_cpu *cpu)
{
    if (in->cpu != NULL)
        *cpu = *in->cpu;
    else
        vmentry_cpu_default(cpu);
    if (cpu->linear_address_width_bits != 57)
        cpu->linear_address_width_bits = 48;
}

int vmentry_check_one(const struct vmentry_check_input *in, enum vmentry_check_id id, bool *passes)
{
    struct vmentry_cpu cpu;
    struct vmentry_ctx c;
    *passes = true;
    if ((unsigned)id >= VMENTRY_CHECK_COUNT)
        return E_INVAL;
    input_cpu(in, &cpu);
    decode(&c, in, &cpu);
    if (checks[id].area != AREA_MSR_ENTRY) {
        *passes = check_passes(&c, id);
        return c.read_error ? E_FAULT : 0;
    }
    uint32_t count = (uint32_t)c.v->vm_entry_msr_load_count;
    for (uint32_t n = 1; n <= count && *passes; n++) {
        uint64_t entry[2];
        if (!vmentry_read(&c, c.v->vm_entry_msr_load_address + (uint64_t)(n - 1) * 16, entry, sizeof entry))
            return E_FAULT;
        c.msr_entry_number = n;
        c.msr_entry_index_qw = entry[0];
        c.msr_entry_value = entry[1];
        *passes = check_passes(&c, id);
    }
    return 0;
}

int vmentry_check(const struct vmentry_check_input *in, struct vmentry_verdict *out)
{
    struct vmentry_cpu cpu;
    input_cpu(in, &cpu);
    struct vmentry_ctx c;
    decode(&c, in, &cpu);
    memset(out, 0, sizeof *out);
    out->class_ = VMENTRY_OK;
    out->check = VMENTRY_CHECK_NONE;
    out->check_name = "";
    for (unsigned id = 0; id < VMENTRY_CHECK_COUNT; id++) {
        if (checks[id].area == AREA_MSR_ENTRY) {
            int result = check_msr_entries(&c, out, id);
            return result < 0 ? result : 0;
        }
        bool ok = check_passes(&c, id);
        if (c.read_error)
            return not_checked(out, &c, (enum vmentry_check_id)id);
        if (!ok) {
            fill_verdict(out, &c, (enum vmentry_check_id)id);
            return 0;
        }
    }
    return 0;
}
