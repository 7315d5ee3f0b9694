; The hostile guest. vmxroot loads this flat image at guest-physical 0x1000
; in its 128 KiB of private RAM; every other guest-physical address is the
; machine's own memory (pass-through) except vmxroot's frames and the local
; APIC page (not mapped) and the status area (read-only). It enters in
; 64-bit mode with vmxroot's identity page tables for 4 GiB and runs the
; cases of header.case_mask in order: each announced on ATTACK_PORT_BEGIN,
; its report written at REPORT and handed over on ATTACK_PORT_END. vmxroot
; judges each case itself (attack_judge.c); what the guest counts is only
; one half. A destructive case (the last of a run) stops the vCPU; vmxroot
; then runs the guest again with the remaining cases.
; The numbers shared with vmxroot are in attack_guest_abi.h beside this file.

PML4            equ 0x8000
IDT             equ 0xE000
REPORT          equ 0xF000
MEMLIST         equ 0x10000         ; a copy of the status page's memory block (8 KiB)
MEMLIST_MAX     equ 0x2000
RECORD_COPY     equ 0x12000         ; a copy of one vCPU record
STACK_TOP       equ 0x20000
PORT_BEGIN      equ 0x5E8
PORT_END        equ 0x5EC
PORT_DONE       equ 0x5E0
PORT_FLOOD      equ 0x80
PATTERN         equ 0x4b43415454415845
FLAG_TIMER      equ 1
DF_STORM_COUNT  equ 200
XAPIC_BASE      equ 0xFEE00000
MSR_ICR         equ 0x830
MSR_SELF_IPI    equ 0x83F
MSR_EOI         equ 0x80B
KIND_STATUS     equ 9
KIND_PAGE_TABLES equ 4
KIND_COUNT      equ 14

; report fields (struct attack_case_report)
R_MAGIC   equ REPORT + 0
R_CASE    equ REPORT + 4
R_TRIED   equ REPORT + 8
R_FAULTED equ REPORT + 12
R_ALLOWED equ REPORT + 16
R_WRONG   equ REPORT + 20
R_VALUE0  equ REPORT + 24
R_VALUE1  equ REPORT + 32
R_VALUE2  equ REPORT + 40
R_VALUE3  equ REPORT + 48
R_VALUE4  equ REPORT + 56
R_VALUE5  equ REPORT + 64
R_VALUE6  equ REPORT + 72
R_VALUE7  equ REPORT + 80

    org 0x1000
bits 64
start:
    jmp short entry
    times 8 - ($ - start) db 0
header:
    dd 0x4b545441               ; magic "ATTK"
    dd entry
    dd gdt
    dd gdt_end - gdt - 1
case_mask:   dd 0               ; written by vmxroot
flags:       dd 0
cpu_index:   dd 0
             dd 0
flood_ticks: dq 0

; Runs one instruction that may fault: a #GP or #UD handler resumes after it.
%macro PROBE 1+
    lea r14, [rel %%after]
    mov [fixup], r14
    %1
%%after:
    mov qword [fixup], 0
%endmacro

entry:
    mov ax, 0x10
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov rsp, STACK_TOP
    call build_idt
    lidt [idt_descriptor]
    mov eax, 0x40000001         ; the status area: address and size
    cpuid
    shl rbx, 32
    or rax, rbx
    mov [status_gpa], rax
    mov [status_bytes], ecx
    mov eax, 1
    cpuid
    bt ecx, 20                  ; SSE4.2: CRC32 instruction
    setc byte [have_crc32]
    call load_memlist
    xor ebx, ebx
.next_case:
    bt dword [case_mask], ebx
    jnc .skip
    push rbx
    lea rax, [rel case_table]
    call [rax + rbx * 8]
    pop rbx
.skip:
    inc ebx
    cmp ebx, 11
    jb .next_case
    mov dx, PORT_DONE
    xor eax, eax
    out dx, eax
.halt:
    hlt
    jmp .halt

case_table:
    dq case_status_page, case_frames, case_vmx_insns, case_msrs, case_pci_bar, case_ipi
    dq case_flood, case_triple_fault, case_df_storm, case_cr0_pg, case_cr3_outside

