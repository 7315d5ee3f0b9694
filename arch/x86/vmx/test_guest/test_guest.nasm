; The built-in test guest. vmxroot loads this flat image at guest-physical
; 0x1000 in a small EPT space of its own and enters it in one of three ways:
; 16-bit real mode (with unrestricted guest), 32-bit flat protected mode with
; paging off (as a multiboot loader leaves a kernel), or 64-bit mode. From
; real or protected mode it goes to long mode itself (its own GDT, page
; tables, EFER.LME by WRMSR, CR0.PG). In 64-bit mode it checks what a guest
; of vmxroot can see, one exit of each handled kind with its result, then
; writes its report and tells vmxroot where it is with one OUT.
; The numbers shared with vmxroot are in test_guest_abi.h beside this file.

PML4            equ 0x8000
PDPT            equ 0x9000
PD              equ 0xA000
IDT             equ 0xB000
STACK_TOP       equ 0xF000
STATUS_GPA      equ 0x100000
PORT_REPORT     equ 0x5E0
PORT_SCRATCH    equ 0x5E4
MSR_EFER        equ 0xC0000080
MSR_SYSENTER_CS equ 0x174
MSR_FEATURE_CONTROL equ 0x3A
MSR_VMX_BASIC   equ 0x480
ENTRY_REAL      equ 1
ENTRY_PROTECTED32 equ 2
ENTRY_LONG64    equ 3
FLAG_TRIPLE_FAULT equ 1
FLAG_SPIN       equ 2
CPUID_TIMED_LOOPS equ 64

    org 0x1000

; ---- image start: a short jump (real-mode entry at the first byte), then the header
bits 16
start:
    jmp short real_entry
    times 8 - ($ - start) db 0
header:
    dd 0x47545856               ; magic "VXTG"
    dd real_entry
    dd protected_entry
    dd long_entry
    dd gdt
    dd gdt_end - gdt - 1
    dd report
flags:
    dd 0                        ; written by vmxroot

; ---- 16-bit real mode: CS = DS = SS = 0
real_entry:
    cli
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, STACK_TOP
    mov byte [report.entry_kind], ENTRY_REAL
    lgdt [gdt_descriptor]
    mov eax, cr0
    or eax, 1                   ; CR0.PE
    mov cr0, eax
    jmp dword 0x08:protected_common

; ---- 32-bit flat protected mode, paging off
bits 32
protected_entry:
    mov byte [report.entry_kind], ENTRY_PROTECTED32
protected_common:
    lgdt [gdt_descriptor]
    jmp 0x08:.reloaded
.reloaded:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esp, STACK_TOP
    ; identity map of the first GiB: PML4[0] -> PDPT[0] -> PD of 512 2 MiB pages
    mov edi, PML4
    mov ecx, 3 * 4096 / 4
    xor eax, eax
    rep stosd
    mov dword [PML4], PDPT | 3
    mov dword [PDPT], PD | 3
    mov edi, PD
    mov eax, 0x83               ; present, writable, 2 MiB
    mov ecx, 512
.pd:
    mov [edi], eax
    add eax, 0x200000
    add edi, 8
    loop .pd
    mov eax, cr4
    or eax, 1 << 5              ; CR4.PAE
    mov cr4, eax
    mov eax, PML4
    mov cr3, eax
    mov ecx, MSR_EFER           ; RDMSR and WRMSR exits
    rdmsr
    or eax, 1 << 8              ; EFER.LME
    wrmsr
    mov eax, cr0
    or eax, 1 << 31             ; CR0.PG: long mode becomes active
    mov cr0, eax
    jmp 0x18:long_from_protected

; ---- 64-bit mode
bits 64
long_entry:
    mov byte [report.entry_kind], ENTRY_LONG64
long_from_protected:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, STACK_TOP
    call build_idt
    lidt [idt_descriptor]
    test dword [flags], FLAG_TRIPLE_FAULT
    jnz triple_fault
    test dword [flags], FLAG_SPIN
    jnz spin_forever

%macro EXPECT 2                 ; condition code that passes, check name
    j%1 %%ok
    lea rsi, [rel %2]
    jmp fail
%%ok:
    inc dword [report.checks_passed]
%endmacro

    ; CPUID: the hypervisor leaf and its signature "vmxroot"
    mov eax, 0x40000000
    cpuid
    cmp ebx, 0x72786d76         ; "vmxr"
    EXPECT e, name_signature
    cmp ecx, 0x00746f6f         ; "oot\0"
    EXPECT e, name_signature
    cmp eax, 0x40000001
    EXPECT ae, name_signature
    ; CPUID.1: hypervisor present, no VMX
    mov eax, 1
    cpuid
    bt ecx, 31
    EXPECT c, name_hypervisor_bit
    bt ecx, 5
    EXPECT nc, name_vmx_bit
    ; the status page leaf: address and size
    mov eax, 0x40000001
    cpuid
    shl rbx, 32
    or rax, rbx
    cmp rax, STATUS_GPA
    EXPECT e, name_status_leaf
    test ecx, ecx
    EXPECT nz, name_status_leaf
    mov [status_bytes], ecx

    call check_status_page

    ; RDMSR: EFER as long mode left it (LME | LMA)
    mov ecx, MSR_EFER
    rdmsr
    and eax, 0x500
    cmp eax, 0x500
    EXPECT e, name_efer
    ; WRMSR then RDMSR of an MSR the guest owns
    mov ecx, MSR_SYSENTER_CS
    mov eax, 0x1234
    xor edx, edx
    wrmsr
    xor eax, eax
    rdmsr
    cmp eax, 0x1234
    EXPECT e, name_sysenter
    ; an MSR of vmxroot's: #GP
    mov dword [expected_gp], 1
    lea rax, [rel .after_feature_control]
    mov [resume_rip], rax
    mov ecx, MSR_FEATURE_CONTROL
    rdmsr
.after_feature_control:
    mov ecx, MSR_VMX_BASIC
    lea rax, [rel .after_vmx_basic]
    mov [resume_rip], rax
    rdmsr
.after_vmx_basic:
    cmp dword [report.gp_count], 2
    EXPECT e, name_host_msr

    ; I/O: what the scratch port was given comes back
    mov dx, PORT_SCRATCH
    mov eax, 0xA5C3F00D
    out dx, eax
    xor eax, eax
    in eax, dx
    cmp eax, 0xA5C3F00D
    EXPECT e, name_io

    ; CR0: vmxroot owns CR0.NE; the guest's write is shadowed and reads back
    mov rax, cr0
    mov rbx, rax
    xor rax, 1 << 5
    mov cr0, rax
    mov rcx, cr0
    cmp rcx, rax
    EXPECT e, name_cr0
    mov cr0, rbx
    mov rcx, cr0
    cmp rcx, rbx
    EXPECT e, name_cr0

    ; CR4: VMXE is hidden, and setting it is refused with #GP (no nested VMX)
    mov rax, cr4
    bt rax, 13
    EXPECT nc, name_cr4
    mov rbx, rax
    or rax, 1 << 13
    lea rcx, [rel .after_cr4]
    mov [resume_rip], rcx
    mov cr4, rax
.after_cr4:
    cmp dword [report.gp_count], 3
    EXPECT e, name_cr4
    mov rax, cr4
    cmp rax, rbx
    EXPECT e, name_cr4

    ; XSETBV where the CPU has XSAVE: x87|SSE accepted, a value without x87 refused with #GP
    mov eax, 1
    cpuid
    bt ecx, 26
    jnc .no_xsave
    mov rax, cr4
    or rax, 1 << 18             ; CR4.OSXSAVE
    mov cr4, rax
    xor ecx, ecx
    mov eax, 3
    xor edx, edx
    xsetbv
    xor ecx, ecx
    xgetbv
    cmp eax, 3
    EXPECT e, name_xsetbv
    lea rax, [rel .after_bad_xsetbv]
    mov [resume_rip], rax
    xor ecx, ecx
    mov eax, 2
    xor edx, edx
    xsetbv
