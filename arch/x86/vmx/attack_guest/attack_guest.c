/*
 * The hostile guest's memory, image, entry and exit-path devices. Its
 * space is the Linux guest's pass-through layout (passthrough_space.h) with
 * the local APIC page also left out and 128 KiB of its own at gpa 0; its
 * I/O and MSR policy is the test guest's (every port and MSR exits) with an
 * emulated x2APIC (vmexit_x2apic.h) and PCI configuration space that shows
 * no device and drops writes. An EPT violation does not stop it: vmxroot
 * counts it and gives the guest #GP at the instruction, which does not
 * complete, so it can try every frame; one that cannot be handed back (its
 * page walk or its event delivery needs memory it does not have) stops it.
 */
#include "arch/x86/vmx/attack_guest/attack_guest.h"
#include "arch/x86/vmx/attack_guest/attack_state.h"
#include "arch/x86/vmx/passthrough_space.h"
#include "arch/x86/vmx/vmexit_dispatch.h"
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/smp/percpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/tsc.h"
#include "core/lib/error.h"
#include "core/lib/format.h"
#include "core/lib/string.h"
#include "mm/frames.h"

extern const uint8_t attack_guest_image_start[], attack_guest_image_end[];

#define PTE_PRESENT_WRITABLE 0x3ull
#define PDE_LARGE 0x80ull
#define VECTOR_GP 13
#define IDT_VECTORING_VALID (1u << 31)
#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC

static struct attack_vcpu *state_of(struct vcpu *vcpu) { return vcpu->kind_state; }

/* Its rank among the CPUs in VMX root, and how many there are. */
static void rank_of(uint32_t cpu, uint32_t *rank, uint32_t *ranks)
{
    *rank = 0, *ranks = 0;
    for (uint32_t i = 0; i < cpu_count_found; i++) {
        const struct percpu *p = cpu_table[i];
        if (!p || p->state != CPU_STATE_ONLINE || !p->in_vmx_root)
            continue;
        if (i < cpu)
            (*rank)++;
        (*ranks)++;
    }
}

static int alloc_state(struct vcpu *vcpu)
{
    uint64_t phys;
    size_t pages = (sizeof(struct attack_vcpu) + PAGE_SIZE_BYTES - 1) / PAGE_SIZE_BYTES;
    int err = frames_alloc(pages, 0, &phys);
    if (err)
        return err;
    (void)guest_report->memory_range_add_cpu(STATUS_MEMORY_PER_CPU, vcpu->cpu_index, phys,
                                             pages * PAGE_SIZE_BYTES);
    struct attack_vcpu *a = (struct attack_vcpu *)(uintptr_t)phys;
    a->vcpu = vcpu;
    a->current = ATTACK_NO_CASE;
    rank_of(vcpu->cpu_index, &a->rank, &a->ranks);
    a->case_mask = attack_plan_case_mask(a->rank, a->ranks);
    vx2apic_reset(&a->apic);
    vcpu->kind_state = a;
    attack_state_register(a);
    return 0;
}

int attack_guest_memory(struct vcpu *vcpu, char *why, size_t why_bytes)
{
    int err = alloc_state(vcpu);
    if (err) {
        format(why, why_bytes, "no memory for its state (%s)", error_name(err));
        return err;
    }
    if ((err = vcpu_memory_alloc(vcpu, ATTACK_GUEST_RAM_GPA, ATTACK_GUEST_RAM_BYTES, why, why_bytes)))
        return err;
    vmexit_io_bitmap_init(vcpu);
    vmexit_msr_bitmap_init(vcpu);
    struct mem_region own[3];
    size_t own_count = passthrough_own_ranges(own);
    own[own_count++] = (struct mem_region){ rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDRESS_MASK,
                                            PAGE_SIZE_BYTES, MEM_RESERVED };
    uint64_t status_phys = guest_report->area_phys();
    err = passthrough_space_build(&vcpu->ept, own, own_count, status_phys,
                                  status_phys ? guest_report->area_size_bytes() : 0);
    if (!err)
        err = ept_map_range_typed(&vcpu->ept, ATTACK_GUEST_RAM_GPA, vcpu->ram_phys, ATTACK_GUEST_RAM_BYTES,
                                  EPT_READ | EPT_WRITE | EPT_EXEC, MTRR_TYPE_WB);
    if (err) {
        format(why, why_bytes, "cannot build the guest-physical space (%s)", error_name(err));
        return err;
    }
    vcpu->cpuid_context = (struct guest_cpuid_context){
        .secondary_controls = vcpu->controls->value[VMX_CONTROL_SECONDARY],
        .status_gpa = status_phys, /* gpa = hpa */
        .status_bytes = status_phys ? (uint32_t)guest_report->area_size_bytes() : 0,
        .local_apic = false,
    };
    return 0;
}

static struct attack_guest_header *header_of(struct vcpu *vcpu)
{
    return vcpu_guest_ram(vcpu, ATTACK_GUEST_IMAGE_GPA + ATTACK_GUEST_HEADER_OFFSET,
                          sizeof(struct attack_guest_header));
}

