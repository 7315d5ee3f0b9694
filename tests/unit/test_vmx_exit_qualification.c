// host-sources: arch/x86/vmx/vmx_exit_qualification.c arch/x86/vmx/vmx_exit_event.c core/lib/format.c
/*
 * The exit-qualification decoders (SDM: "Exit Qualification for VM Exits"),
 * the interruption information and the instruction information, with
 * values built bit by bit from the SDM's tables, and their text.
 */
#include "arch/x86/vmx/vmx_exit_qualification.h"
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "tests/unit/check.h"

static char buf[192];

TEST(gpr_and_segment_names)
{
    CHECK_STR(vmx_gpr_name(0), "rax");
    CHECK_STR(vmx_gpr_name(4), "rsp");
    CHECK_STR(vmx_gpr_name(7), "rdi");
    CHECK_STR(vmx_gpr_name(8), "r8");
    CHECK_STR(vmx_gpr_name(15), "r15");
    CHECK_STR(vmx_gpr_name(16), "?");
    CHECK_STR(vmx_segment_name(0), "es");
    CHECK_STR(vmx_segment_name(3), "ds");
    CHECK_STR(vmx_segment_name(5), "gs");
    CHECK_STR(vmx_segment_name(6), "?");
}

TEST(cr_access)
{
    /* Bits 3:0 the CR, 5:4 the access type, 6 LMSW operand type, 11:8 the register, 31:16 LMSW data. */
    struct vmx_cr_access a = vmx_cr_access_decode(0x104); /* mov cr4, rcx */
    CHECK_EQ(a.cr, 4);
    CHECK_EQ(a.type, VMX_CR_MOV_TO);
    CHECK_EQ(a.gpr, 1);
    vmx_cr_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "mov cr4 <- rcx");
    a = vmx_cr_access_decode(0x313); /* mov rbx, cr3 */
    CHECK_EQ(a.type, VMX_CR_MOV_FROM);
    vmx_cr_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "mov rbx <- cr3");
    a = vmx_cr_access_decode(0xF08); /* mov cr8, r15 */
    vmx_cr_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "mov cr8 <- r15");
    a = vmx_cr_access_decode(0x20);
    CHECK_EQ(a.type, VMX_CR_CLTS);
    vmx_cr_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "clts");
    a = vmx_cr_access_decode(0x00010030);
    CHECK_EQ(a.type, VMX_CR_LMSW);
    CHECK_EQ(a.lmsw_data, 1);
    CHECK(!a.lmsw_memory);
    vmx_cr_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "lmsw 0x0001 (register)");
    a = vmx_cr_access_decode(0xFFFF0070);
    CHECK(a.lmsw_memory);
    CHECK_EQ(a.lmsw_data, 0xFFFF);
}

TEST(mov_dr)
{
    /* Bits 2:0 the DR, bit 4 the direction (1 = from DR), 11:8 the register. */
    struct vmx_mov_dr d = vmx_mov_dr_decode(0x107);
    CHECK_EQ(d.dr, 7);
    CHECK(!d.from_dr);
    CHECK_EQ(d.gpr, 1);
    vmx_mov_dr_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "mov dr7 <- rcx");
    d = vmx_mov_dr_decode(0x16);
    CHECK(d.from_dr);
    vmx_mov_dr_format(&d, buf, sizeof buf);
    CHECK_STR(buf, "mov rax <- dr6");
}

TEST(io_instruction)
{
    /* Bits 2:0 size - 1, bit 3 IN, bit 4 string, bit 5 REP, bit 6 immediate, 31:16 the port. */
    struct vmx_io io = vmx_io_decode(0x03F80000); /* out dx, al to COM1 */
    CHECK_EQ(io.size_bytes, 1);
    CHECK(!io.in && !io.string && !io.rep && !io.immediate);
    CHECK_EQ(io.port, 0x3F8);
    vmx_io_format(&io, buf, sizeof buf);
    CHECK_STR(buf, "out 1 byte to port 0x3f8 (dx)");
    io = vmx_io_decode(0x0CFC000B); /* in eax, dx */
    CHECK_EQ(io.size_bytes, 4);
    CHECK(io.in);
    vmx_io_format(&io, buf, sizeof buf);
    CHECK_STR(buf, "in 4 bytes from port 0xcfc (dx)");
    io = vmx_io_decode(0x00800040); /* out 0x80, al */
    CHECK(io.immediate);
    vmx_io_format(&io, buf, sizeof buf);
    CHECK_STR(buf, "out 1 byte to port 0x80 (immediate)");
    io = vmx_io_decode(0x01F00039); /* rep insw */
    CHECK(io.rep && io.string && io.in);
    CHECK_EQ(io.size_bytes, 2);
    vmx_io_format(&io, buf, sizeof buf);
    CHECK_STR(buf, "rep ins 2 bytes from port 0x1f0 (dx)");
    CHECK_EQ(vmx_io_decode(2).size_bytes, 0); /* not a defined size */
}

TEST(ept_violation)
{
    /* A write to a read/execute page, through a guest linear address (bits 1, 3, 5, 7, 8). */
    struct vmx_ept_violation v = vmx_ept_violation_decode(0x1AA);
    CHECK(v.write && !v.read && !v.fetch);
    CHECK(v.readable && !v.writable && v.executable);
    CHECK(v.gla_valid && v.gla_translation);
    vmx_ept_violation_format(&v, 0xFEE00000, 0xFFFFFFFFFEE00000ull, buf, sizeof buf);
    CHECK_STR(buf, "write at gpa 0xfee00000 (entry allows r-x), gla 0xfffffffffee00000 (translation)");
    /* A fetch from a page mapped read/write, during a page walk (bit 8 clear). */
    v = vmx_ept_violation_decode(0x9C);
    CHECK(v.fetch && v.readable && v.writable && !v.executable && v.gla_valid && !v.gla_translation);
    vmx_ept_violation_format(&v, 0x1000, 0x7000, buf, sizeof buf);
    CHECK_STR(buf, "fetch at gpa 0x1000 (entry allows rw-), gla 0x7000 (paging-structure access)");
    /* A read of an unmapped page, no linear address; then read+write, NMI unblocking, shadow stack. */
    v = vmx_ept_violation_decode(0x1);
    vmx_ept_violation_format(&v, 0x40000000, 0, buf, sizeof buf);
    CHECK_STR(buf, "read at gpa 0x40000000 (entry allows ---)");
    v = vmx_ept_violation_decode(0x3003 | (1u << 16));
    CHECK(v.nmi_unblocking && v.shadow_stack && v.asynchronous);
    vmx_ept_violation_format(&v, 0x2000, 0, buf, sizeof buf);
    CHECK_STR(buf, "read-write at gpa 0x2000 (entry allows ---), NMI unblocking due to IRET, shadow stack, "
                   "asynchronous");
    v = vmx_ept_violation_decode(0xFE40);
    CHECK(v.user_executable && v.user_mode && v.linear_writable && v.linear_execute_disable);
    CHECK(v.supervisor_shadow_stack && v.guest_paging_verification);
    CHECK(!v.gla_valid);
}

TEST(task_switch)
{
    /* Bits 15:0 the TSS selector, 31:30 the source: 0 CALL, 1 IRET, 2 JMP, 3 task gate in IDT. */
    struct vmx_task_switch t = vmx_task_switch_decode(0x80000028);
    CHECK_EQ(t.tss_selector, 0x28);
    CHECK_EQ(t.source, VMX_TASK_SWITCH_JMP);
    vmx_task_switch_format(&t, buf, sizeof buf);
    CHECK_STR(buf, "task switch by jmp to TSS selector 0x0028");
    t = vmx_task_switch_decode(0xC0000040);
    vmx_task_switch_format(&t, buf, sizeof buf);
    CHECK_STR(buf, "task switch by task gate in IDT to TSS selector 0x0040");
    CHECK_EQ(vmx_task_switch_decode(0x40000008).source, VMX_TASK_SWITCH_IRET);
    CHECK_EQ(vmx_task_switch_decode(0x8).source, VMX_TASK_SWITCH_CALL);
}