.after_bad_xsetbv:
    cmp dword [report.gp_count], 4
    EXPECT e, name_xsetbv
.no_xsave:

    ; HLT: vmxroot resumes a guest that has not reported yet; INVD runs as WBINVD
    hlt
    invd
    inc dword [report.checks_passed]

    ; VMCALL and VMX instructions: #UD (no hypercall ABI, no nested VMX)
    mov eax, [report.ud_count]
    mov [ud_before], eax
    lea rax, [rel .after_vmcall]
    mov [resume_rip], rax
    vmcall
.after_vmcall:
    lea rax, [rel .after_vmxoff]
    mov [resume_rip], rax
    vmxoff
.after_vmxoff:
    mov eax, [report.ud_count]
    sub eax, [ud_before]
    cmp eax, 2
    EXPECT e, name_vmcall

    ; the CPUID exit round trip, as this guest measures it: each of CPUID_TIMED_LOOPS
    ; bracketed by RDTSC; the fastest one, and the average over all of them
    mov eax, 0x40000000
    cpuid                       ; warm: the first exit of a kind may take a slower path
    mov r10d, CPUID_TIMED_LOOPS
    mov r11d, 0xFFFFFFFF        ; minimum
    xor r12, r12                ; total
.timed:
    mov esi, 0x40000000
    rdtsc                       ; low 32 bits: a round trip is far shorter than 2^32 ticks
    mov r8d, eax
    mov eax, esi
    cpuid
    rdtsc
    sub eax, r8d
    add r12, rax
    cmp eax, r11d
    cmovb r11d, eax
    dec r10d
    jnz .timed
    mov [report.cpuid_exit_ticks], r11d
    shr r12, 6                  ; / CPUID_TIMED_LOOPS
    mov [report.cpuid_exit_ticks_average], r12d

    mov dword [report.verdict], 1
    jmp send_report

fail:
    mov [report.failed_check], esi
    mov dword [report.verdict], 2
send_report:
    mov dx, PORT_REPORT
    mov eax, report
    out dx, eax
.halt:
    hlt
    jmp .halt

triple_fault:
    lidt [null_idt_descriptor]
    int3

spin_forever:                   ; no instruction here exits: only the preemption timer ends it
    pause
    jmp spin_forever

; The status page by plain loads: magic, major version, the CRC-32 under the
; seqlock (bytes 24..31, generation and checksum, count as zero), and this
; CPU's record found by its APIC id, in VMX root.
check_status_page:
    mov rax, 0x00544f4f52584d56 ; "VMXROOT\0"
    cmp [STATUS_GPA], rax
    EXPECT e, name_status_magic
    cmp word [STATUS_GPA + 8], 1
    EXPECT e, name_status_version
    mov r12d, 1000              ; tries while a writer is inside
.retry:
    dec r12d
    jz .checksum_bad
    mov r13d, [STATUS_GPA + 24] ; generation
    test r13d, 1
    jnz .retry
    mov ecx, [STATUS_GPA + 32]  ; checksum_bytes
    cmp ecx, 32
    jb .checksum_bad
    cmp ecx, [status_bytes]
    ja .checksum_bad
    mov rsi, STATUS_GPA
    xor r8d, r8d                ; offset
    mov edx, 0xFFFFFFFF         ; crc
.byte:
    movzx eax, byte [rsi + r8]
    cmp r8d, 24
    jb .use
    cmp r8d, 32
    jae .use
    xor eax, eax
.use:
    xor dl, al
    mov r9d, 8
.bit:
    shr edx, 1
    jnc .no_xor
    xor edx, 0xEDB88320
.no_xor:
    dec r9d
    jnz .bit
    inc r8d
    cmp r8d, ecx
    jb .byte
    not edx
    mov r14d, [STATUS_GPA + 28]
    cmp r13d, [STATUS_GPA + 24]
    jne .retry
    cmp edx, r14d
    jne .retry
    inc dword [report.checks_passed]
    ; this CPU's record
    mov eax, 1
    cpuid
    shr ebx, 24
    mov r10d, ebx               ; xAPIC id; leaf 0xB has the x2APIC one
    xor eax, eax
    cpuid
    cmp eax, 0xB
    jb .have_apic_id
    mov eax, 0xB
    xor ecx, ecx
    cpuid
    test ebx, ebx
    jz .have_apic_id
    mov r10d, edx