/* Identity 4 GiB in 2 MiB pages: PML4, PDPT, four PDs. */
static void build_page_tables(struct vcpu *vcpu)
{
    uint64_t bytes = (uint64_t)ATTACK_GUEST_PAGE_TABLE_PAGES * PAGE_SIZE_BYTES;
    uint64_t *pml4 = vcpu_guest_ram(vcpu, ATTACK_GUEST_PML4_GPA, bytes);
    uint64_t *pdpt = pml4 + 512, *pd = pml4 + 1024;
    memset(pml4, 0, bytes);
    pml4[0] = (ATTACK_GUEST_PML4_GPA + PAGE_SIZE_BYTES) | PTE_PRESENT_WRITABLE;
    for (uint64_t i = 0; i < 4; i++)
        pdpt[i] = (ATTACK_GUEST_PML4_GPA + (2 + i) * (uint64_t)PAGE_SIZE_BYTES) | PTE_PRESENT_WRITABLE;
    for (uint64_t i = 0; i < 4ull * 512; i++)
        pd[i] = (i << 21) | PTE_PRESENT_WRITABLE | PDE_LARGE;
}

void attack_guest_load(struct vcpu *vcpu)
{
    struct attack_vcpu *a = state_of(vcpu);
    size_t size = (size_t)(attack_guest_image_end - attack_guest_image_start);
    if (size > ATTACK_GUEST_IMAGE_MAX_BYTES)
        size = ATTACK_GUEST_IMAGE_MAX_BYTES; /* the header's magic check below then fails: never launched */
    memcpy(vcpu_guest_ram(vcpu, ATTACK_GUEST_IMAGE_GPA, size), attack_guest_image_start, size);
    struct attack_guest_header *header = header_of(vcpu);
    bool timer = vcpu->controls->value[VMX_CONTROL_PINBASED] & PIN_ACTIVATE_PREEMPTION_TIMER;
    header->case_mask = a->case_mask;
    header->flags = timer ? ATTACK_FLAG_PREEMPTION_TIMER : 0;
    header->cpu_index = vcpu->cpu_index;
    header->flood_ticks = tsc_khz() * ATTACK_FLOOD_MS;
    build_page_tables(vcpu);
}

void attack_guest_entry(struct vcpu *vcpu, struct vmcs_guest_entry *entry)
{
    const struct attack_guest_header *header = header_of(vcpu);
    *entry = (struct vmcs_guest_entry){
        .mode = VMCS_ENTRY_LONG64,
        .rip = header->magic == ATTACK_GUEST_HEADER_MAGIC ? header->entry_gpa : 0,
        .rsp = ATTACK_GUEST_STACK_TOP_GPA,
        .cr3 = ATTACK_GUEST_PML4_GPA,
        .gdtr_base = header->gdt_gpa,
        .gdtr_limit = header->gdt_limit,
        .code_selector = ATTACK_GUEST_SELECTOR_CODE64,
        .data_selector = ATTACK_GUEST_SELECTOR_DATA,
    };
}

static bool attack_port(struct vcpu *vcpu, uint16_t port, bool in, unsigned size_bytes, uint32_t *value)
{
    struct attack_vcpu *a = state_of(vcpu);
    switch (port) {
    case ATTACK_PORT_BEGIN:
        if (!in)
            attack_judge_begin(a, *value);
        return true;
    case ATTACK_PORT_END:
        if (!in)
            attack_judge_end(a);
        return true;
    case ATTACK_PORT_DONE:
        if (!in) {
            a->case_mask = 0; /* every case it was given has been through */
            vcpu->reported = true;
        }
        return true;
    case PCI_CONFIG_ADDRESS:
        if (size_bytes != 4)
            return false;
        if (in)
            *value = a->pci_address;
        else
            a->pci_address = *value;
        return true;
    default:
        if (port < PCI_CONFIG_DATA || port > PCI_CONFIG_DATA + 3)
            return false; /* reads all ones, writes dropped */
        /* Configuration space shows no device, and a write (a BAR moved) goes nowhere. */
        if (in)
            *value = 0xffffffffu;
        else
            a->pci_writes_dropped++;
        return true;
    }
}

static enum vmexit_action attack_ept_violation(struct vcpu *vcpu)
{
    struct attack_vcpu *a = state_of(vcpu);
    uint64_t gpa, vectoring = vcpu_read_field(vcpu, VMCS_IDT_VECTORING_INFO);
    char text[192];
    struct vmx_ept_violation v = vmexit_ept_violation_read(vcpu, &gpa, text, sizeof text);
    if (vectoring & IDT_VECTORING_VALID) {
        a->stop_kind = ATTACK_STOP_EVENT_DELIVERY, a->stop_gpa = gpa;
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT, "EPT violation while delivering vector %lu: %s",
                  vectoring & 0xff, text);
        return VMEXIT_STOP;
    }
    if (v.gla_valid && !v.gla_translation) {
        a->stop_kind = ATTACK_STOP_PAGING_STRUCTURE, a->stop_gpa = gpa;
        vcpu_stop(vcpu, STATUS_VCPU_REASON_UNHANDLED_EXIT,
                  "EPT violation on a guest paging-structure access (its page tables are outside its "
                  "memory): %s",
                  text);
        return VMEXIT_STOP;
    }
    attack_judge_ept_violation(a, gpa, v.read, v.write, v.fetch);
    vcpu_inject_exception(vcpu, VECTOR_GP, true, 0);
    return VMEXIT_RESUME;
}

static enum vcpu_msr_outcome attack_msr(struct vcpu *vcpu, uint32_t msr, bool write, uint64_t *value)
{
    int done = vx2apic_msr(vcpu, &state_of(vcpu)->apic, msr, write, value);
    return done > 0 ? VCPU_MSR_DONE : done < 0 ? VCPU_MSR_GP : VCPU_MSR_NOT_OURS;
}

const struct vcpu_kind_ops attack_guest_kind_ops = {
    .port = attack_port,
    .ept_violation = attack_ept_violation,
    .msr = attack_msr,
};