; edi = case id | subkind << 8: a fresh report, then the announcement
begin_case:
    push rdi
    mov rdi, REPORT
    mov ecx, 88 / 8
    xor eax, eax
    rep stosq
    pop rdi
    mov dword [R_MAGIC], 0x52545441
    mov [R_CASE], edi
    mov eax, edi
    mov dx, PORT_BEGIN
    out dx, eax
    ret
end_case:
    mov dx, PORT_END
    mov eax, REPORT
    out dx, eax
    ret

; ---- the status area is read-only: three writes, each must fault and not land
case_status_page:
    mov edi, 0
    call begin_case
    mov rbx, [status_gpa]
    call status_write_one       ; the header (magic)
    mov rbx, [status_gpa]
    mov eax, [rbx + 152]        ; vcpu_area_offset
    movzx ecx, word [rbx + 150] ; vcpu_record_size_bytes
    imul ecx, [cpu_index]
    add eax, ecx
    add rbx, rax
    call status_write_one       ; its own vCPU record
    mov rbx, [status_gpa]
    mov eax, [rbx + 140]        ; memory_block_offset
    add rbx, rax
    call status_write_one       ; the memory block
    call status_header_crc_ok
    mov [R_VALUE0], rax
    call end_case
    ret
status_write_one:               ; rbx = the byte
    inc dword [R_TRIED]
    mov al, [rbx]
    not al
    mov r12b, al                ; what the write would leave
    mov r13d, [gp_count]
    PROBE mov [rbx], al
    cmp [gp_count], r13d
    je .no_fault
    inc dword [R_FAULTED]
.no_fault:
    cmp [rbx], r12b
    je .landed
    inc dword [R_ALLOWED]       ; the byte does not hold the guest's value
    ret
.landed:
    inc dword [R_WRONG]
    ret

; rax = 1 when the header's CRC-32 (bytes 24..31 as zero) is right under its seqlock
status_header_crc_ok:
    mov r12d, 1000
.retry:
    dec r12d
    jz .bad
    mov rsi, [status_gpa]
    mov r13d, [rsi + 24]        ; generation
    test r13d, 1
    jnz .retry
    mov ecx, [rsi + 32]         ; checksum_bytes
    cmp ecx, 32
    jb .bad
    cmp ecx, [status_bytes]
    ja .bad
    xor r8d, r8d
    mov edx, 0xFFFFFFFF
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
    cmp r13d, [rsi + 24]
    jne .retry
    cmp edx, [rsi + 28]
    jne .retry
    mov eax, 1
    ret
.bad:
    xor eax, eax
    ret

; CRC-32C of [rsi, rsi + ecx) with its first 8 bytes read as zero (ecx a multiple of 8, >= 8): eax
crc32c_block:
    cmp byte [have_crc32], 0
    je .soft
    mov eax, 0xFFFFFFFF
    xor edx, edx
    crc32 rax, rdx
    mov r8d, 8
.hw:
    cmp r8d, ecx
    jae .hw_done
    crc32 rax, qword [rsi + r8]
    add r8d, 8
    jmp .hw
.hw_done:
    not eax
    ret
.soft:
    xor r8d, r8d
    mov edx, 0xFFFFFFFF
.sbyte:
    xor eax, eax
    cmp r8d, 8
    jb .suse
    movzx eax, byte [rsi + r8]
.suse:
    xor dl, al
    mov r9d, 8
.sbit:
    shr edx, 1
    jnc .snox
    xor edx, 0x82F63B78
.snox:
    dec r9d
    jnz .sbit
    inc r8d
    cmp r8d, ecx
    jb .sbyte
    not edx
    mov eax, edx
    ret

; The status page's memory block, copied under its seqlock and checked: MEMLIST; memlist_count
load_memlist:
    mov dword [memlist_count], 0
    mov r12d, 1000
.retry:
    dec r12d
    jz .done
    mov rsi, [status_gpa]
    mov eax, [rsi + 140]        ; memory_block_offset
    add rsi, rax
    mov r13d, [rsi]             ; generation
    test r13d, 1
    jnz .retry
    mov ecx, [rsi + 8]          ; count
    shl ecx, 4
    add ecx, 16
    cmp ecx, MEMLIST_MAX
    ja .done
    mov r15d, ecx
    mov rdi, MEMLIST
    rep movsb
    mov rsi, [status_gpa]
    mov eax, [rsi + 140]
    add rsi, rax
    cmp r13d, [rsi]
    jne .retry
    mov rsi, MEMLIST
    mov ecx, r15d
    call crc32c_block
    cmp eax, [MEMLIST + 4]
    jne .retry
    mov eax, [MEMLIST + 8]
    mov [memlist_count], eax