.have_apic_id:
    movzx esi, word [STATUS_GPA + 12] ; header_size_bytes
    movzx edi, word [STATUS_GPA + 14] ; record_size_bytes
    mov ecx, [STATUS_GPA + 16]        ; record_count
    add rsi, STATUS_GPA
.record:
    test ecx, ecx
    jz .no_record
    cmp [rsi + 4], r10d
    je .found
    add rsi, rdi
    dec ecx
    jmp .record
.found:
    test word [rsi + 12], 2     ; STATUS_CPU_VMX_ROOT
    EXPECT nz, name_status_record
    ret
.no_record:
    lea rsi, [rel name_status_record]
    jmp fail
.checksum_bad:
    lea rsi, [rel name_status_checksum]
    jmp fail

; 64-bit interrupt gates for #UD (6) and #GP (13), the only exceptions this guest expects
build_idt:
    mov edi, IDT
    mov ecx, 14 * 16 / 8
    xor eax, eax
    rep stosq
    lea rax, [rel ud_handler]
    mov edi, IDT + 6 * 16
    call set_gate
    lea rax, [rel gp_handler]
    mov edi, IDT + 13 * 16
    call set_gate
    ret
set_gate:                       ; rax = handler, rdi = gate
    mov [rdi], ax
    mov word [rdi + 2], 0x18
    mov word [rdi + 4], 0x8E00
    shr rax, 16
    mov [rdi + 6], ax
    shr rax, 16
    mov [rdi + 8], eax
    ret

ud_handler:
    inc dword [report.ud_count]
    push rax
    mov rax, [resume_rip]
    mov [rsp + 8], rax          ; the frame's RIP
    pop rax
    iretq
gp_handler:
    inc dword [report.gp_count]
    add rsp, 8                  ; error code
    push rax
    mov rax, [resume_rip]
    mov [rsp + 8], rax
    pop rax
    iretq

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08 code, 32-bit, flat
    dq 0x00CF92000000FFFF       ; 0x10 data, flat
    dq 0x00AF9A000000FFFF       ; 0x18 code, 64-bit
gdt_end:
gdt_descriptor:
    dw gdt_end - gdt - 1
    dd gdt
idt_descriptor:
    dw 14 * 16 - 1
    dq IDT
null_idt_descriptor:
    dw 0
    dq 0

align 8
report:
    dd 0x54505256               ; "VRPT"
.verdict:          dd 0
.entry_kind:       dd 0
.checks_passed:    dd 0
.cpuid_exit_ticks: dd 0
.failed_check:     dd 0
.ud_count:         dd 0
.gp_count:         dd 0
.cpuid_exit_ticks_average: dd 0

resume_rip:   dq 0
expected_gp:  dd 0
ud_before:    dd 0
status_bytes: dd 0

name_signature:      db "cpuid hypervisor signature", 0
name_hypervisor_bit: db "cpuid hypervisor-present bit", 0
name_vmx_bit:        db "cpuid VMX bit hidden", 0
name_status_leaf:    db "cpuid status page leaf", 0
name_status_magic:   db "status page magic", 0
name_status_version: db "status page version", 0
name_status_checksum: db "status page checksum", 0
name_status_record:  db "status page own record", 0
name_efer:           db "rdmsr EFER", 0
name_sysenter:       db "wrmsr/rdmsr SYSENTER_CS", 0
name_host_msr:       db "host MSR refused with #GP", 0
name_io:             db "I/O scratch port", 0
name_cr0:            db "CR0 write shadowed", 0
name_cr4:            db "CR4.VMXE hidden and refused", 0
name_xsetbv:         db "XSETBV validated", 0
name_vmcall:         db "VMCALL and VMXOFF raise #UD", 0
