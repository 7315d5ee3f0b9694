// host-sources: arch/x86/vmx/vmx_exit_reason.c core/lib/format.c
/*
 * The basic exit reasons as the SDM's appendix "VMX Basic Exit Reasons"
 * names them, the numbers it leaves unused, and the exit-reason field's
 * other bits (SDM: "Basic VM-Exit Information").
 */
#include "arch/x86/vmx/vmx_exit_reason.h"
#include "tests/unit/check.h"

TEST(exit_reason_names_follow_the_sdm_table)
{
    CHECK_STR(vmx_exit_reason_name(0), "Exception or non-maskable interrupt (NMI)");
    CHECK_STR(vmx_exit_reason_name(1), "External interrupt");
    CHECK_STR(vmx_exit_reason_name(2), "Triple fault");
    CHECK_STR(vmx_exit_reason_name(3), "INIT signal");
    CHECK_STR(vmx_exit_reason_name(4), "Start-up IPI (SIPI)");
    CHECK_STR(vmx_exit_reason_name(9), "Task switch");
    CHECK_STR(vmx_exit_reason_name(10), "CPUID");
    CHECK_STR(vmx_exit_reason_name(12), "HLT");
    CHECK_STR(vmx_exit_reason_name(18), "VMCALL");
    CHECK_STR(vmx_exit_reason_name(27), "VMXON");
    CHECK_STR(vmx_exit_reason_name(28), "Control-register accesses");
    CHECK_STR(vmx_exit_reason_name(29), "MOV DR");
    CHECK_STR(vmx_exit_reason_name(30), "I/O instruction");
    CHECK_STR(vmx_exit_reason_name(31), "RDMSR");
    CHECK_STR(vmx_exit_reason_name(32), "WRMSR");
    CHECK_STR(vmx_exit_reason_name(33), "VM-entry failure due to invalid guest state");
    CHECK_STR(vmx_exit_reason_name(34), "VM-entry failure due to MSR loading");
    CHECK_STR(vmx_exit_reason_name(37), "Monitor trap flag");
    CHECK_STR(vmx_exit_reason_name(41), "VM-entry failure due to machine-check event");
    CHECK_STR(vmx_exit_reason_name(48), "EPT violation");
    CHECK_STR(vmx_exit_reason_name(49), "EPT misconfiguration");
    CHECK_STR(vmx_exit_reason_name(52), "VMX-preemption timer expired");
    CHECK_STR(vmx_exit_reason_name(54), "WBINVD or WBNOINVD");
    CHECK_STR(vmx_exit_reason_name(55), "XSETBV");
    CHECK_STR(vmx_exit_reason_name(62), "Page-modification log full");
    CHECK_STR(vmx_exit_reason_name(70), "ENCLV");
    CHECK_STR(vmx_exit_reason_name(74), "Bus lock");
    CHECK_STR(vmx_exit_reason_name(75), "Instruction timeout");
    CHECK_STR(vmx_exit_reason_name(77), "TDCALL");
    CHECK_STR(vmx_exit_reason_name(79), "WRMSRLIST");
}

TEST(exit_reason_unused_numbers_are_unknown)
{
    CHECK_STR(vmx_exit_reason_name(35), "unknown");
    CHECK_STR(vmx_exit_reason_name(38), "unknown");
    CHECK_STR(vmx_exit_reason_name(42), "unknown");
    CHECK_STR(vmx_exit_reason_name(71), "unknown");
    CHECK_STR(vmx_exit_reason_name(80), "unknown");
    CHECK_STR(vmx_exit_reason_name(0xffff), "unknown");
    CHECK_STR(vmx_exit_reason_name(0x80000021u), "unknown"); /* the whole field is not a basic reason */
    int named = 0;
    for (uint32_t n = 0; n <= VMX_EXIT_REASON_MAX; n++)
        named += strcmp(vmx_exit_reason_name(n), "unknown") != 0;
    CHECK_EQ(named, 80 - 4);
}

TEST(exit_reason_enum_matches_the_numbers)
{
    CHECK_EQ(VMX_EXIT_EXCEPTION_OR_NMI, 0);
    CHECK_EQ(VMX_EXIT_TRIPLE_FAULT, 2);
    CHECK_EQ(VMX_EXIT_CPUID, 10);
    CHECK_EQ(VMX_EXIT_INVALID_GUEST_STATE, 33);
    CHECK_EQ(VMX_EXIT_EPT_VIOLATION, 48);
    CHECK_EQ(VMX_EXIT_EPT_MISCONFIGURATION, 49);
    CHECK_EQ(VMX_EXIT_XSETBV, 55);
    CHECK_EQ(VMX_EXIT_WRMSRLIST, 79);
}

TEST(exit_reason_field_decodes_every_bit)
{
    struct vmx_exit_reason_info i = vmx_exit_reason_decode(30);
    CHECK_EQ(i.basic, 30);
    CHECK(!i.entry_failure && !i.pending_mtf && !i.from_vmx_root && !i.enclave_mode && !i.bus_lock_asserted);
    CHECK(!i.reserved_set);
    i = vmx_exit_reason_decode(0x80000021u); /* the value a VM entry with bad guest state leaves */
    CHECK_EQ(i.basic, 33);
    CHECK(i.entry_failure);
    CHECK(!i.reserved_set);
    i = vmx_exit_reason_decode(VMX_EXIT_REASON_PENDING_MTF | VMX_EXIT_REASON_FROM_VMX_ROOT | 6);
    CHECK(i.pending_mtf && i.from_vmx_root);
    CHECK_EQ(i.basic, 6);
    i = vmx_exit_reason_decode(VMX_EXIT_REASON_ENCLAVE_MODE | VMX_EXIT_REASON_BUS_LOCK_ASSERTED | 74);
    CHECK(i.enclave_mode && i.bus_lock_asserted);
    CHECK(vmx_exit_reason_decode(1u << 16).reserved_set);
    CHECK(vmx_exit_reason_decode(1u << 30).reserved_set);
    CHECK(vmx_exit_reason_decode(1u << 25).reserved_set);
}

TEST(exit_reason_format)
{
    char buf[160];
    vmx_exit_reason_format(48, buf, sizeof buf);
    CHECK_STR(buf, "EPT violation (48)");
    vmx_exit_reason_format(0x80000022u, buf, sizeof buf);
    CHECK_STR(buf, "VM-entry failure due to MSR loading (34), VM-entry failure");
    vmx_exit_reason_format(0x90000000u | 12, buf, sizeof buf);
    CHECK_STR(buf, "HLT (12), VM-entry failure, pending MTF VM exit");
    vmx_exit_reason_format(0x40000000u | 71, buf, sizeof buf);
    CHECK_STR(buf, "unknown (71), reserved bits set");
    char small[8];
    int n = vmx_exit_reason_format(10, small, sizeof small);
    CHECK_EQ(n, 10);
    CHECK_STR(small, "CPUID (");
}