.done:
    ret

; ---- every frame of vmxroot's the status page lists: read and write, one report per kind
case_frames:
    mov r10d, 1                 ; kind
.kind:
    call kind_present
    test eax, eax
    jz .next_kind
    mov edi, r10d
    shl edi, 8
    or edi, 1
    push r10
    call begin_case
    pop r10
    mov r11d, [memlist_count]
    mov rbx, MEMLIST + 16
.range:
    test r11d, r11d
    jz .kind_done
    movzx eax, word [rbx + 12]
    cmp eax, r10d
    jne .next_range
    mov rsi, [rbx]              ; phys
    mov ecx, [rbx + 8]          ; pages
.page:
    test ecx, ecx
    jz .next_range
    mov rax, 0x100000000
    cmp rsi, rax
    jb .mapped
    inc qword [R_VALUE3]        ; past the 4 GiB its page tables map: not tried
    jmp .page_done
.mapped:
    inc dword [R_TRIED]
    mov r13d, [gp_count]
    PROBE mov rax, [rsi]
    cmp [gp_count], r13d
    je .read_ok
    inc qword [R_VALUE0]        ; read faulted
    inc dword [R_FAULTED]
    jmp .write
.read_ok:
    inc qword [R_VALUE2]        ; read went through (the status area only)
    inc dword [R_ALLOWED]
.write:
    mov r13d, [gp_count]
    mov rdx, PATTERN            ; not RAX: vmxroot keeps the guest's RAX at the start of a frame of its own
    PROBE mov [rsi], rdx
    cmp [gp_count], r13d
    je .write_landed
    inc qword [R_VALUE1]
    inc dword [R_FAULTED]
    jmp .page_done
.write_landed:
    inc dword [R_WRONG]
.page_done:
    add rsi, 4096
    dec ecx
    jmp .page
.next_range:
    add rbx, 16
    dec r11d
    jmp .range
.kind_done:
    push r10
    call end_case
    pop r10
.next_kind:
    inc r10d
    cmp r10d, KIND_COUNT
    jb .kind
    ret
kind_present:                   ; r10d = kind: eax != 0 when a range of it is listed
    mov ecx, [memlist_count]
    mov rbx, MEMLIST + 16
.scan:
    xor eax, eax
    test ecx, ecx
    jz .out
    movzx eax, word [rbx + 12]
    cmp eax, r10d
    sete al
    jz .out
    add rbx, 16
    dec ecx
    jmp .scan
.out:
    ret
; rax = the first frame of kind r10d, 0 if none
first_of_kind:
    mov ecx, [memlist_count]
    mov rbx, MEMLIST + 16
.scan:
    test ecx, ecx
    jz .none
    movzx eax, word [rbx + 12]
    cmp eax, r10d
    je .found
    add rbx, 16
    dec ecx
    jmp .scan
.found:
    mov rax, [rbx]
    ret
.none:
    xor eax, eax
    ret

; ---- every VMX instruction, with vmxroot's own VMCS and VMXON region as operands: #UD
%macro VMX_PROBE 1+
    inc dword [R_TRIED]
    mov r13d, [ud_count]
    mov r12d, [gp_count]
    PROBE %1
    mov eax, [ud_count]
    sub eax, r13d
    add [R_FAULTED], eax
    mov eax, [gp_count]
    sub eax, r12d
    add [R_WRONG], eax
%endmacro
case_vmx_insns:
    mov edi, 2
    call begin_case
    mov r10d, 6                 ; a VMCS of vmxroot's
    call first_of_kind
    mov [operand], rax
    mov r10d, 5                 ; a VMXON region
    call first_of_kind
    mov [operand + 8], rax
    lea rbx, [rel operand]
    VMX_PROBE vmxon [rbx + 8]
    VMX_PROBE vmxoff
    VMX_PROBE vmptrld [rbx]
    VMX_PROBE vmclear [rbx]
    mov eax, 0x681E             ; GUEST_RIP
    VMX_PROBE vmread rcx, rax
    mov rcx, 0x6C16             ; HOST_RIP
    VMX_PROBE vmwrite rcx, rax
    VMX_PROBE vmlaunch
    VMX_PROBE vmresume
    mov eax, 2                  ; all-context
    VMX_PROBE invept rax, [rbx]
    VMX_PROBE invvpid rax, [rbx]
    VMX_PROBE vmcall
    xor eax, eax
    VMX_PROBE vmfunc
    call end_case
    ret

