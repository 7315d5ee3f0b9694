; The AP start-up trampoline. The boot CPU copies trampoline_start ..
; trampoline_end into a 4 KiB frame below 1 MiB and sends SIPIs with that
; frame's page number: each AP starts here in real mode with CS = frame >> 4,
; IP = 0 (SDM: "MP Initialization Protocol Algorithm").
;
; real mode -> 32-bit protected mode -> long mode with the kernel's page
; tables -> find our own slot by APIC id -> mark the stage -> ap_entry(percpu)
; on our stack.
; Everything position-dependent comes from struct trampoline_params, which
; the boot CPU fills in the copy (arch/x86/smp/trampoline.h).

%include "asm_defs.inc"                  ; generated from the C definitions (arch/x86/asm_defs.c)

section .rodata
global trampoline_start, trampoline_end, trampoline_params_label, trampoline_gdt, trampoline_gdt_end
global trampoline_protected_mode, trampoline_long_mode
align 4096
trampoline_start:
bits 16
    cli
    cld
    mov ax, cs
    mov ds, ax
    xor esi, esi
    mov si, ax
    shl esi, 4                           ; esi = physical base of this copy
    o32 lgdt [trampoline_params_label - trampoline_start + TP_GDT_LIMIT]
    mov eax, cr0
    or eax, CR0_PE
    mov cr0, eax
    o32 jmp far [trampoline_params_label - trampoline_start + TP_PM_ENTRY]

bits 32
align 16
trampoline_protected_mode:
    mov ax, GDT_KERNEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    lea ebp, [esi + trampoline_params_label - trampoline_start]
    mov eax, [ebp + TP_CR4]
    mov cr4, eax
    mov eax, [ebp + TP_CR3]
    mov cr3, eax
    mov ecx, MSR_EFER
    rdmsr
    or eax, [ebp + TP_EFER]
    wrmsr
    mov eax, cr0
    or eax, CR0_PG | CR0_WP
    mov cr0, eax
    jmp far [ebp + TP_LM_ENTRY]

bits 64
align 16
trampoline_long_mode:
    mov ax, GDT_KERNEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov r12d, ebp                        ; r12 = params
    ; Our APIC id: CPUID leaf 0xB gives the full x2APIC id, leaf 1 the 8-bit one.
    xor eax, eax
    cpuid
    cmp eax, 0xB
    jb .legacy_id
    mov eax, 0xB
    xor ecx, ecx
    cpuid
    test ebx, ebx                        ; leaf 0xB unsupported when EBX = 0
    jz .legacy_id
    mov r13d, edx
    jmp .find_slot
.legacy_id:
    mov eax, 1
    cpuid
    shr ebx, 24
    mov r13d, ebx
.find_slot:
    mov rsi, [r12 + TP_SLOTS]
    mov ecx, [r12 + TP_SLOT_COUNT]
.next:
    test ecx, ecx
    jz .no_slot
    cmp [rsi], r13d
    je .found
    add rsi, AP_SLOT_BYTES
    dec ecx
    jmp .next
.found:
    ; Our stacks come unzeroed (percpu_create): each AP zeroes its own, all at once, before it uses them.
    mov rdx, [rsi + AP_SLOT_STACK]
    xor eax, eax
    lea rdi, [rdx - KERNEL_STACK_BYTES]
    mov ecx, KERNEL_STACK_BYTES / 8
    rep stosq
    lea rdi, [rdx + IST_AREA_OFFSET]
    mov ecx, IST_AREA_BYTES / 8
    rep stosq
    mov rsp, rdx
    xor ebp, ebp
    mov rdi, [rsi + AP_SLOT_PERCPU]
    ; The stage marker: from here on a hang is "stalled in trampoline", not "no answer" (ap_handshake.h).
    mov dword [rdi + PERCPU_STAGE], STAGE_TRAMPOLINE
    mov rax, [r12 + TP_AP_ENTRY]
    call rax
.no_slot:                                ; not ours to start (maxcpus, or not in the MADT)
    cli
    hlt
    jmp .no_slot

align 16
trampoline_gdt:
    dq 0
    dq GDT_DESCRIPTOR_CODE64             ; GDT_KERNEL_CODE
    dq GDT_DESCRIPTOR_DATA               ; GDT_KERNEL_DATA
    dq GDT_DESCRIPTOR_CODE32             ; GDT_TRAMPOLINE_CODE32
trampoline_gdt_end:

align 16
trampoline_params_label:
    times TP_BYTES db 0
trampoline_end:
