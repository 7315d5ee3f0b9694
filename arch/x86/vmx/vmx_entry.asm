; VM entry and VM exit (SDM: "VMLAUNCH/VMRESUME", "VM Exits"). vmx_enter()
; saves vmxroot's callee-saved registers on this CPU's stack, writes that
; stack pointer to the VMCS's HOST_RSP, loads the guest's registers from
; struct vmx_guest_regs (arch/x86/vmx/vmx_guest_regs.h, offsets asserted
; there; CR2 at VMLAUNCH only) and enters. A VM exit resumes at vmx_exit_stub with RSP = HOST_RSP:
; it stores the guest's general registers and returns VMX_ENTER_EXITED. A failed
; VMLAUNCH/VMRESUME falls through: the flags say how (CF: VMfailInvalid,
; ZF: VMfailValid), and nothing here touches the VMCS after it, so the
; caller reads the VM-instruction error first.

bits 64
section .text

VMCS_HOST_RSP   equ 0x6C14

; struct vmx_guest_regs
GUEST_RAX equ 0
GUEST_RCX equ 8
GUEST_RDX equ 16
GUEST_RBX equ 24
GUEST_RBP equ 32
GUEST_RSI equ 40
GUEST_RDI equ 48
GUEST_R8  equ 56
GUEST_R9  equ 64
GUEST_R10 equ 72
GUEST_R11 equ 80
GUEST_R12 equ 88
GUEST_R13 equ 96
GUEST_R14 equ 104
GUEST_R15 equ 112
GUEST_CR2 equ 120
HOST_RSP_WRITTEN equ 128

; enum vmx_enter_result
ENTER_EXITED       equ 0
ENTER_FAIL_INVALID equ 1
ENTER_FAIL_VALID   equ 2

global vmx_enter
global vmx_exit_stub

; The guest's general registers from [rdi], RDI itself last. Flags unchanged (mov only).
%macro LOAD_GUEST_REGS 0
    mov rax, [rdi + GUEST_RAX]
    mov rcx, [rdi + GUEST_RCX]
    mov rdx, [rdi + GUEST_RDX]
    mov rbx, [rdi + GUEST_RBX]
    mov rbp, [rdi + GUEST_RBP]
    mov rsi, [rdi + GUEST_RSI]
    mov r8,  [rdi + GUEST_R8]
    mov r9,  [rdi + GUEST_R9]
    mov r10, [rdi + GUEST_R10]
    mov r11, [rdi + GUEST_R11]
    mov r12, [rdi + GUEST_R12]
    mov r13, [rdi + GUEST_R13]
    mov r14, [rdi + GUEST_R14]
    mov r15, [rdi + GUEST_R15]
    mov rdi, [rdi + GUEST_RDI]
%endmacro

; enum vmx_enter_result vmx_enter(struct vmx_guest_regs *regs /* rdi */, bool resume /* sil */)
vmx_enter:
    push rbp
    mov rbp, rsp
    push rbx
    push r12
    push r13
    push r14
    push r15
    push rdi                    ; regs, found again at [rsp] after the exit
    cmp rsp, [rdi + HOST_RSP_WRITTEN]
    je .host_rsp_current        ; the same stack depth as the last entry: HOST_RSP holds it already
    mov eax, VMCS_HOST_RSP
    vmwrite rax, rsp
    jbe .write_failed           ; CF or ZF: the VMCS is not usable, do not enter
    mov [rdi + HOST_RSP_WRITTEN], rsp
.host_rsp_current:
    test sil, sil
    jnz .resume
    ; VMLAUNCH: CR2 is not in the VMCS (SDM: "Guest Register State"), so the guest's first value is
    ; loaded here. After that it is never switched: CR2 keeps the guest's value across every exit and
    ; VMRESUME, because in VMX root only a page fault writes CR2 and every host exception ends in a
    ; panic (arch/x86/boot/idt.c), and nothing in vmxroot writes CR2 itself.
    mov rax, [rdi + GUEST_CR2]
    mov cr2, rax
    LOAD_GUEST_REGS
    vmlaunch
    jmp .failed
.resume:
    LOAD_GUEST_REGS
    vmresume
.failed:
    ; Only a failed entry gets here, with RSP as it was and the guest's values in the registers.
    mov eax, ENTER_FAIL_INVALID
    jc .out
    mov eax, ENTER_FAIL_VALID
    jmp .out
.write_failed:
    mov eax, ENTER_FAIL_INVALID
    jc .out
    mov eax, ENTER_FAIL_VALID
.out:
    pop rdi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret

; The VM exit: RSP = HOST_RSP, so [rsp] is the regs pointer pushed above.
vmx_exit_stub:
    push rdi                    ; the guest's RDI, while RDI takes the regs pointer
    mov rdi, [rsp + 8]
    mov [rdi + GUEST_RAX], rax
    mov [rdi + GUEST_RCX], rcx
    mov [rdi + GUEST_RDX], rdx
    mov [rdi + GUEST_RBX], rbx
    mov [rdi + GUEST_RBP], rbp
    mov [rdi + GUEST_RSI], rsi
    mov [rdi + GUEST_R8],  r8
    mov [rdi + GUEST_R9],  r9
    mov [rdi + GUEST_R10], r10
    mov [rdi + GUEST_R11], r11
    mov [rdi + GUEST_R12], r12
    mov [rdi + GUEST_R13], r13
    mov [rdi + GUEST_R14], r14
    mov [rdi + GUEST_R15], r15
    pop rax
    mov [rdi + GUEST_RDI], rax
    ; CR2 stays as the guest left it: not saved (see the VMLAUNCH path above).
    xor eax, eax                ; ENTER_EXITED
    pop rdi
    pop r15
    pop r14
    pop r13
    pop r12
    pop rbx
    pop rbp
    ret