; ---- the MSRs that would change the host or move memory under it
case_msrs:
    mov edi, 3
    call begin_case
    mov r10d, KIND_PAGE_TABLES
    call first_of_kind
    mov [target_frame], rax
    lea rbx, [rel msr_table]
.entry:
    mov ecx, [rbx]
    test ecx, ecx
    jz .done
    inc dword [R_TRIED]
    call try_rdmsr
    mov [orig_faulted], r12d
    shl rdx, 32
    mov eax, eax
    or rax, rdx
    mov [orig_value], rax
    mov rax, [rbx + 8]          ; the value to write
    cmp dword [rbx + 4], 1
    jne .not_xor
    xor rax, [orig_value]
.not_xor:
    cmp dword [rbx + 4], 2
    jne .have_value
    or rax, [target_frame]
.have_value:
    mov [new_value], rax
    mov rdx, rax
    shr rdx, 32
    mov ecx, [rbx]
    call try_wrmsr
    test r12d, r12d
    jz .written
    inc dword [R_FAULTED]       ; #GP
    jmp .next
.written:
    mov ecx, [rbx]
    call try_rdmsr
    test r12d, r12d
    jnz .wrong
    shl rdx, 32
    mov eax, eax
    or rax, rdx
    cmp rax, [new_value]
    jne .wrong
    inc dword [R_ALLOWED]       ; shadowed: the guest's own view changed
    jmp .restore
.wrong:
    inc dword [R_WRONG]
.restore:
    cmp dword [orig_faulted], 0
    jne .next
    mov ecx, [rbx]
    mov rax, [orig_value]
    mov rdx, rax
    shr rdx, 32
    call try_wrmsr
.next:
    add rbx, 16
    jmp .entry
.done:
    call end_case
    ret
try_rdmsr:                      ; ecx = msr: edx:eax, r12d = 1 when it faulted
    mov r13d, [gp_count]
    xor eax, eax
    xor edx, edx
    PROBE rdmsr
    xor r12d, r12d
    cmp [gp_count], r13d
    setne r12b
    ret
try_wrmsr:
    mov r13d, [gp_count]
    PROBE wrmsr
    xor r12d, r12d
    cmp [gp_count], r13d
    setne r12b
    ret

; ---- move PCI BARs over vmxroot's frames through 0xCF8/0xCFC
case_pci_bar:
    mov edi, 4
    call begin_case
    mov r10d, KIND_PAGE_TABLES
    call first_of_kind
    mov r15, rax
    xor ebx, ebx                ; device on bus 0
.device:
    mov eax, ebx
    shl eax, 11
    or eax, 0x80000010          ; enable, bus 0, device, function 0, BAR0
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    in eax, dx
    inc qword [R_VALUE0]
    cmp eax, 0xFFFFFFFF
    jne .seen
    inc dword [R_ALLOWED]       ; nothing there, as vmxroot shows it
.seen:
    mov eax, r15d
    out dx, eax
    inc dword [R_TRIED]
    inc ebx
    cmp ebx, 32
    jb .device
    call end_case
    ret

; ---- IPIs to the other CPUs (by their APIC ids from the status page) and to itself
case_ipi:
    mov edi, 5
    call begin_case
    mov dword [fixed_count], 0
    mov dword [nmi_count], 0
    sti
    mov rsi, [status_gpa]
    mov ecx, [rsi + 16]         ; record_count
    movzx r8d, word [rsi + 12]  ; header_size_bytes
    movzx r9d, word [rsi + 14]  ; record_size_bytes
    add rsi, r8
    xor r10d, r10d
.cpu:
    cmp r10d, ecx
    jae .broadcast
    cmp r10d, [cpu_index]
    je .next_cpu
    mov r11d, [rsi + 4]         ; apic_id
    test r11d, r11d
    jz .next_cpu                ; id 0 is its own vCPU's: not another CPU here
    push rcx
    mov rdx, r11
    mov eax, 0x4500             ; INIT, assert
    call icr_write
    mov eax, 0x4610             ; SIPI vector 0x10
    call icr_write
    mov eax, 0x4400             ; NMI
    call icr_write
    mov eax, 0x4040             ; fixed vector 0x40
    call icr_write
    pop rcx
.next_cpu:
    add rsi, r9
    inc r10d
    jmp .cpu
.broadcast:
    xor edx, edx
    mov eax, 0xC4500            ; INIT to all but itself
    call icr_write
    mov eax, 0xC4400            ; NMI to all but itself
    call icr_write
    mov eax, 0x84042            ; fixed 0x42 to all including itself: only its own part arrives
    call icr_write
    mov ecx, MSR_SELF_IPI       ; fixed 0x43 through the SELF IPI register
    mov eax, 0x43
    xor edx, edx
    inc dword [R_TRIED]
    call try_wrmsr
    add [R_WRONG], r12d
    mov eax, 0x44044            ; fixed 0x44, shorthand self
    xor edx, edx
    call icr_write
    mov eax, 0x4400             ; NMI to x2APIC id 0: itself
    xor edx, edx
    call icr_write
    nop
    cli
    mov eax, [fixed_count]
    mov [R_VALUE0], rax
    mov eax, [nmi_count]
    mov [R_VALUE1], rax
    ; the host's local APIC page is not in its space
    mov rbx, XAPIC_BASE
    mov r13d, [gp_count]
    mov eax, 0x4500
    PROBE mov [rbx + 0x300], eax
    mov eax, [gp_count]
    sub eax, r13d
    add [R_FAULTED], eax
    mov r13d, [gp_count]
    PROBE mov eax, [rbx + 0x20]
    mov eax, [gp_count]
    sub eax, r13d
    add [R_FAULTED], eax
    call end_case
    ret
icr_write:                      ; eax = ICR low, edx = destination
    inc dword [R_TRIED]
    mov ecx, MSR_ICR
    call try_wrmsr
    add [R_WRONG], r12d
    ret

; ---- an exit flood: CPUID and I/O for flood_ticks, reading its own vCPU record and another CPU's
; (written by that CPU at the same time) as a seqlock reader
case_flood:
    mov edi, 6
    call begin_case
    mov rsi, [status_gpa]
    xor eax, eax
    cmp dword [cpu_index], 0
    sete al                     ; the other record: cpu1's on cpu0, else cpu0's
    cmp eax, [rsi + 156]        ; vcpu_record_count
    jb .have_other
    mov eax, 0xFFFFFFFF         ; one CPU: no other record
.have_other:
    mov [R_VALUE7], rax
    rdtsc
    shl rdx, 32
    or rax, rdx
    add rax, [flood_ticks]
    mov [deadline], rax
    mov dword [last_publish], 0xFFFFFFFF
.loop:
    xor eax, eax
    cpuid
    mov dx, PORT_FLOOD
    out dx, al
    inc qword [R_VALUE0]        ; iterations
    test qword [R_VALUE0], 3
    jnz .no_read
    call read_own_record
    call read_other_record
.no_read:
    rdtsc
    shl rdx, 32
    or rax, rdx
    cmp rax, [deadline]
    jb .loop
    test dword [flags], FLAG_TIMER
    jz .bounded_by_itself
.spin:                          ; no exit from here: only the preemption timer ends it
    pause
    jmp .spin
.bounded_by_itself:
    call end_case
    ret
; vCPU record eax into RECORD_COPY under its seqlock: eax 0 whole, 1 a writer was inside, 2 torn
; (an even, unchanged generation around a copy whose CRC-32C is wrong)
read_record:
    mov rsi, [status_gpa]
    movzx ecx, word [rsi + 150] ; vcpu_record_size_bytes
    mov r15d, ecx
    imul ecx, eax
    add ecx, [rsi + 152]        ; vcpu_area_offset
    add rsi, rcx
    mov r13d, [rsi]             ; generation
    test r13d, 1
    jnz .busy
    push rsi
    mov rdi, RECORD_COPY
    mov ecx, r15d
    rep movsb
    pop rsi
    cmp r13d, [rsi]
    jne .busy
    mov rsi, RECORD_COPY
    mov ecx, r15d
    call crc32c_block
    cmp eax, [RECORD_COPY + 4]
    jne .torn
    xor eax, eax
    ret
.busy:
    mov eax, 1
    ret