TEST(interruption_information)
{
    /* Bits 7:0 vector, 10:8 type, 11 error code valid, 12 NMI unblocking, 31 valid. */
    struct vmx_interruption_info i = vmx_interruption_info_decode(0x80000B0D);
    CHECK(i.valid && i.error_code_valid);
    CHECK_EQ(i.vector, 13);
    CHECK_EQ(i.type, VMX_EVENT_HARDWARE_EXCEPTION);
    vmx_interruption_info_format(&i, 0x18, buf, sizeof buf);
    CHECK_STR(buf, "hardware exception #GP vector 13, error code 0x0018");
    i = vmx_interruption_info_decode(0x80000202);
    vmx_interruption_info_format(&i, 0, buf, sizeof buf);
    CHECK_STR(buf, "NMI vector 2"); /* no mnemonic: an NMI is not an exception */
    i = vmx_interruption_info_decode(0x80000020);
    vmx_interruption_info_format(&i, 0, buf, sizeof buf);
    CHECK_STR(buf, "external interrupt vector 32");
    i = vmx_interruption_info_decode(0x80000480);
    vmx_interruption_info_format(&i, 0, buf, sizeof buf);
    CHECK_STR(buf, "software interrupt vector 128");
    i = vmx_interruption_info_decode(0x80001603);
    CHECK(i.nmi_unblocking);
    vmx_interruption_info_format(&i, 0, buf, sizeof buf);
    CHECK_STR(buf, "software exception #BP vector 3, NMI unblocking due to IRET");
    i = vmx_interruption_info_decode(0x00000B0E);
    vmx_interruption_info_format(&i, 0, buf, sizeof buf);
    CHECK_STR(buf, "none");
    CHECK_STR(vmx_event_type_name(1), "reserved");
    CHECK_STR(vmx_event_type_name(5), "privileged software exception");
    CHECK_STR(vmx_event_type_name(7), "other event");
    CHECK_STR(vmx_exception_mnemonic(14), "#PF");
    CHECK_STR(vmx_exception_mnemonic(6), "#UD");
    CHECK_STR(vmx_exception_mnemonic(21), "#CP");
    CHECK(vmx_exception_mnemonic(9) == NULL);
    CHECK(vmx_exception_mnemonic(15) == NULL);
    CHECK(vmx_exception_mnemonic(32) == NULL);
}

TEST(instruction_information)
{
    /* invept rcx, [rax]: 64-bit addresses (2 << 7), DS (3 << 15), no index (bit 22), base rax, reg2 rcx. */
    struct vmx_instruction_info i = vmx_instruction_info_decode(0x10418100);
    CHECK_EQ(i.address_size_bits, 64);
    CHECK_EQ(i.segment, 3);
    CHECK(!i.index_valid && i.base_valid);
    CHECK_EQ(i.base_reg, 0);
    CHECK_EQ(i.reg2, 1);
    vmx_instruction_info_format(VMX_INSTRUCTION_INVALIDATE, &i, 0, buf, sizeof buf);
    CHECK_STR(buf, "type in rcx, descriptor at ds:[rax] (64-bit addresses)");
    /* invvpid rdx, [rax + rbx*8 + 0x10]. */
    i = vmx_instruction_info_decode(0x200D8103);
    CHECK_EQ(i.scale, 8);
    CHECK(i.index_valid);
    CHECK_EQ(i.index_reg, 3);
    vmx_instruction_info_format(VMX_INSTRUCTION_INVALIDATE, &i, 0x10, buf, sizeof buf);
    CHECK_STR(buf, "type in rdx, descriptor at ds:[rax+rbx*8+0x10] (64-bit addresses)");
    /* vmread rax, rdx (register form: bit 10, reg1 rax, reg2 rdx). */
    i = vmx_instruction_info_decode(0x20000500);
    CHECK(i.register_operand);
    vmx_instruction_info_format(VMX_INSTRUCTION_VMREAD_VMWRITE, &i, 0, buf, sizeof buf);
    CHECK_STR(buf, "field in rdx, value in rax");
    /* vmwrite rcx, [rsp + 8] via SS, 32-bit addresses. */
    i = vmx_instruction_info_decode(0x12410080);
    CHECK_EQ(i.address_size_bits, 32);
    vmx_instruction_info_format(VMX_INSTRUCTION_VMREAD_VMWRITE, &i, 8, buf, sizeof buf);
    CHECK_STR(buf, "field in rcx, value at ss:[rsp+0x8] (32-bit addresses)");
    /* vmptrld [0x1000]: no base, no index (bits 22 and 27). */
    i = vmx_instruction_info_decode(0x08418100);
    vmx_instruction_info_format(VMX_INSTRUCTION_VMCS_POINTER, &i, 0x1000, buf, sizeof buf);
    CHECK_STR(buf, "operand at ds:[0x1000] (64-bit addresses)");
    /* Index only, 16-bit addresses, ES. */
    i = vmx_instruction_info_decode(0x08040001);
    CHECK_EQ(i.address_size_bits, 16);
    CHECK_EQ(i.scale, 2);
    vmx_instruction_info_format(VMX_INSTRUCTION_VMCS_POINTER, &i, 0, buf, sizeof buf);
    CHECK_STR(buf, "operand at es:[rcx*2] (16-bit addresses)");
    CHECK_EQ(vmx_instruction_info_decode(3u << 7).address_size_bits, 0);
}