.torn:
    mov eax, 2
    ret
read_other_record:
    mov eax, [R_VALUE7]
    cmp eax, 0xFFFFFFFF
    je .none
    call read_record
    lea rbx, [R_VALUE4 + rax * 8] ; whole, retried, torn
    inc qword [rbx]
.none:
    ret
read_own_record:
    inc dword [R_TRIED]
    mov eax, [cpu_index]
    call read_record
    cmp eax, 1
    je .retry
    ja .torn
    inc dword [R_ALLOWED]       ; a whole record
    mov eax, [RECORD_COPY + 68] ; publish_count
    cmp eax, [last_publish]
    je .same
    mov [last_publish], eax
    inc qword [R_VALUE1]        ; publishes seen
.same:
    mov rax, [RECORD_COPY + 32] ; exit_count_total
    cmp qword [R_VALUE2], 0
    jne .have_first
    mov [R_VALUE2], rax
.have_first:
    mov [R_VALUE3], rax
    ret
.retry:
    inc dword [R_FAULTED]       ; a writer was inside: read again later
    ret
.torn:
    inc dword [R_WRONG]         ; even and unchanged generation, wrong checksum: torn
    ret

; ---- a triple fault: no IDT, then an exception
case_triple_fault:
    mov edi, 7
    call begin_case
    lidt [null_idt_descriptor]
    int3

; ---- a #DF storm: #GP with an IDT too short for it is a #DF, DF_STORM_COUNT times; then without #DF
case_df_storm:
    mov edi, 8
    call begin_case
    mov dword [df_count], 0
    lea rax, [rel .again]
    mov [df_resume], rax
    lidt [df_idt_descriptor]
.again:
    mov eax, [df_count]
    mov [R_VALUE0], rax
    cmp eax, DF_STORM_COUNT
    jae .last
    mov rax, 0x8000000000000000 ; not canonical: #GP
    mov rax, [rax]
    jmp .again
.last:
    lidt [null_idt_descriptor]
    mov rax, 0x8000000000000000
    mov rax, [rax]

; ---- clear CR0.PG in 64-bit mode: #GP; then again with no IDT to take it
case_cr0_pg:
    mov edi, 9
    call begin_case
    inc dword [R_TRIED]
    mov r13d, [gp_count]
    mov rax, cr0
    btr rax, 31
    PROBE mov cr0, rax
    mov eax, [gp_count]
    sub eax, r13d
    mov [R_FAULTED], eax
    mov rax, cr0
    bt rax, 31
    jc .still_paging
    inc dword [R_WRONG]
.still_paging:
    lidt [null_idt_descriptor]
    mov rax, cr0
    btr rax, 31
    mov cr0, rax
    hlt                         ; not reached: the #GP without an IDT is a triple fault

; ---- CR3 at vmxroot's own page tables: the page walk cannot reach them
case_cr3_outside:
    mov edi, 10
    call begin_case
    mov r10d, KIND_PAGE_TABLES
    call first_of_kind
    test rax, rax
    jnz .have
    mov rax, 0x100000000        ; no list: past the 4 GiB its space covers here
.have:
    mov [R_VALUE0], rax
    mov cr3, rax
    hlt                         ; not reached

; ---- the IDT: #UD, #GP, #DF, NMI and the self-IPI vectors
build_idt:
    mov edi, IDT
    mov ecx, 256 * 16 / 8
    xor eax, eax
    rep stosq
    lea rax, [rel ud_handler]
    mov edi, IDT + 6 * 16
    call set_gate
    lea rax, [rel gp_handler]
    mov edi, IDT + 13 * 16
    call set_gate
    lea rax, [rel df_handler]
    mov edi, IDT + 8 * 16
    call set_gate
    lea rax, [rel nmi_handler]
    mov edi, IDT + 2 * 16
    call set_gate
    mov ebx, 0x40
.fixed:
    lea rax, [rel fixed_handler]
    mov edi, ebx
    shl edi, 4
    add edi, IDT
    call set_gate
    inc ebx
    cmp ebx, 0x45
    jb .fixed
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
    inc dword [ud_count]
    jmp resume_at_fixup
gp_handler:
    inc dword [gp_count]
    add rsp, 8                  ; error code
resume_at_fixup:
    push rax
    mov rax, [fixup]
    test rax, rax
    jz .unexpected
    mov [rsp + 8], rax          ; the frame's RIP
    pop rax
    iretq
.unexpected:                    ; a fault no probe expected: stop with no IDT (a triple fault)
    lidt [null_idt_descriptor]
    int3
df_handler:
    inc dword [df_count]
    add rsp, 8
    push rax
    mov rax, [df_resume]
    mov [rsp + 8], rax
    pop rax
    iretq
nmi_handler:
    inc dword [nmi_count]
    iretq
fixed_handler:
    inc dword [fixed_count]
    push rax
    push rcx
    push rdx
    mov ecx, MSR_EOI
    xor eax, eax
    xor edx, edx
    wrmsr
    pop rdx
    pop rcx
    pop rax
    iretq

align 8
gdt:
    dq 0
    dq 0x00CF9A000000FFFF       ; 0x08 code, 32-bit, flat
    dq 0x00CF92000000FFFF       ; 0x10 data, flat
    dq 0x00AF9A000000FFFF       ; 0x18 code, 64-bit
gdt_end:
idt_descriptor:
    dw 256 * 16 - 1
    dq IDT
df_idt_descriptor:              ; vectors 0-8: a #GP (13) is past the limit
    dw 9 * 16 - 1
    dq IDT
null_idt_descriptor:
    dw 0
    dq 0

; MSR, how the value is made (0 as is, 1 XOR the old value, 2 OR a frame of vmxroot's), the value
align 8
msr_table:
    dd 0x3A, 0
    dq 0                        ; IA32_FEATURE_CONTROL: unlocked, VMX off
    dd 0xC0000080, 1
    dq 1 << 11                  ; EFER.NXE flipped
    dd 0x174, 0
    dq 0xDEAD                   ; SYSENTER_CS
    dd 0x175, 0
    dq 0xFFFF800000001000       ; SYSENTER_ESP
    dd 0x176, 0
    dq 0xFFFF800000002000       ; SYSENTER_EIP
    dd 0xC0000100, 0
    dq 0x12345000               ; FS base
    dd 0xC0000101, 0
    dq 0x12346000               ; GS base (vmxroot's per-CPU pointer on the host)
    dd 0x277, 0
    dq 0x0606060606060606       ; PAT: all write-back
    dd 0x2FF, 0
    dq 0                        ; MTRR default type: MTRRs off, all uncached
    dd 0x200, 2
    dq 6                        ; MTRR PHYSBASE0: write-back at vmxroot's frame
    dd 0x201, 0
    dq 0xFFFFFF000800           ; MTRR PHYSMASK0
    dd 0x250, 0
    dq 0                        ; MTRR FIX64K_00000
    dd 0x258, 0
    dq 0                        ; MTRR FIX16K_80000
    dd 0x259, 0
    dq 0                        ; MTRR FIX16K_A0000
    dd 0x268, 0
    dq 0                        ; MTRR FIX4K_C0000
    dd 0x1B, 2
    dq 0x900                    ; IA32_APIC_BASE: the APIC window over vmxroot's frame
    dd 0x10, 0
    dq 0                        ; IA32_TSC: back to zero
    dd 0x3B, 0
    dq 0xFFFFFF0000000000       ; IA32_TSC_ADJUST: far back
    dd 0x480, 0
    dq 0                        ; IA32_VMX_BASIC
    dd 0x481, 0
    dq 0                        ; IA32_VMX_PINBASED_CTLS
    dd 0x482, 0
    dq 0                        ; IA32_VMX_PROCBASED_CTLS
    dd 0x486, 0
    dq 0                        ; IA32_VMX_CR0_FIXED0
    dd 0x48C, 0
    dq 0                        ; IA32_VMX_EPT_VPID_CAP
    dd 0x1D9, 0
    dq 1                        ; IA32_DEBUGCTL: LBR on
    dd 0, 0
    dq 0

align 8
status_gpa:   dq 0
status_bytes: dd 0
memlist_count: dd 0
have_crc32:   db 0
align 8
fixup:        dq 0
df_resume:    dq 0
deadline:     dq 0
operand:      dq 0, 0
target_frame: dq 0
orig_value:   dq 0
new_value:    dq 0
orig_faulted:      dd 0
ud_count:     dd 0
gp_count:     dd 0
df_count:     dd 0
nmi_count:    dd 0
fixed_count:  dd 0
last_publish: dd 0