TEST(apic_access_and_sipi)
{
    /* Bits 11:0 the offset, 15:12 the access type, 16 asynchronous. */
    struct vmx_apic_access a = vmx_apic_access_decode(0x1300); /* a write to the ICR low word */
    CHECK_EQ(a.offset, 0x300);
    CHECK_EQ(a.type, VMX_APIC_LINEAR_WRITE);
    vmx_apic_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "linear write at APIC offset 0x300");
    a = vmx_apic_access_decode(0x0B0);
    vmx_apic_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "linear read at APIC offset 0x0b0");
    a = vmx_apic_access_decode(0x1F000);
    CHECK(a.asynchronous);
    vmx_apic_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf,
              "guest-physical access for an instruction fetch or during instruction execution, asynchronous");
    a = vmx_apic_access_decode(0xA000);
    vmx_apic_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "guest-physical access during event delivery");
    a = vmx_apic_access_decode(0x5000);
    vmx_apic_access_format(&a, buf, sizeof buf);
    CHECK_STR(buf, "reserved access type 5");
    CHECK_EQ(vmx_sipi_vector(0x9A), 0x9A);
    vmx_exit_qualification_format(VMX_EXIT_SIPI, 0x9A, buf, sizeof buf);
    CHECK_STR(buf, "SIPI vector 0x9a (start at 0x9a000)");
    vmx_exit_qualification_format(VMX_EXIT_APIC_ACCESS, 0x1300, buf, sizeof buf);
    CHECK_STR(buf, "linear write at APIC offset 0x300");
}

TEST(exit_qualification_by_reason)
{
    vmx_exit_qualification_format(VMX_EXIT_CR_ACCESS, 0x104, buf, sizeof buf);
    CHECK_STR(buf, "mov cr4 <- rcx");
    vmx_exit_qualification_format(VMX_EXIT_MOV_DR, 0x107, buf, sizeof buf);
    CHECK_STR(buf, "mov dr7 <- rcx");
    vmx_exit_qualification_format(VMX_EXIT_IO_INSTRUCTION, 0x03F80000, buf, sizeof buf);
    CHECK_STR(buf, "out 1 byte to port 0x3f8 (dx)");
    vmx_exit_qualification_format(VMX_EXIT_TASK_SWITCH, 0x80000028, buf, sizeof buf);
    CHECK_STR(buf, "task switch by jmp to TSS selector 0x0028");
    vmx_exit_qualification_format(VMX_EXIT_EPT_VIOLATION, 0x1AA, buf, sizeof buf);
    CHECK_STR(buf, "write (entry allows r-x), gla valid");
    vmx_exit_qualification_format(VMX_EXIT_CPUID, 0, buf, sizeof buf);
    CHECK_STR(buf, "0x0");
    vmx_exit_qualification_format(VMX_EXIT_INVALID_GUEST_STATE, 3, buf, sizeof buf);
    CHECK_STR(buf, "0x3");
}
